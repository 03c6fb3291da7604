import type { DiagnosisEvaluation } from "./referral/types";

/**
 * The parts of an evaluation that matter clinically, as a canonical string: which rules gave which
 * status on which records. Explanations (which mention durations that grow every day) are left
 * out, so re-running tomorrow on the same record yields the same fingerprint and no new row.
 */
export function materialContent(evaluation: DiagnosisEvaluation): string {
  return JSON.stringify([
    // The storage format: a change here makes the next re-evaluation rewrite every stored row.
    "compact-1",
    evaluation.ruleSetVersion,
    evaluation.flag,
    evaluation.urgent?.redFlags ?? null,
    evaluation.criteria.map((criterion) => [
      criterion.ruleId,
      criterion.ruleVersion,
      criterion.status,
      criterion.evidence.map((evidence) => evidence.id ?? evidence.summary).sort(),
      criterion.missing,
    ]),
    evaluation.suggestions.map((suggestion) => [
      suggestion.procedure,
      suggestion.cautions.map((caution) => caution.code).sort(),
    ]),
    (evaluation.prompts ?? []).map((prompt) => prompt.code),
  ]);
}

/** Rule ids whose criteria are met: what a dismissed flag is compared against. */
export function metCriteria(evaluation: DiagnosisEvaluation): string[] {
  return evaluation.criteria.filter((criterion) => criterion.status === "met").map((criterion) => criterion.ruleId);
}
