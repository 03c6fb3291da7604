import { daysBetween, painDuration, type PainDuration } from "~/domain/clinical/duration";
import type { ProcedureType } from "~/generated/prisma/enums";
import { type ConservativeCare, conservativeCare, type TrialOutcome, trialOutcomes } from "./conservative-care";
import type { RuleSetRules } from "./rule-set";
import type { Diagnosis, SnapshotIndex, Therapy } from "./snapshot-index";
import type { Caution, CriterionResult } from "./types";

/** What every rule of one diagnosis reads, computed once per evaluation. */
export interface DiagnosisContext {
  index: SnapshotIndex;
  rules: RuleSetRules;
  diagnosis: Diagnosis;
  /** Null when the onset is after the evaluation date. */
  duration: PainDuration | null;
  trials: readonly TrialOutcome[];
  care: ConservativeCare;
}

const NO_THERAPIES: readonly Therapy[] = Object.freeze([]);

export function diagnosisContext(index: SnapshotIndex, rules: RuleSetRules, diagnosis: Diagnosis): DiagnosisContext {
  const therapies = index.therapiesByDiagnosis.get(diagnosis.id) ?? NO_THERAPIES;
  const trials = trialOutcomes(therapies, index.assessments, index.evaluatedOn, rules.persistence.parameters);
  return {
    index,
    rules,
    diagnosis,
    duration:
      daysBetween(diagnosis.onsetDate, index.evaluatedOn) >= 0
        ? painDuration(diagnosis.onsetDate, index.evaluatedOn)
        : null,
    trials,
    care: conservativeCare(trials, index.evaluatedOn),
  };
}

/** A criterion's result plus the few words the worklist line uses when it is met. */
export interface Evaluated {
  result: CriterionResult;
  phrase: string;
}

export interface GeneralResults {
  persistence: Evaluated;
  sideEffects: Evaluated;
  function: Evaluated;
  surgery: Evaluated;
}

export interface ProcedureOutcome {
  result: CriterionResult;
  /** What to suggest when the result is met. */
  procedure: ProcedureType;
  /** Rule-specific cautions for the suggestion (things to confirm, coverage notes). */
  notes: Caution[];
}
