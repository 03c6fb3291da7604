import { describe, expect, it } from "vitest";
import { addDays } from "~/domain/clinical/duration";
import { evaluateDiagnosis, evaluatePatient } from "~/domain/referral/engine";
import { DECISION_SUPPORT_DISCLAIMER, DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import type { DiagnosisEvaluation, PatientSnapshot, ProcedureSuggestion } from "~/domain/referral/types";

const TODAY = "2026-06-01";
const ago = (days: number) => addDays(TODAY, -days);

type Diagnosis = PatientSnapshot["diagnoses"][number];
type Therapy = PatientSnapshot["therapies"][number];
type Assessment = PatientSnapshot["assessments"][number];
type Cautions = PatientSnapshot["patient"]["cautions"];

const RADICULAR: Diagnosis = {
  id: "d1",
  icd10Code: "M54.16",
  label: "Radiculopathy, lumbar region",
  bodyRegion: "LUMBAR",
  painType: "RADICULAR",
  onsetDate: ago(400),
  surgicalStatus: "DECLINED_BY_PATIENT",
  redFlags: [],
  enteredInError: false,
};
const FACET: Diagnosis = {
  ...RADICULAR,
  id: "d2",
  icd10Code: "M47.816",
  label: "Lumbar spondylosis",
  painType: "AXIAL",
};
const CERVICAL_FACET: Diagnosis = { ...FACET, id: "d3", icd10Code: "M47.812", bodyRegion: "CERVICAL" };
const NEUROPATHY: Diagnosis = {
  ...RADICULAR,
  id: "d4",
  icd10Code: "M96.1",
  label: "Postlaminectomy syndrome",
  surgicalStatus: "NOT_A_CANDIDATE",
};
const KNEE: Diagnosis = {
  ...RADICULAR,
  id: "d5",
  icd10Code: "M17.11",
  label: "Primary osteoarthritis, right knee",
  bodyRegion: "KNEE",
  painType: "JOINT",
};

function trial(
  id: string,
  diagnosisId: string,
  modality: Therapy["modality"],
  from: number,
  to: number | null,
): Therapy {
  return {
    id,
    diagnosisId,
    modality,
    startDate: ago(from),
    endDate: to === null ? null : ago(to),
    status: to === null ? "ACTIVE" : "STOPPED",
    stopReason: to === null ? null : "INEFFECTIVE",
    drug: null,
    dose: null,
    doseUnit: null,
    frequency: null,
    maxDosesPerDay: null,
    sessionsPlanned: modality === "PHYSICAL_THERAPY" ? 8 : null,
    sessionsAttended: modality === "PHYSICAL_THERAPY" ? 8 : null,
    enteredInError: false,
  };
}

/** Failed NSAID and PT trials for each diagnosis over 250 days; pain 7/10, ODI 44 %, moderate limitation. */
const onDrugs = (s: PatientSnapshot, antithrombotics: PatientSnapshot["patient"]["antithrombotics"]) => ({
  ...s,
  patient: { ...s.patient, antithrombotics },
});

function study(
  id: string,
  modality: NonNullable<PatientSnapshot["imaging"]>[number]["modality"],
  daysAgo: number,
  concordance: NonNullable<PatientSnapshot["imaging"]>[number]["concordance"],
) {
  return { id, diagnosisId: "d1", modality, performedOn: ago(daysAgo), concordance, enteredInError: false };
}

function snapshot(diagnoses: Diagnosis[], overrides: Partial<PatientSnapshot> & { cautions?: Partial<Cautions> } = {}) {
  const { cautions, ...rest } = overrides;
  const assessments: Assessment[] = [251, 151, 30, 10].map((daysAgo) => ({
    id: `a${daysAgo}`,
    date: ago(daysAgo),
    painNow: 7,
    painAverage: 7,
    painWorst: 9,
    pegScore: 7,
    odiPercent: 44,
    ndiPercent: 44,
    limitation: "MODERATE",
    sideEffects: [],
    enteredInError: false,
  }));
  return {
    evaluatedOn: TODAY,
    patient: {
      id: "p1",
      birthDate: "1958-02-10",
      status: "ACTIVE",
      psychEvaluationStatus: "CLEARED",
      psychEvaluationDate: ago(60),
      naloxoneOfferedOn: null,
      antithrombotics: [],
      cautions: {
        onAnticoagulant: false,
        onAntiplatelet: false,
        bleedingDisorder: false,
        pregnant: false,
        contrastAllergy: false,
        poorlyControlledDiabetes: false,
        implantedCardiacDevice: false,
        activeInfection: false,
        onBenzodiazepine: false,
        latexAllergy: false,
        localAnaestheticAllergy: false,
        corticosteroidAllergy: false,
        ...cautions,
      },
    },
    diagnoses,
    therapies: diagnoses.flatMap(({ id }) => [
      trial(`${id}-nsaid`, id, "NSAID", 250, 150),
      trial(`${id}-pt`, id, "PHYSICAL_THERAPY", 150, 20),
    ]),
    assessments,
    procedures: [],
    ...rest,
  } satisfies PatientSnapshot;
}

function evaluate(s: PatientSnapshot, diagnosisId: string): DiagnosisEvaluation {
  const evaluation = evaluateDiagnosis(s, diagnosisId, DEFAULT_RULE_SET);
  if (!evaluation) throw new Error(`${diagnosisId} not evaluated`);
  return evaluation;
}

const suggestion = (evaluation: DiagnosisEvaluation, procedure: ProcedureSuggestion["procedure"]) =>
  evaluation.suggestions.find((candidate) => candidate.procedure === procedure);
const codes = (found: ProcedureSuggestion | undefined) => found?.cautions.map((caution) => caution.code);

describe("evaluatePatient and evaluateDiagnosis", () => {
  it("returns one evaluation per diagnosis not entered in error, in the snapshot's order", () => {
    const s = snapshot([RADICULAR, { ...FACET, enteredInError: true }, KNEE]);
    expect(evaluatePatient(s, DEFAULT_RULE_SET).map((evaluation) => evaluation.diagnosisId)).toEqual(["d1", "d5"]);
    expect(evaluateDiagnosis(s, "d2", DEFAULT_RULE_SET)).toBeNull();
    expect(evaluateDiagnosis(s, "unknown", DEFAULT_RULE_SET)).toBeNull();
  });

  it("names the rule set, the evaluation date and every rule's version and source", () => {
    const evaluation = evaluate(snapshot([RADICULAR]), "d1");
    expect(evaluation).toMatchObject({ ruleSetVersion: "2026.2", evaluatedOn: TODAY });
    expect(evaluation.criteria.map((c) => `${c.ruleId} v${c.ruleVersion}`)).toEqual([
      "GEN-PERSIST v2",
      "GEN-SIDE-EFFECTS v2",
      "GEN-FUNCTION v2",
      "GEN-SURGERY v2",
      "ESI v3",
      "FACET-MBB v2",
      "FACET-RFA v2",
      "FACET-IA v2",
      "SCS v2",
    ]);
    for (const criterion of evaluation.criteria) expect(criterion.source).toMatch(/Revision: .+\.$/);
    expect(evaluation.criteria.find((c) => c.ruleId === "ESI")?.source).toMatch(/^CMS LCD L39240/);
  });

  it("says on every result that it is decision support, not a coverage determination", () => {
    for (const evaluation of evaluatePatient(snapshot([RADICULAR, FACET, KNEE]), DEFAULT_RULE_SET)) {
      expect(evaluation.disclaimer).toBe(DECISION_SUPPORT_DISCLAIMER);
      expect(evaluation.disclaimer).toContain("not a coverage determination");
    }
  });

  it("reads the record as of the evaluation date: later rows do not count", () => {
    const s = snapshot([RADICULAR]);
    const future: Assessment = {
      ...(s.assessments[2] as Assessment),
      id: "future",
      date: addDays(TODAY, 5),
      painAverage: 0,
      pegScore: 0,
    };
    expect(evaluatePatient({ ...s, assessments: [...s.assessments, future] }, DEFAULT_RULE_SET)).toEqual(
      evaluatePatient(s, DEFAULT_RULE_SET),
    );
  });
});

describe("red flags", () => {
  it("outrank everything: urgent, flagged, no routine suggestions, and the summary leads with the flag", () => {
    const s = snapshot([{ ...RADICULAR, redFlags: ["CAUDA_EQUINA"] }]);
    const evaluation = evaluate(s, "d1");
    expect(evaluation.urgent).toMatchObject({
      redFlags: ["CAUDA_EQUINA"],
      ruleId: "RED-FLAG",
      ruleVersion: 2,
      source: expect.stringContaining("AHCPR"),
    });
    expect(evaluation.urgent?.explanation).toMatch(/^Possible cauda equina syndrome: saddle anaesthesia/);
    expect(evaluation.flag).toBe(true);
    expect(evaluation.suggestions).toEqual([]);
    expect(evaluation.summary).toBe("Red flag: Possible cauda equina syndrome. Evaluate now, not a pathway decision.");
    // Evaluate now: no procedure rule is shown beneath a red flag.
    expect(evaluation.criteria.find((c) => c.ruleId === "ESI")).toBeUndefined();
  });

  it("flag even a diagnosis that meets no criterion", () => {
    const s = snapshot([{ ...RADICULAR, onsetDate: ago(20), redFlags: ["TUMOUR_OR_INFECTION", "FRACTURE_RISK"] }]);
    const evaluation = evaluate(s, "d1");
    expect(evaluation.flag).toBe(true);
    expect(evaluation.summary).toBe(
      "Red flag: Possible tumour or infection, Possible fracture. Evaluate now, not a pathway decision.",
    );
  });

  it("on another diagnosis become a caution on this one's suggestions", () => {
    const s = snapshot([RADICULAR, { ...KNEE, redFlags: ["TUMOUR_OR_INFECTION"] }]);
    const esi = suggestion(evaluate(s, "d1"), "EPIDURAL_STEROID_INJECTION");
    expect(esi?.cautions[0]).toMatchObject({
      code: "RED_FLAG_OTHER_DIAGNOSIS",
      message: expect.stringContaining("M17.11 Primary osteoarthritis, right knee (possible tumour or infection)"),
    });
  });
});

describe("cautions are shown on suggestions, never dropped", () => {
  it.each<{
    case: string;
    cautions: Partial<Cautions>;
    diagnosis: Diagnosis;
    procedure: ProcedureSuggestion["procedure"];
    code: string;
    message?: string;
  }>([
    {
      case: "anticoagulant on an ESI",
      cautions: { onAnticoagulant: true },
      diagnosis: RADICULAR,
      procedure: "EPIDURAL_STEROID_INJECTION",
      code: "ANTICOAGULANT",
      message: "intermediate bleeding risk",
    },
    {
      case: "antiplatelet on a lumbar MBB (low risk since ASRA 2018)",
      cautions: { onAntiplatelet: true },
      diagnosis: FACET,
      procedure: "MEDIAL_BRANCH_BLOCK",
      code: "ANTIPLATELET",
      message: "low bleeding risk",
    },
    {
      case: "anticoagulant on a cervical MBB",
      cautions: { onAnticoagulant: true },
      diagnosis: CERVICAL_FACET,
      procedure: "MEDIAL_BRANCH_BLOCK",
      code: "ANTICOAGULANT",
      message: "intermediate bleeding risk",
    },
    {
      case: "bleeding disorder on an SCS trial",
      cautions: { bleedingDisorder: true },
      diagnosis: NEUROPATHY,
      procedure: "SPINAL_CORD_STIMULATOR_TRIAL",
      code: "BLEEDING_DISORDER",
      message: "high bleeding risk",
    },
    {
      case: "pregnancy on an ESI",
      cautions: { pregnant: true },
      diagnosis: RADICULAR,
      procedure: "EPIDURAL_STEROID_INJECTION",
      code: "PREGNANCY",
    },
    {
      case: "contrast allergy on an ESI",
      cautions: { contrastAllergy: true },
      diagnosis: RADICULAR,
      procedure: "EPIDURAL_STEROID_INJECTION",
      code: "CONTRAST_ALLERGY",
      message: "ultrasound guidance without contrast",
    },
    {
      case: "implanted cardiac device on SCS",
      cautions: { implantedCardiacDevice: true },
      diagnosis: NEUROPATHY,
      procedure: "SPINAL_CORD_STIMULATOR_TRIAL",
      code: "IMPLANTED_CARDIAC_DEVICE",
      message: "contraindication to SCS in some payer policies",
    },
    {
      case: "poorly controlled diabetes on an ESI (steroid)",
      cautions: { poorlyControlledDiabetes: true },
      diagnosis: RADICULAR,
      procedure: "EPIDURAL_STEROID_INJECTION",
      code: "POORLY_CONTROLLED_DIABETES",
    },
    {
      case: "local anaesthetic allergy on a medial branch block",
      cautions: { localAnaestheticAllergy: true },
      diagnosis: FACET,
      procedure: "MEDIAL_BRANCH_BLOCK",
      code: "LOCAL_ANAESTHETIC_ALLERGY",
      message: "confirm the agent",
    },
    {
      case: "corticosteroid allergy on an ESI",
      cautions: { corticosteroidAllergy: true },
      diagnosis: RADICULAR,
      procedure: "EPIDURAL_STEROID_INJECTION",
      code: "CORTICOSTEROID_ALLERGY",
      message: "steroid-free",
    },
    {
      case: "latex allergy on a genicular block",
      cautions: { latexAllergy: true },
      diagnosis: KNEE,
      procedure: "GENICULAR_NERVE_BLOCK",
      code: "LATEX_ALLERGY",
      message: "latex-free",
    },
    {
      case: "active infection on a genicular block",
      cautions: { activeInfection: true },
      diagnosis: KNEE,
      procedure: "GENICULAR_NERVE_BLOCK",
      code: "ACTIVE_INFECTION",
      message: "hold the procedure",
    },
  ])("$case", ({ cautions, diagnosis, procedure, code, message }) => {
    const found = suggestion(evaluate(snapshot([diagnosis], { cautions }), diagnosis.id), procedure);
    expect(found, "the suggestion stays").toBeDefined();
    const caution = found?.cautions.find((candidate) => candidate.code === code);
    expect(caution?.source).toMatch(/^CAUTIONS v3: /);
    if (message) expect(caution?.message).toContain(message);
  });

  // Narouze et al. ASRA 2018 (RAPM 43:225–262), summary table: hold times by drug and by the procedure's bleeding risk.
  it.each<{
    case: string;
    antithrombotics: PatientSnapshot["patient"]["antithrombotics"];
    diagnosis: Diagnosis;
    procedure: ProcedureSuggestion["procedure"];
    expected: Record<string, string>;
  }>([
    {
      case: "apixaban and clopidogrel before an ESI (intermediate risk)",
      antithrombotics: ["APIXABAN", "CLOPIDOGREL"],
      diagnosis: RADICULAR,
      procedure: "EPIDURAL_STEROID_INJECTION",
      expected: {
        HOLD_APIXABAN: "Apixaban: stop 3–5 days before (intermediate bleeding risk); restart 24 hours after",
        HOLD_CLOPIDOGREL: "Clopidogrel: stop 7 days before (intermediate bleeding risk); restart 12–24 hours after",
      },
    },
    {
      case: "warfarin and clopidogrel before a lumbar MBB (low risk since 2018)",
      antithrombotics: ["WARFARIN", "CLOPIDOGREL"],
      diagnosis: FACET,
      procedure: "MEDIAL_BRANCH_BLOCK",
      expected: {
        HOLD_WARFARIN: "Warfarin: shared assessment and risk stratification with the prescriber (low bleeding risk)",
        HOLD_CLOPIDOGREL: "Clopidogrel: no hold needed for a low-risk procedure",
      },
    },
    {
      case: "primary-prevention aspirin and dabigatran before an SCS trial (high risk)",
      antithrombotics: ["ASPIRIN_PRIMARY_PREVENTION", "DABIGATRAN"],
      diagnosis: NEUROPATHY,
      procedure: "SPINAL_CORD_STIMULATOR_TRIAL",
      expected: {
        HOLD_ASPIRIN_PRIMARY_PREVENTION: "Aspirin, primary prevention: stop 6 days before (high bleeding risk)",
        HOLD_DABIGATRAN: "Dabigatran: stop 4–5 days (6 days with impaired renal function) before (high bleeding risk)",
      },
    },
  ])("names each drug's hold: $case", ({ antithrombotics, diagnosis, procedure, expected }) => {
    const found = suggestion(evaluate(onDrugs(snapshot([diagnosis]), antithrombotics), diagnosis.id), procedure);
    expect(found, "the suggestion stays").toBeDefined();
    for (const [code, message] of Object.entries(expected)) {
      expect(found?.cautions.find((caution) => caution.code === code)?.message).toContain(message);
    }
  });

  // LCD L39240: ESI for radicular pain with MRI or CT concordant with the history and examination.
  it.each<{
    case: string;
    imaging: NonNullable<PatientSnapshot["imaging"]>;
    status: string;
    explanation: RegExp;
    reminder: boolean;
  }>([
    {
      case: "no imaging recorded: suggested, with the reminder",
      imaging: [],
      status: "met",
      explanation: /radicular pain/i,
      reminder: true,
    },
    {
      case: "a concordant MRI",
      imaging: [study("i1", "MRI", 60, "CONCORDANT")],
      status: "met",
      explanation: new RegExp(`concordant MRI of ${ago(60)}`),
      reminder: false,
    },
    {
      case: "a CT not concordant with the examination",
      imaging: [study("i1", "CT", 60, "NOT_CONCORDANT")],
      status: "not-met",
      explanation: /CT of .* is not concordant with the clinical findings/,
      reminder: false,
    },
    {
      case: "an MRI whose concordance was not judged",
      imaging: [study("i1", "MRI", 60, "NOT_ASSESSED")],
      status: "not-enough-data",
      explanation: /whether the MRI of .* is concordant/,
      reminder: false,
    },
    {
      case: "a later study not concordant outweighs an earlier concordant one",
      imaging: [study("i1", "MRI", 300, "CONCORDANT"), study("i2", "MRI", 30, "NOT_CONCORDANT")],
      status: "not-met",
      explanation: /not concordant/,
      reminder: false,
    },
    {
      case: "an X-ray alone, or a concordant MRI entered in error, leaves the reminder",
      imaging: [
        study("i1", "XRAY", 30, "CONCORDANT"),
        { ...study("i2", "MRI", 20, "CONCORDANT"), enteredInError: true },
      ],
      status: "met",
      explanation: /radicular pain/i,
      reminder: true,
    },
  ])("ESI and imaging: $case", ({ imaging, status, explanation, reminder }) => {
    const evaluation = evaluate(snapshot([RADICULAR], { imaging }), RADICULAR.id);
    const esi = evaluation.criteria.find((criterion) => criterion.ruleId === "ESI");
    expect(esi?.status).toBe(status);
    expect(`${esi?.explanation} ${esi?.missing.join(" ")}`).toMatch(explanation);
    const notes = evaluation.suggestions.flatMap((s) => s.cautions).map((caution) => caution.code);
    if (status === "met") expect(notes.includes("CONFIRM_IMAGING")).toBe(reminder);
  });

  it("names the recorded radicular signs in the ESI indication", () => {
    const signed = {
      ...RADICULAR,
      radicularSigns: ["PAIN_BELOW_KNEE_OR_ELBOW", "DERMATOMAL_DISTRIBUTION"],
    } as Diagnosis;
    const esi = evaluate(snapshot([signed]), signed.id).criteria.find((criterion) => criterion.ruleId === "ESI");
    expect(esi?.explanation).toContain(
      "Radicular pain (pain radiates below the knee or elbow; dermatomal distribution)",
    );
  });

  it("names the knee imaging and intra-articular injection PainPath holds, or asks to confirm them", () => {
    const workup = (s: PatientSnapshot) =>
      evaluate(s, KNEE.id)
        .suggestions.flatMap((suggestion) => suggestion.cautions)
        .find((caution) => caution.code === "CONFIRM_KNEE_WORKUP")?.message;
    expect(workup(snapshot([KNEE]))).toBe(
      "Confirm radiographic osteoarthritis (no concordant knee imaging recorded). Confirm a failed intra-articular injection (none recorded).",
    );
    const injection = {
      id: "ia1",
      diagnosisId: KNEE.id,
      type: "INTRA_ARTICULAR_INJECTION" as const,
      region: "KNEE" as const,
      level: null,
      performedOn: ago(120),
      painBefore: 7,
      painAfter: 6,
      reliefPercent: null,
      reliefDurationDays: 30,
      enteredInError: false,
    };
    const worked = snapshot([KNEE], {
      imaging: [{ ...study("x1", "XRAY", 200, "CONCORDANT"), diagnosisId: KNEE.id }],
      procedures: [injection],
    });
    expect(workup(worked)).toBe(
      `Osteoarthritis on imaging: X-ray of ${ago(200)}. Intra-articular injection on ${ago(120)}: 14.3 % relief.`,
    );
  });

  it("holds an active NSAID only before a high-risk procedure, for its drug's five half-lives", () => {
    const withNaproxen = (s: PatientSnapshot): PatientSnapshot => ({
      ...s,
      therapies: [
        ...s.therapies,
        { ...trial("naproxen", s.diagnoses[0]!.id, "NSAID", 30, null), drug: "Naproxen 500 mg" },
      ],
    });
    const scs = suggestion(
      evaluate(withNaproxen(snapshot([NEUROPATHY])), NEUROPATHY.id),
      "SPINAL_CORD_STIMULATOR_TRIAL",
    );
    expect(scs?.cautions.find((caution) => caution.code === "HOLD_NSAID")?.message).toBe(
      "Naproxen: stop 4 days before (high bleeding risk; five half-lives); restart 24 hours after.",
    );
    const esi = suggestion(evaluate(withNaproxen(snapshot([RADICULAR])), RADICULAR.id), "EPIDURAL_STEROID_INJECTION");
    expect(esi, "the ESI is suggested").toBeDefined();
    expect(esi?.cautions.map((caution) => caution.code)).not.toContain("HOLD_NSAID");
  });

  it.each<{
    case: string;
    cautions: Partial<Cautions>;
    diagnosis: Diagnosis;
    procedure: ProcedureSuggestion["procedure"];
    code: string;
  }>([
    {
      case: "contrast allergy on a genicular block",
      cautions: { contrastAllergy: true },
      diagnosis: KNEE,
      procedure: "GENICULAR_NERVE_BLOCK",
      code: "CONTRAST_ALLERGY",
    },
    {
      case: "diabetes on an MBB (no steroid)",
      cautions: { poorlyControlledDiabetes: true },
      diagnosis: FACET,
      procedure: "MEDIAL_BRANCH_BLOCK",
      code: "POORLY_CONTROLLED_DIABETES",
    },
    {
      case: "cardiac device on an ESI",
      cautions: { implantedCardiacDevice: true },
      diagnosis: RADICULAR,
      procedure: "EPIDURAL_STEROID_INJECTION",
      code: "IMPLANTED_CARDIAC_DEVICE",
    },
  ])("only where they apply: no $case caution", ({ cautions, diagnosis, procedure, code }) => {
    expect(codes(suggestion(evaluate(snapshot([diagnosis], { cautions }), diagnosis.id), procedure))).not.toContain(
      code,
    );
  });

  it("in a fixed order: holds, bleeding, imaging, then the rule's own notes", () => {
    const all = {
      activeInfection: true,
      onAnticoagulant: true,
      onAntiplatelet: true,
      pregnant: true,
      contrastAllergy: true,
      poorlyControlledDiabetes: true,
    };
    expect(
      codes(suggestion(evaluate(snapshot([RADICULAR], { cautions: all }), "d1"), "EPIDURAL_STEROID_INJECTION")),
    ).toEqual([
      "ACTIVE_INFECTION",
      "ANTICOAGULANT",
      "ANTIPLATELET",
      "PREGNANCY",
      "CONTRAST_ALLERGY",
      "POORLY_CONTROLLED_DIABETES",
      "CONFIRM_IMAGING",
      "COMBINE_WITH_REHAB",
    ]);
  });
});

describe("flag, summary and missing data", () => {
  it("summarises the criteria met and the suggestions in one line", () => {
    const evaluation = evaluate(snapshot([RADICULAR]), "d1");
    expect(evaluation.flag).toBe(true);
    expect(evaluation.summary).toBe(
      "Pain persists (7/10 after 2 failed trials); limits function (ODI 44 %, moderate limitation); surgery declined. " +
        "Suggested: ESI (2 cautions).",
    );
  });

  it("prompts an opioid reassessment with the MME total and working, never a criterion", () => {
    const opioid: Therapy = {
      ...trial("oxy", "d1", "OPIOID", 120, null),
      drug: "fentanyl-transdermal",
      dose: 25,
      doseUnit: "mcg/hr",
      frequency: "continuous",
    };
    const s = snapshot([RADICULAR]);
    const evaluation = evaluate({ ...s, therapies: [...s.therapies, opioid] }, "d1");
    expect(evaluation.summary).not.toContain("side effects outweigh benefit");
    const reassess = evaluation.prompts?.find((prompt) => prompt.code === "OPIOID_REASSESS")?.message;
    expect(reassess).toContain("Fentanyl (transdermal patch) 25 mcg/hr × 2.4 = 60 MME/day (CDC 2022 factors)");
    expect(reassess).toContain("Transdermal fentanyl: special caution");
  });

  it("never flags on surgery declined alone", () => {
    const s = snapshot([RADICULAR], {
      assessments: [251, 151, 10].map((daysAgo) => ({
        id: `a${daysAgo}`,
        date: ago(daysAgo),
        painNow: 2,
        painAverage: 2,
        painWorst: 3,
        pegScore: 2,
        odiPercent: 10,
        ndiPercent: null,
        limitation: "MILD",
        sideEffects: [],
        enteredInError: false,
      })),
    });
    const evaluation = evaluate(s, "d1");
    expect(evaluation.criteria.find((c) => c.ruleId === "GEN-SURGERY")?.status).toBe("met");
    expect(evaluation.flag).toBe(false);
    expect(evaluation.summary).toBe("No referral criterion met.");
  });

  it("does not flag a diagnosis that is not yet chronic, even when function is limited", () => {
    const evaluation = evaluate(snapshot([{ ...RADICULAR, onsetDate: ago(60) }]), "d1");
    expect(evaluation.criteria.find((c) => c.ruleId === "GEN-FUNCTION")?.status).toBe("met");
    expect(evaluation.flag).toBe(false);
    // The ESI LCD needs only 4 weeks of pain, so the suggestion is still shown.
    expect(evaluation.summary).toBe("Pain for 1 month: not yet chronic. Suggested: ESI (2 cautions).");
  });

  it("collects what to record, once, and says so in the summary", () => {
    const s = snapshot([RADICULAR, FACET], { assessments: [] });
    const evaluation = evaluate(s, "d1");
    expect(evaluation.flag).toBe(false);
    expect(evaluation.missingData).toEqual([
      "A pain and PEG score (none in the last 90 days)",
      `A pain and PEG score before and during the NSAID trial from ${ago(250)}`,
      `A pain and PEG score before and during the physical therapy trial from ${ago(150)}`,
    ]);
    expect(evaluation.summary).toBe("Needs data: A pain and PEG score (none in the last 90 days) (+2 more).");
    for (const criterion of evaluation.criteria) {
      if (criterion.status === "not-enough-data") expect(criterion.missing.length).toBeGreaterThan(0);
      else expect(criterion.missing).toEqual([]);
    }
  });

  it("lists the SCS prerequisites still to record for the nurses", () => {
    const s = snapshot([NEUROPATHY], {
      patient: { ...snapshot([]).patient, psychEvaluationStatus: "NOT_DONE", psychEvaluationDate: null },
    });
    const evaluation = evaluate(s, "d4");
    expect(evaluation.missingData).toEqual(["Psychological evaluation for SCS (not done)"]);
    expect(evaluation.flag).toBe(true);
  });

  it("shows the rolling counters and the day count since the last procedure in the evidence", () => {
    const s = snapshot([FACET], {
      procedures: [
        {
          id: "mbb1",
          diagnosisId: "d2",
          type: "MEDIAL_BRANCH_BLOCK",
          region: "LUMBAR",
          level: "L4–L5, L5–S1 right",
          performedOn: ago(30),
          painBefore: 8,
          painAfter: 1,
          reliefPercent: null,
          reliefDurationDays: null,
          enteredInError: false,
        },
      ],
    });
    const mbb = evaluate(s, "d2").criteria.find((c) => c.ruleId === "FACET-MBB");
    expect(mbb?.status).toBe("met");
    expect(mbb?.explanation).toContain("a confirmatory block is due (30 days later)");
    expect(mbb?.evidence.map((line) => line.summary)).toEqual([
      `Conservative care recorded since ${ago(250)}; 2 trials failed or not tolerated`,
      `1 of at most 4 MBB sessions in the lumbar spine in the last 12 months; last on ${ago(30)}`,
      `MBB ${ago(30)} L4–L5, L5–S1 right: pain 8 → 1 (87.5 % relief), 30 days ago`,
    ]);
  });
});
