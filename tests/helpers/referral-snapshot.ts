/** A small snapshot builder for the referral rules' table tests: dates are given in days before TODAY. */
import { expect } from "vitest";
import { addDays } from "~/domain/clinical/duration";
import { evaluateDiagnosis } from "~/domain/referral/engine";
import { DEFAULT_RULE_SET, type ParameterChange, type RuleSet, withParameterChanges } from "~/domain/referral/rule-set";
import type { CriterionResult, DiagnosisEvaluation, PatientSnapshot } from "~/domain/referral/types";

export const TODAY = "2026-06-01";
export const ago = (days: number) => addDays(TODAY, -days);

export type Diagnosis = PatientSnapshot["diagnoses"][number];
export type Therapy = PatientSnapshot["therapies"][number];
export type Assessment = PatientSnapshot["assessments"][number];
export type Procedure = PatientSnapshot["procedures"][number];
export type Patient = PatientSnapshot["patient"];

export function diagnosis(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    id: "d1",
    icd10Code: "M54.16",
    label: "Radiculopathy, lumbar region",
    bodyRegion: "LUMBAR",
    painType: "RADICULAR",
    onsetDate: ago(400),
    surgicalStatus: "NOT_EVALUATED",
    redFlags: [],
    enteredInError: false,
    ...overrides,
  };
}

export const AXIAL_LUMBAR = { icd10Code: "M47.816", label: "Lumbar spondylosis", painType: "AXIAL" } as const;
export const NEUROPATHY = {
  icd10Code: "E11.42",
  label: "Type 2 diabetes with polyneuropathy",
  bodyRegion: "OTHER",
  painType: "NEUROPATHIC",
} as const;
export const KNEE_OA = {
  icd10Code: "M17.11",
  label: "Primary osteoarthritis, right knee",
  bodyRegion: "KNEE",
  painType: "JOINT",
} as const;
export const POST_LAMINECTOMY = {
  icd10Code: "M96.1",
  label: "Postlaminectomy syndrome",
  painType: "RADICULAR",
} as const;
export const SHOULDER = {
  icd10Code: "M25.511",
  label: "Pain in right shoulder",
  bodyRegion: "SHOULDER",
  painType: "JOINT",
} as const;

/** A trial from `from` days ago to `to` days ago (null: ongoing). */
export function therapy(
  modality: Therapy["modality"],
  from: number,
  to: number | null,
  overrides: Partial<Therapy> = {},
): Therapy {
  const sessions = modality === "PHYSICAL_THERAPY" || modality === "PSYCHOLOGICAL_THERAPY";
  return {
    id: `${modality.toLowerCase()}-${from}`,
    diagnosisId: "d1",
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
    sessionsPlanned: sessions ? 8 : null,
    sessionsAttended: sessions ? 8 : null,
    enteredInError: false,
    ...overrides,
  };
}

export function assessment(
  daysAgo: number,
  scores: Partial<Pick<Assessment, "painAverage" | "pegScore" | "odiPercent" | "ndiPercent" | "limitation">> = {},
  sideEffects: Assessment["sideEffects"] = [],
): Assessment {
  const painAverage = scores.painAverage ?? 7;
  return {
    id: `a${daysAgo}`,
    date: ago(daysAgo),
    painNow: painAverage,
    painAverage,
    painWorst: Math.min(10, painAverage + 2),
    pegScore: scores.pegScore ?? painAverage,
    odiPercent: scores.odiPercent ?? null,
    ndiPercent: scores.ndiPercent ?? null,
    limitation: scores.limitation ?? "MODERATE",
    sideEffects,
    enteredInError: false,
  };
}

/** A procedure with pain before → after, or a bare recorded % when `relief` is a number. */
export function procedure(
  type: Procedure["type"],
  daysAgo: number,
  relief: [before: number, after: number] | number | null,
  lastedDays: number | null = null,
  overrides: Partial<Procedure> = {},
): Procedure {
  return {
    id: `${type.toLowerCase()}-${daysAgo}`,
    diagnosisId: "d1",
    type,
    region: "LUMBAR",
    level: null,
    performedOn: ago(daysAgo),
    painBefore: Array.isArray(relief) ? relief[0] : null,
    painAfter: Array.isArray(relief) ? relief[1] : null,
    reliefPercent: typeof relief === "number" ? relief : null,
    reliefDurationDays: lastedDays,
    enteredInError: false,
    ...overrides,
  };
}

export function snapshot(
  parts: {
    diagnoses?: Diagnosis[];
    therapies?: Therapy[];
    assessments?: Assessment[];
    procedures?: Procedure[];
    patient?: Partial<Omit<Patient, "cautions">> & { cautions?: Partial<Patient["cautions"]> };
  } = {},
): PatientSnapshot {
  const { cautions, ...patient } = parts.patient ?? {};
  return {
    evaluatedOn: TODAY,
    patient: {
      id: "p1",
      birthDate: "1960-05-01",
      status: "ACTIVE",
      psychEvaluationStatus: "NOT_DONE",
      psychEvaluationDate: null,
      naloxoneOfferedOn: null,
      antithrombotics: [],
      ...patient,
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
    diagnoses: parts.diagnoses ?? [diagnosis()],
    therapies: parts.therapies ?? [],
    assessments: parts.assessments ?? [],
    procedures: parts.procedures ?? [],
  };
}

/**
 * Two failed modalities with unchanged scores: an NSAID for 35 days, then 45 days of physical
 * therapy (8 sessions), scored before, between and after. Conservative care: 80 days.
 */
export const twoFailedTrials = () => [
  therapy("NSAID", 85, 50, { drug: "Naproxen", dose: 500, doseUnit: "mg", frequency: "twice-daily" }),
  therapy("PHYSICAL_THERAPY", 50, 5, { status: "COMPLETED", stopReason: "COMPLETED_COURSE" }),
];
export const scoresFor = (days: number[], scores: Parameters<typeof assessment>[1] = {}) =>
  days.map((daysAgo) => assessment(daysAgo, scores));
export const persisting = (scores: Parameters<typeof assessment>[1] = { odiPercent: 44 }) => ({
  therapies: twoFailedTrials(),
  assessments: scoresFor([86, 51, 10], scores),
});

/** The same two modalities over 125 days, for rules needing three months of conservative care. */
export const longerCare = (scores: Parameters<typeof assessment>[1] = { odiPercent: 44 }) => ({
  therapies: [therapy("NSAID", 130, 90), therapy("PHYSICAL_THERAPY", 90, 5)],
  assessments: scoresFor([131, 91, 10], scores),
});

export function evaluation(s: PatientSnapshot, ruleSet: RuleSet = DEFAULT_RULE_SET): DiagnosisEvaluation {
  const result = evaluateDiagnosis(s, "d1", ruleSet);
  if (!result) throw new Error("d1 not evaluated");
  return result;
}

export function criterion(s: PatientSnapshot, ruleId: string, ruleSet: RuleSet = DEFAULT_RULE_SET): CriterionResult {
  const found = evaluation(s, ruleSet).criteria.find((result) => result.ruleId === ruleId);
  if (!found) throw new Error(`${ruleId} not evaluated`);
  return found;
}

export const status = (s: PatientSnapshot, ruleId: string, ruleSet?: RuleSet) => criterion(s, ruleId, ruleSet).status;

/** The status, and for "not met" the reason, so a row cannot pass for the wrong reason. */
export function expectStatus(s: PatientSnapshot, ruleId: string, expected: string, notMetBecause: string) {
  const result = criterion(s, ruleId);
  expect(result.status).toBe(expected);
  if (expected === "not-met") expect(result.explanation).toContain(notMetBecause);
}

export function changed(changes: ParameterChange[]): RuleSet {
  const result = withParameterChanges(DEFAULT_RULE_SET, changes, "test", DEFAULT_RULE_SET.releasedOn);
  if (!result.ok) throw new Error(result.errors.join(" "));
  return result.ruleSet;
}
