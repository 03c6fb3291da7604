// Export a patient, import the file into a database emptied of patients, and compare the pathways;
// then import the same file again and check that nothing changes (decision 023).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { everythingBundle, patientResources } from "~/domain/fhir/export/patient-resources";
import type { FhirExportRecord } from "~/domain/fhir/export/record";
import { evaluatePatient } from "~/domain/referral/engine";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import type { DiagnosisEvaluation } from "~/domain/referral/types";
import { loadFhirExportRecords } from "~/models/fhir-export.server";
import { type ImportReport, runImport } from "~/models/fhir-import.server";
import { loadSnapshots } from "~/models/snapshot.server";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { createUser, makeContext } from "../helpers/fixtures";
import { referredPatientWithCautions } from "../helpers/packet-patient";

const MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";

let exported: FhirExportRecord;
let imported: FhirExportRecord;
let report: ImportReport;
let again: ImportReport;
let evaluationBefore: DiagnosisEvaluation[];
let evaluationAfter: DiagnosisEvaluation[];
let rowsAfterFirst: Record<string, number>;
let rowsAfterSecond: Record<string, number>;

const verdict = (evaluations: DiagnosisEvaluation[]) =>
  evaluations.map(({ flag, urgent, summary, criteria, suggestions, missingData }) => ({
    flag,
    urgent: urgent !== null,
    summary,
    criteria: criteria.map(({ ruleId, status }) => [ruleId, status]),
    suggestions: suggestions.map(({ procedure, cautions }) => [procedure, cautions.map((caution) => caution.code)]),
    missingData,
  }));

async function evaluate(patientId: string) {
  const [loaded] = await loadSnapshots(getDb(), [patientId], clinicToday());
  return evaluatePatient(loaded!.snapshot, DEFAULT_RULE_SET);
}

/** Rows of every clinical table and of the import's bookkeeping, to show a second import adds none. */
async function rowCounts() {
  const tables = [
    "Patient",
    "PainDiagnosis",
    "TherapyTrial",
    "OutcomeAssessment",
    "AssessmentSideEffect",
    "ImagingStudy",
    "ProcedureRecord",
    "ImportedScore",
    "ImportedRecord",
    "RecordRevision",
    "ImportConflict",
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await getDb().$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = row!.n;
  }
  return counts;
}

async function importFile(file: string, admin: { id: string }, physicianId: string) {
  return runImport({
    path: file,
    sourceLabel: "everything.json",
    sourceSystem: "painpath-export",
    dryRun: false,
    actor: { id: admin.id, role: "ADMIN" },
    physicianId,
    context: makeContext(),
    mrnSystems: [MRN_SYSTEM],
  });
}

beforeAll(async () => {
  const physician = await createUser("PHYSICIAN");
  const admin = await createUser("ADMIN");
  const { patient, diagnosis } = await referredPatientWithCautions(physician.id, "Roundtrip");
  const db = getDb();
  // Everything else PainPath records that the rules or the pathway read.
  await db.patient.update({
    where: { id: patient.id },
    data: {
      poorlyControlledDiabetes: true,
      onBenzodiazepine: true,
      psychEvaluationStatus: "CLEARED",
      psychEvaluationDate: new Date("2024-07-01T00:00:00Z"),
      naloxoneOfferedOn: new Date("2024-03-01T00:00:00Z"),
    },
  });
  await db.painDiagnosis.update({
    where: { id: diagnosis.id },
    data: { surgicalStatus: "NOT_A_CANDIDATE", radicularSigns: ["PAIN_BELOW_KNEE_OR_ELBOW"] },
  });
  const gabapentin = await db.therapyTrial.create({
    data: {
      patientId: patient.id,
      diagnosisId: diagnosis.id,
      modality: "NEUROPATHIC_AGENT",
      drug: "gabapentin",
      dose: 300,
      doseUnit: "mg",
      frequency: "three-times-daily",
      route: "oral",
      startDate: new Date("2024-06-10T00:00:00Z"),
      endDate: new Date("2024-08-01T00:00:00Z"),
      status: "STOPPED",
      stopReason: "SIDE_EFFECTS",
      stopNote: "Dizzy at work",
      createdById: physician.id,
    },
  });
  await db.therapyTrial.create({
    data: {
      patientId: patient.id,
      diagnosisId: diagnosis.id,
      modality: "NSAID",
      drug: "naproxen",
      startDate: new Date("2024-02-01T00:00:00Z"),
      status: "ACTIVE",
      createdById: physician.id,
      enteredInErrorAt: new Date(),
      enteredInErrorById: physician.id,
      enteredInErrorReason: "Another patient's prescription",
    },
  });
  const [firstAssessment] = await db.outcomeAssessment.findMany({
    where: { patientId: patient.id },
    orderBy: { assessedOn: "asc" },
  });
  await db.assessmentSideEffect.create({
    data: {
      assessmentId: firstAssessment!.id,
      therapyTrialId: gabapentin.id,
      severity: "MODERATE",
      kinds: ["DIZZINESS"],
    },
  });
  await db.procedureRecord.create({
    data: {
      patientId: patient.id,
      diagnosisId: diagnosis.id,
      type: "EPIDURAL_STEROID_INJECTION",
      region: "LUMBAR",
      level: "L5-S1",
      approach: "TRANSFORAMINAL",
      injectate: "Dexamethasone 10 mg",
      performedOn: new Date("2024-09-01T00:00:00Z"),
      scaleName: "NRS",
      painBefore: 8,
      painAfter: 4,
      reliefPercent: 50,
      reliefDurationDays: 60,
      createdById: physician.id,
    },
  });
  [exported] = (await loadFhirExportRecords([patient.id])) as [FhirExportRecord];
  evaluationBefore = await evaluate(patient.id);
  const bundle = everythingBundle(
    patientResources(exported, { mrnSystem: MRN_SYSTEM }),
    "http://painpath.test/fhir",
    new Date().toISOString(),
  );
  const file = path.join(await mkdtemp(path.join(tmpdir(), "painpath-round-trip-")), "everything.json");
  await writeFile(file, JSON.stringify(bundle));

  // An empty database: every patient and what hangs off them goes (users stay, to import as).
  // The audit trail refuses TRUNCATE, and keeps its rows.
  await db.$executeRawUnsafe(
    `TRUNCATE "Patient", "Evaluation", "Flag", "FlagEvent", "FlagEpisode", "Referral", "RecordRevision" CASCADE`,
  );
  expect(await db.patient.count()).toBe(0);

  report = await importFile(file, admin, physician.id);
  const copy = await db.patient.findUniqueOrThrow({ where: { mrn: exported.patient.mrn } });
  [imported] = (await loadFhirExportRecords([copy.id])) as [FhirExportRecord];
  evaluationAfter = await evaluate(copy.id);
  rowsAfterFirst = await rowCounts();
  again = await importFile(file, admin, physician.id);
  rowsAfterSecond = await rowCounts();
});

const valid = <T extends { enteredInError: boolean }>(rows: readonly T[]) => rows.filter((row) => !row.enteredInError);

describe("a PainPath export imported into an empty database", () => {
  it("imports the one patient without input errors or rows to review", () => {
    expect(report.inputErrors).toEqual([]);
    expect(report.totals).toMatchObject({ patients: 1, patientsImported: 1, patientsFailed: 0, conflicts: 0 });
    expect(report.patients[0]!.review).toEqual([]);
  });

  it("keeps the patient, the cautions and the allergies", () => {
    const person = (patient: FhirExportRecord["patient"]) => ({
      mrn: patient.mrn,
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: patient.birthDate,
      sex: patient.sex,
      cautions: patient.cautions,
      antithrombotics: patient.antithrombotics,
      allergyNotes: patient.allergyNotes,
      naloxoneOfferedOn: patient.naloxoneOfferedOn,
      psychEvaluationStatus: patient.psychEvaluationStatus,
      psychEvaluationDate: patient.psychEvaluationDate,
    });
    expect(exported.patient.cautions).toMatchObject({ contrastAllergy: true, poorlyControlledDiabetes: true });
    expect(person(imported.patient)).toEqual(person(exported.patient));
  });

  it("keeps the diagnoses, with surgical status, red flags and radicular signs", () => {
    const diagnosis = ({ id: _id, recordedAt: _recorded, ...rest }: FhirExportRecord["diagnoses"][number]) => rest;
    expect(imported.diagnoses.map(diagnosis)).toEqual(exported.diagnoses.map(diagnosis));
    expect(imported.diagnoses[0]).toMatchObject({ surgicalStatus: "NOT_A_CANDIDATE" });
  });

  it("keeps the therapy trials (drug by RxNorm ingredient or by name, dose, dates, stop reason, sessions)", () => {
    const trial = ({ id: _id, diagnosisId: _diagnosis, ...rest }: FhirExportRecord["therapies"][number]) => rest;
    expect(valid(exported.therapies).map((therapy) => therapy.modality)).toEqual([
      "OPIOID",
      "PHYSICAL_THERAPY",
      "NEUROPATHIC_AGENT",
    ]);
    expect(imported.therapies.map(trial)).toEqual(valid(exported.therapies).map(trial));
  });

  it("keeps the complete assessments, with their side effects, and stores no partial scores", async () => {
    const drugOf = (record: FhirExportRecord, therapyId: string) =>
      record.therapies.find((therapy) => therapy.id === therapyId)?.drug;
    const assessment = (record: FhirExportRecord) =>
      record.assessments.map(({ id: _id, sideEffects, ...rest }) => ({
        ...rest,
        sideEffects: sideEffects.map(({ therapyTrialId, severity, kinds }) => ({
          drug: drugOf(record, therapyTrialId),
          severity,
          kinds,
        })),
      }));
    expect(exported.assessments).toHaveLength(3);
    expect(assessment(imported)).toEqual(assessment(exported));
    expect(await getDb().importedScore.count()).toBe(0);
  });

  it("keeps the imaging and the procedures with their relief", () => {
    const study = ({ id: _id, diagnosisId: _diagnosis, ...rest }: FhirExportRecord["imaging"][number]) => rest;
    expect(exported.imaging).toHaveLength(1);
    expect(imported.imaging.map(study)).toEqual(exported.imaging.map(study));
    const procedure = ({ id: _id, diagnosisId: _d, note: _note, ...rest }: FhirExportRecord["procedures"][number]) =>
      rest;
    expect(exported.procedures).toHaveLength(1);
    expect(imported.procedures.map(procedure)).toEqual(exported.procedures.map(procedure));
  });

  it("gives the same evaluation", () => {
    expect(evaluationBefore.some((evaluation) => evaluation.flag)).toBe(true);
    expect(verdict(evaluationAfter)).toEqual(verdict(evaluationBefore));
  });

  // What a PainPath export does not bring back, each asserted so that a change is seen.
  it("does not re-import what FHIR carries only as history: entered-in-error rows and referrals", () => {
    expect(exported.therapies.filter((therapy) => therapy.enteredInError)).toHaveLength(1);
    expect(imported.therapies.some((therapy) => therapy.drug === "naproxen")).toBe(false);
    // ServiceRequests are not imported: a referral is PainPath's own workflow (flag, episode, audit).
    expect(exported.referrals).toHaveLength(1);
    expect(imported.referrals).toEqual([]);
  });
});

describe("the same export imported a second time", () => {
  it("changes nothing: every row unchanged, no new rows, revisions or conflicts", () => {
    expect(again.inputErrors).toEqual([]);
    expect(again.totals).toMatchObject({ created: 0, updated: 0, conflicts: 0, patientsImported: 1 });
    expect(again.totals.unchanged).toBe(report.totals.created);
    expect(again.patients[0]!.status).toBe("unchanged");
    expect(rowsAfterSecond).toEqual(rowsAfterFirst);
    expect(rowsAfterFirst.RecordRevision).toBe(0);
  });
});
