import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import * as z from "zod";
import { recordForeignRecordDenied } from "~/models/audit.server";
import { ForeignRecordError, TherapyNotActiveError, type PatientWrite } from "~/models/pathway.server";
import { DuplicateMrnError, InvalidPhysicianError } from "~/models/patient.server";
import { ConcurrentEditError, RecordNotFoundError } from "~/models/record-revision.server";

/** A route parameter that must be a record id; anything else is a 404, never a database error. */
export function requireId(value: string | undefined): string {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

/** Lists page with OFFSET, which reads every row it skips: deeper pages are refused by clamping. */
export const MAX_PAGE = 1000;

/** The 1-based `page` of a list's address, clamped to 1…MAX_PAGE; anything unreadable is page 1. */
export function pageParam(url: URL): number {
  return Math.min(Math.max(Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1, 1), MAX_PAGE);
}

export function lastPageOf(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * The last page of a list counted up to a cap (cappedCount): past the cap it is unknown, so the
 * next page is offered while this one is full.
 */
export function lastPageOfCapped(
  list: { total: number; moreThanCap: boolean; rows: unknown[] },
  page: number,
  pageSize: number,
): number {
  const counted = lastPageOf(list.total, pageSize);
  if (!list.moreThanCap) return counted;
  return Math.min(MAX_PAGE, Math.max(page + (list.rows.length === pageSize ? 1 : 0), counted));
}

export interface ConflictField {
  name: string;
  current: string;
}

/**
 * A save refused because the request named a record outside the patient in its address (or one
 * that does not exist) is audited as a denied access before it is answered. Other errors pass.
 */
export async function auditForeignRecord(error: unknown, request: Request, write: PatientWrite) {
  if (!(error instanceof RecordNotFoundError || error instanceof ForeignRecordError)) return;
  await recordForeignRecordDenied(write.context, request, {
    actor: write.actor,
    patientId: write.patientId,
    entityType: error.entity,
  });
}

/**
 * Turns the domain's refusals into a form reply (status and message next to the form) and
 * rethrows anything unexpected. Nothing was written when any of these is thrown.
 */
export function replyToRefusal(error: unknown, submission: Submission<Record<string, unknown>>) {
  if (error instanceof RecordNotFoundError) throw new Response("Not found", { status: 404 });
  if (error instanceof ConcurrentEditError) {
    return data(
      {
        result: submission.reply({
          formErrors: [
            "Someone else saved this record after you opened it. Nothing was saved: check the current values below, then save again.",
          ],
        }),
        conflict: changedFields(error.current, submission.payload),
      },
      { status: 409 },
    );
  }
  if (error instanceof DuplicateMrnError) {
    return data(
      { result: submission.reply({ fieldErrors: { mrn: [error.message] } }), conflict: null },
      { status: 400 },
    );
  }
  if (error instanceof InvalidPhysicianError) {
    return data(
      { result: submission.reply({ fieldErrors: { assignedPhysicianId: [error.message] } }), conflict: null },
      { status: 400 },
    );
  }
  if (error instanceof ForeignRecordError || error instanceof TherapyNotActiveError) {
    return data({ result: submission.reply({ formErrors: [error.message] }), conflict: null }, { status: 400 });
  }
  throw error;
}

/** The stored values that differ from what the user submitted, so the conflict can be shown. */
function changedFields(current: Record<string, unknown>, submitted: Record<string, unknown>): ConflictField[] {
  return Object.keys(submitted)
    .filter((name) => name in current && name !== "version")
    .map((name) => ({ name, current: displayValue(current[name]) }))
    .filter(({ name, current: value }) => value !== displayValue(submitted[name]));
}

function displayValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "boolean") return value ? "on" : "";
  if (Array.isArray(value)) return value.map(displayValue).sort().join(", ");
  return String(value);
}
