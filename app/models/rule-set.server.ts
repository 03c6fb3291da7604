import { DEFAULT_RULE_SET, type RuleSet } from "~/domain/referral/rule-set";

/** The rule-set version every evaluation uses now. */
export async function getActiveRuleSet(): Promise<RuleSet> {
  return DEFAULT_RULE_SET;
}
