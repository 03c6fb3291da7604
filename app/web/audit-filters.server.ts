import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { addDays } from "~/domain/clinical/duration";
import { auditFilterParams, auditFiltersSchema, type AuditFilterInput } from "~/domain/audit-trail";
import {
  decodeAuditCursor,
  findPatientMrn,
  findUserIdByEmail,
  type AuditCursor,
  type AuditQuery,
} from "~/models/audit-trail.server";
import { findPatientByMrn } from "~/models/patient.server";
import { clinicDayStart } from "~/server/clinic-time.server";

export type AuditFilters = Omit<AuditFilterInput, "cursor" | "mrn">;

export type AuditFilterResolution =
  | { status: "ok"; filters: AuditFilters; query: AuditQuery; cursor?: AuditCursor; patientMrn: string | null }
  /** An MRN was typed: the same filters by patient id, so the MRN leaves the address bar. */
  | { status: "redirect"; params: URLSearchParams }
  | { status: "invalid"; reply: SubmissionResult<string[]>; filters: Partial<AuditFilterInput> };

/**
 * The audit viewer's query string (shared by the page and the CSV export) turned into a query:
 * an email becomes a user id, an MRN a patient id, dates the instants their days begin and end
 * in the clinic's time zone. Anything unknown or malformed is refused, never silently dropped:
 * a dropped filter would show more of the trail than was asked for.
 */
export async function resolveAuditFilters(searchParams: URLSearchParams): Promise<AuditFilterResolution> {
  const submission = parseWithZod(searchParams, { schema: auditFiltersSchema });
  const raw = Object.fromEntries(searchParams) as Partial<AuditFilterInput>;
  if (submission.status !== "success") return { status: "invalid", reply: submission.reply(), filters: raw };
  const { cursor: cursorText, mrn, ...filters } = submission.value;
  const fieldErrors: Record<string, string[]> = {};

  const patientId = filters.patient;
  let patientMrn: string | null = null;
  if (mrn) {
    const patient = await findPatientByMrn(mrn);
    if (!patient) fieldErrors.mrn = ["No patient has this medical record number."];
    else return { status: "redirect", params: auditFilterParams({ ...filters, patient: patient.id }) };
  } else if (patientId) {
    const patient = await findPatientMrn(patientId);
    if (!patient) fieldErrors.mrn = ["This patient no longer exists. Enter the medical record number again."];
    patientMrn = patient?.mrn ?? null;
  }

  let userId: string | undefined;
  if (filters.user) {
    const user = await findUserIdByEmail(filters.user);
    if (!user) fieldErrors.user = ["No user has this email."];
    userId = user?.id;
  }

  const cursor = cursorText ? decodeAuditCursor(cursorText) : undefined;
  if (cursor === null) fieldErrors[""] = ["The page link is damaged. Start again from the newest entries."];

  if (Object.keys(fieldErrors).length > 0) {
    return { status: "invalid", reply: submission.reply({ fieldErrors }), filters: { ...raw, mrn: mrn ?? undefined } };
  }
  return {
    status: "ok",
    filters,
    patientMrn,
    cursor: cursor ?? undefined,
    query: {
      userId,
      patientId,
      action: filters.action,
      outcome: filters.outcome,
      fromAt: filters.from ? clinicDayStart(filters.from) : undefined,
      beforeAt: filters.to ? clinicDayStart(addDays(filters.to, 1)) : undefined,
    },
  };
}
