import { describe, expect, it } from "vitest";
import type * as z from "zod";
import { auditFiltersSchema } from "~/domain/audit-trail";
import {
  assessmentSchema,
  diagnosisEditSchema,
  diagnosisSchema,
  enteredInErrorSchema,
  patientEditSchema,
  patientSchema,
  patientSearchSchema,
  procedureSchema,
  stopTherapySchema,
  therapySchema,
} from "~/domain/pathway-forms";
import { plainTextProblem, TEXT_PROBLEMS } from "~/domain/plain-text";
import { flagActionSchema, referralSchema, referralUpdateSchema } from "~/domain/referral-forms";
import { ruleSetDraftSchema } from "~/domain/rule-set-forms";
import { userActionSchema, userCreateSchema } from "~/domain/user-forms";

describe("plainTextProblem", () => {
  it.each([
    ["Siobhán O'Brien", "single-line", null],
    ["oxycodone 10 mg", "single-line", null],
    ["two\nlines\r\nand\ta tab", "multi-line", null],
    ["עברית and English", "single-line", null],
    ["a\u0000b", "multi-line", TEXT_PROBLEMS.control],
    ["a\u0007b", "single-line", TEXT_PROBLEMS.control],
    ["a\u001bb", "multi-line", TEXT_PROBLEMS.control],
    ["a\u007fb", "multi-line", TEXT_PROBLEMS.control],
    ["a\u0085b", "multi-line", TEXT_PROBLEMS.control],
    ["a\u000bb", "multi-line", TEXT_PROBLEMS.control],
    ["10 mg \u202eenodocyxo", "multi-line", TEXT_PROBLEMS.bidi],
    ...["\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"].map(
      (bidi) => [`a${bidi}b`, "single-line", TEXT_PROBLEMS.bidi] as const,
    ),
    ["Alex\nSmith", "single-line", TEXT_PROBLEMS.lineBreak],
    ["Alex\rSmith", "single-line", TEXT_PROBLEMS.lineBreak],
    ["Alex\tSmith", "single-line", TEXT_PROBLEMS.lineBreak],
    ["Alex\u2028Smith", "single-line", TEXT_PROBLEMS.lineBreak],
  ] as const)("%j (%s) → %s", (value, lines, problem) => {
    expect(plainTextProblem(value, lines)).toBe(problem);
  });
});

const TODAY = "2026-03-02";

/** Every free-text field of every form, with the discriminator that selects its branch. */
const FIELDS: Array<[string, z.ZodType, Record<string, unknown>, string[], "single-line" | "multi-line"]> = [
  ["patient", patientSchema(TODAY), {}, ["mrn", "givenName", "familyName"], "single-line"],
  ["patient correction", patientEditSchema(TODAY), {}, ["givenName", "familyName"], "single-line"],
  ["patient correction", patientEditSchema(TODAY), {}, ["reason"], "multi-line"],
  ["diagnosis", diagnosisSchema(TODAY), {}, ["label"], "single-line"],
  ["diagnosis correction", diagnosisEditSchema(TODAY), {}, ["reason"], "multi-line"],
  ["therapy", therapySchema(TODAY), {}, ["drug", "doseUnit", "frequency", "route"], "single-line"],
  ["stop", stopTherapySchema(TODAY), {}, ["stopNote"], "multi-line"],
  ["assessment", assessmentSchema(TODAY), {}, ["note"], "multi-line"],
  ["procedure", procedureSchema(TODAY), {}, ["level", "scaleName"], "single-line"],
  ["procedure", procedureSchema(TODAY), {}, ["note"], "multi-line"],
  ["entered in error", enteredInErrorSchema, {}, ["reason"], "multi-line"],
  ["flag", flagActionSchema(TODAY), { action: "acknowledge" }, ["note"], "multi-line"],
  ["flag", flagActionSchema(TODAY), { action: "dismiss" }, ["note"], "multi-line"],
  ["flag", flagActionSchema(TODAY), { action: "snooze" }, ["note"], "multi-line"],
  ["referral", referralSchema, {}, ["receivingClinic"], "single-line"],
  ["referral", referralSchema, {}, ["reason"], "multi-line"],
  ["cancel", referralUpdateSchema(TODAY), { action: "cancel" }, ["cancelReason"], "multi-line"],
  ["rule set draft", ruleSetDraftSchema(), {}, ["reason"], "multi-line"],
  ["new user", userCreateSchema(), {}, ["name"], "single-line"],
  ["user", userActionSchema(), { intent: "update" }, ["name"], "single-line"],
  ["audit filters", auditFiltersSchema, {}, ["user"], "single-line"],
];

function issuesAt(schema: z.ZodType, input: Record<string, unknown>, field: string) {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.filter((issue) => issue.path.join(".") === field);
}

describe("every free-text field", () => {
  const cases = FIELDS.flatMap(([form, schema, base, fields, lines]) =>
    fields.map((field) => [form, field, schema, base, lines] as const),
  );

  it.each(cases)("%s: %s refuses NUL and bidi overrides with a message next to it", (_form, field, schema, base) => {
    for (const [value, message] of [
      ["Alex\u0000Smith", TEXT_PROBLEMS.control],
      ["Alex \u202eSmith", TEXT_PROBLEMS.bidi],
    ]) {
      expect(issuesAt(schema, { ...base, [field]: value }, field).map((issue) => issue.message)).toContain(message);
    }
  });

  it.each(cases)("%s: %s takes line breaks only if it is a note", (_form, field, schema, base, lines) => {
    const messages = issuesAt(schema, { ...base, [field]: "Alex\nSmith" }, field).map((issue) => issue.message);
    if (lines === "single-line") expect(messages).toContain(TEXT_PROBLEMS.lineBreak);
    else expect(messages).not.toContain(TEXT_PROBLEMS.lineBreak);
  });

  it("includes the patient search", () => {
    expect(patientSearchSchema.safeParse("a\u0000bc").error?.issues[0]?.message).toBe(TEXT_PROBLEMS.control);
    expect(patientSearchSchema.safeParse("a\nbc").error?.issues[0]?.message).toBe(TEXT_PROBLEMS.lineBreak);
    expect(patientSearchSchema.parse(" smith ")).toBe("smith");
  });
});
