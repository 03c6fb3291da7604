import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { createPatient, createUser } from "../helpers/fixtures";
import { getPage, postForm } from "../helpers/http";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let cookie: string;
let physicianId: string;
let mine: Awaited<ReturnType<typeof createPatient>>;
let theirs: Awaited<ReturnType<typeof createPatient>>;

beforeAll(async () => {
  server = await startTestServer();
  physicianId = (await createUser("PHYSICIAN")).id;
  cookie = await sessionCookie(physicianId);
  mine = await createPatient(physicianId, { familyName: "Mine" });
  theirs = await createPatient(physicianId, { familyName: "Theirs" });
});
afterAll(async () => {
  await server.close();
});

/** The audit rows one request wrote, found by the request id the server answered with. */
function rowsOf(response: Response) {
  return getDb().auditEvent.findMany({
    where: { requestId: response.headers.get("X-Request-Id") ?? "none" },
    orderBy: { id: "asc" },
  });
}

describe("another patient's record named under this patient", () => {
  it("a POST with their therapy in the address is a 404 recorded as denied", async () => {
    const response = await postForm(
      server,
      `/patients/${mine.patient.id}/therapies/${theirs.therapy.id}/stop`,
      { endDate: "2025-01-06", stopReason: "INEFFECTIVE", version: "1" },
      { cookie },
    );
    expect(response.status).toBe(404);
    expect(await rowsOf(response)).toEqual([
      expect.objectContaining({
        action: "access.denied",
        outcome: "denied",
        userId: physicianId,
        patientId: mine.patient.id,
        entityType: "TherapyTrial",
        detail: expect.objectContaining({ path: expect.stringContaining(theirs.therapy.id), method: "POST" }),
      }),
    ]);
    expect(await getDb().therapyTrial.findUnique({ where: { id: theirs.therapy.id } })).toMatchObject({
      endDate: null,
    });
  });

  it("a POST with their diagnosis in a hidden field is refused and recorded as denied", async () => {
    const response = await postForm(
      server,
      `/patients/${mine.patient.id}/therapies/new`,
      { diagnosisId: theirs.diagnosis.id, modality: "PHYSICAL_THERAPY", startDate: "2025-01-06", sessionsPlanned: "6" },
      { cookie },
    );
    expect(response.status).toBe(400);
    // The form is shown again, with its own view of the patient; the refusal is recorded beside it.
    expect(await rowsOf(response)).toContainEqual(
      expect.objectContaining({
        action: "access.denied",
        outcome: "denied",
        patientId: mine.patient.id,
        entityType: "PainDiagnosis",
      }),
    );
  });

  it("a GET with their therapy in the address is a 404 recorded as denied, not as a view", async () => {
    const response = await getPage(server, `/patients/${mine.patient.id}/therapies/${theirs.therapy.id}/stop`, cookie);
    expect(response.status).toBe(404);
    const rows = await rowsOf(response);
    expect(rows.filter((row) => row.action === "patient.view")).toEqual([]);
    expect(rows).toEqual([
      expect.objectContaining({ action: "access.denied", outcome: "denied", entityId: theirs.therapy.id }),
    ]);
  });

  it("a GET of their referral's summary under this patient is recorded as denied, not as a view", async () => {
    const referral = await getDb().referral.create({
      data: {
        patientId: theirs.patient.id,
        diagnosisId: theirs.diagnosis.id,
        procedure: "EPIDURAL_STEROID_INJECTION",
        receivingClinic: "Spine clinic",
        urgency: "ROUTINE",
        reason: "Radicular pain",
        conservativeCareContinues: true,
        createdById: physicianId,
      },
    });
    const response = await getPage(server, `/patients/${mine.patient.id}/referrals/${referral.id}/summary`, cookie);
    expect(response.status).toBe(404);
    expect((await rowsOf(response)).map((row) => [row.action, row.outcome])).toEqual([["access.denied", "denied"]]);
  });

  it("a GET of this patient's own therapy is recorded as a view", async () => {
    const response = await getPage(server, `/patients/${mine.patient.id}/therapies/${mine.therapy.id}/stop`, cookie);
    expect(response.status).toBe(200);
    expect((await rowsOf(response)).map((row) => [row.action, row.outcome])).toEqual([["patient.view", "success"]]);
  });
});

describe("the report export as a data request", () => {
  it("writes one audit row for one request", async () => {
    const admin = await sessionCookie((await createUser("ADMIN")).id);
    const query = "table=status&from=2026-01-01&to=2026-03-31";
    for (const path of [`/reports/export?${query}`, `/reports/export.data?${query}`]) {
      const response = await getPage(server, path, admin);
      expect(response.status, path).toBe(200);
      expect(
        (await rowsOf(response)).map((row) => row.action),
        path,
      ).toEqual(["report.export"]);
    }
  });
});
