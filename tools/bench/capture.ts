/**
 * The "raw SQL" side of the endpoint-overhead ratio, without copying any SQL: the route's own
 * loader or action runs once in this process against a Prisma client whose pg pool records every
 * statement exactly as pg receives it (text and bound values), with when it was sent and answered.
 * The recording becomes a replay plan: a statement waits only for the statements that had
 * finished before it was sent, so the loader's Promise.all fan-out is replayed as parallel queries
 * and dependent queries stay in order. A transaction is replayed on one connection, in order.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client";

export interface Statement {
  text: string;
  values: unknown[];
}

interface Recorded extends Statement {
  /** "pool" for a statement outside a transaction, "tx<n>" for one inside transaction n. */
  connection: string;
  start: number;
  end: number;
}

export interface PlanNode {
  statements: Statement[];
  /** Indexes of the nodes this one waits for. */
  after: number[];
  transaction: boolean;
}

export interface Plan {
  nodes: PlanNode[];
  /** Statements in the recording, transaction control included. */
  statementCount: number;
  /** Each statement and how long it took while recorded (for finding the slow ones). */
  timings: Array<Statement & { ms: number }>;
}

type QueryConfig = { text: string; values?: unknown[] };
type AnyQuery = (...args: unknown[]) => unknown;

function statementOf(first: unknown, second: unknown): Statement {
  if (typeof first === "string") return { text: first, values: Array.isArray(second) ? second : [] };
  const config = first as QueryConfig;
  return { text: config.text, values: config.values ?? (Array.isArray(second) ? second : []) };
}

/** A pg pool that records what it runs while `record` is active. */
export class RecordingPool extends pg.Pool {
  private recording: Recorded[] | null = null;
  private transactions = 0;

  /** Runs `work` (one request's worth of database work) and returns what it sent. */
  async record(work: () => Promise<unknown>): Promise<Recorded[]> {
    if (this.recording) throw new Error("Recordings cannot overlap.");
    const recorded: Recorded[] = [];
    this.recording = recorded;
    try {
      await work();
    } finally {
      this.recording = null;
    }
    return recorded;
  }

  private track<T>(statement: Statement, connection: string, run: () => T): T {
    const recording = this.recording;
    if (!recording) return run();
    const entry: Recorded = { ...statement, connection, start: performance.now(), end: Number.POSITIVE_INFINITY };
    recording.push(entry);
    const result = run();
    if (result instanceof Promise) {
      return result.finally(() => {
        entry.end = performance.now();
      }) as T;
    }
    return result;
  }

  // Prisma sends statements outside a transaction through pool.query.
  override query(...args: unknown[]): never {
    const statement = statementOf(args[0], args[1]);
    const superQuery = super.query.bind(this) as AnyQuery;
    return this.track(statement, "pool", () => superQuery(...args)) as never;
  }

  // Prisma checks a connection out (promise form) only for an interactive transaction; the
  // callback form is pool.query's own checkout, already recorded above.
  override connect(...args: unknown[]): never {
    const superConnect = super.connect.bind(this) as AnyQuery;
    if (args.length > 0) return superConnect(...args) as never;
    return (superConnect() as Promise<pg.PoolClient>).then((client) => {
      const tagged = client as pg.PoolClient & { benchOriginalQuery?: AnyQuery; benchTag?: string };
      tagged.benchTag = `tx${++this.transactions}`;
      if (!tagged.benchOriginalQuery) {
        const original = client.query.bind(client) as AnyQuery;
        tagged.benchOriginalQuery = original;
        tagged.query = ((...queryArgs: unknown[]) => {
          const tag = tagged.benchTag;
          // Back in the pool, the connection serves pool.query, which records on its own.
          if (!tag) return original(...queryArgs);
          return this.track(statementOf(queryArgs[0], queryArgs[1]), tag, () => original(...queryArgs));
        }) as never;
      }
      // pg-pool sets a fresh release function at every checkout.
      const release = client.release.bind(client);
      client.release = (error?: Error | boolean) => {
        tagged.benchTag = undefined;
        return release(error);
      };
      return client;
    }) as never;
  }
}

/** Turns a recording into a replay plan (see the file comment). */
export function planOf(recorded: Recorded[], { commitRolledBack = false } = {}): Plan {
  interface Draft {
    statements: Recorded[];
    start: number;
    end: number;
    transaction: boolean;
  }
  const drafts: Draft[] = [];
  const transactions = new Map<string, Draft>();
  for (const entry of recorded) {
    if (entry.connection === "pool") {
      drafts.push({ statements: [entry], start: entry.start, end: entry.end, transaction: false });
      continue;
    }
    let draft = transactions.get(entry.connection);
    if (!draft) {
      draft = { statements: [], start: entry.start, end: entry.end, transaction: true };
      transactions.set(entry.connection, draft);
      drafts.push(draft);
    }
    draft.statements.push(entry);
    draft.end = Math.max(draft.end, entry.end);
  }
  drafts.sort((a, b) => a.start - b.start);
  const nodes: PlanNode[] = drafts.map((draft, index) => {
    let statements: Statement[] = draft.statements.map(({ text, values }) => ({ text, values }));
    if (draft.transaction && commitRolledBack) {
      // The recording was rolled back so that the same ids can be inserted once by the replay.
      statements = statements.map((statement) =>
        /^\s*ROLLBACK\s*$/i.test(statement.text) ? { text: "COMMIT", values: [] } : statement,
      );
    }
    const after = drafts
      .slice(0, index)
      .flatMap((earlier, earlierIndex) => (earlier.end <= draft.start ? [earlierIndex] : []));
    return { statements, after, transaction: draft.transaction };
  });
  return {
    nodes,
    statementCount: recorded.length,
    timings: recorded.map(({ text, values, start, end }) => ({ text, values, ms: end - start })),
  };
}

/** Runs a plan against `pool`: independent statements in parallel, as the loader sent them. */
export async function replay(plan: Plan, pool: pg.Pool): Promise<void> {
  const done: Array<Promise<void>> = [];
  for (const node of plan.nodes) {
    const waitFor = node.after.map((index) => done[index]);
    done.push(
      Promise.all(waitFor).then(async () => {
        if (!node.transaction) {
          for (const statement of node.statements) await pool.query({ ...statement, rowMode: "array" });
          return;
        }
        const client = await pool.connect();
        try {
          for (const statement of node.statements) await client.query({ ...statement, rowMode: "array" });
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw error;
        } finally {
          client.release();
        }
      }),
    );
  }
  await Promise.all(done);
}

class RolledBack extends Error {
  constructor(readonly result: unknown) {
    super("rolled back by the benchmark");
  }
}

/**
 * A Prisma client on a recording pool. With `rollBack`, every interactive transaction runs to
 * its end and is then rolled back, so recording a write leaves the database as it was.
 */
export function recordingClient(connectionString: string) {
  const pool = new RecordingPool({ connectionString, max: 10 });
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  const state = { rollBack: false };
  const proxy = new Proxy(client, {
    get(target, property) {
      if (property === "$transaction" && state.rollBack) {
        return async (work: (tx: unknown) => Promise<unknown>, options?: object) => {
          try {
            await target.$transaction(async (tx) => {
              throw new RolledBack(await work(tx));
            }, options as never);
          } catch (error) {
            if (error instanceof RolledBack) return error.result;
            throw error;
          }
          throw new Error("unreachable: the transaction was not rolled back");
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as AnyQuery).bind(target) : value;
    },
  });
  return { pool, client: proxy, state, disconnect: () => client.$disconnect() };
}
