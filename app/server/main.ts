// The PainPath server: validates the environment, finds or starts the database, migrates, then
// serves the Remix app. `npm run dev` (tools/dev.ts) prepares the development database first.
import { watchFile } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import pg from "pg";
import { startAuditSealing } from "./audit-sealing.server";
import { getDb } from "./db.server";
import { describeDatabase, openDatabase } from "./database.server";
import { APP_FAILED_SIGNAL, DEV_SUPERVISOR_PID } from "./dev-supervision";
import { EmbeddedPostgresError, type EmbeddedDatabase } from "./embedded-postgres.server";
import { getEnv, InvalidEnvironmentError } from "./env.server";
import { createHttpApp } from "./http-app";
import { logger } from "./logger.server";
import { applyMigrations } from "./migrations.server";

const BUILD_PATH = path.resolve("build/index.js");
const SHUTDOWN_GRACE_MS = 10_000;

let embedded: EmbeddedDatabase | undefined;

/** A start-up failure whose message says all: printed as one line, without a stack. */
class StartupError extends Error {}

async function main() {
  const env = getEnv();
  const database = await openDatabase(env);
  embedded = database.embedded;
  process.env.DATABASE_URL = database.url;
  logger.info(
    { database: database.description },
    embedded ? "DATABASE_URL is not set: using the embedded PostgreSQL" : "Using the PostgreSQL named by DATABASE_URL",
  );
  const databaseUrl = database.url;

  await assertDatabaseReachable(databaseUrl);
  const { applied } = await applyMigrations(databaseUrl, "prisma/migrations", (message) => logger.info(message));
  logger.info({ applied: applied.length }, "Database schema is up to date");

  const app = createHttpApp(env, env.isProduction ? await productionBuild() : await devBuild());
  const server = await listen(app, env.PORT, env.HOST);
  const stopSealing = startAuditSealing(env);
  logger.info(`PainPath is listening on http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, "Shutting down: finishing the requests in flight");
    await closeGracefully(server, SHUTDOWN_GRACE_MS);
    stopSealing();
    await getDb().$disconnect();
    await embedded?.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

function listen(app: ReturnType<typeof createHttpApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new StartupError(`Port ${port} on ${host} is in use: stop the process that holds it, or set PORT.`)
          : error,
      ),
    );
  });
}

/** Stops accepting connections, lets requests in flight finish, and cuts what is still open after `graceMs`. */
async function closeGracefully(server: Server, graceMs: number) {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // A kept-alive connection that finishes its request is idle again: close it then.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(cut);
}

async function importBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild;
}

/** `npm run dev` rebuilds build/ in development mode, which fails on every page in production. */
async function productionBuild(): Promise<ServerBuild> {
  const build = await importBuild();
  if (build.mode !== "production") {
    throw new StartupError("build/ holds a development build (npm run dev wrote it): run npm run build first.");
  }
  return build;
}

/** Under `remix dev --manual`: re-import each new build and tell the dev server it is live. */
async function devBuild(): Promise<() => Promise<ServerBuild>> {
  let build = await importBuild();
  if (process.env.REMIX_DEV_ORIGIN) {
    await broadcastDevReady(build);
    watchFile(path.resolve("build/version.txt"), { interval: 200 }, async () => {
      build = (await import(`${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`)) as ServerBuild;
      await broadcastDevReady(build);
    });
  }
  return async () => build;
}

async function assertDatabaseReachable(url: string) {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot reach the database at ${describeDatabase(url)}: ${reason}`, { cause: error });
  } finally {
    await client.end().catch(() => {});
  }
}

main().catch(async (error: unknown) => {
  if (
    error instanceof InvalidEnvironmentError ||
    error instanceof EmbeddedPostgresError ||
    error instanceof StartupError
  ) {
    console.error(error.message);
  } else {
    logger.fatal({ err: error }, "PainPath could not start");
  }
  await embedded?.stop().catch(() => {});
  // `npm run dev` keeps watching files after its app server dies: tell it to stop too.
  const supervisor = Number(process.env[DEV_SUPERVISOR_PID]);
  if (supervisor) process.kill(supervisor, APP_FAILED_SIGNAL);
  process.exit(1);
});
