import type * as z from "zod";

/**
 * What typed text may hold, one rule for every free-text field and search.
 *
 * - Control characters (NUL and the rest of C0 and C1, DEL) are refused everywhere: PostgreSQL
 *   cannot store NUL in text, and none of them is something a clinician means to type.
 * - Bidirectional embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069) are
 *   refused too: U+202E reversed the drug and dose around it on the printable summary.
 * - Single-line fields (names, codes, drug) also refuse line breaks and tabs; notes keep them.
 */
export type TextLines = "single-line" | "multi-line";

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;

export const TEXT_PROBLEMS = {
  control: "Remove the control characters (such as NUL) from this text.",
  bidi: "Remove the text-direction control characters (U+202A–U+202E, U+2066–U+2069) from this text.",
  lineBreak: "Keep this on one line, without line breaks or tabs.",
} as const;

export function plainTextProblem(value: string, lines: TextLines): string | null {
  if (CONTROL.test(value)) return TEXT_PROBLEMS.control;
  if (BIDI_CONTROL.test(value)) return TEXT_PROBLEMS.bidi;
  if (lines === "single-line" && LINE_BREAK_OR_TAB.test(value)) return TEXT_PROBLEMS.lineBreak;
  return null;
}

/** The refinement every free-text field uses: `z.string().trim().max(…).superRefine(plainText("single-line"))`. */
export function plainText(lines: TextLines) {
  return (value: string, ctx: z.RefinementCtx<string>) => {
    const problem = plainTextProblem(value, lines);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  };
}
