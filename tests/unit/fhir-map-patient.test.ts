import { readFileSync } from "node:fs";
import path from "node:path";
import type { Bundle, MedicationRequest, Patient, Resource } from "@medplum/fhirtypes";
import { describe, expect, it } from "vitest";
import { codeKey, draftToSnapshot, mapPatient, type ResourceOutcome } from "~/domain/fhir";
import { classifyProduct, parseRxNormName, readDosage } from "~/domain/fhir/medication";
import { evaluatePatient } from "~/domain/referral/engine";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";

const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, "../fixtures/fhir", name), "utf8")) as Bundle;

function usCore() {
  const resources = (fixture("us-core-bundle.json").entry ?? []).map((entry) => entry.resource as Resource);
  const patient = resources.find((resource): resource is Patient => resource.resourceType === "Patient") as Patient;
  return { patient, resources: resources.filter((resource) => resource !== patient) };
}

const outcomeOf = (outcomes: ResourceOutcome[], resource: string) => outcomes.find((o) => o.resource === resource);

describe("mapPatient on a US Core export", () => {
  const { patient, resources } = usCore();
  const { draft, outcomes, error } = mapPatient(patient, resources);

  it("keeps the MRN and never a national identifier", () => {
    expect(error).toBeNull();
    expect(draft?.patient).toMatchObject({
      mrn: "USC-100234",
      givenName: "Amy V.",
      familyName: "O'Brien",
      birthDate: "1971-02-14",
      sex: "FEMALE",
    });
    const stored = JSON.stringify(draft);
    for (const national of ["999-45-6789", "S99985931", "X12345678X"]) expect(stored).not.toContain(national);
  });

  it("maps dual-coded conditions by ICD-10-CM and skips the rest with a reason", () => {
    expect(draft?.diagnoses.map((d) => [d.icd10Code, d.bodyRegion, d.painType, d.onsetDate])).toEqual([
      ["M54.16", "LUMBAR", "RADICULAR", "2025-01-10"],
      ["M17.11", "KNEE", "JOINT", "2024-06-01"],
    ]);
    expect(outcomeOf(outcomes, "Condition/cond-dm")).toMatchObject({
      status: "skipped",
      unknownCode: { kind: "condition", code: "E11.9" },
    });
    expect(outcomeOf(outcomes, "Condition/cond-old")).toMatchObject({
      status: "skipped",
      reason: expect.stringMatching(/resolved/),
    });
  });

  it("counts the opioid part of a combination product for MME, as for a drug entered by hand", () => {
    const percocet = draft?.therapies.find((t) => t.source.resource === "MedicationRequest/medrx-percocet");
    expect(percocet).toMatchObject({
      modality: "OPIOID",
      drug: "oxycodone",
      dose: 5,
      doseUnit: "mg",
      frequency: "every-6-hours",
      startDate: "2025-09-01",
      endDate: null,
      status: "ACTIVE",
      diagnosisSource: "Condition/cond-radic",
    });
    expect(percocet?.mme).toMatchObject({ status: "calculated", result: { mme: 30 } });
  });

  it("records an extended-release opioid without structured dose as dose unknown, MME not computed", () => {
    const er = draft?.therapies.find((t) => t.source.resource === "MedicationStatement/medst-oxy-er");
    expect(er).toMatchObject({ drug: "oxycodone", extendedRelease: true, dose: null, frequency: null });
    expect(er?.mme).toMatchObject({ status: "cannot-compute", reason: expect.stringMatching(/text/) });
    expect(outcomeOf(outcomes, "MedicationStatement/medst-oxy-er")?.status).toBe("needs-review");
  });

  it("reads an unlisted product by its RxNorm name and a stopped one with its dates", () => {
    expect(draft?.therapies.find((t) => t.rxnormCode === "310431")).toMatchObject({
      modality: "NEUROPATHIC_AGENT",
      drug: "gabapentin",
      dose: 300,
      startDate: "2025-02-01",
      endDate: "2025-05-15",
      status: "STOPPED",
      mme: { status: "not-an-opioid" },
    });
  });

  it("turns anticoagulants and coded allergies into cautions, other allergies into notes", () => {
    expect(draft?.patient.cautions).toEqual(["contrastAllergy", "onAnticoagulant"]);
    expect(draft?.patient.allergyNotes).toEqual(["Penicillin"]);
  });

  it("sends an unknown drug to review with its code", () => {
    expect(outcomeOf(outcomes, "MedicationRequest/medrx-mystery")).toMatchObject({
      status: "needs-review",
      unknownCode: { kind: "medication", code: "999999901", display: "Zorbexitol 10 MG Oral Tablet" },
    });
  });

  it("maps pain scores as one number each, procedures, and PT sessions as one trial", () => {
    expect(draft?.scores.map((s) => [s.date, s.painNow, s.pegScore])).toEqual([
      ["2025-08-01", 7, null],
      ["2025-09-15", 8, null],
      ["2025-11-20", 7, null],
    ]);
    expect(draft?.procedures).toMatchObject([
      { type: "EPIDURAL_STEROID_INJECTION", region: "LUMBAR", approach: "TRANSFORAMINAL", performedOn: "2025-11-03" },
    ]);
    expect(draft?.therapies.find((t) => t.modality === "PHYSICAL_THERAPY")).toMatchObject({
      sessionsAttended: 7,
      startDate: "2025-04-01",
      endDate: "2025-07-01",
    });
    expect(outcomeOf(outcomes, "Observation/obs-bp")?.status).toBe("skipped");
    expect(outcomeOf(outcomes, "Procedure/proc-appendix")?.status).toBe("skipped");
  });

  it("gives every resource exactly one outcome", () => {
    expect(outcomes).toHaveLength(resources.length + 1 - 7 + 7);
    expect(new Set(outcomes.map((o) => o.resource)).size).toBe(outcomes.length);
  });

  it("applies review-list decisions: an ignored code is skipped, a mapped drug becomes a therapy", () => {
    const decisions = new Map([
      [
        codeKey("http://www.nlm.nih.gov/research/umls/rxnorm", "999999901"),
        { action: "therapy", modality: "OTHER_MEDICATION", drug: "zorbexitol" } as const,
      ],
      [codeKey("http://hl7.org/fhir/sid/icd-10-cm", "E11.9"), { action: "ignore" } as const],
    ]);
    const again = mapPatient(patient, resources, { decisions });
    expect(again.draft?.therapies.find((t) => t.drug === "zorbexitol")?.modality).toBe("OTHER_MEDICATION");
    expect(outcomeOf(again.outcomes, "Condition/cond-dm")).toEqual({
      resource: "Condition/cond-dm",
      status: "skipped",
      reason: "code E11.9 is ignored (review list decision)",
    });
  });
});

describe("mapPatient refuses a patient it cannot identify", () => {
  const base: Patient = {
    resourceType: "Patient",
    id: "p",
    name: [{ given: ["A"], family: "B" }],
    birthDate: "1980-01-01",
  };
  it.each([
    [{ ...base }, /no medical record number/],
    [
      {
        ...base,
        identifier: [
          { type: { coding: [{ code: "MR" }] }, value: "1" },
          { type: { coding: [{ code: "MR" }] }, value: "2" },
        ],
      },
      /several medical record numbers/,
    ],
    [{ ...base, identifier: [{ system: "urn:clinic", value: "7" }], birthDate: "1980" }, /no medical record number/],
  ])("%#", (patient, message) => {
    expect(mapPatient(patient as Patient, []).error).toMatch(message);
  });

  it("takes the MRN from a configured system", () => {
    const patient = { ...base, identifier: [{ system: "urn:clinic", value: "7" }] };
    expect(mapPatient(patient, [], { mrnSystems: ["urn:clinic"] }).draft?.patient.mrn).toBe("7");
  });
});

describe("RxNorm names and dosage", () => {
  it.each([
    ["Acetaminophen 300 MG / HYDROcodone Bitartrate 5 MG Oral Tablet", "hydrocodone", 5, false],
    ["Abuse-Deterrent 12 HR Oxycodone Hydrochloride 15 MG Extended Release Oral Tablet", "oxycodone", 15, true],
    ["72 HR Fentanyl 0.025 MG/HR Transdermal System", "fentanyl-transdermal", 25, true],
    ["Acetaminophen 325 MG / Oxycodone Hydrochloride 10 MG Oral Tablet [Percocet]", "oxycodone", 10, false],
  ])("%s", (name, drug, strength, extendedRelease) => {
    const parsed = parseRxNormName(name);
    expect(parsed?.extendedRelease).toBe(extendedRelease);
    expect(classifyProduct(parsed!)).toMatchObject({ kind: "therapy", drug, opioid: { id: drug, strength } });
  });

  it("never guesses: mg of a combination product and an as-needed dose without a maximum cannot compute MME", () => {
    const product = classifyProduct(
      parseRxNormName("Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet")!,
    );
    if (product.kind !== "therapy") throw new Error("expected a therapy");
    const mgDose = readDosage(product, true, {
      doseAndRate: [{ doseQuantity: { value: 5, code: "mg" } }],
      timing: { repeat: { frequency: 1, period: 4, periodUnit: "h" } },
    });
    expect(mgDose.mme).toMatchObject({ status: "cannot-compute", reason: expect.stringMatching(/combination/) });
    const prn = readDosage(product, true, { asNeededBoolean: true, doseAndRate: [{ doseQuantity: { value: 1 } }] });
    expect(prn.mme).toMatchObject({ status: "cannot-compute", reason: expect.stringMatching(/maximum/) });
    const prnTimed = readDosage(product, true, {
      asNeededBoolean: true,
      doseAndRate: [{ doseQuantity: { value: 2 } }],
      timing: { repeat: { frequency: 1, period: 6, periodUnit: "h" } },
    });
    expect(prnTimed).toMatchObject({
      dose: 10,
      frequency: "as-needed",
      maxDosesPerDay: 4,
      mme: { status: "calculated", result: { mme: 60 } },
    });
  });

  it("a fentanyl patch counts its rate, whatever the change interval", () => {
    const product = classifyProduct(parseRxNormName("72 HR Fentanyl 0.025 MG/HR Transdermal System")!);
    if (product.kind !== "therapy") throw new Error("expected a therapy");
    const reading = readDosage(product, true, {
      doseAndRate: [{ doseQuantity: { value: 1 } }],
      timing: { repeat: { frequency: 1, period: 72, periodUnit: "h" } },
    });
    expect(reading).toMatchObject({
      dose: 25,
      doseUnit: "mcg/hr",
      frequency: "continuous",
      mme: { result: { mme: 60 } },
    });
  });
});

describe("draftToSnapshot", () => {
  const { patient, resources } = usCore();
  const draft = mapPatient(patient, resources).draft!;
  const snapshot = draftToSnapshot(draft, "2025-12-01");

  it("carries imported scores as partial assessments, never as zeros", () => {
    expect(snapshot.assessments[0]).toMatchObject({ painNow: 7, painAverage: null, pegScore: null, limitation: null });
  });

  it("is evaluated by the engine, which says a single pain score is not enough data", () => {
    const evaluations = evaluatePatient(snapshot, DEFAULT_RULE_SET);
    expect(evaluations.map((e) => e.diagnosisId).sort()).toEqual(["Condition/cond-knee", "Condition/cond-radic"]);
    const radic = evaluations.find((e) => e.diagnosisId === "Condition/cond-radic")!;
    const persist = radic.criteria.find((c) => c.ruleId === "GEN-PERSIST")!;
    expect(persist.status).not.toBe("met");
    expect(radic.missingData.join(" ")).toMatch(/score/i);
  });

  it("leaves out a stopped therapy whose end date is unknown and keeps MME input as for hand entry", () => {
    const percocet = snapshot.therapies.find((t) => t.id === "MedicationRequest/medrx-percocet");
    expect(percocet).toMatchObject({
      drug: "oxycodone",
      dose: 5,
      frequency: "every-6-hours",
      diagnosisId: "Condition/cond-radic",
    });
  });
});

describe("medication request statuses", () => {
  const { patient } = usCore();
  const request = (status: MedicationRequest["status"]): MedicationRequest => ({
    resourceType: "MedicationRequest",
    id: status,
    status,
    intent: "order",
    subject: { reference: "Patient/us-core-pt-1" },
    authoredOn: "2025-01-01",
    medicationCodeableConcept: {
      coding: [
        {
          system: "http://www.nlm.nih.gov/research/umls/rxnorm",
          code: "313782",
          display: "Acetaminophen 325 MG Oral Tablet",
        },
      ],
    },
  });
  it.each([
    ["cancelled", "skipped"],
    ["entered-in-error", "skipped"],
    ["draft", "skipped"],
    ["active", "needs-review"],
  ] as const)("%s → %s", (status, expected) => {
    // "active" needs review only because the patient has no diagnosis to attach it to.
    expect(mapPatient(patient, [request(status)]).outcomes[1]?.status).toBe(expected);
  });
});

describe("the engine reads only complete assessments", () => {
  it("a newer single pain score does not replace the latest full assessment", () => {
    const { patient, resources } = usCore();
    const draft = mapPatient(patient, resources).draft!;
    const snapshot = draftToSnapshot(draft, "2025-12-01");
    const full = {
      id: "full",
      date: "2025-11-01",
      painNow: 8,
      painAverage: 8,
      painWorst: 9,
      pegScore: 7.7,
      odiPercent: 44,
      ndiPercent: null,
      limitation: "SEVERE" as const,
      sideEffects: [],
      enteredInError: false,
    };
    const withFull = { ...snapshot, assessments: [...snapshot.assessments, full] };
    const radic = evaluatePatient(withFull, DEFAULT_RULE_SET).find((e) => e.diagnosisId === "Condition/cond-radic")!;
    const fn = radic.criteria.find((c) => c.ruleId === "GEN-FUNCTION")!;
    // The 2025-11-20 score (7, pain only) is later, but the function criterion reads the full one.
    expect(fn.status).toBe("met");
    expect(fn.evidence.map((e) => e.id)).toContain("full");
  });
});
