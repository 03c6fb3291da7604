import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.origin}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.origin, ...headers },
    body,
  });
}

describe("the HTTP server", () => {
  it("sends the security headers on every page", async () => {
    const response = await fetch(`${server.origin}/sign-in`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("X-Powered-By")).toBeNull();
    const permissions = response.headers.get("Permissions-Policy") ?? "";
    for (const feature of ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]) {
      expect(permissions).toContain(feature);
    }
    expect(permissions).toContain("publickey-credentials-get=(self)");
  });

  it("puts the nonce on every inline script, so the CSP blocks anything injected", async () => {
    const response = await fetch(`${server.origin}/sign-in`);
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1];
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("answers the health check after touching the database", async () => {
    const response = await fetch(`${server.origin}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("signs in through a real POST and sets a session cookie", async () => {
    const user = await createUser("NURSE");
    const response = await post(
      "/sign-in",
      new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/patients");
    expect(response.headers.get("Set-Cookie")).toMatch(/^painpath_session=.+; Path=\/; .*HttpOnly; SameSite=Lax/);
    // A browser-session cookie: closing the browser signs out (docs/security.md).
    expect(response.headers.get("Set-Cookie")).not.toMatch(/Expires=|Max-Age=/i);
  });

  it.each([
    ["another site's Origin", { Origin: "https://evil.example" }],
    ["no Origin at all", { Origin: "" }],
    ["a look-alike Origin", { Origin: "http://127.0.0.1.evil.example" }],
  ])("refuses a forged cross-site POST with %s, changing nothing", async (_label, headers) => {
    const user = await createUser("NURSE");
    const body = new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString();
    const init: RequestInit = {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...(headers.Origin ? headers : {}) },
      body,
    };
    const response = await fetch(`${server.origin}/sign-in`, init);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("Cross-site request refused.");
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a 10 MB form body with 413 before reading it", async () => {
    const before = await getDb().auditEvent.count();
    const response = await post("/sign-in", `email=a%40b.test&password=${"x".repeat(10 * 1024 * 1024)}`);
    expect(response.status).toBe(413);
    expect(await getDb().auditEvent.count()).toBe(before);
  });

  it.each([
    ["GET", "/patients?_data=routes%2Fpatients._index"],
    ["GET", "/sign-in?_data=root"],
    ["GET", "/reports/export?table=status&_data=routes%2Freports_.export"],
    ["POST", "/sign-in?_data=routes%2Fsign-in"],
  ])("refuses an old-style %s %s data request with 400 and no error log", async (method, path) => {
    const user = await createUser("ADMIN");
    const signIn = await post(
      "/sign-in",
      new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
    );
    const cookie = (signIn.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
    const errors = vi.spyOn(logger, "error");
    try {
      const response =
        method === "POST"
          ? await post(path, new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(), {
              Cookie: cookie,
            })
          : await fetch(`${server.origin}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
      expect(response.status).toBe(400);
      expect(await response.text()).not.toMatch(/at .*\.(js|ts):\d+/);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it("answers an unknown address with the 404 page", async () => {
    const response = await fetch(`${server.origin}/no/such/page`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("There is nothing at this address.");
  });

  it("caches built assets for a year and never caches pages", async () => {
    const html = await (await fetch(`${server.origin}/sign-in`)).text();
    const asset = /href="(\/build\/_assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const response = await fetch(`${server.origin}${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
  });

  it("serves the files at the top of public/ for an hour", async () => {
    const response = await fetch(`${server.origin}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("image/svg+xml");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=3600");
  });
});

async function currentSchema() {
  const [row] = await getDb().$queryRaw<Array<{ schema: string }>>`SELECT current_schema() AS schema`;
  return `"${row?.schema}"`;
}

describe("the audit trail", () => {
  it("cannot be altered or deleted, not even by the application's own database role", async () => {
    const user = await createUser("NURSE");
    await post("/sign-in", new URLSearchParams({ email: user.email, password: "wrong-password-for-audit" }).toString());
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "auth.sign_in_failed", userId: user.id },
    });

    await expect(getDb().auditEvent.update({ where: { id: event.id }, data: { action: "edited" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(getDb().auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(getDb().$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await getDb().auditEvent.findUnique({ where: { id: event.id } })).toMatchObject({
      action: "auth.sign_in_failed",
    });
  });

  it("keeps its per-patient index and its seals append-only, the index written only by its trigger", async ({
    skip,
  }) => {
    const db = getDb();
    const [me] = await db.$queryRaw<Array<{ mayCreateRoles: boolean }>>`
      SELECT rolsuper OR rolcreaterole AS "mayCreateRoles" FROM pg_roles WHERE rolname = current_user`;
    if (!me?.mayCreateRoles) skip("the test database's user may not create roles");
    const role = `painpath_app_${randomUUID().slice(0, 8)}`;
    const schema = await currentSchema();
    // The grants exactly as docs/operations.md applies them, to a throwaway role.
    const grants = readFileSync("prisma/app-role-grants.sql", "utf8");
    expect(grants).toContain("painpath_app");
    const asApp = (...statements: string[]) =>
      db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL ROLE ${role}`);
        for (const statement of statements) await tx.$executeRawUnsafe(statement);
      });
    const patientId = randomUUID();
    const listed = () => db.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM "AuditEventListedPatient" WHERE "patientId" = ${patientId}::uuid`;
    await db.$executeRawUnsafe(`CREATE ROLE ${role} NOLOGIN`);
    try {
      await db.$executeRawUnsafe(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      for (const statement of grants.replaceAll("painpath_app", role).split(";")) {
        if (statement.trim()) await db.$executeRawUnsafe(statement);
      }

      await asApp(
        `INSERT INTO "AuditEvent" ("at", action, outcome, "clientAddress", "requestId", detail)
         VALUES (now(), 'patient.list', 'success', '127.0.0.1', 'grants-test', '{"patientIds": ["${patientId}"]}')`,
      );
      expect(await listed()).toEqual([{ n: 1 }]);
      // The app's role can write no row of its own: not directly, nor through the trigger function on a table of its own.
      await expect(
        asApp(
          `INSERT INTO "AuditEventListedPatient" ("patientId", "at", "auditEventId") VALUES ('${patientId}', now(), 1)`,
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(
        asApp(
          `CREATE TEMP TABLE forged (id bigint, "at" timestamptz, detail jsonb)`,
          `CREATE TRIGGER forge AFTER INSERT ON forged FOR EACH ROW EXECUTE FUNCTION ${schema}.audit_event_list_patients()`,
        ),
      ).rejects.toThrow(/permission denied/);
      // Nor can anyone change or remove one.
      await expect(
        db.$executeRaw`DELETE FROM "AuditEventListedPatient" WHERE "patientId" = ${patientId}::uuid`,
      ).rejects.toThrow(/AuditEventListedPatient rows are append-only/);
      await expect(
        db.$executeRaw`UPDATE "AuditEventListedPatient" SET "at" = now() WHERE "patientId" = ${patientId}::uuid`,
      ).rejects.toThrow(/append-only/);
      await expect(db.$executeRawUnsafe(`TRUNCATE "AuditEventListedPatient"`)).rejects.toThrow(/append-only/);
      expect(await listed()).toEqual([{ n: 1 }]);
      // The sealer runs as the app: it may add seals, never change or remove one.
      await asApp(`INSERT INTO "AuditSeal" ("auditEventId", hash) SELECT max(id), repeat('0', 64) FROM "AuditEvent"`);
      await expect(asApp(`UPDATE "AuditSeal" SET hash = repeat('1', 64)`)).rejects.toThrow(/permission denied/);
      await expect(asApp(`DELETE FROM "AuditSeal"`)).rejects.toThrow(/permission denied/);
      await expect(db.$executeRawUnsafe(`DELETE FROM "AuditSeal"`)).rejects.toThrow(/AuditSeal rows are append-only/);
    } finally {
      await db.$executeRawUnsafe(`DROP OWNED BY ${role}`);
      await db.$executeRawUnsafe(`DROP ROLE ${role}`);
    }
  });

  it("records who, from where and in which request", async () => {
    const user = await createUser("PHYSICIAN");
    const response = await post(
      "/sign-in",
      new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
    );
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "auth.sign_in", userId: user.id } });
    expect(event).toMatchObject({ userRole: "PHYSICIAN", outcome: "success", clientAddress: "127.0.0.1" });
    expect(event.requestId).toBe(response.headers.get("X-Request-Id"));
  });
});

describe("the request log", () => {
  it("writes one line per request with id, user, route, status and duration, and no query, form or cookie", async () => {
    const user = await createUser("NURSE", { name: "Zelda Quirinus" });
    const lines: unknown[] = [];
    const spy = vi.spyOn(logger, "info").mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      const signIn = await post(
        "/sign-in",
        new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
      );
      const cookie = (signIn.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
      // Read to the end: a compressed body finishes (and is logged) after its headers arrive.
      await (await fetch(`${server.origin}/patients?q=Quirinus`, { headers: { Cookie: cookie } })).text();
      const routeOf = (args: unknown) => (args as [Record<string, unknown>, string])[0].route;
      await vi.waitFor(() => expect(lines.some((args) => routeOf(args) === "/patients")).toBe(true));
      const logged = JSON.stringify(lines);
      expect(logged).not.toContain("Quirinus");
      expect(logged).not.toContain(TEST_PASSWORD);
      expect(logged).not.toContain(cookie.split("=")[1]);
      const request = lines
        .map((args) => (args as [Record<string, unknown>, string])[0])
        .find((fields) => fields.route === "/patients");
      expect(request).toMatchObject({ userId: user.id, method: "GET", status: 200 });
      expect(request?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof request?.durationMs).toBe("number");
    } finally {
      spy.mockRestore();
    }
  });
});
