import { appliedParameters, ruleSourceLine } from "./criterion";
import { DECISION_SUPPORT_DISCLAIMER, type Rule, type RuleSet } from "./rule-set";
import type { AppliedParameter, CriterionResult, DiagnosisEvaluation } from "./types";

/**
 * How an evaluation is stored: everything the engine concluded, without what the rule set of the
 * same version already holds (each threshold's label, unit and sources, each rule's source text,
 * the disclaimer). That halves the row and keeps batch re-evaluation fast; `expandEvaluation`
 * puts it back from the rule set, which never changes once a version exists.
 */
export type StoredEvaluation = Omit<DiagnosisEvaluation, "criteria" | "disclaimer"> & {
  criteria: Array<Omit<CriterionResult, "parameters" | "source"> & { parameters: string[] }>;
};

export function compactEvaluation(evaluation: DiagnosisEvaluation): StoredEvaluation {
  const { disclaimer: _disclaimer, criteria, ...rest } = evaluation;
  return {
    ...rest,
    criteria: criteria.map(({ parameters, source: _source, ...criterion }) => ({
      ...criterion,
      parameters: parameters.map((parameter) => parameter.name),
    })),
  };
}

/** The full evaluation again; `ruleSet` must be the version the evaluation names. */
export function expandEvaluation(stored: StoredEvaluation, ruleSet: RuleSet): DiagnosisEvaluation {
  if (stored.ruleSetVersion !== ruleSet.version) {
    throw new Error(`Evaluation of rule set ${stored.ruleSetVersion} expanded with ${ruleSet.version}.`);
  }
  const rules = new Map<string, Rule>(Object.values(ruleSet.rules).map((rule) => [rule.id, rule]));
  const ruleOf = (ruleId: string) => {
    const rule = rules.get(ruleId);
    if (!rule) throw new Error(`Rule ${ruleId} is not in rule set ${ruleSet.version}.`);
    return rule;
  };
  return {
    ...stored,
    disclaimer: DECISION_SUPPORT_DISCLAIMER,
    criteria: stored.criteria.map((criterion) => {
      const rule = ruleOf(criterion.ruleId);
      return {
        ...criterion,
        source: ruleSourceLine(rule),
        // Qualified names ("FACET-MBB.positiveBlockPercent"): a rule may show thresholds it borrows.
        parameters: criterion.parameters.map((qualified: string | AppliedParameter) => {
          // Rows written before compact storage hold the parameters themselves; re-evaluation rewrites them.
          if (typeof qualified !== "string") return qualified;
          const [ruleId = "", name = ""] = qualified.split(".");
          const [parameter] = appliedParameters(ruleOf(ruleId), [name]);
          if (!parameter) throw new Error(`Parameter ${qualified} is not in rule set ${ruleSet.version}.`);
          return parameter;
        }),
      };
    }),
  };
}
