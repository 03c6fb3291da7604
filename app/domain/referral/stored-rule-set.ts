/**
 * Rule-set versions made by administrators are stored as JSON (`RuleSetVersion.ruleSet`). Read back,
 * one must have exactly the code's rules and parameters, since the engine reads them by name, and
 * every value must be a number inside the code's safe bounds. Anything else is refused as a whole,
 * never half-used: a release that adds or renames a parameter must migrate the stored versions.
 */
import * as z from "zod";
import { isIsoDate } from "../iso-date";
import { DEFAULT_RULE_SET, type Rule, type RuleParameter, type RuleSet } from "./rule-set";

const parameterSchema = z.object({
  label: z.string(),
  value: z.number(),
  unit: z.string(),
  min: z.number(),
  max: z.number(),
  wholeNumber: z.boolean(),
  sources: z.array(z.object({ source: z.string(), value: z.number() })),
});

const ruleSchema = z.object({
  id: z.string(),
  version: z.number().int().min(1),
  title: z.string(),
  statement: z.string(),
  source: z.string(),
  revision: z.string(),
  parameters: z.record(z.string(), parameterSchema),
});

const storedRuleSetSchema = z.object({
  version: z.string().min(1),
  releasedOn: z.string().refine(isIsoDate),
  rules: z.record(z.string(), ruleSchema),
});

export class InvalidStoredRuleSetError extends Error {
  constructor(
    readonly version: string,
    readonly problems: string[],
  ) {
    super(
      `Stored rule set ${version} does not match the rules of this PainPath release, so it cannot be used: ` +
        `${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ""}.`,
    );
    this.name = "InvalidStoredRuleSetError";
  }
}

/** The stored JSON as a rule set the engine can run, or InvalidStoredRuleSetError. */
export function parseStoredRuleSet(value: unknown, label: string, reference: RuleSet = DEFAULT_RULE_SET): RuleSet {
  const parsed = storedRuleSetSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidStoredRuleSetError(
      label,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "rule set"}: ${issue.message}`),
    );
  }
  const stored = parsed.data;
  const problems: string[] = [];
  const referenceRules: Readonly<Record<string, Rule>> = reference.rules;
  for (const key of Object.keys(stored.rules)) {
    if (!(key in referenceRules)) problems.push(`unknown rule "${key}"`);
  }
  for (const [key, expected] of Object.entries(referenceRules)) {
    const rule = stored.rules[key];
    if (!rule) {
      problems.push(`rule ${expected.id} is missing`);
      continue;
    }
    if (rule.id !== expected.id) problems.push(`rule "${key}" has id ${rule.id}, expected ${expected.id}`);
    const expectedParameters: Readonly<Record<string, RuleParameter>> = expected.parameters;
    for (const name of Object.keys(rule.parameters)) {
      if (!(name in expectedParameters)) problems.push(`${expected.id}.${name} is not a parameter of this release`);
    }
    for (const [name, bounds] of Object.entries(expectedParameters)) {
      const parameter = rule.parameters[name];
      if (!parameter) problems.push(`${expected.id}.${name} is missing`);
      else if (parameter.unit !== bounds.unit) problems.push(`${expected.id}.${name} is in ${parameter.unit}`);
      else if (bounds.wholeNumber && !Number.isInteger(parameter.value))
        problems.push(`${expected.id}.${name} must be a whole number`);
      else if (parameter.value < bounds.min || parameter.value > bounds.max)
        problems.push(`${expected.id}.${name} = ${parameter.value} is outside ${bounds.min}–${bounds.max}`);
    }
  }
  if (problems.length > 0) throw new InvalidStoredRuleSetError(label, problems);
  // PostgreSQL's jsonb does not keep key order: restore the code's, which screens list rules in.
  const rules = Object.fromEntries(
    Object.entries(referenceRules).map(([key, expected]) => {
      const rule = stored.rules[key] as z.output<typeof ruleSchema>;
      const parameters = Object.keys(expected.parameters).map((name) => [name, rule.parameters[name]]);
      return [key, { ...rule, parameters: Object.fromEntries(parameters) }];
    }),
  );
  return deepFreeze({ version: stored.version, releasedOn: stored.releasedOn, rules }) as unknown as RuleSet;
}

/**
 * A retired version, read only to show what it was and the evaluations made with it: a well-formed
 * rule set in its own release's shape, which may differ from this release's. Never run.
 */
export function parseRetiredRuleSet(value: unknown, label: string): RuleSet {
  const parsed = storedRuleSetSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidStoredRuleSetError(
      label,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "rule set"}: ${issue.message}`),
    );
  }
  return deepFreeze(parsed.data) as unknown as RuleSet;
}

export interface ParameterDifference {
  ruleId: string;
  ruleTitle: string;
  parameter: string;
  label: string;
  unit: string;
  from: number;
  to: number;
}

/** Every parameter whose value differs between two rule sets of the same shape, in rule order. */
export function ruleSetDifferences(from: RuleSet, to: RuleSet): ParameterDifference[] {
  const before: Readonly<Record<string, Rule>> = from.rules;
  return Object.entries(to.rules as Readonly<Record<string, Rule>>).flatMap(([key, rule]) =>
    Object.entries(rule.parameters as Readonly<Record<string, RuleParameter>>).flatMap(([name, parameter]) => {
      const previous = (before[key]?.parameters as Readonly<Record<string, RuleParameter>> | undefined)?.[name];
      if (!previous || previous.value === parameter.value) return [];
      return [
        {
          ruleId: rule.id,
          ruleTitle: rule.title,
          parameter: name,
          label: parameter.label,
          unit: parameter.unit,
          from: previous.value,
          to: parameter.value,
        },
      ];
    }),
  );
}

/**
 * The next version name in the `YEAR.N` sequence: one past the highest of that year among the
 * given names, or `YEAR.1`.
 */
export function nextVersionName(existing: readonly string[], year: number): string {
  const numbers = existing.flatMap((name) => {
    const match = /^(\d{4})\.(\d+)$/.exec(name);
    return match && Number(match[1]) === year ? [Number(match[2])] : [];
  });
  return `${year}.${Math.max(0, ...numbers) + 1}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
