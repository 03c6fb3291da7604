import * as z from "zod";
import { ROLES, type Role } from "./roles";

/** An administrator's rule for one role: whether a second factor is required, and the grace period. */
export interface MfaRule {
  role: Role;
  required: boolean;
  graceDays: number;
  /** When the rule last became required; null while it is not. */
  requiredSince: Date | null;
}

export const MAX_GRACE_DAYS = 90;

/**
 * When a user of a role that requires MFA must have a factor: grace days after the later of the
 * rule's start and the account's creation, so a new account gets the whole grace period too.
 */
export function enrolmentDeadline(rule: MfaRule, accountCreatedAt: Date): Date | null {
  if (!rule.required || !rule.requiredSince) return null;
  const start = Math.max(rule.requiredSince.getTime(), accountCreatedAt.getTime());
  return new Date(start + rule.graceDays * 86_400_000);
}

export type MfaStanding =
  { status: "enrolled" } | { status: "optional" } | { status: "grace"; deadline: Date } | { status: "must-enrol" };

/** Where a user stands: past the deadline without a factor, every page leads to enrolment. */
export function mfaStanding(input: { hasFactor: boolean; deadline: Date | null; now: Date }): MfaStanding {
  if (input.hasFactor) return { status: "enrolled" };
  if (!input.deadline) return { status: "optional" };
  return input.now < input.deadline ? { status: "grace", deadline: input.deadline } : { status: "must-enrol" };
}

/** A step-up holds for this long after the factor was verified (sign-in or re-verification). */
export function isRecentSecondFactor(verifiedAt: Date | null, now: Date, minutes: number): boolean {
  if (!verifiedAt) return false;
  const age = now.getTime() - verifiedAt.getTime();
  // A verification "in the future" (clock skew between instances) is still only as good as now.
  return age < minutes * 60_000 && age > -60_000;
}

/** Recovery codes: ten groups of five characters from an alphabet without look-alikes (0/O, 1/l/I). */
export const RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
export const RECOVERY_CODE_COUNT = 10;

/** What the user typed, in the form codes are hashed: lower case, no spaces or dashes. */
export function normaliseRecoveryCode(typed: string): string {
  return typed.toLowerCase().replace(/[\s-]/g, "");
}

/** A 10-character code shown as two groups, "abcde-fghjk". */
export function formatRecoveryCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

const totpCode = z
  .string({ error: "Enter the 6-digit code from your authenticator app." })
  .transform((value) => value.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."));

const recoveryCode = z
  .string({ error: "Enter one of your recovery codes." })
  .transform(normaliseRecoveryCode)
  .pipe(
    z
      .string()
      .length(10, "A recovery code has 10 letters and digits, such as abcde-fghjk.")
      .regex(new RegExp(`^[${RECOVERY_CODE_ALPHABET}]+$`), "A recovery code has only letters and digits."),
  );

/** A browser's WebAuthn response, passed on as JSON to @simplewebauthn/server (which checks it). */
const webauthnResponse = z
  .string({ error: "The passkey did not answer. Try again." })
  .max(12_000)
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "The passkey did not answer. Try again." });
      return z.NEVER;
    }
  });

/** The second-factor forms of the sign-in and step-up pages. */
export const verifyFactorSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("totp"), code: totpCode }),
  z.object({ intent: z.literal("recovery"), recoveryCode }),
  z.object({ intent: z.literal("passkey-options") }),
  z.object({ intent: z.literal("passkey"), challenge: z.string().max(100).optional(), credential: webauthnResponse }),
]);

export const passkeyName = z
  .string({ error: "Give the passkey a name." })
  .trim()
  .min(1, "Give the passkey a name.")
  .max(60, "A name has at most 60 characters.")
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, "Use letters, digits and punctuation only.");

/** The forms of the account security page. */
export const securityActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("passkey-options") }),
  z.object({
    intent: z.literal("passkey-register"),
    challenge: z.string().max(100),
    credential: webauthnResponse,
    name: passkeyName,
  }),
  z.object({ intent: z.literal("passkey-rename"), passkey: z.uuid(), name: passkeyName }),
  z.object({ intent: z.literal("passkey-remove"), passkey: z.uuid() }),
  z.object({ intent: z.literal("totp-remove") }),
  z.object({ intent: z.literal("recovery-regenerate") }),
]);

export const totpConfirmSchema = z.object({ code: totpCode });

const graceDays = z.coerce
  .number({ error: "Enter a number of days." })
  .int("Enter a whole number of days.")
  .min(0, "At least 0 days.")
  .max(MAX_GRACE_DAYS, `At most ${MAX_GRACE_DAYS} days.`);

/** The administrator's policy form: one checkbox and one grace period per role. */
export const mfaPolicySchema = z.object(
  Object.fromEntries(
    ROLES.flatMap((role) => [
      [`${role}-required`, z.literal("on").optional()],
      [`${role}-graceDays`, graceDays],
    ]),
  ) as Record<string, z.ZodType>,
);

export function policyFromForm(values: Record<string, unknown>): Array<Omit<MfaRule, "requiredSince">> {
  return ROLES.map((role) => ({
    role,
    required: values[`${role}-required`] === "on",
    graceDays: Number(values[`${role}-graceDays`]),
  }));
}
