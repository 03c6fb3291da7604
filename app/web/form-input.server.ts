import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type * as z from "zod";

/**
 * Bounds of a form body, checked on the raw text before anything decodes it: the largest form (a
 * rule set draft) has about 40 fields and the longest free text 1,000 characters, up to 9 bytes
 * each once URL-encoded. The body's total size is bounded before it is read (MAX_BODY_BYTES).
 */
export const FORM_LIMITS = { fields: 200, fieldBytes: 16 * 1024 } as const;

/** Why a URL-encoded body is refused unread, or null. Counting `&` costs nothing next to decoding. */
function shapeProblem(body: string): string | null {
  let fields = 0;
  for (let start = 0; start <= body.length;) {
    const next = body.indexOf("&", start);
    const end = next === -1 ? body.length : next;
    if (end - start > FORM_LIMITS.fieldBytes) return "A field of this form is too long.";
    if (++fields > FORM_LIMITS.fields) return "This form has too many fields.";
    start = end + 1;
  }
  return null;
}

/** `list[3].dose` → `list[].dose`: the name's place in the schema, as getZodConstraint names it. */
const schemaPath = (name: string) => name.replace(/\[\d+\]/g, "[]");

/**
 * Reads and validates a form post with its zod schema: refused with 415 or 413 unless it is a
 * URL-encoded form within FORM_LIMITS; fields the schema does not name are dropped, so a reply
 * never echoes them. Every action reads its form through here (eslint forbids request.formData()).
 */
export async function parseForm<Schema extends z.ZodType>(request: Request, schema: Schema) {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get("Content-Type") ?? "")) {
    throw new Response("Send the form URL-encoded.", { status: 415 });
  }
  const body = await request.text();
  const problem = shapeProblem(body);
  if (problem) throw new Response(problem, { status: 413 });
  const known = new Set(Object.keys(getZodConstraint(schema)));
  const fields = [...new URLSearchParams(body)].filter(([name]) => known.has(schemaPath(name)));
  return parseWithZod(new URLSearchParams(fields), { schema });
}
