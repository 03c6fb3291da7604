// Export a patient, read the export back with the FHIR import's mapping, and compare pathways.
import type { Patient, Resource } from "@medplum/fhirtypes";
import { beforeAll, describe, expect, it } from "vitest";
import { draftToSnapshot, mapPatient, type PatientMapping } from "~/domain/fhir";
import { patientResources } from "~/domain/fhir/export/patient-resources";
import type { FhirExportRecord } from "~/domain/fhir/export/record";
import { evaluatePatient } from "~/domain/referral/engine";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import { loadFhirExportRecords } from "~/models/fhir-export.server";
import { loadSnapshots } from "~/models/snapshot.server";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { createUser } from "../helpers/fixtures";
import { referredPatientWithCautions } from "../helpers/packet-patient";

const MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";

let record: FhirExportRecord;
let mapping: PatientMapping;

beforeAll(async () => {
  const physician = await createUser("PHYSICIAN");
  const { patient } = await referredPatientWithCautions(physician.id, "Roundtrip");
  [record] = (await loadFhirExportRecords([patient.id])) as [FhirExportRecord];
  const resources = patientResources(record, { mrnSystem: MRN_SYSTEM });
  const [exported, ...rest] = resources as [Patient, ...Resource[]];
  mapping = mapPatient(exported, rest, { mrnSystems: [MRN_SYSTEM] });
});

describe("a PainPath export read back by the FHIR import", () => {
  it("keeps the patient, the diagnoses and the allergies", () => {
    const draft = mapping.draft!;
    expect(draft, mapping.error ?? "").not.toBeNull();
    const { patient } = record;
    expect(draft.patient).toMatchObject({
      mrn: patient.mrn,
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: patient.birthDate,
      sex: patient.sex,
    });
    expect(draft.patient.cautions).toEqual(expect.arrayContaining(["contrastAllergy", "latexAllergy"]));
    expect(draft.patient.allergyNotes).toEqual(["Penicillin: rash"]);
    expect(
      draft.diagnoses.map(({ icd10Code, bodyRegion, painType, onsetDate }) => ({
        icd10Code,
        bodyRegion,
        painType,
        onsetDate,
      })),
    ).toEqual(
      record.diagnoses.map(({ icd10Code, bodyRegion, painType, onsetDate }) => ({
        icd10Code,
        bodyRegion,
        painType,
        onsetDate,
      })),
    );
  });

  // Known gaps, kept visible: each of these tests starts failing, and must then become a plain `it`,
  // once the import rebuilds a PainPath export completely. The import recognises RxNorm products
  // and normalised names, not the ingredient RxCUIs PainPath exports (it records no product), and
  // reads one number per Observation (decision 010) and none of PainPath's own codes (full
  // assessments, cautions, sessions, surgical status), so the engine then lacks what it used.
  it.fails("keeps the drug trials", () => {
    const draft = mapping.draft!;
    const drugs = record.therapies.filter((therapy) => therapy.drug);
    expect(
      draft.therapies
        .filter((therapy) => therapy.drug)
        .map(({ modality, drug, dose, frequency, startDate, endDate, status }) => ({
          modality,
          drug,
          dose,
          frequency,
          startDate,
          endDate,
          status,
        })),
    ).toEqual(
      drugs.map(({ modality, drug, dose, frequency, startDate, endDate, status }) => ({
        modality,
        drug,
        dose,
        frequency,
        startDate,
        endDate,
        status,
      })),
    );
  });

  it.fails("gives the same evaluation", async () => {
    const today = clinicToday();
    const [original] = await loadSnapshots(getDb(), [record.patient.id], today);
    const before = evaluatePatient(original!.snapshot, DEFAULT_RULE_SET);
    expect(before.some((evaluation) => evaluation.flag)).toBe(true);
    const after = evaluatePatient(draftToSnapshot(mapping.draft!, today), DEFAULT_RULE_SET);
    const verdict = (evaluations: typeof before) =>
      evaluations.map(({ flag, urgent, summary, criteria }) => ({
        flag,
        urgent,
        summary,
        criteria: criteria.map(({ ruleId, status }) => [ruleId, status]),
      }));
    expect(verdict(after)).toEqual(verdict(before));
  });
});
