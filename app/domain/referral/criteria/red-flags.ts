/** Red flags take a diagnosis out of the pathway: urgent evaluation, never a referral decision (§8, §10.5). */
import { RED_FLAG_DEFINITIONS } from "~/domain/pathway-vocabulary";
import { dedupe, lowerFirst } from "../criterion";
import type { RuleSetRules } from "../rule-set";
import type { Diagnosis } from "../snapshot-index";
import type { DiagnosisEvaluation } from "../types";

export function redFlagUrgency(diagnosis: Diagnosis, rules: RuleSetRules): DiagnosisEvaluation["urgent"] {
  if (diagnosis.redFlags.length === 0) return null;
  const rule = rules.redFlags;
  const flags = dedupe(diagnosis.redFlags);
  return {
    redFlags: flags,
    explanation: flags
      .map((flag) => `${RED_FLAG_DEFINITIONS[flag].label}: ${lowerFirst(RED_FLAG_DEFINITIONS[flag].description)}`)
      .join(". ")
      .concat("."),
    ruleId: rule.id,
    ruleVersion: rule.version,
    source: dedupe(flags.map((flag) => RED_FLAG_DEFINITIONS[flag].source)).join("; "),
  };
}

export function redFlagLabels(diagnosis: Diagnosis): string {
  return diagnosis.redFlags.map((flag) => RED_FLAG_DEFINITIONS[flag].label).join(", ");
}
