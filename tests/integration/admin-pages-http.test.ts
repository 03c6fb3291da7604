import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reserveSignInAttempt, SIGN_IN_THROTTLE } from "~/models/sign-in-throttle.server";
import { getDb } from "~/server/db.server";
import { createPatient, createUser } from "../helpers/fixtures";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

// The administrator pages as a browser meets them: rendered by the production build (`npm run build`).
let server: TestServer;
let adminCookie: string;
let nurse: { id: string; email: string };
let patient: { id: string; mrn: string };

beforeAll(async () => {
  server = await startTestServer();
  const admin = await createUser("ADMIN");
  adminCookie = await sessionCookie(admin.id);
  nurse = await createUser("NURSE", { name: "Nell <b>Nurse</b>" });
  patient = (await createPatient(admin.id, { mrn: "HTTP-1" })).patient;
  await getDb().auditEvent.create({
    data: { action: "patient.view", userId: nurse.id, userRole: "NURSE", patientId: patient.id, entityId: "=1+2" },
  });
});
afterAll(async () => {
  await server.close();
});

function get(path: string, cookie = adminCookie) {
  return fetch(`${server.origin}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
}

describe("administrator pages over HTTP", () => {
  it.each([
    ["/admin/users", "Users"],
    ["/admin/users?role=NURSE&status=active", "Nell &lt;b&gt;Nurse&lt;/b&gt;"],
    ["/admin/users/new", "Initial password"],
    ["/admin/audit", "Views of this patient"],
    ["/account/password", "Change your password"],
  ])("renders %s", async (path, text) => {
    const response = await get(path === "/admin/audit" ? `/admin/audit?patient=${patient.id}` : path);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.text()).toContain(text);
  });

  it("renders a user's page, escaping what users typed", async () => {
    const response = await get(`/admin/users/${nurse.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Reset password");
    expect(html).not.toContain("<b>Nurse</b>");
  });

  it("lists the slowed sign-ins with an unlock button for each", async () => {
    for (let attempt = 0; attempt <= SIGN_IN_THROTTLE.pair.free; attempt++) {
      await reserveSignInAttempt("slowed-http@clinic.test", "198.51.100.44");
    }
    const response = await get("/admin/sign-ins");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("198.51.100.44");
    expect(html).toContain("Unlock <!-- -->slowed-http@clinic.test");
  });

  it("answers a bad audit filter with 400 and the message next to the field", async () => {
    const response = await get("/admin/audit?from=2026-02-30");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The start date is not a real calendar date.");
  });

  it("streams the CSV export as an attachment", async () => {
    const response = await get(`/admin/audit/export?patient=${patient.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="audit-trail_patient-${patient.id}.csv"`,
    );
    // The server's own default for every response and the export's header say the same thing.
    expect(new Set(response.headers.get("Cache-Control")?.split(/,\s*/))).toEqual(new Set(["no-store"]));
    const text = await response.text();
    expect(text).toContain(",'=1+2,HTTP-1,");
  });
});
