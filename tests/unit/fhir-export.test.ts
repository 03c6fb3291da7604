import type { Observation, Patient, Resource } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { everythingBundle, patientResources } from "~/domain/fhir/export/patient-resources";
import type { FhirExportRecord } from "~/domain/fhir/export/record";
import { mapPatient } from "~/domain/fhir";
import { codeKey, INGREDIENTS_BY_RXCUI, OBSERVATIONS, SYSTEMS } from "~/domain/fhir/code-maps";
import { LOINC } from "~/domain/fhir/export/vocabulary";
import { OPIOIDS } from "~/domain/clinical/mme";
import { evaluatePatient } from "~/domain/referral/engine";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import type { PatientSnapshot } from "~/domain/referral/types";
import { validationErrors } from "../helpers/fhir-validation";

const TODAY = "2026-03-02";
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const PATIENT = id(1);
const [BACK, KNEE, WRONG] = [id(10), id(11), id(12)];
const [OXY, GABA, PT, WRONG_DRUG] = [id(20), id(21), id(22), id(23)];
const [A1, A2, A3] = [id(30), id(31), id(32)];
const [MBB, REFERRAL, REFERRAL_CANCELLED] = [id(40), id(41), id(42)];
const OPTIONS = { mrnSystem: "urn:oid:2.16.840.1.113883.19.5" };

const assessment = (
  n: string,
  date: string,
  pain: number,
  extra: Partial<FhirExportRecord["assessments"][number]> = {},
) => ({
  id: n,
  date,
  painNow: pain,
  painAverage: pain,
  painWorst: pain + 1,
  pegPain: pain,
  pegEnjoyment: pain,
  pegActivity: pain,
  pegScore: pain,
  odiPercent: 44 as number | null,
  ndiPercent: null as number | null,
  limitation: "SEVERE" as const,
  adherence: "AS_PRESCRIBED" as const,
  note: null as string | null,
  recordedAt: `${date}T10:00:00.000Z`,
  enteredInError: false,
  enteredInErrorReason: null as string | null,
  sideEffects: [] as FhirExportRecord["assessments"][number]["sideEffects"],
  ...extra,
});

const therapy = (n: string, extra: Partial<FhirExportRecord["therapies"][number]>) => ({
  id: n,
  diagnosisId: BACK,
  modality: "OPIOID" as const,
  startDate: "2025-06-01",
  endDate: null as string | null,
  status: "ACTIVE" as const,
  stopReason: null,
  stopNote: null,
  drug: null as string | null,
  dose: null as number | null,
  doseUnit: null as string | null,
  frequency: null as string | null,
  maxDosesPerDay: null as number | null,
  route: null as string | null,
  sessionsPlanned: null as number | null,
  sessionsAttended: null as number | null,
  enteredInError: false,
  enteredInErrorReason: null as string | null,
  ...extra,
});

/** A patient with every kind of row: two diagnoses and one in error, drugs, PT, scores, a procedure, referrals. */
function richRecord(): FhirExportRecord {
  const record: Omit<FhirExportRecord, "evaluations"> = {
    patient: {
      id: PATIENT,
      mrn: "MRN-000123",
      givenName: "Alex",
      familyName: "O'Brien",
      birthDate: "1970-05-04",
      sex: "FEMALE",
      status: "ACTIVE",
      physicianName: "Dr Test",
      cautions: {
        onAnticoagulant: true,
        onAntiplatelet: false,
        bleedingDisorder: false,
        pregnant: false,
        contrastAllergy: true,
        poorlyControlledDiabetes: false,
        implantedCardiacDevice: false,
        activeInfection: false,
        onBenzodiazepine: true,
        latexAllergy: true,
        localAnaestheticAllergy: false,
        corticosteroidAllergy: false,
      },
      allergyNotes: "Penicillin: rash",
      naloxoneOfferedOn: "2025-07-01",
      psychEvaluationStatus: "CLEARED",
      psychEvaluationDate: "2025-09-01",
      antithrombotics: ["APIXABAN"],
      updatedAt: "2026-01-05T09:00:00.000Z",
    },
    diagnoses: [
      {
        id: BACK,
        icd10Code: "M54.16",
        label: "Radiculopathy, lumbar region",
        bodyRegion: "LUMBAR",
        painType: "RADICULAR",
        onsetDate: "2025-01-10",
        surgicalStatus: "NOT_A_CANDIDATE",
        redFlags: [],
        enteredInError: false,
        enteredInErrorReason: null,
        recordedAt: "2025-05-01T08:00:00.000Z",
      },
      {
        id: KNEE,
        icd10Code: "M17.9",
        label: "Osteoarthritis of knee, unspecified",
        bodyRegion: "KNEE",
        painType: "JOINT",
        onsetDate: "2024-02-01",
        surgicalStatus: "NOT_EVALUATED",
        redFlags: ["FRACTURE_RISK"],
        enteredInError: false,
        enteredInErrorReason: null,
        recordedAt: "2025-05-01T08:00:00.000Z",
      },
      {
        id: WRONG,
        icd10Code: "M54.2",
        label: "Cervicalgia",
        bodyRegion: "CERVICAL",
        painType: "AXIAL",
        onsetDate: "2024-02-01",
        surgicalStatus: "NOT_EVALUATED",
        redFlags: [],
        enteredInError: true,
        enteredInErrorReason: "Wrong patient",
        recordedAt: "2025-05-01T08:00:00.000Z",
      },
    ],
    therapies: [
      therapy(OXY, { drug: "oxycodone", dose: 10, doseUnit: "mg", frequency: "twice-daily", route: "oral" }),
      therapy(GABA, {
        modality: "NEUROPATHIC_AGENT",
        drug: "gabapentin",
        dose: 300,
        doseUnit: "mg",
        frequency: "as-needed",
        maxDosesPerDay: 3,
        status: "STOPPED",
        endDate: "2025-09-01",
        stopReason: "SIDE_EFFECTS",
        stopNote: "dizzy",
      }),
      therapy(PT, {
        modality: "PHYSICAL_THERAPY",
        startDate: "2025-07-01",
        endDate: "2025-09-01",
        status: "COMPLETED",
        stopReason: "INEFFECTIVE",
        sessionsPlanned: 8,
        sessionsAttended: 8,
      }),
      therapy(WRONG_DRUG, { modality: "NSAID", drug: "Ibuprofen", enteredInError: true, enteredInErrorReason: "Typo" }),
    ],
    assessments: [
      assessment(A1, "2025-06-20", 7),
      assessment(A2, "2025-08-15", 7, {
        sideEffects: [{ id: id(50), therapyTrialId: GABA, severity: "MODERATE", kinds: ["DIZZINESS", "SEDATION"] }],
        note: "Walks 10 minutes",
      }),
      assessment(A3, "2026-02-20", 8, { ndiPercent: 30, enteredInError: true, enteredInErrorReason: "Other patient" }),
      assessment(id(33), "2026-02-25", 7),
    ],
    imaging: [
      {
        id: id(60),
        diagnosisId: BACK,
        modality: "MRI",
        performedOn: "2025-09-01",
        concordance: "CONCORDANT",
        finding: "L4-L5 protrusion contacting the left L5 root",
        enteredInError: false,
        enteredInErrorReason: null,
      },
    ],
    procedures: [
      {
        id: MBB,
        diagnosisId: BACK,
        type: "EPIDURAL_STEROID_INJECTION",
        region: "LUMBAR",
        level: "L4-L5",
        approach: "TRANSFORAMINAL",
        injectate: "Dexamethasone 10 mg",
        performedOn: "2025-10-01",
        scaleName: "NRS",
        painBefore: 8,
        painAfter: 3,
        reliefPercent: 60,
        reliefDurationDays: 90,
        note: null,
        referralId: REFERRAL,
        enteredInError: false,
        enteredInErrorReason: null,
      },
    ],
    referrals: [
      {
        id: REFERRAL,
        diagnosisId: BACK,
        evaluationId: null,
        procedure: "EPIDURAL_STEROID_INJECTION",
        receivingClinic: "Northside Spine Centre",
        urgency: "SOON",
        reason: "Radicular pain despite conservative care",
        conservativeCareContinues: true,
        status: "COMPLETED",
        createdAt: "2025-09-10T12:00:00.000Z",
        scheduledFor: "2025-10-01",
        procedureDate: "2025-10-01",
        reliefPercent: 60,
        reliefDurationDays: 90,
        cancelReason: null,
      },
      {
        id: REFERRAL_CANCELLED,
        diagnosisId: KNEE,
        evaluationId: null,
        procedure: "GENICULAR_NERVE_BLOCK",
        receivingClinic: "Knee clinic",
        urgency: "ROUTINE",
        reason: "Knee pain",
        conservativeCareContinues: false,
        status: "CANCELLED",
        createdAt: "2025-11-10T12:00:00.000Z",
        scheduledFor: null,
        procedureDate: null,
        reliefPercent: null,
        reliefDurationDays: null,
        cancelReason: "Patient moved",
      },
    ],
  };
  const snapshot: PatientSnapshot = {
    evaluatedOn: TODAY,
    patient: { ...record.patient, antithrombotics: [] },
    diagnoses: record.diagnoses,
    therapies: record.therapies,
    assessments: record.assessments,
    procedures: record.procedures,
  };
  const evaluations = evaluatePatient(snapshot, DEFAULT_RULE_SET).map((evaluation, index) => ({
    id: id(60 + index),
    evaluatedAt: `${TODAY}T06:00:00.000Z`,
    evaluation,
  }));
  return { ...record, evaluations };
}

const byId = (resources: Resource[], resourceId: string) => {
  const found = resources.find((resource) => resource.id === resourceId);
  if (!found) throw new Error(`No resource ${resourceId}`);
  return found as never;
};

describe("FHIR export of one patient", () => {
  const record = richRecord();
  const resources = patientResources(record, OPTIONS);

  it("gives every resource a valid R4 shape", () => {
    expect(resources.flatMap((resource) => validationErrors(resource))).toEqual([]);
    const bundle = everythingBundle(resources, "https://painpath.test/fhir", "2026-03-02T10:00:00.000Z");
    expect(validationErrors(bundle)).toEqual([]);
  });

  it("exports the same resources, in the same order, every time", () => {
    expect(JSON.stringify(patientResources(richRecord(), OPTIONS))).toBe(JSON.stringify(resources));
    expect(new Set(resources.map((resource) => `${resource.resourceType}/${resource.id}`)).size).toBe(resources.length);
  });

  it("identifies the patient by MRN with the site's system", () => {
    const patient = byId(resources, PATIENT);
    expect(patient).toMatchObject({
      resourceType: "Patient",
      identifier: [{ type: { coding: [{ code: "MR" }] }, system: OPTIONS.mrnSystem, value: "MRN-000123" }],
      name: [{ family: "O'Brien", given: ["Alex"] }],
      gender: "female",
      birthDate: "1970-05-04",
      active: true,
    });
  });

  it("codes conditions in ICD-10-CM, adds mapped codes, and marks one entered in error", () => {
    const back = byId(resources, BACK);
    expect(back).toMatchObject({
      resourceType: "Condition",
      clinicalStatus: { coding: [{ code: "active" }] },
      verificationStatus: { coding: [{ code: "confirmed" }] },
      code: { coding: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: "M54.16" }] },
      onsetDateTime: "2025-01-10",
    });
    // SNOMED CT from the import's code map read backwards; its unverified M54.16 entry is not claimed.
    expect(back).not.toMatchObject({ code: { coding: [{}, { system: "http://snomed.info/sct" }] } });
    expect(byId(resources, KNEE)).toMatchObject({
      code: { coding: [{ code: "M17.9" }, { system: "http://snomed.info/sct", code: "239873007" }] },
    });
    const wrong = byId(resources, WRONG);
    expect(wrong).toMatchObject({ verificationStatus: { coding: [{ code: "entered-in-error" }] } });
    expect(wrong).not.toHaveProperty("clinicalStatus");
    expect(wrong).toMatchObject({ note: [{ text: "Entered in error: Wrong patient" }] });
  });

  it("states medications with RxNorm where known, dose, period and the reason stopped", () => {
    expect(byId(resources, OXY)).toMatchObject({
      resourceType: "MedicationStatement",
      status: "active",
      medicationCodeableConcept: { coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "7804" }] },
      effectivePeriod: { start: "2025-06-01" },
      dosage: [
        {
          doseAndRate: [{ doseQuantity: { value: 10, code: "mg" } }],
          timing: { repeat: { frequency: 2, period: 1, periodUnit: "d" } },
        },
      ],
      reasonReference: [{ reference: `Condition/${BACK}` }],
    });
    expect(byId(resources, GABA)).toMatchObject({
      status: "stopped",
      statusReason: [{ coding: [{ code: "SIDE_EFFECTS" }], text: "Side effects: dizzy" }],
      medicationCodeableConcept: { text: "Gabapentin" },
      effectivePeriod: { start: "2025-06-01", end: "2025-09-01" },
      dosage: [{ asNeededBoolean: true, maxDosePerPeriod: { numerator: { value: 3 } } }],
    });
    expect(byId(resources, WRONG_DRUG)).toMatchObject({ status: "entered-in-error" });
    expect(byId(resources, PT)).toMatchObject({ resourceType: "Procedure", status: "completed" });
  });

  it("records pain with LOINC 72514-3, the PEG items and score, ODI and NDI", () => {
    const codes = (resourceId: string) => (byId(resources, resourceId) as Observation).code.coding?.[0]?.code;
    expect(byId(resources, `${A1}-pain`)).toMatchObject({
      status: "final",
      effectiveDateTime: "2025-06-20",
      valueQuantity: { value: 7 },
    });
    expect(codes(`${A1}-pain`)).toBe("72514-3");
    expect(codes(`${A1}-peg`)).toBe("91147-9");
    expect((byId(resources, `${A1}-peg`) as Observation).component?.map((c) => c.code.coding?.[0]?.code)).toEqual([
      "75893-8",
      "91145-3",
      "91146-1",
    ]);
    expect(codes(`${A1}-odi`)).toBe("97909-6");
    expect(codes(`${A3}-ndi`)).toBe("82237-9");
    expect(byId(resources, `${A3}-pain`)).toMatchObject({
      status: "entered-in-error",
      note: [{ text: "Entered in error: Other patient" }],
    });
    expect(byId(resources, `${A2}-pain`)).toMatchObject({ note: [{ text: "Walks 10 minutes" }] });
    expect(byId(resources, id(50))).toMatchObject({
      focus: [{ reference: `MedicationStatement/${GABA}` }],
      valueCodeableConcept: { coding: [{ code: "MODERATE" }] },
    });
  });

  it("exports procedures, referrals with status and outcome, and allergies", () => {
    expect(byId(resources, MBB)).toMatchObject({
      resourceType: "Procedure",
      status: "completed",
      // CPT from the import's procedure map: lumbar and transforaminal, as recorded.
      code: {
        coding: [{ system: "http://www.ama-assn.org/go/cpt", code: "64483" }, { code: "EPIDURAL_STEROID_INJECTION" }],
      },
      performedDateTime: "2025-10-01",
      basedOn: [{ reference: `ServiceRequest/${REFERRAL}` }],
      outcome: { text: "60 % relief for 90 days" },
    });
    expect(byId(resources, REFERRAL)).toMatchObject({
      resourceType: "ServiceRequest",
      status: "completed",
      intent: "order",
      priority: "urgent",
      note: [{ text: "Procedure on 2025-10-01" }, { text: "60 % relief for 90 days" }],
    });
    expect(byId(resources, REFERRAL_CANCELLED)).toMatchObject({
      status: "revoked",
      note: [{ text: "Cancelled: Patient moved" }],
    });
    const allergies = resources.filter((resource) => resource.resourceType === "AllergyIntolerance");
    expect(allergies.map((allergy) => allergy.code?.text)).toEqual(["Contrast", "Latex", "Penicillin: rash"]);
  });

  it("exports each current evaluation with the criteria met, their sources and the records they used", () => {
    const assessments = resources.filter((resource) => resource.resourceType === "RiskAssessment");
    expect(assessments).toHaveLength(2);
    const back = assessments.find((assessment) => assessment.condition?.reference === `Condition/${BACK}`);
    const evaluation = record.evaluations.find((entry) => entry.evaluation.diagnosisId === BACK)!.evaluation;
    const met = evaluation.criteria.filter((criterion) => criterion.status === "met");
    expect(met.length).toBeGreaterThan(0);
    const named = (back?.basis ?? []).filter((basis) => basis.identifier);
    expect(named.map((basis) => basis.identifier?.value)).toEqual(met.map((criterion) => criterion.ruleId));
    for (const [index, criterion] of met.entries()) expect(named[index]?.display).toContain(criterion.source);
    const records = (back?.basis ?? []).filter((basis) => basis.reference);
    expect(records.length).toBeGreaterThan(0);
    const exported = new Set(resources.map((resource) => `${resource.resourceType}/${resource.id}`));
    for (const basis of records) expect(exported).toContain(basis.reference);
    const knee = assessments.find((assessment) => assessment.condition?.reference === `Condition/${KNEE}`);
    expect(knee?.basis?.[0]?.display).toMatch(/^Red flag, evaluate now/);
  });
});

describe("the export read back by the import's mapping (decision 023)", () => {
  const record = richRecord();
  const [patient, ...rest] = patientResources(record, OPTIONS);
  const mapping = mapPatient(patient as Patient, rest, { mrnSystems: [OPTIONS.mrnSystem] });
  const draft = mapping.draft!;
  const valid = <T extends { enteredInError: boolean }>(rows: readonly T[]) =>
    rows.filter((row) => !row.enteredInError);

  it("maps every resource it reads without a row to review", () => {
    expect(mapping.error).toBeNull();
    expect(mapping.outcomes.filter((outcome) => outcome.status === "needs-review")).toEqual([]);
  });

  it("gives back the valid diagnoses, therapies, imaging and procedures as recorded", () => {
    expect(
      draft.diagnoses.map((d) => [
        d.source.resource,
        d.icd10Code,
        d.bodyRegion,
        d.painType,
        d.onsetDate,
        d.surgicalStatus ?? "NOT_EVALUATED",
        d.redFlags ?? [],
      ]),
    ).toEqual(
      valid(record.diagnoses).map((d) => [
        `Condition/${d.id}`,
        d.icd10Code,
        d.bodyRegion,
        d.painType,
        d.onsetDate,
        d.surgicalStatus,
        d.redFlags,
      ]),
    );
    const trial = (t: {
      modality: string;
      drug: string | null;
      dose: number | null;
      doseUnit: string | null;
      frequency: string | null;
      maxDosesPerDay: number | null;
      startDate: string;
      endDate: string | null;
      status: string;
      sessionsAttended: number | null;
    }) => [
      t.modality,
      t.drug,
      t.dose,
      t.doseUnit,
      t.frequency,
      t.maxDosesPerDay,
      t.startDate,
      t.endDate,
      t.status,
      t.sessionsAttended,
    ];
    expect(draft.therapies.map(trial)).toEqual(valid(record.therapies).map(trial));
    expect(draft.therapies.map((t) => [t.stopReason ?? null, t.stopNote ?? null])).toEqual(
      valid(record.therapies).map((t) => [t.stopReason, t.stopNote]),
    );
    expect(draft.imaging.map((i) => [i.modality, i.performedOn, i.concordance, i.finding])).toEqual(
      record.imaging.map((i) => [i.modality, i.performedOn, i.concordance, i.finding]),
    );
    expect(
      draft.procedures.map((p) => [
        p.type,
        p.region,
        p.approach,
        p.performedOn,
        p.detail?.level,
        p.detail?.reliefPercent,
      ]),
    ).toEqual(record.procedures.map((p) => [p.type, p.region, p.approach, p.performedOn, p.level, p.reliefPercent]));
  });

  it("rebuilds each valid assessment whole, with its side effects, and keeps no partial score of it", () => {
    expect(draft.scores).toEqual([]);
    expect(
      draft.assessments.map((a) => [
        a.date,
        a.painNow,
        a.painAverage,
        a.painWorst,
        a.pegScore,
        a.ndiPercent,
        a.limitation,
        a.adherence,
        a.note,
      ]),
    ).toEqual(
      valid(record.assessments).map((a) => [
        a.date,
        a.painNow,
        a.painAverage,
        a.painWorst,
        a.pegScore,
        a.ndiPercent,
        a.limitation,
        a.adherence,
        a.note,
      ]),
    );
    expect(draft.assessments.flatMap((a) => a.sideEffects)).toEqual([
      { therapySource: `MedicationStatement/${GABA}`, severity: "MODERATE", kinds: ["DIZZINESS", "SEDATION"] },
    ]);
  });
});

describe("the codes the export writes are the import's", () => {
  it("finds every exported LOINC scale in observations.json and every opioid RxCUI in medications.json", () => {
    for (const entry of Object.values(LOINC))
      expect(OBSERVATIONS.get(codeKey(SYSTEMS.loinc, entry.code))?.code).toBe(entry.code);
    const rxcuis = Object.entries(OPIOIDS).flatMap(([id, opioid]) =>
      "rxnormIngredient" in opioid ? [[id, opioid.rxnormIngredient] as const] : [],
    );
    expect(rxcuis).toHaveLength(10);
    for (const [id, rxcui] of rxcuis) {
      expect(INGREDIENTS_BY_RXCUI.get(codeKey(SYSTEMS.rxnorm, rxcui))).toMatchObject({
        opioid: id,
        verification: "public-example",
      });
    }
  });
});
