import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decideCodeReview, listCodeReviews } from "~/models/fhir-review.server";
import { type ImportReport, runImport } from "~/models/fhir-import.server";
import { updateDiagnosis } from "~/models/pathway.server";
import { getDb } from "~/server/db.server";
import { createUser, makeContext } from "../helpers/fixtures";

const FIXTURES = path.join(__dirname, "../fixtures/fhir");

let admin: { id: string; role: "ADMIN" };
let physicianId: string;

beforeAll(async () => {
  const user = await createUser("ADMIN");
  admin = { id: user.id, role: "ADMIN" };
  physicianId = (await createUser("PHYSICIAN")).id;
});

function importFixture(name: string, options: { dryRun?: boolean; sourceSystem?: string } = {}): Promise<ImportReport> {
  return runImport({
    path: path.join(FIXTURES, name),
    sourceLabel: name,
    sourceSystem: options.sourceSystem ?? "test-ehr",
    dryRun: options.dryRun ?? false,
    actor: admin,
    physicianId,
    context: makeContext(),
  });
}

async function tableCounts() {
  const db = getDb();
  return {
    patients: await db.patient.count(),
    diagnoses: await db.painDiagnosis.count(),
    therapies: await db.therapyTrial.count(),
    procedures: await db.procedureRecord.count(),
    scores: await db.importedScore.count(),
    records: await db.importedRecord.count(),
    revisions: await db.recordRevision.count(),
  };
}

describe("FHIR import of a US Core Bundle", () => {
  let report: ImportReport;
  beforeAll(async () => {
    report = await importFixture("us-core-bundle.json");
  });

  it("creates the pathway: diagnoses, trials with dates and MME input, scores, procedures", async () => {
    expect(report.inputErrors).toEqual([]);
    expect(report.totals).toMatchObject({ patients: 1, patientsImported: 1, patientsFailed: 0 });
    const patient = await getDb().patient.findUniqueOrThrow({
      where: { mrn: "USC-100234" },
      include: { diagnoses: true, therapies: true, procedures: true },
    });
    expect(patient).toMatchObject({
      familyName: "O'Brien",
      contrastAllergy: true,
      antithrombotics: ["WARFARIN"],
      onAnticoagulant: false,
      assignedPhysicianId: physicianId,
    });
    expect(JSON.stringify(patient)).not.toContain("999-45-6789");
    expect(patient.diagnoses.map((d) => d.icd10Code).sort()).toEqual(["M17.11", "M54.16"]);
    const oxy = patient.therapies.find((t) => t.drug === "oxycodone" && t.dose !== null);
    expect(oxy).toMatchObject({
      modality: "OPIOID",
      dose: 5,
      doseUnit: "mg",
      frequency: "every-6-hours",
      status: "ACTIVE",
    });
    expect(oxy?.startDate.toISOString().slice(0, 10)).toBe("2025-09-01");
    expect(patient.therapies.find((t) => t.modality === "PHYSICAL_THERAPY")?.sessionsAttended).toBe(7);
    expect(patient.procedures).toMatchObject([
      { type: "EPIDURAL_STEROID_INJECTION", region: "LUMBAR", approach: "TRANSFORAMINAL" },
    ]);
    const scores = await getDb().importedScore.findMany({
      where: { patientId: patient.id },
      orderBy: { observedOn: "asc" },
    });
    expect(scores.map((s) => [s.scale, s.value])).toEqual([
      ["PAIN_NRS", 7],
      ["PAIN_NRS", 8],
      ["PAIN_NRS", 7],
    ]);
  });

  it("puts provenance on every imported row", async () => {
    const patient = await getDb().patient.findUniqueOrThrow({ where: { mrn: "USC-100234" }, select: { id: true } });
    const records = await getDb().importedRecord.findMany({ where: { patientId: patient.id } });
    const rows = await tableCounts();
    expect(records.length).toBe(rows.patients + rows.diagnoses + rows.therapies + rows.procedures + rows.scores);
    expect(records.every((r) => r.sourceSystem === "test-ehr" && r.lastImportRunId === report.runId)).toBe(true);
    expect(
      records.find((r) => r.entityType === "TherapyTrial" && r.sourceResource === "MedicationStatement/medst-oxy-er")
        ?.sourceDisplay,
    ).toMatch(/Extended Release/);
  });

  it("shows on the patient page where imported rows came from, and the imported scores", async () => {
    const { loader } = await import("~/routes/patients.$patientId._index");
    const { callRoute } = await import("../helpers/remix");
    const { sessionCookie } = await import("../helpers/session");
    const nurse = await createUser("NURSE");
    const patient = await getDb().patient.findUniqueOrThrow({ where: { mrn: "USC-100234" }, select: { id: true } });
    const page = (await callRoute(loader as never, {
      path: `/patients/${patient.id}`,
      params: { patientId: patient.id },
      cookie: await sessionCookie(nurse.id),
    })) as { imported: { sources: Array<{ what: string; count: number }>; scores: Array<{ value: number }> } };
    expect(page.imported.sources).toEqual(
      expect.arrayContaining([expect.objectContaining({ what: "diagnoses", count: 2, sourceSystem: "test-ehr" })]),
    );
    expect(page.imported.scores.map((score) => score.value)).toEqual([7, 8, 7]);
  });

  it("evaluates the patient with the referral engine", async () => {
    const patient = await getDb().patient.findUniqueOrThrow({ where: { mrn: "USC-100234" }, select: { id: true } });
    const evaluations = await getDb().evaluation.findMany({ where: { patientId: patient.id, current: true } });
    expect(evaluations).toHaveLength(2);
    // Imported single pain scores are not complete assessments: the engine asks for one.
    expect(evaluations.every((e) => e.needsData)).toBe(true);
  });

  it("audits the run and each patient touched", async () => {
    const events = await getDb().auditEvent.findMany({
      where: { action: { startsWith: "fhir_import" } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual(["fhir_import.start", "fhir_import.patient", "fhir_import.finish"]);
    expect(events.every((e) => e.userId === admin.id)).toBe(true);
    expect(events[2]?.detail).toMatchObject({ source: "us-core-bundle.json", totals: { patients: 1 } });
  });

  it("is idempotent: importing the same export again changes nothing", async () => {
    const before = await tableCounts();
    const again = await importFixture("us-core-bundle.json");
    expect(again.totals).toMatchObject({ created: 0, updated: 0, conflicts: 0 });
    expect(again.totals.unchanged).toBeGreaterThan(10);
    expect(await tableCounts()).toEqual(before);
  });

  it("sends unknown codes to the review list once, and applies a decision to the next import", async () => {
    const open = await listCodeReviews("OPEN");
    const mystery = open.find((row) => row.code === "999999901");
    expect(mystery).toMatchObject({ kind: "medication", display: "Zorbexitol 10 MG Oral Tablet" });
    expect(open.find((row) => row.code === "E11.9")?.kind).toBe("condition");
    await decideCodeReview(
      {
        id: mystery!.id,
        version: mystery!.version,
        decision: { action: "therapy", modality: "OTHER_MEDICATION", drug: "zorbexitol" },
      },
      admin,
      makeContext(),
    );
    await importFixture("us-core-bundle.json");
    const therapy = await getDb().therapyTrial.findFirst({ where: { drug: "zorbexitol" } });
    expect(therapy?.modality).toBe("OTHER_MEDICATION");
    expect((await listCodeReviews("OPEN")).some((row) => row.code === "999999901")).toBe(false);
  });
});

describe("FHIR import of a Synthea transaction Bundle", () => {
  it("a dry run reports what would happen and writes nothing", async () => {
    const before = await tableCounts();
    const report = await importFixture("synthea-transaction.json", { dryRun: true });
    expect(report.patients).toMatchObject([{ status: "would-import", mrn: expect.stringMatching(/^SYN-/) }]);
    expect(report.totals.created).toBeGreaterThan(10);
    expect(report.skippedByReason).toEqual({});
    expect(await tableCounts()).toEqual(before);
  });

  it("imports SNOMED-only conditions, combination and extended-release opioids, pain scores", async () => {
    const report = await importFixture("synthea-transaction.json");
    expect(report.inputErrors).toEqual([]);
    const patient = await getDb().patient.findFirstOrThrow({
      where: { familyName: "Kub800" },
      include: { diagnoses: true, therapies: true },
    });
    expect(patient.diagnoses.map((d) => [d.icd10Code, d.bodyRegion])).toEqual([["M54.50", "LUMBAR"]]);
    const byDrug = Object.fromEntries(patient.therapies.map((t) => [t.drug, t]));
    expect(byDrug.hydrocodone).toMatchObject({ dose: 5, frequency: "every-6-hours" });
    expect(byDrug.oxycodone).toMatchObject({ dose: 15, frequency: "twice-daily" });
    expect(byDrug["fentanyl-transdermal"]).toMatchObject({ dose: 25, doseUnit: "mcg/hr", frequency: "continuous" });
    expect(await getDb().importedScore.count({ where: { patientId: patient.id } })).toBe(12);
  });
});

describe("FHIR import from a Bulk Data NDJSON folder", () => {
  it("imports each patient, and an MRN clash fails only that patient", async () => {
    const clash = await getDb().patient.create({
      data: {
        mrn: "BULK-0",
        givenName: "Other",
        familyName: "Person",
        birthDate: new Date("1990-01-01"),
        sex: "FEMALE",
        assignedPhysicianId: physicianId,
        createdById: physicianId,
      },
    });
    const report = await importFixture("ndjson");
    expect(report.totals).toMatchObject({ patients: 3, patientsImported: 2, patientsFailed: 1 });
    const failed = report.patients.find((p) => p.status === "failed");
    expect(failed?.error).toMatch(/Patient\.ndjson line 1: MRN BULK-0 clashes with a different existing patient/);
    expect(await getDb().painDiagnosis.count({ where: { patientId: clash.id } })).toBe(0);
    const imported = await getDb().patient.findUniqueOrThrow({
      where: { mrn: "BULK-1" },
      include: { therapies: true, procedures: true },
    });
    expect(imported.therapies[0]).toMatchObject({ drug: "tramadol", dose: 50, frequency: "every-8-hours" });
    expect(imported.procedures[0]).toMatchObject({ type: "RADIOFREQUENCY_ABLATION", region: "LUMBAR" });
  });
});

describe("a batch whose write fails", () => {
  it("is retried one patient at a time: only the bad patient fails, and says why", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp(path.join((await import("node:os")).tmpdir(), "fhir-dup-"));
    const patient = (id: string, mrn: string) =>
      JSON.stringify({
        resourceType: "Patient",
        id,
        identifier: [
          { type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR" }] }, value: mrn },
        ],
        name: [{ family: `Family-${id}`, given: ["Given"] }],
        gender: "male",
        birthDate: "1960-02-03",
      });
    // Two source patients with one MRN: neither exists yet, so only the database's unique index can tell.
    await writeFile(
      path.join(dir, "Patient.ndjson"),
      [patient("dup-a", "DUP-1"), patient("dup-b", "DUP-1"), patient("dup-c", "DUP-2")].join("\n"),
    );
    const report = await importFixture(path.relative(FIXTURES, dir), { sourceSystem: "dup-ehr" });
    expect(report.totals).toMatchObject({ patients: 3, patientsImported: 2, patientsFailed: 1 });
    expect(report.patients.map((p) => p.status)).toEqual(["imported", "failed", "imported"]);
    // In the batch neither existed, so the insert failed; alone, the second meets the first.
    expect(report.patients[1]?.error).toMatch(
      /Patient\.ndjson line 2: MRN DUP-1 clashes with a different existing patient \(imported from Patient\/dup-a\)/,
    );
    expect(await getDb().patient.count({ where: { mrn: { in: ["DUP-1", "DUP-2"] } } })).toBe(2);
    expect(await getDb().importedRecord.count({ where: { sourceSystem: "dup-ehr" } })).toBe(2);
  });
});

describe("bad input gets a clear error and loses nothing", () => {
  it.each([
    ["malformed/invalid-json.json", /invalid-json\.json line \d+: invalid JSON/],
    ["malformed/stu3-bundle.json", /STU3/],
    ["malformed/r5-bundle.json", /R5/],
    ["malformed/document-bundle.json", /Bundle type "document" is not imported/],
  ])("%s", async (name, message) => {
    const report = await importFixture(name);
    const shown = report.inputErrors.map((e) => `${e.file} ${e.location}: ${e.message}`).join("\n");
    expect(shown).toMatch(message);
    expect(report.totals.patients).toBe(0);
  });

  it("names the line of a resource whose patient is not in the input, and imports the rest", async () => {
    const report = await importFixture("malformed/orphans.ndjson");
    const shown = report.inputErrors.map((e) => `${e.file} ${e.location}: ${e.message}`);
    expect(shown).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /orphans\.ndjson line 2: Observation refers to Patient\/elsewhere, who is not in the input/,
        ),
        expect.stringMatching(/orphans\.ndjson line 3 \(Condition\/nosubject\): not valid FHIR R4: .*subject/),
        expect.stringMatching(/orphans\.ndjson line 4: invalid JSON/),
      ]),
    );
    expect(report.totals).toMatchObject({ patients: 1, patientsImported: 1 });
  });
});

describe("a later export meets a clinician's correction", () => {
  it("updates an unchanged row with a revision, and sends a corrected one to review", async () => {
    const bundle = JSON.parse(
      await (await import("node:fs/promises")).readFile(path.join(FIXTURES, "us-core-bundle.json"), "utf8"),
    );
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp(path.join((await import("node:os")).tmpdir(), "fhir-"));
    const system = "correction-ehr";
    bundle.entry[0].resource.identifier[0].value = "CORR-1";
    await writeFile(path.join(dir, "first.json"), JSON.stringify(bundle));
    await importFixture(path.relative(FIXTURES, path.join(dir, "first.json")), { sourceSystem: system });
    const patient = await getDb().patient.findUniqueOrThrow({ where: { mrn: "CORR-1" }, include: { diagnoses: true } });
    const knee = patient.diagnoses.find((d) => d.icd10Code === "M17.11")!;
    const radic = patient.diagnoses.find((d) => d.icd10Code === "M54.16")!;
    // A physician corrects the knee diagnosis's region in PainPath.
    await updateDiagnosis(
      knee.id,
      {
        icd10Code: "M17.11",
        label: "Right knee OA",
        bodyRegion: "KNEE",
        painType: "JOINT",
        radicularSigns: [],
        onsetDate: "2024-05-01",
        surgicalStatus: "NOT_EVALUATED",
        redFlags: [],
        version: knee.version,
        reason: "onset per patient",
      },
      { patientId: patient.id, actor: { id: physicianId, role: "PHYSICIAN" }, context: makeContext() },
    );
    // The EHR then changes both onsets.
    for (const entry of bundle.entry) {
      if (entry.resource.id === "cond-knee") entry.resource.onsetDateTime = "2024-07-01";
      if (entry.resource.id === "cond-radic") entry.resource.onsetDateTime = "2025-01-05";
    }
    await writeFile(path.join(dir, "second.json"), JSON.stringify(bundle));
    const report = await importFixture(path.relative(FIXTURES, path.join(dir, "second.json")), {
      sourceSystem: system,
    });
    expect(report.totals).toMatchObject({ updated: 1, conflicts: 1, created: 0 });
    const after = await getDb().painDiagnosis.findMany({ where: { patientId: patient.id } });
    expect(
      after
        .find((d) => d.id === knee.id)
        ?.onsetDate.toISOString()
        .slice(0, 10),
    ).toBe("2024-05-01");
    expect(
      after
        .find((d) => d.id === radic.id)
        ?.onsetDate.toISOString()
        .slice(0, 10),
    ).toBe("2025-01-05");
    const conflict = await getDb().importConflict.findFirstOrThrow({ where: { entityId: knee.id } });
    expect(conflict).toMatchObject({ status: "OPEN", sourceResource: "Condition/cond-knee" });
    expect(await getDb().recordRevision.count({ where: { entityId: radic.id } })).toBe(1);
  });
});

describe("the review list page", () => {
  it("lets a nurse ignore a code, refuses an incomplete mapping with a message, and audits", async () => {
    const { loader, action } = await import("~/routes/imports.review");
    const { callRoute, dataOf, statusOf } = await import("../helpers/remix");
    const { sessionCookie } = await import("../helpers/session");
    const nurse = await createUser("NURSE");
    const cookie = await sessionCookie(nurse.id);
    const page = (await callRoute(loader as never, { path: "/imports/review", cookie })) as {
      open: Array<{ id: string; code: string; version: number }>;
    };
    const obesity = page.open.find((row) => row.code === "162864005");
    expect(obesity).toBeDefined();
    const incomplete = await callRoute(action as never, {
      path: "/imports/review",
      cookie,
      form: { id: obesity!.id, version: String(obesity!.version), action: "diagnosis" },
    });
    expect(statusOf(incomplete)).toBe(400);
    expect(JSON.stringify(dataOf(incomplete))).toContain("Enter an ICD-10-CM code");
    const saved = await callRoute(action as never, {
      path: "/imports/review",
      cookie,
      form: { id: obesity!.id, version: String(obesity!.version), action: "ignore" },
    });
    expect(statusOf(saved)).toBe(302);
    expect(await getDb().importCodeReview.findUnique({ where: { id: obesity!.id } })).toMatchObject({
      status: "IGNORED",
      decidedById: nurse.id,
    });
    const stale = await callRoute(action as never, {
      path: "/imports/review",
      cookie,
      form: { id: obesity!.id, version: String(obesity!.version), action: "ignore" },
    });
    expect(statusOf(stale)).toBe(409);
    expect(await getDb().auditEvent.count({ where: { action: "fhir_import.code_decision", userId: nurse.id } })).toBe(
      1,
    );
  });
});
