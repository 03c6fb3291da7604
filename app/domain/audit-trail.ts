import * as z from "zod";
import { isIsoDate } from "./iso-date";
import { plainText } from "./plain-text";

/**
 * The audit trail's vocabulary and the audit viewer's filters. Actions not listed here (a newer
 * feature's) are still recorded, filtered and shown by their code.
 */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "auth.sign_in_throttled": "Sign-in throttled",
  "auth.sign_in_unthrottled": "Slowed sign-ins unlocked",
  "auth.sign_out": "Signed out",
  "auth.session_expired": "Session expired",
  "auth.mfa_requested": "Password right, second factor asked",
  "auth.mfa_verified": "Second factor verified",
  "auth.mfa_failed": "Second factor refused",
  "auth.mfa_throttled": "Second factor throttled",
  "auth.step_up_required": "Refused without a recent second factor",
  "mfa.totp_enrolled": "Set up an authenticator app",
  "mfa.totp_removed": "Removed an authenticator app",
  "mfa.passkey_added": "Added a passkey",
  "mfa.passkey_renamed": "Renamed a passkey",
  "mfa.passkey_removed": "Removed a passkey",
  "mfa.recovery_codes_issued": "Issued recovery codes",
  "mfa.policy_changed": "Changed the sign-in policy",
  "mfa.factors_reset": "Reset a user's second factors",
  "mfa.secrets_resealed": "Re-sealed authenticator secrets under a new key",
  "access.denied": "Access refused",
  "patient.view": "Viewed a patient record",
  "patient.fhir_export": "Downloaded a patient's record as FHIR",
  "fhir.bulk_export": "Exported every patient as FHIR NDJSON",
  "patient.list": "Listed patients",
  "patient.create": "Created a patient",
  "patient.update": "Corrected a patient",
  "diagnosis.create": "Added a diagnosis",
  "diagnosis.update": "Corrected a diagnosis",
  "therapy.start": "Started a therapy",
  "therapy.stop": "Stopped a therapy",
  "assessment.create": "Recorded an assessment",
  "procedure.create": "Recorded a procedure",
  "record.entered_in_error": "Marked entered in error",
  "worklist.view": "Viewed the worklist",
  "flag.acknowledge": "Acknowledged a flag",
  "flag.dismiss": "Dismissed a flag",
  "flag.snooze": "Snoozed a flag",
  "referral.create": "Created a referral",
  "referral.schedule": "Scheduled a referral",
  "referral.complete": "Completed a referral",
  "referral.record-result": "Recorded a referral's result",
  "referral.cancel": "Cancelled a referral",
  "user.create": "Created a user",
  "user.update": "Changed a user",
  "user.deactivate": "Deactivated a user",
  "user.reactivate": "Reactivated a user",
  "user.password_reset": "Reset a user's password",
  "user.password_changed": "Changed own password",
  "user.password_change_failed": "Password change refused",
  "audit.view": "Read the audit trail",
  "audit.export": "Exported the audit trail",
  "audit.integrity_checked": "Checked the audit trail's integrity",
};

export const AUDIT_OUTCOMES = ["success", "denied", "failure"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AUDIT_PAGE_SIZE = 50;
/** An export holds at most this many rows, the newest first; the page says so. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;

const isoDay = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${what} as YYYY-MM-DD.`)
    .refine((value) => isIsoDate(value) && value >= "2000-01-01", `The ${what} is not a real calendar date.`);

/**
 * The viewer's query string. `mrn` is what an administrator types; the page then shows the
 * patient by id (`patient`), so the medical record number does not stay in URLs and file names.
 */
export const auditFiltersSchema = z
  .object({
    user: z
      .string()
      .trim()
      .toLowerCase()
      .max(254, "Use at most 254 characters.")
      .superRefine(plainText("single-line"))
      .optional(),
    mrn: z
      .string()
      .trim()
      .max(32, "Use at most 32 characters.")
      .regex(/^[A-Za-z0-9-]+$/, "Use letters, digits and hyphens only.")
      .optional(),
    patient: z.uuid("Choose the patient again.").optional(),
    action: z
      .string()
      .trim()
      .max(64, "Use at most 64 characters.")
      .regex(/^[a-z][a-z0-9_.-]*$/, "Choose an action from the list.")
      .optional(),
    outcome: z.enum(AUDIT_OUTCOMES, { error: "Choose an outcome from the list." }).optional(),
    from: isoDay("start date").optional(),
    to: isoDay("end date").optional(),
    cursor: z.string().max(200).optional(),
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, {
    path: ["to"],
    message: "The end date is before the start date.",
  });
export type AuditFilterInput = z.infer<typeof auditFiltersSchema>;

/** The filters a page or an export is about, as they appear in its URL (no cursor). */
export function auditFilterParams(filters: Omit<AuditFilterInput, "cursor" | "mrn">): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["user", "patient", "action", "outcome", "from", "to"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}
