// `npm run dev`: the development database (embedded unless DATABASE_URL is set), migrated and
// loaded with the demo data, then Remix's dev server (rebuilds and live reload) around the app
// server. Remix keeps watching files when the app server dies; this launcher ends everything
// instead, and gives live reload a free port so that nothing else on the machine blocks the start.
import { spawn } from "node:child_process";
import path from "node:path";
import { APP_FAILED_SIGNAL, DEV_SUPERVISOR_PID } from "~/server/dev-supervision";
import { openDatabase, type OpenDatabase } from "~/server/database.server";
import { getDb } from "~/server/db.server";
import { EmbeddedPostgresError, freePort } from "~/server/embedded-postgres.server";
import { getEnv, InvalidEnvironmentError } from "~/server/env.server";
import { logger } from "~/server/logger.server";
import { applyMigrations } from "~/server/migrations.server";
import { seedDemoData } from "./demo/demo-data";

async function prepareDatabase(): Promise<OpenDatabase> {
  const env = getEnv();
  const database = await openDatabase(env);
  process.env.DATABASE_URL = database.url;
  logger.info({ database: database.description }, "Development database");
  try {
    await applyMigrations(database.url, "prisma/migrations", (message) => logger.info(message));
    if (env.seedDemoData) {
      const credentials = await seedDemoData(getDb());
      // Plain text, so a newcomer can read the demo sign-ins in the terminal.
      console.log("\nDemo sign-ins (demo data only, refused in production):");
      for (const { role, email, password } of credentials)
        console.log(`  ${role.padEnd(9)} ${email.padEnd(26)} ${password}`);
      console.log();
    }
  } catch (error) {
    await database.embedded?.stop();
    throw error;
  } finally {
    await getDb().$disconnect();
  }
  return database;
}

function runRemixDev(database: OpenDatabase, livePort: string) {
  const remix = spawn(
    path.resolve("node_modules/.bin/remix"),
    ["dev", "--manual", "--port", livePort, "-c", "tsx app/server/main.ts"],
    {
      stdio: "inherit",
      // Its own process group, so that one signal reaches the dev server and the app server below it.
      detached: true,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        VITE_CJS_IGNORE_WARNING: "true",
        [DEV_SUPERVISOR_PID]: String(process.pid),
      },
    },
  );
  let exitCode = 0;
  const stopAll = (signal: NodeJS.Signals) => {
    try {
      if (remix.pid) process.kill(-remix.pid, signal);
    } catch {
      // Already gone.
    }
  };
  remix.once("exit", (code) => {
    void (async () => {
      await database.embedded?.stop();
      process.exit(exitCode || (code ?? 1));
    })();
  });
  process.on(APP_FAILED_SIGNAL, () => {
    exitCode = 1;
    stopAll("SIGTERM");
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stopAll(signal));
}

try {
  const database = await prepareDatabase();
  runRemixDev(database, process.env.REMIX_DEV_PORT ?? String(await freePort()));
} catch (error) {
  if (error instanceof InvalidEnvironmentError || error instanceof EmbeddedPostgresError) console.error(error.message);
  else logger.fatal({ err: error }, "The development database could not be prepared");
  process.exit(1);
}
