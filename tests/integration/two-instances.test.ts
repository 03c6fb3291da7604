// Two production instances (`node build/server.js`) on one database behave as one app: only one of
// them migrates a fresh database, a session started on one is valid on the other, and failed
// sign-ins count across both. Needs the production build (`npm test` builds first).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { freePort } from "~/server/embedded-postgres.server";
import { SIGN_IN_THROTTLE } from "~/models/sign-in-throttle.server";
import { databaseUrl } from "../setup/global-setup";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";

const SESSION_SECRET = randomBytes(32).toString("base64url");
const children: ChildProcess[] = [];

interface Instance {
  origin: string;
  /** Everything the process has printed so far (JSON log lines). */
  output: () => string;
}

async function startInstance(database: string): Promise<Instance> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["build/server.js"], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      DATABASE_URL: database,
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_ORIGIN: origin,
      SESSION_SECRET,
      AUDIT_CHAIN_KEY: SESSION_SECRET,
      MFA_ENCRYPTION_KEY: SESSION_SECRET,
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  child.once("exit", (code) => (exitCode = code));
  const deadline = Date.now() + 12_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`The instance on ${origin} exited (${exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`The instance on ${origin} did not become healthy:\n${output}`);
    const healthy = await fetch(`${origin}/healthz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return { origin, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function emptyDatabase(): Promise<string> {
  const adminUrl = inject("adminDatabaseUrl");
  const name = `${inject("templateDatabase")}_two_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return databaseUrl(adminUrl, name);
}

function signIn(instance: Instance, email: string, password: string) {
  return fetch(`${instance.origin}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: instance.origin, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }),
  });
}

/** The pino JSON lines an instance printed whose message contains `text`. */
function logLines(instance: Instance, text: string): Array<Record<string, unknown>> {
  return instance
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => String(entry.msg).includes(text));
}

let a: Instance;
let b: Instance;
let fresh: { url: string; first: Instance; second: Instance };

beforeAll(async () => {
  const freshUrl = await emptyDatabase();
  // Four processes start together: the pair on this file's (migrated) database, and a pair racing
  // to migrate an empty one.
  const [first, second, third, fourth] = await Promise.all([
    startInstance(process.env.DATABASE_URL as string),
    startInstance(process.env.DATABASE_URL as string),
    startInstance(freshUrl),
    startInstance(freshUrl),
  ]);
  [a, b] = [first, second];
  fresh = { url: freshUrl, first: third, second: fourth };
}, 30_000);

afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

describe("two instances on one database", () => {
  it("migrate an empty database exactly once, and both serve it", async () => {
    const migrations = readdirSync("prisma/migrations", { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    const { rows } = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`,
    );
    await client.end();
    expect(rows.map((row) => row.migration_name)).toEqual(migrations.map((entry) => entry.name).sort());

    // One instance applied them all while holding the advisory lock; the other waited and found none.
    const applied = [fresh.first, fresh.second].map((instance) => {
      const [line] = logLines(instance, "Database schema is up to date");
      return Number(line?.applied);
    });
    expect(applied.sort()).toEqual([0, migrations.length]);
    const appliedLines = [fresh.first, fresh.second].map((instance) => logLines(instance, "Applied migration").length);
    expect(appliedLines.sort()).toEqual([0, migrations.length]);

    for (const instance of [fresh.first, fresh.second, a, b]) {
      const health = await fetch(`${instance.origin}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
    }
  });

  it("accept on one instance the session started on the other", async () => {
    const user = await createUser("PHYSICIAN");
    const response = await signIn(a, user.email, TEST_PASSWORD);
    expect(response.status).toBe(302);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-painpath_session=/);
    expect(setCookie).toMatch(/; Secure/i);
    // Secure cookies are not sent over plain http by clients; this test sends it itself.
    const cookie = setCookie.split(";")[0] as string;

    for (const instance of [b, a]) {
      const page = await fetch(`${instance.origin}/worklist`, { headers: { cookie }, redirect: "manual" });
      expect(page.status, instance.origin).toBe(200);
      expect(await page.text()).toContain("Review worklist");
    }
    const signedOut = await fetch(`${b.origin}/worklist`, { redirect: "manual" });
    expect(signedOut.status).toBe(302);
  });

  it("count failed sign-ins made on both instances together", async () => {
    const user = await createUser("NURSE");
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    for (let attempt = 0; attempt < SIGN_IN_THROTTLE.pair.free; attempt++) {
      const response = await signIn(attempt % 2 === 0 ? a : b, user.email, "not-the-password-at-all");
      expect(response.status, `attempt ${attempt + 1}`).toBe(401);
    }
    // The next attempt is refused on either instance, even with the right password.
    for (const instance of [a, b]) {
      const refused = await signIn(instance, user.email, TEST_PASSWORD);
      expect(refused.status, instance.origin).toBe(429);
    }
  });
});
