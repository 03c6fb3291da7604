import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET, withParameterChanges, type Rule, type RuleSet } from "~/domain/referral/rule-set";
import { RETIRED_BUILT_IN_VERSIONS, retiredBuiltInRuleSet } from "~/domain/referral/retired-rule-sets";
import {
  InvalidStoredRuleSetError,
  nextVersionName,
  parseStoredRuleSet,
  ruleSetDifferences,
} from "~/domain/referral/stored-rule-set";
import { draftChanges, draftErrors } from "~/domain/rule-set-forms";

/** As PostgreSQL's jsonb hands it back: a copy, keys in another order. */
function stored(ruleSet: RuleSet): Record<string, unknown> {
  const reversed = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(reversed)
      : value && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([key, child]) => [key, reversed(child)]),
          )
        : value;
  return reversed(JSON.parse(JSON.stringify(ruleSet))) as Record<string, unknown>;
}

function tampered(
  change: (copy: { rules: Record<string, { id: string; parameters: Record<string, unknown> }> }) => void,
) {
  const copy = JSON.parse(JSON.stringify(DEFAULT_RULE_SET));
  change(copy);
  return copy;
}

function problemsOf(value: unknown): string[] {
  try {
    parseStoredRuleSet(value, "test");
  } catch (error) {
    if (error instanceof InvalidStoredRuleSetError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseStoredRuleSet", () => {
  it("reads back a stored rule set as it was, in the code's rule and parameter order", () => {
    const parsed = parseStoredRuleSet(stored(DEFAULT_RULE_SET), "2026.1");
    expect(parsed).toEqual(DEFAULT_RULE_SET);
    expect(Object.keys(parsed.rules)).toEqual(Object.keys(DEFAULT_RULE_SET.rules));
    expect(Object.keys(parsed.rules.epidural.parameters)).toEqual(
      Object.keys(DEFAULT_RULE_SET.rules.epidural.parameters),
    );
    expect(Object.isFrozen(parsed.rules.epidural.parameters.maxPerYear)).toBe(true);
  });

  it.each([
    [
      "a missing parameter",
      (c) => delete c.rules.function!.parameters.pegThreshold,
      "GEN-FUNCTION.pegThreshold is missing",
    ],
    [
      "an unknown parameter",
      (c) => (c.rules.function!.parameters.extra = c.rules.function!.parameters.pegThreshold),
      "GEN-FUNCTION.extra is not a parameter of this release",
    ],
    ["a missing rule", (c) => delete c.rules.epidural, "rule ESI is missing"],
    ["an unknown rule", (c) => (c.rules.acupuncture = c.rules.surgery!), 'unknown rule "acupuncture"'],
    [
      "a renamed rule",
      (c) => (c.rules.surgery!.id = "GEN-OPERATION"),
      'rule "surgery" has id GEN-OPERATION, expected GEN-SURGERY',
    ],
    [
      "a value outside the code's bounds",
      (c) => ((c.rules.function!.parameters.pegThreshold as { value: number }).value = 1),
      "GEN-FUNCTION.pegThreshold = 1 is outside 3–8",
    ],
    [
      "a fraction",
      (c) => ((c.rules.epidural!.parameters.maxPerYear as { value: number }).value = 2.5),
      "ESI.maxPerYear must be a whole number",
    ],
  ] satisfies Array<[string, Parameters<typeof tampered>[0], string]>)("refuses %s", (_name, change, problem) => {
    expect(problemsOf(tampered(change))).toEqual([problem]);
  });

  it("refuses a release date that is no calendar day", () => {
    const misdated = { ...stored(DEFAULT_RULE_SET), releasedOn: "2026-02-30" };
    expect(() => parseStoredRuleSet(misdated, "2026.1")).toThrow(InvalidStoredRuleSetError);
  });

  it("refuses what is not a rule set at all", () => {
    expect(() => parseStoredRuleSet({ version: "x" }, "x")).toThrow(/Stored rule set x does not match/);
    expect(() => parseStoredRuleSet(null, "x")).toThrow(InvalidStoredRuleSetError);
  });
});

describe("ruleSetDifferences", () => {
  it("lists each changed parameter with both values", () => {
    const changed = withParameterChanges(
      DEFAULT_RULE_SET,
      [
        { ruleId: "ESI", parameter: "maxPerYear", value: 3 },
        { ruleId: "GEN-FUNCTION", parameter: "pegThreshold", value: 5 },
      ],
      "next",
      "2026-12-07",
    );
    if (!changed.ok) throw new Error(changed.errors.join());
    expect(ruleSetDifferences(DEFAULT_RULE_SET, changed.ruleSet)).toEqual([
      expect.objectContaining({ ruleId: "GEN-FUNCTION", parameter: "pegThreshold", from: 4, to: 5, unit: "/10" }),
      expect.objectContaining({ ruleId: "ESI", parameter: "maxPerYear", from: 4, to: 3 }),
    ]);
    expect(ruleSetDifferences(DEFAULT_RULE_SET, DEFAULT_RULE_SET)).toEqual([]);
  });
});

describe("nextVersionName", () => {
  it.each([
    [["2026.1"], 2026, "2026.2"],
    [["2026.1", "2026.9", "2026.10"], 2026, "2026.11"],
    [["2026.1", "2026.2-payer"], 2026, "2026.2"],
    [["2026.4"], 2027, "2027.1"],
    [[], 2026, "2026.1"],
  ])("after %j in %i: %s", (existing, year, next) => {
    expect(nextVersionName(existing, year)).toBe(next);
  });
});

describe("the draft form", () => {
  it("turns the submitted values into changes, leaving unchanged values out", () => {
    expect(
      draftChanges(DEFAULT_RULE_SET, {
        function: { pegThreshold: 3, odiThreshold: 21 },
        epidural: { maxPerYear: 4 },
      }),
    ).toEqual([{ ruleId: "GEN-FUNCTION", parameter: "pegThreshold", value: 3 }]);
  });

  it("puts each refusal next to its field", () => {
    const result = withParameterChanges(
      DEFAULT_RULE_SET,
      [
        { ruleId: "GEN-FUNCTION", parameter: "pegThreshold", value: 2 },
        { ruleId: "ESI", parameter: "maxPerYear", value: 4 },
      ],
      DEFAULT_RULE_SET.version,
      "2026-12-07",
    );
    if (result.ok) throw new Error("expected a refusal");
    expect(draftErrors(DEFAULT_RULE_SET, result.errors)).toEqual({
      fieldErrors: {
        version: [`The new version must be new and not empty (current: ${DEFAULT_RULE_SET.version}).`],
        "parameters.function.pegThreshold": ["2 is outside the safe range 3–8 /10."],
        "parameters.epidural.maxPerYear": ["already 4."],
      },
      formErrors: [],
    });
    expect(draftErrors(DEFAULT_RULE_SET, ["No parameter changes were given."]).formErrors).toEqual([
      "Change at least one value: this draft would be the same as the active rule set.",
    ]);
  });
});

describe("retired built-in rule sets", () => {
  it("keep 2026.1 readable in its own shape, to show the evaluations made with it", () => {
    const retired = retiredBuiltInRuleSet("2026.1");
    expect(retired?.version).toBe("2026.1");
    const sideEffects = (retired?.rules as unknown as Record<string, Rule>).sideEffects;
    expect(Object.keys(sideEffects?.parameters ?? {})).toEqual(["mmeThreshold", "lookBackDays"]);
    expect(retiredBuiltInRuleSet(DEFAULT_RULE_SET.version)).toBeNull();
    expect(RETIRED_BUILT_IN_VERSIONS).not.toContain(DEFAULT_RULE_SET.version);
  });
});
