import { describeDatabase } from "~/server/database.server";
import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../helpers/sql";
import { dailyMme, OPIOIDS, type OpioidId } from "~/domain/clinical/mme";
import { pegScore } from "~/domain/clinical/scores";
import { doseFrequencyOf } from "~/domain/pathway-overview";
import { MEDICATION_FREQUENCIES, MEDICATION_MODALITIES } from "~/domain/pathway-vocabulary";
import { refreshPathwaySummary } from "~/models/pathway-summary.server";
import { datasetFingerprint } from "../../tools/dataset/copy-text";
import { DATASET_PASSWORD, DATASET_PASSWORD_HASH, generateDataset } from "../../tools/dataset/generate";
import {
  generateDatasetInto,
  guardTarget,
  loadDataset,
  NonEmptyDatabaseError,
  type LoadReport,
} from "../../tools/dataset/load";
import type { AssessmentRow, DatasetOptions, TherapyRow } from "../../tools/dataset/tables";
import { getDb } from "~/server/db.server";
import { verifyPassword } from "~/server/password.server";

const TODAY = "2026-11-27";
const OPTIONS: DatasetOptions = { patients: 200, seed: 42, today: TODAY };
const url = () => process.env.DATABASE_URL as string;

const query = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => queryRows<T>(url(), text, values);

async function count(text: string): Promise<number> {
  const [row] = await query<{ n: string }>(text);
  return Number(row?.n);
}

/** Every index and constraint of the schema, as the catalogue defines them. */
async function schemaShape() {
  const indexes = await query<{ def: string }>(
    `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexdef`,
  );
  const constraints = await query<{ def: string }>(
    `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1`,
  );
  return { indexes: indexes.map((row) => row.def), constraints: constraints.map((row) => row.def) };
}

type Derived = { lastAssessedOn: string | null; followUpAnchor: string | null };

/** The follow-up rule written out independently in TypeScript, as the oracle for both SQL refreshes. */
function expectedSummaries(
  assessments: Array<Pick<AssessmentRow, "patientId" | "assessedOn" | "enteredInErrorAt">>,
  therapies: Array<Pick<TherapyRow, "patientId" | "startDate" | "status" | "enteredInErrorAt">>,
  { ignoreEnteredInError = true } = {},
): Map<string, Derived> {
  const last = new Map<string, string>();
  const firstActive = new Map<string, string>();
  for (const a of assessments) {
    if (ignoreEnteredInError && a.enteredInErrorAt) continue;
    if ((last.get(a.patientId) ?? "") < a.assessedOn) last.set(a.patientId, a.assessedOn);
  }
  for (const t of therapies) {
    if (t.status !== "ACTIVE" || (ignoreEnteredInError && t.enteredInErrorAt)) continue;
    if ((firstActive.get(t.patientId) ?? "9999") > t.startDate) firstActive.set(t.patientId, t.startDate);
  }
  const ids = new Set([...last.keys(), ...firstActive.keys()]);
  return new Map(
    [...ids].map((id) => {
      const lastAssessedOn = last.get(id) ?? null;
      const start = firstActive.get(id);
      const followUpAnchor =
        start === undefined ? null : lastAssessedOn && lastAssessedOn > start ? lastAssessedOn : start;
      return [id, { lastAssessedOn, followUpAnchor }];
    }),
  );
}

const isoOrNull = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

describe("synthetic dataset: the generator", () => {
  it("is deterministic: same options, same rows; another seed or size, other rows", () => {
    const fingerprint = datasetFingerprint(OPTIONS);
    expect(datasetFingerprint(OPTIONS)).toBe(fingerprint);
    expect(datasetFingerprint({ ...OPTIONS, seed: 43 })).not.toBe(fingerprint);
    expect(datasetFingerprint({ ...OPTIONS, patients: 201 })).not.toBe(fingerprint);
    // Patients draw from their own streams: a larger dataset starts with the same patients.
    const firstPatient = (patients: number) =>
      [...generateDataset({ ...OPTIONS, patients })].find((row) => row.table === "Patient")?.row;
    expect(firstPatient(300)).toEqual(firstPatient(200));
  });

  it("gives a clinically plausible mix at 5,000 patients", () => {
    const patients = new Map<string, string>();
    const assessments: AssessmentRow[] = [];
    const therapies: TherapyRow[] = [];
    let diagnoses = 0;
    let redFlags = 0;
    for (const { table, row } of generateDataset({ ...OPTIONS, patients: 5000 })) {
      if (table === "Patient") patients.set(row.id, row.status);
      if (table === "PainDiagnosis") {
        diagnoses++;
        if (row.redFlags.length > 0) redFlags++;
      }
      if (table === "OutcomeAssessment") assessments.push(row);
      if (table === "TherapyTrial") therapies.push(row);
    }
    const active = [...patients].filter(([, status]) => status === "ACTIVE").map(([id]) => id);
    expect(1 - active.length / patients.size).toBeGreaterThan(0.07);
    expect(1 - active.length / patients.size).toBeLessThan(0.13);
    expect(diagnoses / 5000).toBeGreaterThan(1.35);
    expect(diagnoses / 5000).toBeLessThan(1.65);
    expect(therapies.length / 5000).toBeGreaterThan(5);
    expect(therapies.length / 5000).toBeLessThan(7);
    expect(assessments.length / 5000).toBeGreaterThan(13);
    expect(assessments.length / 5000).toBeLessThan(18);
    expect(redFlags / diagnoses).toBeGreaterThan(0.002);
    expect(redFlags / diagnoses).toBeLessThan(0.01);

    // The follow-up list: 10–30 % of active patients due (anchor 14 days or more before today).
    const summaries = expectedSummaries(assessments, therapies);
    const due = active.filter((id) => (summaries.get(id)?.followUpAnchor ?? "9999") <= "2026-11-13");
    expect(due.length / active.length).toBeGreaterThan(0.1);
    expect(due.length / active.length).toBeLessThan(0.3);
    // Entered-in-error rows are there and change the answer when not filtered out.
    const unfiltered = expectedSummaries(assessments, therapies, { ignoreEnteredInError: false });
    const affected = [...patients.keys()].filter(
      (id) => JSON.stringify(unfiltered.get(id)) !== JSON.stringify(summaries.get(id)),
    );
    expect(affected.length).toBeGreaterThan(10);

    // Opioid doses spread around the CDC thresholds of 50 and 90 MME/day.
    const mmes = therapies
      .filter((therapy) => therapy.modality === "OPIOID")
      .map((therapy) => {
        const drug = therapy.drug as OpioidId;
        const frequency = doseFrequencyOf(therapy.frequency, therapy.maxDosesPerDay);
        expect(frequency).not.toBeNull();
        return dailyMme({ drug, dose: therapy.dose as number, unit: OPIOIDS[drug].unit, frequency: frequency! }).mme;
      })
      .filter((mme): mme is number => mme !== null);
    const share = (test: (mme: number) => boolean) => mmes.filter(test).length / mmes.length;
    expect(mmes.length).toBeGreaterThan(500);
    expect(share((mme) => mme < 50)).toBeGreaterThan(0.4);
    expect(share((mme) => mme >= 40 && mme < 60)).toBeGreaterThan(0.15);
    expect(share((mme) => mme >= 80 && mme < 100)).toBeGreaterThan(0.08);
    expect(share((mme) => mme >= 90)).toBeGreaterThan(0.08);
  });

  it("stores one precomputed Argon2 hash of the documented password", async () => {
    expect(await verifyPassword(DATASET_PASSWORD_HASH, DATASET_PASSWORD)).toBe(true);
  });
});

describe("synthetic dataset: loading 200 patients", () => {
  let report: LoadReport;
  let migratedShape: Awaited<ReturnType<typeof schemaShape>>;

  beforeAll(async () => {
    // The guard lets an empty, migrated database through.
    expect((await guardTarget(url(), { replace: false })).empty).toBe(true);
    migratedShape = await schemaShape();
    report = await loadDataset(url(), OPTIONS);
  }, 60_000);

  it("loads the rows the generator makes, and says so with the same fingerprint", async () => {
    expect(report.fingerprint).toBe(datasetFingerprint(OPTIONS));
    expect(report.target).toBe(describeDatabase(url()));
    const counts = {
      User: await count(`SELECT count(*) AS n FROM "User"`),
      Patient: await count(`SELECT count(*) AS n FROM "Patient"`),
      PainDiagnosis: await count(`SELECT count(*) AS n FROM "PainDiagnosis"`),
      ImagingStudy: await count(`SELECT count(*) AS n FROM "ImagingStudy"`),
      TherapyTrial: await count(`SELECT count(*) AS n FROM "TherapyTrial"`),
      OutcomeAssessment: await count(`SELECT count(*) AS n FROM "OutcomeAssessment"`),
      AssessmentSideEffect: await count(`SELECT count(*) AS n FROM "AssessmentSideEffect"`),
      ProcedureRecord: await count(`SELECT count(*) AS n FROM "ProcedureRecord"`),
      Referral: await count(`SELECT count(*) AS n FROM "Referral"`),
      RecordRevision: await count(`SELECT count(*) AS n FROM "RecordRevision"`),
      AuditEvent: await count(`SELECT count(*) AS n FROM "AuditEvent"`),
    };
    expect(counts).toEqual(report.rows);
    expect(counts.User).toBe(7);
    expect(counts.Patient).toBe(200);
    expect(counts.PainDiagnosis).toBeGreaterThanOrEqual(260);
    expect(counts.PainDiagnosis).toBeLessThanOrEqual(340);
    expect(counts.TherapyTrial).toBeGreaterThanOrEqual(900);
    expect(counts.TherapyTrial).toBeLessThanOrEqual(1500);
    expect(counts.OutcomeAssessment).toBeGreaterThanOrEqual(2400);
    expect(counts.OutcomeAssessment).toBeLessThanOrEqual(3800);
    expect(counts.AssessmentSideEffect).toBeGreaterThan(200);
    expect(counts.ProcedureRecord).toBeGreaterThan(20);
    expect(counts.Referral).toBeGreaterThan(5);
    const referralStatuses = await query<{ status: string }>(`SELECT DISTINCT status::text FROM "Referral"`);
    expect(referralStatuses.map((row) => row.status)).toContain("COMPLETED");
    expect(counts.RecordRevision).toBeGreaterThan(20);
    expect(counts.AuditEvent).toBeGreaterThan(400);
    expect(await count(`SELECT count(*) AS n FROM "AuditEventListedPatient"`)).toBeGreaterThan(100);
    const statuses = await query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM "Patient" GROUP BY status`,
    );
    const discharged = Number(statuses.find((row) => row.status === "DISCHARGED")?.n ?? 0);
    expect(discharged).toBeGreaterThanOrEqual(8);
    expect(discharged).toBeLessThanOrEqual(36);
  });

  it("restores every index, key and foreign key the migrations define, and leaves no marker", async () => {
    expect(await schemaShape()).toEqual(migratedShape);
    expect(await count(`SELECT count(*) AS n FROM pg_class WHERE relname = '_dataset_load_in_progress'`)).toBe(0);
  });

  it("keeps referential integrity, including links no foreign key enforces", async () => {
    const medication = `(${MEDICATION_MODALITIES.map((modality) => `'${modality}'`).join(", ")})`;
    const violations = {
      therapyOnOtherPatientsDiagnosis: `SELECT count(*) AS n FROM "TherapyTrial" t
        LEFT JOIN "PainDiagnosis" d ON d.id = t."diagnosisId" WHERE d.id IS NULL OR d."patientId" <> t."patientId"`,
      sideEffectOnForeignOrNonMedicationTherapy: `SELECT count(*) AS n FROM "AssessmentSideEffect" s
        JOIN "OutcomeAssessment" a ON a.id = s."assessmentId" JOIN "TherapyTrial" t ON t.id = s."therapyTrialId"
        WHERE t."patientId" <> a."patientId" OR t.modality::text NOT IN ${medication}
           OR a."assessedOn" <= t."startDate" OR a."assessedOn" > coalesce(t."endDate", a."assessedOn")`,
      sideEffectOnEnteredInErrorRow: `SELECT count(*) AS n FROM "AssessmentSideEffect" s
        JOIN "TherapyTrial" t ON t.id = s."therapyTrialId" WHERE t."enteredInErrorAt" IS NOT NULL`,
      procedureOnOtherPatientsDiagnosis: `SELECT count(*) AS n FROM "ProcedureRecord" p
        LEFT JOIN "PainDiagnosis" d ON d.id = p."diagnosisId"
        WHERE p."diagnosisId" IS NOT NULL AND (d.id IS NULL OR d."patientId" <> p."patientId")`,
      unknownUser: `SELECT count(*) AS n FROM (
          SELECT "createdById" AS id FROM "Patient" UNION ALL SELECT "createdById" FROM "PainDiagnosis"
          UNION ALL SELECT "createdById" FROM "TherapyTrial" UNION ALL SELECT "recordedById" FROM "OutcomeAssessment"
          UNION ALL SELECT "createdById" FROM "ProcedureRecord" UNION ALL SELECT "changedById" FROM "RecordRevision"
          UNION ALL SELECT "enteredInErrorById" FROM "TherapyTrial" WHERE "enteredInErrorById" IS NOT NULL
          UNION ALL SELECT "enteredInErrorById" FROM "OutcomeAssessment" WHERE "enteredInErrorById" IS NOT NULL
          UNION ALL SELECT "userId" FROM "AuditEvent" WHERE "userId" IS NOT NULL
        ) refs LEFT JOIN "User" u ON u.id = refs.id WHERE u.id IS NULL`,
      physicianNotAnActivePhysician: `SELECT count(*) AS n FROM "Patient" p JOIN "User" u ON u.id = p."assignedPhysicianId"
        WHERE u.role <> 'PHYSICIAN' OR NOT u.active`,
      referralOnOtherPatientsRecords: `SELECT count(*) AS n FROM "Referral" r
        JOIN "PainDiagnosis" d ON d.id = r."diagnosisId" LEFT JOIN "ProcedureRecord" p ON p.id = r."procedureRecordId"
        WHERE d."patientId" <> r."patientId" OR (r."procedureRecordId" IS NOT NULL AND p."patientId" IS DISTINCT FROM r."patientId")`,
      referralStateInconsistent: `SELECT count(*) AS n FROM "Referral" r
        WHERE (r.status = 'COMPLETED') <> (r."procedureDate" IS NOT NULL AND r."procedureRecordId" IS NOT NULL)
           OR (r.status = 'SCHEDULED' AND r."scheduledFor" IS NULL)
           OR (r.status = 'CANCELLED') <> (r."cancelReason" IS NOT NULL)
           OR NOT EXISTS (SELECT 1 FROM "User" u WHERE u.id = r."createdById" AND u.role = 'PHYSICIAN')`,
      auditOnUnknownRecord: `SELECT count(*) AS n FROM "AuditEvent" e
        WHERE (e."patientId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Patient" p WHERE p.id = e."patientId"))
           OR (e."entityType" = 'TherapyTrial' AND NOT EXISTS (SELECT 1 FROM "TherapyTrial" t
                 WHERE t.id::text = e."entityId" AND t."patientId" = e."patientId"))
           OR (e."entityType" = 'OutcomeAssessment' AND NOT EXISTS (SELECT 1 FROM "OutcomeAssessment" a
                 WHERE a.id::text = e."entityId" AND a."patientId" = e."patientId"))
           OR (e."entityType" = 'PainDiagnosis' AND NOT EXISTS (SELECT 1 FROM "PainDiagnosis" d
                 WHERE d.id::text = e."entityId" AND d."patientId" = e."patientId"))
           OR (e."entityType" = 'ProcedureRecord' AND NOT EXISTS (SELECT 1 FROM "ProcedureRecord" r
                 WHERE r.id::text = e."entityId" AND r."patientId" = e."patientId"))`,
      revisionOfUnknownRecord: `SELECT count(*) AS n FROM "RecordRevision" r
        WHERE NOT EXISTS (SELECT 1 FROM "TherapyTrial" t WHERE t.id = r."entityId" AND t."patientId" = r."patientId")
          AND NOT EXISTS (SELECT 1 FROM "OutcomeAssessment" a WHERE a.id = r."entityId" AND a."patientId" = r."patientId")
          AND NOT EXISTS (SELECT 1 FROM "Patient" p WHERE p.id = r."entityId" AND p.id = r."patientId")`,
      revisionNotOneVersionBehind: `SELECT count(*) AS n FROM "RecordRevision" r
        LEFT JOIN "TherapyTrial" t ON t.id = r."entityId" LEFT JOIN "OutcomeAssessment" a ON a.id = r."entityId"
        LEFT JOIN "Patient" p ON p.id = r."entityId"
        WHERE r.version + 1 <> coalesce(t.version, a.version, p.version)
           OR (r.snapshot->>'version')::int <> r.version OR r.snapshot->>'id' <> r."entityId"::text`,
      auditIdsNotInTimeOrder: `SELECT count(*) AS n FROM (
          SELECT at < lag(at) OVER (ORDER BY id) AS backwards FROM "AuditEvent") ordered WHERE backwards`,
      // The trigger on AuditEvent indexes every patient a loaded list showed, and nothing else.
      listedPatientNotIndexed: `SELECT count(*) AS n FROM (
          SELECT DISTINCT e.id, e.at, listed.id::uuid AS "patientId"
            FROM "AuditEvent" e, jsonb_array_elements_text(e.detail -> 'patientIds') AS listed(id)
           WHERE jsonb_typeof(e.detail -> 'patientIds') = 'array') shown
        FULL JOIN "AuditEventListedPatient" l
          ON l."auditEventId" = shown.id AND l."patientId" = shown."patientId" AND l.at = shown.at
        WHERE shown.id IS NULL OR l."auditEventId" IS NULL`,
    };
    const found: Record<string, number> = {};
    for (const [name, sql] of Object.entries(violations)) found[name] = await count(sql);
    expect(found).toEqual(Object.fromEntries(Object.keys(violations).map((name) => [name, 0])));
  });

  it("writes valid clinical values: PEG score, opioid prescriptions, trial states, dates before today", async () => {
    const assessments = await getDb().outcomeAssessment.findMany();
    for (const a of assessments) {
      const items = { averagePain: a.pegPain, enjoymentOfLife: a.pegEnjoyment, generalActivity: a.pegActivity };
      expect(a.pegScore, a.id).toBe(pegScore(items));
      expect(a.painWorst, a.id).toBeGreaterThanOrEqual(a.painAverage);
      expect(isoOrNull(a.assessedOn)! < TODAY).toBe(true);
    }
    const therapies = await getDb().therapyTrial.findMany();
    for (const t of therapies) {
      expect(t.endDate === null, t.id).toBe(t.status === "ACTIVE");
      expect(t.stopReason === null, t.id).toBe(t.status === "ACTIVE");
      if (t.status !== "ACTIVE") expect(t.status === "COMPLETED", t.id).toBe(t.stopReason === "COMPLETED_COURSE");
      if (t.endDate) expect(t.endDate >= t.startDate, t.id).toBe(true);
      if (t.frequency) expect(MEDICATION_FREQUENCIES, t.id).toContain(t.frequency);
      if (t.modality === "OPIOID") {
        expect(Object.keys(OPIOIDS), t.id).toContain(t.drug);
        expect(t.doseUnit, t.id).toBe(OPIOIDS[t.drug as OpioidId].unit);
      }
      if (t.sessionsPlanned !== null && t.sessionsAttended !== null) {
        expect(t.sessionsAttended, t.id).toBeLessThanOrEqual(t.sessionsPlanned);
      }
    }
    expect(therapies.some((t) => t.modality === "OPIOID")).toBe(true);
    const latest = await count(`SELECT count(*) AS n FROM (
        SELECT max("assessedOn") AS d FROM "OutcomeAssessment" UNION ALL SELECT max("startDate") FROM "TherapyTrial"
        UNION ALL SELECT max("performedOn") FROM "ProcedureRecord") dates WHERE d >= DATE '${TODAY}'`);
    expect(latest).toBe(0);
  });

  it("derives lastAssessedOn and followUpAnchor exactly as refreshPathwaySummary does, for every patient", async () => {
    const db = getDb();
    const read = async () =>
      new Map(
        (await db.patient.findMany({ select: { id: true, lastAssessedOn: true, followUpAnchor: true } })).map((p) => [
          p.id,
          { lastAssessedOn: isoOrNull(p.lastAssessedOn), followUpAnchor: isoOrNull(p.followUpAnchor) },
        ]),
      );
    const loaded = await read();
    expect(loaded.size).toBe(200);

    const oracle = expectedSummaries(
      (await db.outcomeAssessment.findMany()).map((a) => ({
        patientId: a.patientId,
        assessedOn: isoOrNull(a.assessedOn) as string,
        enteredInErrorAt: a.enteredInErrorAt?.toISOString() ?? null,
      })),
      (await db.therapyTrial.findMany()).map((t) => ({
        patientId: t.patientId,
        startDate: isoOrNull(t.startDate) as string,
        status: t.status,
        enteredInErrorAt: t.enteredInErrorAt?.toISOString() ?? null,
      })),
    );
    for (const [id, derived] of loaded) expect(derived, id).toEqual(oracle.get(id));

    // Clear the fields, recompute them one patient at a time, and compare.
    await db.$executeRaw`UPDATE "Patient" SET "lastAssessedOn" = NULL, "followUpAnchor" = NULL`;
    for (const id of loaded.keys()) await db.$transaction((tx) => refreshPathwaySummary(tx, id));
    expect(await read()).toEqual(loaded);
    expect([...loaded.values()].filter((derived) => derived.followUpAnchor !== null).length).toBeGreaterThan(40);
  });

  it("moves the id sequences past the loaded audit and revision rows", async () => {
    const maxAudit = await count(`SELECT max(id) AS n FROM "AuditEvent"`);
    const next = await getDb().auditEvent.create({ data: { action: "test.sequence" }, select: { id: true } });
    expect(Number(next.id)).toBe(maxAudit + 1);
  });

  it("refuses the loaded database without --replace, naming it but never the password", async () => {
    const refusal = await guardTarget(url(), { replace: false }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(NonEmptyDatabaseError);
    const message = (refusal as Error).message;
    expect(message).toContain(describeDatabase(url()));
    expect(message).toContain("200 patients, 7 users");
    expect(message).toContain("--replace");
    expect(message).not.toContain(new URL(url()).password + "@");
    expect(describeDatabase(url())).not.toContain(new URL(url()).password + "@");
    await expect(loadDataset(url(), OPTIONS)).rejects.toBeInstanceOf(NonEmptyDatabaseError);
    await expect(generateDatasetInto(url(), { ...OPTIONS, replace: false })).rejects.toBeInstanceOf(
      NonEmptyDatabaseError,
    );
    const state = await guardTarget(url(), { replace: true });
    expect(state).toMatchObject({ empty: false, patients: 200, users: 7 });
  });

  it("--replace drops the schema (audit trail included), migrates and loads the same dataset again", async () => {
    await getDb().$disconnect();
    const messages: string[] = [];
    const again = await generateDatasetInto(url(), { ...OPTIONS, replace: true, log: (line) => messages.push(line) });
    expect(messages[0]).toMatch(/^Replacing .*: 200 patients, 7 users/);
    expect(again.fingerprint).toBe(report.fingerprint);
    expect(again.rows).toEqual(report.rows);
    expect(await count(`SELECT count(*) AS n FROM "AuditEvent" WHERE action = 'test.sequence'`)).toBe(0);
    expect(await schemaShape()).toEqual(migratedShape);
  }, 60_000);
});
