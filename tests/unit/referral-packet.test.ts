import { describe, expect, it } from "vitest";
import { allergyList } from "~/domain/allergies";
import { buildPathwayOverview, type PathwayRecord } from "~/domain/pathway-overview";
import { referralPacket, type PacketInput } from "~/domain/referral-packet";
import type { Caution, CriterionResult, DiagnosisEvaluation } from "~/domain/referral/types";

const TODAY = "2026-03-02";
const NONE = {
  contrastAllergy: false,
  latexAllergy: false,
  localAnaestheticAllergy: false,
  corticosteroidAllergy: false,
};

describe("allergyList", () => {
  it.each([
    { coded: NONE, notes: null, expected: [] },
    { coded: NONE, notes: "  ", expected: [] },
    { coded: { ...NONE, latexAllergy: true }, notes: null, expected: ["Latex"] },
    // Contrast leads whatever else is recorded: it changes how a spinal injection is guided.
    {
      coded: { contrastAllergy: true, latexAllergy: true, localAnaestheticAllergy: true, corticosteroidAllergy: true },
      notes: " penicillin: rash ",
      expected: ["Contrast", "Latex", "Local anaesthetic", "Corticosteroid", "penicillin: rash"],
    },
    {
      coded: { ...NONE, corticosteroidAllergy: true, contrastAllergy: true },
      notes: null,
      expected: ["Contrast", "Corticosteroid"],
    },
  ])("lists $expected", ({ coded, notes, expected }) => {
    expect(allergyList(coded, notes)).toEqual(expected);
  });
});

const ANTICOAGULANT: Caution = {
  code: "ANTICOAGULANT",
  message: "Anticoagulant therapy: hold plan",
  source: "ASRA 2018",
};
const APIXABAN_HOLD: Caution = {
  code: "HOLD_APIXABAN",
  message: "Apixaban: stop 3–5 days before (intermediate bleeding risk)",
  source: "ASRA 2018",
};
const CONTRAST: Caution = { code: "CONTRAST_ALLERGY", message: "Contrast allergy: ultrasound", source: "LCD L39240" };
const MET = { ruleId: "ESI-1", status: "met", source: "LCD L39240" } as CriterionResult;
const NOT_MET = { ruleId: "MBB-1", status: "not-met", source: "LCD L38801" } as CriterionResult;

const evaluation = {
  ruleSetVersion: "2026.2",
  result: {
    criteria: [MET, NOT_MET],
    suggestions: [
      { procedure: "EPIDURAL_STEROID_INJECTION", ruleId: "ESI-1", cautions: [APIXABAN_HOLD, ANTICOAGULANT, CONTRAST] },
      { procedure: "MEDIAL_BRANCH_BLOCK", ruleId: "MBB-1", cautions: [] },
    ],
  } as unknown as DiagnosisEvaluation,
};

const record: PathwayRecord = {
  diagnoses: [],
  assessments: [],
  therapies: [
    {
      id: "t1",
      version: 1,
      diagnosisId: "d1",
      modality: "OPIOID",
      startDate: "2026-01-05",
      endDate: null,
      status: "ACTIVE",
      stopReason: null,
      drug: "oxycodone",
      dose: 10,
      doseUnit: "mg",
      frequency: "twice-daily",
      maxDosesPerDay: null,
      route: "oral",
      sessionsPlanned: null,
      sessionsAttended: null,
      enteredInError: false,
    },
  ],
};

const input: PacketInput = {
  cautions: { ...NONE, contrastAllergy: true, latexAllergy: true, onAnticoagulant: true, onAntiplatelet: false },
  antithrombotics: ["APIXABAN"],
  imaging: [],
  diagnosisId: "d1",
  allergyNotes: null,
  overview: buildPathwayOverview(record, TODAY),
  evaluation,
  procedure: "EPIDURAL_STEROID_INJECTION",
};

describe("referralPacket", () => {
  it("gathers allergies, hold guidance, medications with MME, cautions and criteria met", () => {
    const packet = referralPacket(input);
    expect(packet.allergies).toEqual(["Contrast", "Latex"]);
    expect(packet.antithrombotics).toEqual([
      { label: "Apixaban", guidance: APIXABAN_HOLD },
      { label: "Anticoagulant (drug not in PainPath's list)", guidance: ANTICOAGULANT },
    ]);
    expect(packet.medications).toMatchObject([{ id: "t1", label: "Oxycodone 10 mg Twice daily", mme: { mme: 30 } }]);
    expect(packet.totalMme?.totalMme).toBe(30);
    expect(packet.cautions).toEqual([APIXABAN_HOLD, ANTICOAGULANT, CONTRAST]);
    expect(packet.criteriaMet).toEqual([MET]);
    expect(packet.ruleSetVersion).toBe("2026.2");
  });

  it.each([
    { case: "another suggested procedure", procedure: "MEDIAL_BRANCH_BLOCK" as const, evaluation, cautions: [] },
    {
      case: "a procedure not suggested",
      procedure: "SPINAL_CORD_STIMULATOR_TRIAL" as const,
      evaluation,
      cautions: null,
    },
    { case: "no procedure chosen yet", procedure: null, evaluation, cautions: null },
    { case: "a direct referral", procedure: "EPIDURAL_STEROID_INJECTION" as const, evaluation: null, cautions: null },
  ])("has no hold guidance for $case, but still lists the anticoagulants", ({ procedure, evaluation, cautions }) => {
    const packet = referralPacket({ ...input, procedure, evaluation });
    expect(packet.antithrombotics).toEqual([
      { label: "Apixaban", guidance: null },
      { label: "Anticoagulant (drug not in PainPath's list)", guidance: null },
    ]);
    expect(packet.cautions).toEqual(cautions);
  });

  it("lists no antithrombotic when none is recorded, and both when both are", () => {
    expect(
      referralPacket({ ...input, antithrombotics: [], cautions: { ...input.cautions, onAnticoagulant: false } })
        .antithrombotics,
    ).toEqual([]);
    const both = referralPacket({
      ...input,
      antithrombotics: ["APIXABAN", "CLOPIDOGREL"],
      cautions: { ...input.cautions, onAntiplatelet: true },
    });
    expect(both.antithrombotics.map((entry) => entry.label)).toEqual([
      "Apixaban",
      "Clopidogrel",
      "Anticoagulant (drug not in PainPath's list)",
      "Antiplatelet (drug not in PainPath's list)",
    ]);
  });

  it("lists the referred diagnosis's imaging, newest first, leaving out other diagnoses and entries in error", () => {
    const study = (diagnosisId: string, performedOn: string, finding: string, enteredInError = false) => ({
      diagnosisId,
      performedOn,
      finding,
      enteredInError,
      modality: "MRI" as const,
      concordance: "CONCORDANT" as const,
    });
    const packet = referralPacket({
      ...input,
      imaging: [
        study("d1", "2025-06-01", "L4-L5 protrusion"),
        study("d2", "2025-07-01", "knee: joint space narrowing"),
        study("d1", "2025-08-01", "wrong patient's scan", true),
        study("d1", "2025-09-01", "L5-S1 protrusion contacting the left S1 root"),
      ],
    });
    expect(packet.imaging).toEqual([
      "MRI 2025-09-01: L5-S1 protrusion contacting the left S1 root (concordant with the clinical findings)",
      "MRI 2025-06-01: L4-L5 protrusion (concordant with the clinical findings)",
    ]);
  });
});
