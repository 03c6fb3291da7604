// `npm start` as an operator runs it: a stop signal sent to npm reaches the server, which finishes
// the request in flight, closes its pool and exits, leaving nothing behind. Needs the production build.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "~/server/embedded-postgres.server";

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm start", () => {
  it("on SIGTERM to npm, answers the request in flight, then exits with the server", async () => {
    const port = await freePort();
    const npm = spawn("npm", ["start", "--silent"], {
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        SESSION_SECRET: randomBytes(32).toString("base64url"),
        AUDIT_CHAIN_KEY: randomBytes(32).toString("base64url"),
        MFA_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const npmExited = new Promise<number | null>((resolve) => npm.once("exit", resolve));
    await expect.poll(() => output, { timeout: 15_000 }).toContain("PainPath is listening");
    const serverPid = Number(
      execFileSync("ps", ["--ppid", String(npm.pid), "-o", "pid="], { encoding: "utf8" }).trim(),
    );
    expect(serverPid).toBeGreaterThan(0);

    // A request whose body is still arriving when the stop signal comes.
    const body = "email=nobody%40clinic.test&password=wrong-password";
    const socket = connect(port, "127.0.0.1");
    let response = "";
    socket.on("data", (chunk: Buffer) => {
      response += chunk.toString();
      socket.end();
    });
    const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(
      `POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    npm.kill("SIGTERM");
    await expect.poll(() => output, { timeout: 5_000 }).toContain("Shutting down");
    // New connections are refused while the one in flight is served.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    // Not socket.end(): a half-closed connection is one whose client stopped waiting for the answer.
    socket.write(body.slice(10));
    await ended;
    expect(response, output).toMatch(/^HTTP\/1\.1 \d{3} /);

    expect(await npmExited).toBe(0);
    expect(isRunning(serverPid)).toBe(false);
  });
});
