// Export a patient, import the file into a database emptied of patients, and compare the pathways.
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
let evaluationBefore: DiagnosisEvaluation[];

const verdict = (evaluations: DiagnosisEvaluation[]) =>
  evaluations.map(({ flag, urgent, summary, criteria }) => ({
    flag,
    urgent: urgent !== null,
    summary,
    criteria: criteria.map(({ ruleId, status }) => [ruleId, status]),
  }));

async function evaluate(patientId: string) {
  const [loaded] = await loadSnapshots(getDb(), [patientId], clinicToday());
  return evaluatePatient(loaded!.snapshot, DEFAULT_RULE_SET);
}

beforeAll(async () => {
  const physician = await createUser("PHYSICIAN");
  const admin = await createUser("ADMIN");
  const { patient, diagnosis } = await referredPatientWithCautions(physician.id, "Roundtrip");
  await getDb().procedureRecord.create({
    data: {
      patientId: patient.id,
      diagnosisId: diagnosis.id,
      type: "EPIDURAL_STEROID_INJECTION",
      region: "LUMBAR",
      approach: "TRANSFORAMINAL",
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
  await getDb().$executeRawUnsafe(
    `TRUNCATE "Patient", "Evaluation", "Flag", "FlagEvent", "FlagEpisode", "Referral", "RecordRevision" CASCADE`,
  );
  expect(await getDb().patient.count()).toBe(0);

  report = await runImport({
    path: file,
    sourceLabel: "everything.json",
    sourceSystem: "painpath-export",
    dryRun: false,
    actor: { id: admin.id, role: "ADMIN" },
    physicianId: physician.id,
    context: makeContext(),
    mrnSystems: [MRN_SYSTEM],
  });
  const copy = await getDb().patient.findUniqueOrThrow({ where: { mrn: exported.patient.mrn } });
  [imported] = (await loadFhirExportRecords([copy.id])) as [FhirExportRecord];
});

describe("a PainPath export imported into an empty database", () => {
  it("imports the one patient without input errors", () => {
    expect(report.inputErrors).toEqual([]);
    expect(report.totals).toMatchObject({ patients: 1, patientsImported: 1, patientsFailed: 0 });
  });

  it("keeps the patient, the diagnoses, the allergies and the procedures", () => {
    const person = ({ mrn, givenName, familyName, birthDate, sex }: FhirExportRecord["patient"]) => ({
      mrn,
      givenName,
      familyName,
      birthDate,
      sex,
    });
    expect(person(imported.patient)).toEqual(person(exported.patient));
    const allergies = ({ cautions, allergyNotes }: FhirExportRecord["patient"]) => ({
      contrast: cautions.contrastAllergy,
      latex: cautions.latexAllergy,
      allergyNotes,
    });
    expect(allergies(imported.patient)).toEqual(allergies(exported.patient));
    const diagnosis = ({ icd10Code, bodyRegion, painType, onsetDate }: FhirExportRecord["diagnoses"][number]) => ({
      icd10Code,
      bodyRegion,
      painType,
      onsetDate,
    });
    expect(imported.diagnoses.map(diagnosis)).toEqual(exported.diagnoses.map(diagnosis));
    const procedure = ({ type, region, approach, performedOn }: FhirExportRecord["procedures"][number]) => ({
      type,
      region,
      approach,
      performedOn,
    });
    expect(exported.procedures).toHaveLength(1);
    expect(imported.procedures.map(procedure)).toEqual(exported.procedures.map(procedure));
  });

  // Known gaps, kept visible: each test below starts failing, and must then become a plain `it`,
  // once the import rebuilds a PainPath export completely. The import maps RxNorm products and
  // normalised names, not the ingredient RxCUIs PainPath exports (it records no product); it keeps
  // each Observation as one number (decision 010) and reads none of PainPath's own codes (full
  // assessments, cautions such as the anticoagulant, sessions, surgical status), so the engine on
  // the imported record lacks what the original evaluation used.
  it.fails("keeps the therapy trials", () => {
    const trial = ({
      modality,
      drug,
      dose,
      frequency,
      startDate,
      endDate,
      status,
    }: FhirExportRecord["therapies"][number]) => ({
      modality,
      drug,
      dose,
      frequency,
      startDate,
      endDate,
      status,
    });
    expect(imported.therapies.map(trial)).toEqual(exported.therapies.map(trial));
  });

  it.fails("keeps the assessments", () => {
    expect(imported.assessments).toHaveLength(exported.assessments.length);
  });

  it.fails("gives the same evaluation", async () => {
    expect(evaluationBefore.some((evaluation) => evaluation.flag)).toBe(true);
    expect(verdict(await evaluate(imported.patient.id))).toEqual(verdict(evaluationBefore));
  });
});
