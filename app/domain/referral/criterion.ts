import type { Rule, RuleParameter } from "./rule-set";
import type { AppliedParameter, CriterionResult, CriterionStatus, Evidence } from "./types";

/** One condition of a criterion: its status and, in a few words, why. */
export interface Check {
  status: CriterionStatus;
  reason: string;
  /** What to record to settle a not-enough-data check. */
  missing: readonly string[];
}

const NOTHING_MISSING: readonly string[] = Object.freeze([]);

export const met = (reason: string): Check => ({ status: "met", reason, missing: NOTHING_MISSING });
export const notMet = (reason: string): Check => ({ status: "not-met", reason, missing: NOTHING_MISSING });
export const unknown = (reason: string, missing: readonly string[] = [reason]): Check => ({
  status: "not-enough-data",
  reason,
  missing,
});

/**
 * All must hold (three-valued AND): the first check that fails decides, so a recorded fact is never
 * hidden behind missing data elsewhere; otherwise missing data makes the whole unknown, never "not met".
 * When all hold, the explanation is `metReason()`, or every check's reason in order.
 */
export function allOf(
  checks: readonly Check[],
  metReason: () => string = () => checks.map((check) => check.reason).join("; "),
): Check {
  let firstUnknown: Check | undefined;
  let missing: string[] | undefined;
  for (const check of checks) {
    if (check.status === "not-met") return check;
    if (check.status === "not-enough-data") {
      firstUnknown ??= check;
      (missing ??= []).push(...check.missing);
    }
  }
  return firstUnknown ? unknown(firstUnknown.reason, dedupe(missing ?? [])) : met(metReason());
}

/** One is enough (three-valued OR): the first met check decides; unknown beats not met. */
export function anyOf(checks: readonly Check[], noneReason: string): Check {
  let firstUnknown: Check | undefined;
  let missing: string[] | undefined;
  for (const check of checks) {
    if (check.status === "met") return check;
    if (check.status === "not-enough-data") {
      firstUnknown ??= check;
      (missing ??= []).push(...check.missing);
    }
  }
  if (firstUnknown) return unknown(firstUnknown.reason, dedupe(missing ?? []));
  return notMet(checks.length === 1 ? (checks[0] as Check).reason : noneReason);
}

/** The same check with a prefix on its reason, e.g. "repeat RFA: …". */
export function labelled(label: string, check: Check): Check {
  return { ...check, reason: `${label}: ${check.reason}` };
}

/** Another criterion's result as a condition of this one, e.g. a procedure needing GEN-FUNCTION. */
export function requires(result: CriterionResult): Check {
  const name = `${result.ruleId} (${result.title.toLowerCase()})`;
  if (result.status === "met") return met(`${result.title.toLowerCase()} (${result.ruleId})`);
  if (result.status === "not-met") return notMet(`${name} not met: ${lowerFirst(result.explanation)}`);
  return unknown(`${name} needs data: ${lowerFirst(result.explanation)}`, result.missing);
}

export function criterionResult(
  rule: Rule,
  check: Check,
  evidence: Evidence[],
  borrowed: readonly AppliedParameter[] = NO_PARAMETERS,
): CriterionResult {
  const own = appliedParameters(rule);
  return {
    ruleId: rule.id,
    ruleVersion: rule.version,
    title: rule.title,
    status: check.status,
    explanation: sentence(check.reason),
    evidence,
    missing: check.status === "not-enough-data" ? [...check.missing] : [],
    parameters: [...own, ...borrowed],
    source: ruleSourceLine(rule),
  };
}

/** A rule's source as every result shows it. */
export function ruleSourceLine(rule: Rule): string {
  return `${rule.source}. Revision: ${rule.revision}.`;
}

const NO_PARAMETERS: readonly AppliedParameter[] = Object.freeze([]);
const appliedCache = new WeakMap<Rule, readonly AppliedParameter[]>();

/** A rule's parameters as results show them; computed once per (immutable) rule object. */
export function appliedParameters(rule: Rule, only?: readonly string[]): readonly AppliedParameter[] {
  if (only) return only.map((name) => applied(rule, name));
  let cached = appliedCache.get(rule);
  if (!cached) {
    cached = Object.freeze(Object.keys(rule.parameters).map((name) => Object.freeze(applied(rule, name))));
    appliedCache.set(rule, cached);
  }
  return cached;
}

function applied(rule: Rule, name: string): AppliedParameter {
  const { label, value, unit, sources } = (rule.parameters as Record<string, RuleParameter>)[name] as RuleParameter;
  return { name: `${rule.id}.${name}`, label, value, unit, alternatives: sources.map((source) => ({ ...source })) };
}

export function dedupe<T extends string>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

export function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** "Pain for 2 months." → "pain for 2 months"; acronyms ("ODI 46 %") keep their case. */
export function lowerFirst(text: string): string {
  const stripped = text.replace(/\.$/, "");
  return /^[A-Z][a-z]/.test(stripped) ? stripped.charAt(0).toLowerCase() + stripped.slice(1) : stripped;
}
