// `npm run dev`: Remix's dev server (rebuilds and live reload) around the PainPath app server.
// Remix keeps watching files when the app server dies; this launcher ends the whole tree instead,
// and gives live reload a free port so that nothing else on the machine can block the start.
import { spawn } from "node:child_process";
import path from "node:path";
import { APP_FAILED_SIGNAL, DEV_SUPERVISOR_PID } from "../app/server/dev-supervision";
import { freePort } from "../app/server/embedded-postgres.server";

const livePort = process.env.REMIX_DEV_PORT ?? String(await freePort());
const remix = spawn(
  path.resolve("node_modules/.bin/remix"),
  ["dev", "--manual", "--port", livePort, "-c", "tsx app/server/main.ts"],
  {
    stdio: "inherit",
    // Its own process group, so that one signal reaches the dev server and the app server below it.
    detached: true,
    env: { ...process.env, VITE_CJS_IGNORE_WARNING: "true", [DEV_SUPERVISOR_PID]: String(process.pid) },
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
remix.once("exit", (code) => process.exit(exitCode || (code ?? 1)));
process.on(APP_FAILED_SIGNAL, () => {
  exitCode = 1;
  stopAll("SIGTERM");
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stopAll(signal));
