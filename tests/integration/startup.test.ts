import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { APP_FAILED_SIGNAL, DEV_SUPERVISOR_PID } from "~/server/dev-supervision";

/** Runs the production server entry (`npm start`) and collects what it prints until it exits. */
function startServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["build/server.js"], {
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const VALID = {
  SESSION_SECRET: "a".repeat(40),
  AUDIT_CHAIN_KEY: "k".repeat(40),
  MFA_ENCRYPTION_KEY: "m".repeat(40),
  DATABASE_URL: "postgresql://nobody:secret-pw@127.0.0.1:1/painpath",
  PORT: "0",
};

describe("server start-up", () => {
  it("names every bad environment variable and exits", async () => {
    const { code, output } = await startServer({
      ...VALID,
      SESSION_SECRET: "short",
      PORT: "eighty",
      SEED_DEMO_DATA: "true",
    });
    expect(code).toBe(1);
    expect(output).toContain("Invalid environment configuration");
    expect(output).toContain("SESSION_SECRET: must be at least 32 characters");
    expect(output).toContain("PORT:");
    expect(output).toContain("SEED_DEMO_DATA: demo data is refused in production");
  });

  it("requires a session secret in production", async () => {
    const { code, output } = await startServer({ DATABASE_URL: VALID.DATABASE_URL });
    expect(code).toBe(1);
    expect(output).toContain("SESSION_SECRET: is required in production");
  });

  it("says clearly when the database cannot be reached, without printing its password", async () => {
    const { code, output } = await startServer(VALID);
    expect(code).toBe(1);
    expect(output).toContain("Cannot reach the database at 127.0.0.1:1/painpath");
    expect(output).not.toContain("secret-pw");
  });
});

describe("under npm run dev", () => {
  // tools/dev.ts passes its pid; Remix's watcher would otherwise outlive a failed app server.
  it("tells its launcher, and exits with the reason on one line, when it cannot start", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    const launcher = spawn(process.execPath, [
      "-e",
      `process.on("${APP_FAILED_SIGNAL}", () => process.exit(42)); setTimeout(() => {}, 60000)`,
    ]);
    const launcherExit = new Promise<number | null>((resolve) => launcher.once("exit", resolve));
    try {
      const { code, output } = await startServer({
        ...VALID,
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        HOST: "127.0.0.1",
        PORT: String(port),
        [DEV_SUPERVISOR_PID]: String(launcher.pid),
      });
      expect(output).toContain(`Port ${port} on 127.0.0.1 is in use: stop the process that holds it, or set PORT.`);
      expect(code).toBe(1);
      expect(await launcherExit).toBe(42);
    } finally {
      launcher.kill();
      blocker.close();
    }
  });
});
