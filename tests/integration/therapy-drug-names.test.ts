import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { auditEvents, createPatient, createUser } from "../helpers/fixtures";
import { getPage, postForm } from "../helpers/http";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let cookie: string;
let nurseId: string;
let record: Awaited<ReturnType<typeof createPatient>>;

beforeAll(async () => {
  server = await startTestServer();
  const physicianId = (await createUser("PHYSICIAN")).id;
  nurseId = (await createUser("NURSE")).id;
  cookie = await sessionCookie(nurseId);
  record = await createPatient(physicianId);
});
afterAll(async () => {
  await server.close();
});

const asHtml = (text: string) => text.replace(/'/g, "&#x27;");

function startTherapy(fields: Record<string, string>) {
  return postForm(
    server,
    `/patients/${record.patient.id}/therapies/new`,
    {
      diagnosisId: record.diagnosis.id,
      startDate: clinicToday(),
      dose: "75",
      doseUnit: "mg",
      frequency: "twice-daily",
      route: "oral",
      ...fields,
    },
    { cookie },
  );
}

const trials = () =>
  getDb().therapyTrial.findMany({ where: { patientId: record.patient.id }, orderBy: { createdAt: "asc" } });

describe("the drug field of the therapy form", () => {
  it("takes a brand name in any case and stores the generic catalogue drug", async () => {
    const response = await startTherapy({ modality: "NEUROPATHIC_AGENT", drug: "  LYRICA " });
    expect(response.status).toBe(302);
    expect((await trials()).at(-1)).toMatchObject({ modality: "NEUROPATHIC_AGENT", drug: "pregabalin", dose: 75 });

    const opioid = await startTherapy({ modality: "OPIOID", drug: "OxyContin", dose: "10" });
    expect(opioid.status).toBe(302);
    expect((await trials()).at(-1)).toMatchObject({ modality: "OPIOID", drug: "oxycodone" });
  });

  it("refuses an unknown name with a suggestion next to the field, keeps the text and writes nothing", async () => {
    const before = await trials();
    const audited = (await auditEvents({ action: "therapy.start", userId: nurseId })).length;
    const response = await startTherapy({ modality: "OPIOID", drug: "Oxycodon", dose: "10" });
    expect(response.status).toBe(400);
    const html = await response.text();
    const message = asHtml("No drug called 'Oxycodon'. Did you mean Oxycodone?");
    // The message is the drug field's own: the input points at it, and it holds what was typed.
    const errorId = /<div id="([^"]+)"[^>]*role="alert"><ul><li>([^<]*)<\/li>/.exec(html);
    expect(errorId?.[2]).toContain(message);
    const input = /<input[^>]*name="drug"[^>]*>/.exec(html)?.[0];
    expect(input).toContain(`aria-describedby="${errorId?.[1]}"`);
    expect(input).toContain('value="Oxycodon"');
    expect(await trials()).toEqual(before);
    expect(await auditEvents({ action: "therapy.start", userId: nurseId })).toHaveLength(audited);
  });

  it("keeps a non-opioid the list lacks only when the nurse says it is not in the list", async () => {
    const refused = await startTherapy({ modality: "OTHER_MEDICATION", drug: "Prednisone", dose: "5" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Or tick “Not in the list” to keep the name as typed.");

    const kept = await startTherapy({ modality: "OTHER_MEDICATION", drug: "Prednisone", dose: "5", drugAsTyped: "on" });
    expect(kept.status).toBe(302);
    expect((await trials()).at(-1)).toMatchObject({ modality: "OTHER_MEDICATION", drug: "Prednisone" });
  });

  it("refuses an opioid under another kind of therapy, where its MME would go uncounted", async () => {
    const before = (await trials()).length;
    const response = await startTherapy({ modality: "NSAID", drug: "Roxicodone", dose: "10" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Oxycodone is recorded as “Opioid”: choose that therapy, or another drug.");
    expect(await trials()).toHaveLength(before);
  });

  it("offers names and brands in the list, never an id", async () => {
    const html = await (await getPage(server, `/patients/${record.patient.id}/therapies/new`, cookie)).text();
    const list = /<datalist id="drug-names">(.*?)<\/datalist>/.exec(html)?.[1] ?? "";
    expect(list).toContain(
      '<option value="Fentanyl (transdermal patch)" label="Fentanyl (transdermal patch) — Duragesic">',
    );
    expect(list).toContain('value="Oxycodone" label="Oxycodone — OxyContin, Roxicodone, Xtampza ER"');
    expect(list).not.toContain("fentanyl-transdermal");
    expect(list).not.toMatch(/value="[a-z]/);
  });
});
