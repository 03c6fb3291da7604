import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createCookie, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import pg from "pg";
import type { Role } from "~/domain/roles";
import { createSession } from "~/models/session.server";
import { describeDatabase, openDatabase } from "~/server/database.server";
import "~/server/db.server";
import { clinicToday } from "~/server/clinic-time.server";
import { getEnv } from "~/server/env.server";
import { applyMigrations } from "~/server/migrations.server";
import { recordingClient, type Plan } from "./capture";
import { percentile, runLoad, type HttpRequest, type LoadResult } from "./load";
import { cpuSeconds, machineTimes, MemorySampler, residentKilobytes } from "./proc";
import { explainSlowest, measureRaw, recordPlans, type RouteRunner } from "./raw";
import {
  baselineSummary,
  markdown,
  screenSummary,
  type BenchReport,
  type CpuShare,
  type BaselineRow,
  type LoadRow,
  type RoundResult,
  type ScaleOutRow,
  type Summary,
} from "./report";
import { cdsScenarios, tokensFor } from "./cds";
import { loadInputs, scenarios, type Scenario } from "./scenarios";
import { buildIfNeeded, scriptNodeFlags, startServer, type AppServer } from "./server";

export interface BenchOptions {
  seconds: number;
  clients: number[];
  only?: string[];
  scaleOut: boolean;
  reevaluate: boolean;
  build: boolean;
  cpuProfile: boolean;
  serverFlags: string[];
  patients: number;
  /** An earlier release's built checkout, loaded alternately with this build, `rounds` times per page. */
  baseline?: { dir: string; rounds: number };
  /** The Accept-Encoding of page requests. */
  acceptEncoding: string;
  /** The environment the command was started with (before the benchmark set production values). */
  parentEnv: NodeJS.ProcessEnv;
}

const BENCH_DATABASE = "painpath_bench";
const RESULTS_DIR = "bench-results";
/** Distinct recorded requests replayed in rotation on the raw side of a read page. */
const READ_PLANS = 40;
/** Raw replays of a write per client count: each replay needs its own recording. */
const writePlansFor = (clients: number) => (clients === 1 ? 60 : 10 * clients);
const RAW_SECONDS = 3;
/** The request context of the sessions the benchmark mints: an audited session limit names it. */
const BENCH_CONTEXT: AppLoadContext = { requestId: randomUUID(), clientAddress: "benchmark", cspNonce: "", state: {} };
const WARM_UP_SECONDS = 2;

interface Database {
  url: string;
  description: string;
  close: () => Promise<void>;
}

/** DATABASE_URL; else painpath_bench on the embedded server, started here unless it already runs. */
async function openBenchDatabase(env: NodeJS.ProcessEnv): Promise<Database> {
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, description: describeDatabase(env.DATABASE_URL), close: async () => {} };
  }
  const port = getEnv().EMBEDDED_DATABASE_PORT;
  const url = `postgresql://painpath:painpath@127.0.0.1:${port}/${BENCH_DATABASE}`;
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  const running = await probe
    .connect()
    .then(() => true)
    .catch((error: { code?: string }) => error.code !== "ECONNREFUSED");
  await probe.end().catch(() => {});
  if (running) {
    return { url, description: `${describeDatabase(url)} (embedded, already running)`, close: async () => {} };
  }
  const opened = await openDatabase(getEnv(), BENCH_DATABASE);
  return { url: opened.url, description: opened.description, close: async () => opened.embedded?.stop() };
}

async function datasetSize(url: string): Promise<{ patients: number; evaluations: number }> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ patients: number; evaluations: number }>(
      `SELECT (SELECT count(*)::int FROM "Patient") AS patients, (SELECT count(*)::int FROM "Evaluation") AS evaluations`,
    );
    return rows[0] ?? { patients: 0, evaluations: 0 };
  } catch {
    return { patients: 0, evaluations: 0 };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The nightly job as operators run it (`npm run reevaluate`), timed from outside. */
async function reevaluate(url: string, env: NodeJS.ProcessEnv) {
  const started = performance.now();
  // As package.json's "reevaluate" script runs it: a larger young generation halves the GC time.
  const child = spawn(
    process.execPath,
    [...scriptNodeFlags("reevaluate"), "--import", "tsx", "app/cli/reevaluate.ts"],
    {
      env: { ...env, DATABASE_URL: url, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const memory = new MemorySampler([child.pid as number], 250).start();
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const peakRssMb = memory.stop().get(child.pid as number) ?? 0;
  if (code !== 0) throw new Error(`The batch re-evaluation failed (exit code ${code}).`);
  const seconds = (performance.now() - started) / 1000;
  const match = /(\d+) patients in [\d.]+ s.*?(\d+) evaluations changed/.exec(output);
  const summary =
    output
      .split(/[\r\n]/)
      .filter((line) => line.trim())
      .at(-1) ?? "";
  return { seconds, patients: Number(match?.[1] ?? 0), changed: Number(match?.[2] ?? 0), peakRssMb, output: summary };
}

async function postmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>("SHOW data_directory");
    const dir = rows[0]?.data_directory;
    if (!dir) return null;
    const pid = Number(readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    // A remote server, or a data directory this user cannot read: its CPU is not reported.
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

function summarise(latencies: number[], perSecond: number, errors: number): Summary {
  return {
    count: latencies.length,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    perSecond,
    errors,
  };
}

/** Runs `work` while measuring CPU use per party and the servers' peak RSS. */
async function observed<T>(servers: AppServer[], postgresPid: number | null, work: () => Promise<T>) {
  const serverPids = servers.map((server) => server.pid);
  const memory = new MemorySampler(serverPids).start();
  const before = {
    at: performance.now(),
    servers: cpuSeconds(serverPids),
    postgres: postgresPid === null ? null : cpuSeconds([], postgresPid),
    self: process.cpuUsage(),
    machine: machineTimes(),
  };
  const result = await work();
  const wall = (performance.now() - before.at) / 1000;
  const self = process.cpuUsage(before.self);
  const machine = machineTimes();
  const serverCores = (cpuSeconds(serverPids) - before.servers) / wall;
  const postgres =
    postgresPid === null || before.postgres === null ? null : (cpuSeconds([], postgresPid) - before.postgres) / wall;
  const loadGenerator = (self.user + self.system) / 1e6 / wall;
  const busy = machine && before.machine ? (machine.busy - before.machine.busy) / wall : null;
  const cpu: CpuShare = {
    seconds: wall,
    servers: serverCores,
    postgres,
    loadGenerator,
    other: busy === null ? null : Math.max(0, busy - serverCores - (postgres ?? 0) - loadGenerator),
  };
  const peaks = memory.stop();
  return { result, cpu, peakRssMb: Math.max(0, ...peaks.values()) };
}

/** What every page measurement needs: the server, the pools, and signed-in users. */
interface Bench {
  options: BenchOptions;
  servers: AppServer[];
  postgresPid: number | null;
  raw: pg.Pool;
  explainClient: pg.Client;
  recorder: ReturnType<typeof recordingClient>;
  runner: RouteRunner;
  cookies: Map<Role, string>;
  mintCookies: () => Promise<void>;
}

function httpRequest(bench: Bench, scenario: Scenario, origin: string) {
  return (index: number): HttpRequest => {
    const request = scenario.request(index);
    if (request.headers)
      return { method: request.method, path: request.path, headers: request.headers, body: request.body };
    // As a browser's same-site navigation: the server compresses pages for it unless told "identity".
    const headers: Record<string, string> = {
      cookie: bench.cookies.get(scenario.role) as string,
      "accept-encoding": bench.options.acceptEncoding,
      "sec-fetch-site": "same-origin",
    };
    if (request.method === "POST") {
      headers.origin = origin;
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    return { method: request.method, path: request.path, headers, body: request.body };
  };
}

/**
 * The raw side's recordings. Reads: 40 requests replayed in rotation. Writes: one recording per
 * replay (each inserts its own ids), a separate set per client count.
 */
async function recordScenario(bench: Bench, scenario: Scenario) {
  const slices = new Map<number, Plan[]>();
  if (scenario.rawRequest) {
    const rawRequest = scenario.rawRequest;
    let next = 0;
    for (const clients of bench.options.clients) {
      const requests = Array.from({ length: writePlansFor(clients) }, () => rawRequest(next++));
      slices.set(clients, await recordPlans(bench.runner, bench.recorder, scenario, requests));
    }
    return { plans: [...slices.values()].flat(), slices };
  }
  const requests = Array.from({ length: READ_PLANS }, (_, index) => scenario.request(index));
  // The first run fills per-process caches (e.g. the parsed rule set); it is not a typical request.
  await recordPlans(bench.runner, bench.recorder, scenario, requests.slice(0, 1));
  const plans = await recordPlans(bench.runner, bench.recorder, scenario, requests);
  await measureRaw(plans, bench.raw, { concurrency: 1, seconds: 0.5, once: false });
  for (const clients of bench.options.clients) slices.set(clients, plans);
  return { plans, slices };
}

/** One page: warm-up, then per client count the HTTP run and the raw-SQL run. */
async function measureScenario(bench: Bench, scenario: Scenario) {
  const [server] = bench.servers as [AppServer];
  const { options } = bench;
  await bench.mintCookies();
  await scenario.prepare?.(tokensFor(options.seconds, options.clients, WARM_UP_SECONDS));
  const rawSide = scenario.rawSide !== false;
  console.log(`\n${scenario.title}${rawSide ? ": recording its SQL" : ""}`);
  const { plans, slices } = rawSide
    ? await recordScenario(bench, scenario)
    : { plans: [], slices: new Map<number, Plan[]>() };
  const statements =
    plans.length === 0 ? 0 : Math.round(plans.reduce((sum, plan) => sum + plan.statementCount, 0) / plans.length);
  const load = (connections: number, seconds: number) =>
    runLoad({
      origin: server.origin,
      connections,
      seconds,
      expectStatus: scenario.expectStatus,
      request: httpRequest(bench, scenario, server.origin),
    });

  await load(Math.min(4, Math.max(...options.clients)), WARM_UP_SECONDS);
  const rows: LoadRow[] = [];
  for (const clients of options.clients) {
    const { result, cpu, peakRssMb } = await observed([server], bench.postgresPid, () =>
      load(clients, options.seconds),
    );
    const rawStarted = performance.now();
    const rawLatencies = rawSide
      ? await measureRaw(slices.get(clients) ?? [], bench.raw, {
          concurrency: clients,
          seconds: Math.min(RAW_SECONDS, options.seconds),
          once: Boolean(scenario.rawRequest),
        })
      : [];
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    const row: LoadRow = {
      scenarioId: scenario.id,
      title: scenario.title,
      connections: clients,
      http: summarise(result.latenciesMs, result.perSecond, result.errors),
      raw: rawSide ? summarise(rawLatencies, rawLatencies.length / rawSeconds, 0) : null,
      statements,
      responseKb: result.meanBytes / 1024,
      targetP95Ms: scenario.targetP95Ms,
      peakRssMb,
      cpu,
      statuses: result.statuses,
    };
    rows.push(row);
    console.log(
      `  ${String(clients).padStart(2)} clients: p50 ${row.http.p50.toFixed(1)} p95 ${row.http.p95.toFixed(1)} ` +
        `p99 ${row.http.p99.toFixed(1)} ms, ${row.http.perSecond.toFixed(0)} req/s, ${row.http.errors} errors; ` +
        `raw p50 ${row.raw ? row.raw.p50.toFixed(2) : "–"} ms; RSS ${peakRssMb.toFixed(0)} MB`,
    );
  }
  const explain = {
    title: scenario.title,
    statements: (plans[0]?.timings ?? []).map((timing) => timing.text.replace(/\s+/g, " ").trim()),
    plans: await explainSlowest(plans, bench.explainClient),
  };
  return { rows, explain };
}

/** The same clients against one instance, then split over two instances on the same database. */
async function compareScaleOut(bench: Bench, scenario: Scenario): Promise<ScaleOutRow> {
  const [first, second] = bench.servers as [AppServer, AppServer];
  const connections = Math.max(...bench.options.clients);
  await bench.mintCookies();
  const load = (target: AppServer, share: number) =>
    runLoad({
      origin: target.origin,
      connections: share,
      seconds: bench.options.seconds,
      expectStatus: scenario.expectStatus,
      request: httpRequest(bench, scenario, target.origin),
    });
  const combine = (results: LoadResult[], cpu: CpuShare) => {
    const latencies = results.flatMap((result) => result.latenciesMs);
    const perSecond = results.reduce((sum, result) => sum + result.perSecond, 0);
    const errors = results.reduce((sum, result) => sum + result.errors, 0);
    return { ...summarise(latencies, perSecond, errors), cpu };
  };
  await load(second, Math.min(4, connections));
  const one = await observed([first], bench.postgresPid, async () => [await load(first, connections)]);
  const half = Math.ceil(connections / 2);
  const two = await observed(bench.servers, bench.postgresPid, () =>
    Promise.all([load(first, half), load(second, connections - half)]),
  );
  const row = {
    title: scenario.title,
    connections,
    one: combine(one.result, one.cpu),
    two: combine(two.result, two.cpu),
  };
  console.log(
    `  ${scenario.title}: ${row.one.perSecond.toFixed(0)} → ${row.two.perSecond.toFixed(0)} req/s ` +
      `(${(row.two.perSecond / row.one.perSecond).toFixed(2)}×)`,
  );
  return row;
}

/**
 * The page on an earlier release and on this build, loaded one after the other `rounds` times, the
 * order swapped each round (ABBA), so that the machine's drift and other work fall on both alike.
 */
async function compareWithBaseline(bench: Bench, scenario: Scenario, baseline: AppServer): Promise<BaselineRow[]> {
  const [current] = bench.servers as [AppServer];
  const { options } = bench;
  const rounds = options.baseline?.rounds ?? 1;
  await bench.mintCookies();
  await scenario.prepare?.(tokensFor(options.seconds * 2 * rounds, options.clients, WARM_UP_SECONDS));
  const load = (target: AppServer, connections: number, seconds: number) =>
    runLoad({
      origin: target.origin,
      connections,
      seconds,
      expectStatus: scenario.expectStatus,
      request: httpRequest(bench, scenario, target.origin),
    });
  const measure = async (target: AppServer, connections: number): Promise<RoundResult> => {
    const { result, cpu } = await observed([target], bench.postgresPid, () =>
      load(target, connections, options.seconds),
    );
    const served = result.latenciesMs.length;
    return {
      ...summarise(result.latenciesMs, result.perSecond, result.errors),
      serverCpuMsPerRequest: served === 0 ? Number.NaN : (cpu.servers * cpu.seconds * 1000) / served,
      responseKb: result.meanBytes / 1024,
    };
  };
  await load(baseline, Math.min(4, Math.max(...options.clients)), WARM_UP_SECONDS);
  const rows: BaselineRow[] = [];
  for (const connections of options.clients) {
    const row: BaselineRow = { title: scenario.title, connections, baseline: [], current: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (["baseline", "current"] as const) : (["current", "baseline"] as const);
      for (const side of order) row[side].push(await measure(side === "baseline" ? baseline : current, connections));
    }
    rows.push(row);
    console.log(`  against the baseline, ${connections} clients: ${baselineSummary(row)}`);
  }
  return rows;
}

function checkDatasetSize(size: { patients: number }, options: BenchOptions): boolean {
  if (size.patients >= options.patients * 0.99) return true;
  console.error(
    `It holds ${size.patients.toLocaleString("en-US")} patients; the benchmark needs the ` +
      `${options.patients.toLocaleString("en-US")}-patient data set. Create it with\n\n` +
      `  npm run db:generate-dataset -- --patients ${options.patients}${size.patients > 0 ? " --replace" : ""}\n\n` +
      `(it writes to DATABASE_URL, or to the ${BENCH_DATABASE} database of the embedded PostgreSQL; ` +
      `about a minute on two cores), then run the benchmark again.`,
  );
  return false;
}

export async function runBenchmark(options: BenchOptions): Promise<number> {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-").replace(/Z$/, "");
  mkdirSync(RESULTS_DIR, { recursive: true });
  const database = await openBenchDatabase(options.parentEnv);
  const servers: AppServer[] = [];
  let baseline: AppServer | null = null;
  const raw = new pg.Pool({ connectionString: database.url, max: 10 });
  const explainClient = new pg.Client({ connectionString: database.url });
  let recorder: ReturnType<typeof recordingClient> | undefined;
  try {
    console.log(`Benchmark database: ${database.description}`);
    const size = await datasetSize(database.url);
    if (!checkDatasetSize(size, options)) return 2;
    // The data set may predate this release's migrations; the nightly run does not migrate.
    const { applied } = await applyMigrations(database.url, "prisma/migrations");
    if (applied.length > 0) console.log(`Applied ${applied.length} migration(s) to the data set`);

    let reevaluation: BenchReport["reevaluation"] = null;
    if (options.reevaluate) {
      console.log(
        size.evaluations === 0
          ? "Batch re-evaluation (first run on this data set: creates every evaluation and flag)"
          : "Batch re-evaluation (nightly run)",
      );
      reevaluation = await reevaluate(database.url, options.parentEnv);
      console.log(`\nBatch re-evaluation: ${reevaluation.seconds.toFixed(1)} s`);
    }

    const build = options.build ? buildIfNeeded(false) : null;
    const sessionSecret = process.env.SESSION_SECRET as string;
    const start = (name: string, cwd?: string) =>
      startServer({
        databaseUrl: database.url,
        sessionSecret,
        logFile: path.join(RESULTS_DIR, `${stamp}-server-${name}.log`),
        nodeFlags: [
          ...options.serverFlags,
          ...(options.cpuProfile
            ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(RESULTS_DIR, `${stamp}-profile-${name}`)}`]
            : []),
        ],
        cwd,
      });
    servers.push(await start("1"));
    const [server] = servers as [AppServer];
    console.log(`Server: ${server.origin} (pid ${server.pid})`);
    baseline = options.baseline ? await start("baseline", options.baseline.dir) : null;
    if (baseline) {
      console.log(`Baseline: ${options.baseline?.dir} at ${baseline.origin} (pid ${baseline.pid})`);
    }

    // In-process loaders for the raw side, on a recording client in place of the app's own.
    recorder = recordingClient(database.url);
    globalThis.__painpathPrisma = recorder.client;
    const remixBuild = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
    await explainClient.connect();
    const inputs = await loadInputs(explainClient, clinicToday());
    const routes = new Set(Object.keys(remixBuild.routes));
    const all = [
      ...scenarios(inputs, routes),
      ...(routes.has("routes/cds-services.$serviceId") ? await cdsScenarios(explainClient, inputs, server.origin) : []),
    ];
    const chosen = all.filter((scenario) => !options.only || options.only.includes(scenario.id));
    const skipped = ["reports", "audit"]
      .filter((id) => !all.some((scenario) => scenario.id === id))
      .map((id) => `${id}: the build has no such route yet`);

    const cookies = new Map<Role, string>();
    const cookie = createCookie("__Host-painpath_session", { secrets: [sessionSecret] });
    const env = getEnv();
    const policy = { idleMinutes: env.SESSION_IDLE_MINUTES, absoluteHours: env.SESSION_ABSOLUTE_HOURS };
    const bench: Bench = {
      options,
      servers,
      postgresPid: await postmasterPid(database.url),
      raw,
      explainClient,
      recorder,
      cookies,
      runner: {
        build: remixBuild,
        origin: server.origin,
        cookieFor: (scenario) => cookies.get(scenario.role) as string,
      },
      // Fresh sessions per page: a role idle through the other pages' runs would time out.
      mintCookies: async () => {
        for (const role of ["PHYSICIAN", "NURSE", "ADMIN"] as const) {
          const { token } = await createSession(
            BENCH_CONTEXT,
            { userId: inputs.users[role], browser: "Benchmark", clientAddress: BENCH_CONTEXT.clientAddress },
            policy,
          );
          cookies.set(role, (await cookie.serialize(token)).split(";")[0] as string);
        }
      },
    };

    const rows: LoadRow[] = [];
    const explains: BenchReport["explains"] = [];
    const againstBaseline: BaselineRow[] = [];
    for (const scenario of chosen) {
      const measured = await measureScenario(bench, scenario);
      rows.push(...measured.rows);
      explains.push(measured.explain);
      if (baseline) againstBaseline.push(...(await compareWithBaseline(bench, scenario, baseline)));
    }

    const scaleOut: ScaleOutRow[] = [];
    if (options.scaleOut) {
      servers.push(await start("2"));
      console.log(
        `\nScale-out: second instance ${servers[1]?.origin}; ${Math.max(...options.clients)} clients split between the two`,
      );
      for (const scenario of chosen.filter((candidate) => ["worklist", "patient"].includes(candidate.id))) {
        scaleOut.push(await compareScaleOut(bench, scenario));
      }
    }

    const report: BenchReport = {
      startedAt,
      database: database.description,
      patients: size.patients,
      machine:
        `${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ` +
        `load average at start ${os.loadavg()[0]?.toFixed(1)}; server RSS at end ` +
        `${((residentKilobytes(server.pid) ?? 0) / 1024).toFixed(0)} MB`,
      seconds: options.seconds,
      acceptEncoding: options.acceptEncoding,
      build,
      serverFlags: options.serverFlags,
      reevaluation,
      rows,
      scaleOut,
      baseline: options.baseline ? { dir: options.baseline.dir, rows: againstBaseline } : null,
      explains,
      skipped,
    };
    const file = path.join(RESULTS_DIR, `${stamp}.md`);
    writeFileSync(file, markdown(report));
    console.log(`\n${screenSummary(report)}\n\nFull results: ${file}`);
    return 0;
  } finally {
    for (const server of servers) await server.stop();
    await baseline?.stop();
    await recorder?.disconnect().catch(() => {});
    await raw.end().catch(() => {});
    await explainClient.end().catch(() => {});
    await database.close();
  }
}
