/**
 * The raw-SQL side: run a route's loaders (or its action) in this process on the recording client,
 * then time the recorded statements alone through plain `pg`, at the same concurrency as the HTTP
 * side. Both sides therefore run the same statements: the session lookup, the page's queries and
 * its audit insert.
 */
import { randomUUID } from "node:crypto";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import type pg from "pg";
import { planOf, replay, type Plan, type RecordingPool, type Statement } from "./capture";
import type { Scenario, ScenarioRequest } from "./scenarios";

type RouteModule = ServerBuild["routes"][string]["module"];

/** The route and its parents, outermost first: the loaders Remix runs for a document request. */
function routeChain(build: ServerBuild, routeId: string): RouteModule[] {
  const chain: RouteModule[] = [];
  for (let id: string | undefined = routeId; id; id = build.routes[id]?.parentId) {
    const route = build.routes[id];
    if (!route) throw new Error(`The build has no route ${id}`);
    chain.unshift(route.module);
  }
  return chain;
}

async function statusOf(run: () => Promise<unknown> | unknown): Promise<number> {
  try {
    const value = await run();
    if (value instanceof Response) return value.status;
    const init = (value as { init?: { status?: number } } | null)?.init;
    return init?.status ?? 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

export interface RouteRunner {
  build: ServerBuild;
  origin: string;
  cookieFor: (scenario: Scenario) => string;
}

/** Runs one request's loaders or action in-process, as Remix would, and checks the status. */
export async function runInProcess(runner: RouteRunner, scenario: Scenario, request: ScenarioRequest) {
  const context: AppLoadContext = {
    requestId: randomUUID(),
    clientAddress: "127.0.0.1",
    cspNonce: "bench",
    state: {},
  };
  const url = `${runner.origin}${request.path}`;
  const cookie = runner.cookieFor(scenario);
  let status: number;
  if (request.method === "POST") {
    const action = runner.build.routes[scenario.routeId]?.module.action;
    if (!action) throw new Error(`${scenario.routeId} has no action`);
    const httpRequest = new Request(url, {
      method: "POST",
      headers: { cookie, origin: runner.origin, "content-type": "application/x-www-form-urlencoded" },
      body: request.body,
    });
    status = await statusOf(() => action({ request: httpRequest, params: request.params, context }));
  } else {
    const httpRequest = new Request(url, { headers: { cookie } });
    const statuses = await Promise.all(
      routeChain(runner.build, scenario.routeId).map((module) =>
        module.loader
          ? statusOf(() => module.loader?.({ request: httpRequest, params: request.params, context }))
          : 200,
      ),
    );
    status = statuses.find((code) => code !== 200) ?? 200;
  }
  if (status !== scenario.expectStatus) {
    throw new Error(`${scenario.title}: ${request.method} ${request.path} answered ${status} in-process`);
  }
}

/** Records the database work of requests; writes are recorded rolled back, to be replayed once each. */
export async function recordPlans(
  runner: RouteRunner,
  recorder: { pool: RecordingPool; state: { rollBack: boolean } },
  scenario: Scenario,
  requests: ScenarioRequest[],
): Promise<Plan[]> {
  const write = requests[0]?.method === "POST";
  recorder.state.rollBack = write;
  try {
    const plans: Plan[] = [];
    for (const request of requests) {
      const recorded = await recorder.pool.record(() => runInProcess(runner, scenario, request));
      plans.push(planOf(recorded, { commitRolledBack: write }));
    }
    return plans;
  } finally {
    recorder.state.rollBack = false;
  }
}

export interface RawOptions {
  concurrency: number;
  seconds: number;
  /** Writes: each plan is replayed at most once, so the run also ends when they are used up. */
  once: boolean;
}

/** Replays plans in `concurrency` closed loops for `seconds`; returns each replay's latency, ms. */
export async function measureRaw(plans: Plan[], pool: pg.Pool, options: RawOptions): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + options.seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        if (options.once && next >= plans.length) return;
        const plan = plans[next++ % plans.length] as Plan;
        const started = performance.now();
        await replay(plan, pool);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

const UNIQUE_VIOLATION = "23505";

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the slowest recorded statements; writes are rolled back. A write
 * the replay has already committed (an insert of an id made in the app) cannot run again: its
 * plan is shown without ANALYZE.
 */
export async function explainSlowest(plans: Plan[], client: pg.Client, count = 2): Promise<string[]> {
  const timings = plans.flatMap((plan) => plan.timings);
  const slowestByText = new Map<string, { text: string; values: unknown[]; ms: number }>();
  for (const timing of timings) {
    if (/^\s*(BEGIN|COMMIT|ROLLBACK|SET|SAVEPOINT)\b/i.test(timing.text)) continue;
    const known = slowestByText.get(timing.text);
    if (!known || known.ms < timing.ms) slowestByText.set(timing.text, timing);
  }
  const slowest = [...slowestByText.values()].sort((a, b) => b.ms - a.ms).slice(0, count);
  const explained: string[] = [];
  for (const statement of slowest) {
    const heading = `-- ${statement.ms.toFixed(1)} ms when recorded`;
    try {
      explained.push(
        `${heading}\n${statement.text.trim()}\n\n${await explainRolledBack(client, "ANALYZE, BUFFERS", statement)}`,
      );
    } catch (error) {
      const alreadyCommitted = (error as { code?: string }).code === UNIQUE_VIOLATION;
      const plan = alreadyCommitted ? await explainRolledBack(client, "COSTS", statement).catch(() => null) : null;
      explained.push(
        plan
          ? `${heading}; not run again: the replay already committed this row\n${statement.text.trim()}\n\n${plan}`
          : `-- could not explain: ${error instanceof Error ? error.message : String(error)}\n${statement.text}`,
      );
    }
  }
  return explained;
}

async function explainRolledBack(client: pg.Client, options: string, statement: Statement): Promise<string> {
  await client.query("BEGIN");
  try {
    const { rows } = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (${options}) ${statement.text}`,
      statement.values,
    );
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  } finally {
    await client.query("ROLLBACK");
  }
}
