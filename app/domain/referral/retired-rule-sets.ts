/**
 * Built-in rule sets of earlier releases, as they were released: evaluations made with them are
 * still shown with the thresholds and sources they were made with. Data only, never run.
 */
import ruleSet2026_1 from "./rule-set-2026.1.json";
import type { RuleSet } from "./rule-set";
import { parseRetiredRuleSet } from "./stored-rule-set";

const RETIRED: Readonly<Record<string, unknown>> = { "2026.1": ruleSet2026_1 };

export const RETIRED_BUILT_IN_VERSIONS: readonly string[] = Object.keys(RETIRED);

/** The retired built-in rule set of that version, or null when there is none. */
export function retiredBuiltInRuleSet(version: string): RuleSet | null {
  return version in RETIRED ? parseRetiredRuleSet(RETIRED[version], version) : null;
}
