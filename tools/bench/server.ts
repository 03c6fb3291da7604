/** The production server under test: built if the sources changed, run as `node build/server.js`. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { freePort } from "~/server/embedded-postgres.server";

const BUILD_OUTPUTS = ["build/index.js", "build/server.js"];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` when an output is missing or older than a file under app/. Returns seconds, or null. */
export function buildIfNeeded(force: boolean): number | null {
  const outputs = BUILD_OUTPUTS.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0));
  // npm run dev leaves a development build behind, however new.
  const developmentBuild =
    existsSync("build/index.js") && readFileSync("build/index.js", "utf8").includes('mode = "development"');
  const stale = force || developmentBuild || Math.min(...outputs) < newestMtime("app");
  if (!stale) return null;
  const started = performance.now();
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run build failed");
  return (performance.now() - started) / 1000;
}

/** The node flags an npm script runs with (heap limits), so the bench runs the same process as `npm start`. */
export function scriptNodeFlags(script: "start" | "reevaluate"): string[] {
  const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
  return scripts[script]?.match(/--[\w-]+=\S+/g) ?? [];
}

export interface AppServer {
  origin: string;
  pid: number;
  stop: () => Promise<void>;
}

export interface ServerOptions {
  databaseUrl: string;
  sessionSecret: string;
  logFile: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** The checkout whose build/ and public/ to serve (default: this one), e.g. an earlier release. */
  cwd?: string;
}

/** Starts one production instance on a free loopback port and waits until /healthz answers. */
export async function startServer(options: ServerOptions): Promise<AppServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const log = createWriteStream(options.logFile);
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeFlags ?? []), "build/server.js"], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: options.databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_ORIGIN: origin,
      SESSION_SECRET: options.sessionSecret,
      // A fresh key each run: the benchmark's audit rows are sealed, never verified.
      AUDIT_CHAIN_KEY: options.sessionSecret,
      // Likewise: the benchmark's users have no second factor to decrypt.
      MFA_ENCRYPTION_KEY: options.sessionSecret,
      CLINIC_TIME_ZONE: process.env.CLINIC_TIME_ZONE ?? "UTC",
      LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`The server exited with code ${exited}; see ${options.logFile}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server did not answer /healthz within 60 s; see ${options.logFile}`);
    }
    const healthy = await fetch(`${origin}/healthz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    origin,
    pid: child.pid as number,
    stop: async () => {
      if (exited !== undefined) return;
      // SIGTERM first, so a --cpu-prof profile gets written.
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
