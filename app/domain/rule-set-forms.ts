import * as z from "zod";
import {
  DEFAULT_RULE_SET,
  type ParameterChange,
  type Rule,
  type RuleParameter,
  type RuleSet,
} from "./referral/rule-set";
import { plainText } from "./plain-text";

const REASON_MAX = 1000;

/** The form field of one parameter: conform nests `parameters.<rule key>.<parameter>`. */
export function parameterFieldName(ruleKey: string, parameter: string): string {
  return `parameters.${ruleKey}.${parameter}`;
}

function rulesWithParameters(ruleSet: RuleSet): Array<[string, Rule]> {
  return Object.entries(ruleSet.rules as Readonly<Record<string, Rule>>).filter(
    ([, rule]) => Object.keys(rule.parameters).length > 0,
  );
}

/** "Allowed 3–12 months": the safe range as the form shows it beside the field and in its error. */
export function allowedRange(parameter: Pick<RuleParameter, "min" | "max" | "unit">): string {
  return `Allowed ${parameter.min}–${parameter.max} ${parameter.unit}`;
}

function parameterSchema(parameter: RuleParameter) {
  // The rule set's own wording (`withParameterChanges`), so browser and server say the same.
  const outside = (issue: { input?: unknown }) =>
    `${String(issue.input)} is outside the safe range ${parameter.min}–${parameter.max} ${parameter.unit}.`;
  const number = z
    .number({ error: "Enter a number." })
    .min(parameter.min, { error: outside })
    .max(parameter.max, { error: outside });
  return parameter.wholeNumber ? number.int("Use a whole number.") : number;
}

/**
 * The new-draft form: every parameter's value, the new version's name, the reason, and the active
 * version the values were read from. The safe ranges are checked here, so the browser shows every
 * out-of-range value before sending anything, and again by the rule set (`withParameterChanges`) on
 * the server, whatever the change comes from.
 */
export function ruleSetDraftSchema(shape: RuleSet = DEFAULT_RULE_SET) {
  const parameters = Object.fromEntries(
    rulesWithParameters(shape).map(([key, rule]) => [
      key,
      z.object(
        Object.fromEntries(
          Object.entries(rule.parameters as Readonly<Record<string, RuleParameter>>).map(([name, parameter]) => [
            name,
            parameterSchema(parameter),
          ]),
        ) as Record<string, z.ZodNumber>,
      ),
    ]),
  );
  return z.object({
    basedOn: z.string({ error: "The form is missing its base version; reload the page." }).min(1),
    version: z
      .string({ error: "Enter the new version's name." })
      .trim()
      .regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/, "Use up to 32 letters, digits, dots and hyphens, e.g. 2026.2."),
    reason: z
      .string({ error: "Say why the thresholds change." })
      .trim()
      .min(1, "Say why the thresholds change.")
      .max(REASON_MAX, `Use at most ${REASON_MAX} characters.`)
      .superRefine(plainText("multi-line")),
    parameters: z.object(parameters),
  });
}

export type RuleSetDraftInput = z.output<ReturnType<typeof ruleSetDraftSchema>>;

/** The submitted values that differ from the rule set the draft is based on. */
export function draftChanges(
  base: RuleSet,
  submitted: Readonly<Record<string, Readonly<Record<string, number>> | undefined>>,
): ParameterChange[] {
  return rulesWithParameters(base).flatMap(([key, rule]) =>
    Object.entries(rule.parameters as Readonly<Record<string, RuleParameter>>).flatMap(([name, parameter]) => {
      const value = submitted[key]?.[name];
      return value === undefined || value === parameter.value ? [] : [{ ruleId: rule.id, parameter: name, value }];
    }),
  );
}

/**
 * `withParameterChanges` names the parameter at the start of each message (`ESI.maxPerYear: …`):
 * those go next to their field, the version's next to the version, the rest above the form.
 */
export function draftErrors(
  base: RuleSet,
  errors: readonly string[],
): { fieldErrors: Record<string, string[]>; formErrors: string[] } {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  const keyOf = new Map(rulesWithParameters(base).map(([key, rule]) => [rule.id, key]));
  for (const error of errors) {
    const match = /^([A-Z0-9-]+)\.(\w+): (.*)$/s.exec(error);
    const ruleKey = match && keyOf.get(match[1] as string);
    if (match && ruleKey) {
      const field = parameterFieldName(ruleKey, match[2] as string);
      fieldErrors[field] = [...(fieldErrors[field] ?? []), match[3] as string];
    } else if (error.startsWith("The new version")) {
      fieldErrors.version = [...(fieldErrors.version ?? []), error];
    } else if (error.startsWith("No parameter changes")) {
      formErrors.push("Change at least one value: this draft would be the same as the active rule set.");
    } else {
      formErrors.push(error);
    }
  }
  return { fieldErrors, formErrors };
}
