import * as z from "zod";
import { plainText } from "../plain-text";

/**
 * The administrator's form for the EHRs trusted to call the CDS Hooks service. An EHR publishes its
 * public keys as a JWK Set, at an address or handed over out of band
 * (https://cds-hooks.hl7.org/2.0/#trusting-cds-clients): the form takes one or the other.
 */

const version = z.number({ error: "The form is missing its version; reload the page." }).int().min(1);

const label = z
  .string({ error: "Name the EHR." })
  .trim()
  .min(1, "Name the EHR.")
  .max(100, "Use at most 100 characters.")
  .superRefine(plainText("single-line"));

const httpUrl = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .max(500, "Use at most 500 characters.")
    .pipe(z.url({ protocol: /^https?$/, error: message }));

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

/** JWK members that belong to a private or symmetric key (RFC 7518 §6): never pasted here. */
const SECRET_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const ASYMMETRIC_KEY_TYPES = ["RSA", "EC", "OKP"];

/** Why a pasted JWK Set cannot be used, or null. */
export function jwksProblem(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'Paste the key set as JSON: { "keys": [ … ] }.';
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return 'The key set needs a "keys" list with at least one key.';
  for (const key of keys as Array<Record<string, unknown>>) {
    if (typeof key !== "object" || key === null) return "Every key must be a JSON object.";
    if (SECRET_MEMBERS.some((member) => member in key)) {
      return "This key set holds private or shared-secret key material: paste the EHR's public keys only.";
    }
    if (!ASYMMETRIC_KEY_TYPES.includes(String(key.kty))) return "Every key must be an RSA, EC or OKP public key.";
    if (typeof key.kid !== "string" || key.kid === "") return 'Every key needs its "kid": tokens name their key by it.';
  }
  return null;
}

const issuerShape = {
  label,
  issuer: httpUrl("Enter the EHR's issuer (iss) as an https address."),
  jwksUrl: optional(httpUrl("Enter the key set's address as an https address.")),
  jwks: optional(z.string().max(20_000, "A key set of this size is not expected: paste the public keys only.")),
  mrnSystem: optional(z.string().trim().max(500, "Use at most 500 characters.").superRefine(plainText("single-line"))),
};

/** `requireHttps` in production: a key set fetched in the clear could be swapped on the way. */
function checkKeys(requireHttps: boolean) {
  return (value: { jwksUrl?: string; jwks?: string }, ctx: z.RefinementCtx) => {
    if (Boolean(value.jwksUrl) === Boolean(value.jwks)) {
      ctx.addIssue({
        code: "custom",
        path: ["jwksUrl"],
        message: "Give either the key set's address or the key set itself (one of the two).",
      });
    }
    if (requireHttps && value.jwksUrl && !value.jwksUrl.startsWith("https://")) {
      ctx.addIssue({ code: "custom", path: ["jwksUrl"], message: "The key set's address must use https." });
    }
    const problem = value.jwks ? jwksProblem(value.jwks) : null;
    if (problem) ctx.addIssue({ code: "custom", path: ["jwks"], message: problem });
  };
}

export const CDS_ISSUER_INTENTS = ["create", "update", "deactivate", "reactivate"] as const;
export type CdsIssuerIntent = (typeof CDS_ISSUER_INTENTS)[number];

export function cdsIssuerCreateSchema(options: { requireHttps: boolean } = { requireHttps: false }) {
  return z.object({ intent: z.literal("create"), ...issuerShape }).superRefine(checkKeys(options.requireHttps));
}
export type CdsIssuerCreateInput = z.infer<ReturnType<typeof cdsIssuerCreateSchema>>;

/** The forms of one issuer's page, told apart by `intent`. */
export function cdsIssuerActionSchema(options: { requireHttps: boolean } = { requireHttps: false }) {
  return z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("update"), version, ...issuerShape }).superRefine(checkKeys(options.requireHttps)),
    z.object({ intent: z.literal("deactivate"), version }),
    z.object({ intent: z.literal("reactivate"), version }),
  ]);
}
export type CdsIssuerActionInput = z.infer<ReturnType<typeof cdsIssuerActionSchema>>;
