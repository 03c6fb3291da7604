import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEXT_PROBLEMS } from "~/domain/plain-text";
import { getDb } from "~/server/db.server";
import { createPatient, createUser } from "../helpers/fixtures";
import { getPage, postForm } from "../helpers/http";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let cookie: string;
let physicianId: string;
let record: Awaited<ReturnType<typeof createPatient>>;

beforeAll(async () => {
  server = await startTestServer();
  physicianId = (await createUser("PHYSICIAN", { name: "Dr Quill" })).id;
  cookie = await sessionCookie(physicianId);
  record = await createPatient(physicianId, { familyName: "Abbott" });
});
afterAll(async () => {
  await server.close();
});

// React escapes the apostrophe and the like; the messages are compared as the page writes them.
const asHtml = (text: string) => text.replace(/'/g, "&#x27;");

describe("control characters in typed text", () => {
  it("answers a search holding NUL with a message next to the field, not a 500", async () => {
    const response = await getPage(server, "/patients?q=a%00bc", cookie);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(new RegExp(`id="q-errors"[^>]*>.*${asHtml(TEXT_PROBLEMS.control).replace(/[()]/g, "\\$&")}`));
    expect(html).toMatch(
      /<input[^>]*aria-invalid="true"[^>]*aria-describedby="q-errors"|aria-describedby="q-errors"[^>]*aria-invalid/,
    );
  });

  it("refuses a therapy whose drug holds NUL, keeping what was typed and saving nothing", async () => {
    const before = await getDb().therapyTrial.count();
    const response = await postForm(
      server,
      `/patients/${record.patient.id}/therapies/new`,
      {
        diagnosisId: record.diagnosis.id,
        modality: "NSAID",
        startDate: "2025-01-06",
        drug: "ibu\u0000profen",
        dose: "400",
        doseUnit: "mg",
        frequency: "three-times-daily",
        route: "oral",
      },
      { cookie },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(asHtml(TEXT_PROBLEMS.control));
    expect(html).toContain("three-times-daily");
    expect(await getDb().therapyTrial.count()).toBe(before);
  });

  it("refuses a line break in a name", async () => {
    const response = await postForm(
      server,
      "/patients/new",
      {
        mrn: "LF-1",
        givenName: "Alex\nInjected",
        familyName: "Smith",
        birthDate: "1970-01-01",
        sex: "FEMALE",
        assignedPhysicianId: physicianId,
      },
      { cookie },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(asHtml(TEXT_PROBLEMS.lineBreak));
    expect(await getDb().patient.count({ where: { mrn: "LF-1" } })).toBe(0);
  });
});

describe("the printable referral summary", () => {
  it("isolates typed text, so a direction override stored earlier cannot reorder the drug and dose", async () => {
    const db = getDb();
    await db.therapyTrial.update({ where: { id: record.therapy.id }, data: { doseUnit: "mg\u202e" } });
    const referral = await db.referral.create({
      data: {
        patientId: record.patient.id,
        diagnosisId: record.diagnosis.id,
        procedure: "EPIDURAL_STEROID_INJECTION",
        receivingClinic: "Spine \u202eClinic",
        urgency: "ROUTINE",
        reason: "Radicular pain \u202e despite care",
        conservativeCareContinues: true,
        createdById: physicianId,
      },
    });
    const response = await getPage(server, `/patients/${record.patient.id}/referrals/${referral.id}/summary`, cookie);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<bdi>ABBOTT, Alex</bdi>");
    expect(html).toContain("<bdi>Spine \u202eClinic</bdi>");
    expect(html).toContain("<bdi>mg\u202e</bdi>");
    expect(html).toMatch(/<p[^>]*dir="auto"[^>]*>Radicular pain \u202e despite care<\/p>/);
  });
});
