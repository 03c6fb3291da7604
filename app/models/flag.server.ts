import type { AppLoadContext } from "@remix-run/node";
import { canTakeFlagAction, FLAG_ACTIONS, type FlagAction, type RedFlagOutcome } from "~/domain/flag-lifecycle";
import { fromIsoDate, type IsoDate } from "~/domain/iso-date";
import type { DismissReason, FlagStatus, ProcedureType } from "~/generated/prisma/enums";
import { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/server/db.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { cappedCount } from "./capped-count.server";
import { lockPatients } from "./patient-lock.server";
import { ConcurrentEditError, RecordNotFoundError } from "./record-revision.server";

export const WORKLIST_PAGE_SIZE = 50;

export interface WorklistFilters {
  procedure?: ProcedureType;
  criterion?: string;
  physicianId?: string;
  /** Red flags and own patients first (the default), the longest waiting first, or by patient name. */
  sort?: "urgency" | "waiting" | "patient";
  page: number;
}

export interface WorklistRow {
  flagId: string;
  patientId: string;
  diagnosisId: string;
  mrn: string;
  givenName: string;
  familyName: string;
  diagnosis: string;
  physicianId: string;
  physicianName: string;
  mine: boolean;
  status: FlagStatus;
  urgent: boolean;
  summary: string;
  suggestedProcedures: ProcedureType[];
  waitingSince: Date;
}

/**
 * Open flags, most urgent first, then the caller's own patients, then the longest waiting (or in
 * another of WorklistFilters' orders). A snoozed flag whose snooze has ended is back on the list even
 * before the next re-evaluation.
 */
export async function listWorklist(viewerId: string, today: IsoDate, filters: WorklistFilters) {
  const conditions = [
    // Written so that it implies the predicate of the partial worklist indexes.
    Prisma.sql`f.status IN ('OPEN', 'ACKNOWLEDGED', 'SNOOZED')`,
    Prisma.sql`(f.status <> 'SNOOZED' OR f."snoozedUntil" <= ${fromIsoDate(today)})`,
  ];
  if (filters.procedure)
    conditions.push(Prisma.sql`f."suggestedProcedures" @> ARRAY[${filters.procedure}]::"ProcedureType"[]`);
  if (filters.criterion) conditions.push(Prisma.sql`f."metCriteria" @> ARRAY[${filters.criterion}]::text[]`);
  if (filters.physicianId) conditions.push(Prisma.sql`f."physicianId" = ${filters.physicianId}::uuid`);
  const where = Prisma.join(conditions, " AND ");
  const pageEnd = filters.page * WORKLIST_PAGE_SIZE;
  const db = getDb();
  const [rows, count] = await Promise.all([
    db.$queryRaw<WorklistRow[]>`
      SELECT f.id AS "flagId", f."patientId", f."diagnosisId", p.mrn, p."givenName", p."familyName",
             d."icd10Code" || ' ' || d.label AS diagnosis, f."physicianId", u.name AS "physicianName",
             f."physicianId" = ${viewerId}::uuid AS mine, f.status, f.urgent, f.summary,
             f."suggestedProcedures"::text[] AS "suggestedProcedures", f."waitingSince"
        FROM (${filters.sort === "patient" ? byPatientName(where, pageEnd) : bySlices(where, viewerId, filters.sort, pageEnd)}) page
        JOIN "Flag" f ON f.id = page.id
        JOIN "Patient" p ON p.id = f."patientId"
        JOIN "PainDiagnosis" d ON d.id = f."diagnosisId"
        JOIN "User" u ON u.id = f."physicianId"
       ORDER BY page.rank`,
    // Counted up to a cap: an exact count of every open flag would be the page's most expensive query.
    cappedCount(db, Prisma.sql`FROM "Flag" f WHERE ${where}`),
  ]);
  return { rows, ...count };
}

/**
 * The page's flag ids with their rank, cut from four slices (urgent and mine, urgent, mine, the
 * rest), each read in (waitingSince, id) order and stopped at the page's end: Postgres never sorts
 * every open flag, which at 100k patients spilled to disk and took 150 ms. Both orders built from
 * the slices, by urgency and by waiting time, find their first pageEnd rows among the slices' own.
 */
function bySlices(where: Prisma.Sql, viewerId: string, sort: WorklistFilters["sort"], pageEnd: number) {
  const slice = (urgent: boolean, mine: boolean) => Prisma.sql`(
      SELECT f.id, f.urgent, ${mine ? Prisma.sql`TRUE` : Prisma.sql`FALSE`} AS mine, f."waitingSince" FROM "Flag" f
       WHERE ${where} AND f.urgent = ${urgent}
         AND f."physicianId" ${mine ? Prisma.sql`=` : Prisma.sql`<>`} ${viewerId}::uuid
       ORDER BY f."waitingSince", f.id LIMIT ${pageEnd})`;
  const order =
    sort === "waiting"
      ? Prisma.sql`slices."waitingSince", slices.id`
      : Prisma.sql`slices.urgent DESC, slices.mine DESC, slices."waitingSince", slices.id`;
  return Prisma.sql`
    SELECT slices.id, row_number() OVER (ORDER BY ${order}) AS rank
      FROM (${slice(true, true)} UNION ALL ${slice(true, false)}
            UNION ALL ${slice(false, true)} UNION ALL ${slice(false, false)}) slices
     ORDER BY ${order}
     LIMIT ${WORKLIST_PAGE_SIZE} OFFSET ${pageEnd - WORKLIST_PAGE_SIZE}`;
}

/** By family name, then given name: a sort of every open flag, only when asked for. */
function byPatientName(where: Prisma.Sql, pageEnd: number) {
  const order = Prisma.sql`lower(p."familyName"), lower(p."givenName"), p.id, f."waitingSince", f.id`;
  return Prisma.sql`
    SELECT f.id, row_number() OVER (ORDER BY ${order}) AS rank
      FROM "Flag" f JOIN "Patient" p ON p.id = f."patientId"
     WHERE ${where}
     ORDER BY ${order}
     LIMIT ${WORKLIST_PAGE_SIZE} OFFSET ${pageEnd - WORKLIST_PAGE_SIZE}`;
}

export class FlagActionRefusedError extends Error {}

export type FlagActionInput =
  | { action: "acknowledge"; version: number; note?: string }
  | { action: "dismiss"; version: number; reason: DismissReason; note?: string }
  | { action: "snooze"; version: number; until: IsoDate; note?: string }
  | { action: "close"; version: number; outcome: RedFlagOutcome; note: string };

/** A physician acts on a flag: the move is checked against the lifecycle, versioned and audited. */
export async function actOnFlag(
  flagId: string,
  patientId: string,
  input: FlagActionInput,
  actor: AuditActor,
  context: AppLoadContext,
) {
  await getDb().$transaction(async (tx) => {
    // The lock every patient write takes: a referral or a re-evaluation of this patient cannot interleave.
    await lockPatients(tx, [patientId]);
    const flag = await tx.flag.findFirst({ where: { id: flagId, patientId } });
    if (!flag) throw new RecordNotFoundError("Flag");
    if (flag.version !== input.version) throw new ConcurrentEditError(flag as unknown as Record<string, unknown>);
    // Checked here, not only in the page: a red flag is never snoozed, dismissed or referred.
    if (!canTakeFlagAction(flag.status, input.action, flag.urgent)) {
      throw new FlagActionRefusedError(
        flag.urgent && input.action !== "close"
          ? `A red flag cannot be ${pastTense(input.action)}: record what was done to close it.`
          : `A ${flag.urgent ? "red " : ""}flag that is ${flag.status.toLowerCase()} cannot be ${pastTense(input.action)}.`,
      );
    }
    const to = FLAG_ACTIONS[input.action].to;
    const { count } = await tx.flag.updateMany({
      where: { id: flagId, version: input.version },
      data: {
        status: to,
        version: { increment: 1 },
        // What the physician saw: only new evidence beyond this brings a dismissed or snoozed flag back.
        actedMetCriteria: flag.metCriteria,
        actedScores: flag.latestScores ?? Prisma.DbNull,
        dismissReason: input.action === "dismiss" ? input.reason : null,
        snoozedUntil: input.action === "snooze" ? fromIsoDate(input.until) : null,
      },
    });
    if (count === 0) throw new ConcurrentEditError(flag as unknown as Record<string, unknown>);
    const reason =
      input.action === "dismiss"
        ? input.reason
        : input.action === "snooze"
          ? `until ${input.until}`
          : input.action === "close"
            ? input.outcome
            : null;
    await tx.flagEvent.create({
      data: { flagId, fromStatus: flag.status, toStatus: to, actorId: actor.id, reason, note: input.note || null },
    });
    await recordAudit(
      context,
      {
        action: `flag.${input.action}`,
        actor,
        entityType: "Flag",
        entityId: flagId,
        patientId,
        detail: reason ? { reason } : undefined,
      },
      tx,
    );
  });
}

function pastTense(action: FlagAction): string {
  return {
    acknowledge: "acknowledged",
    dismiss: "dismissed",
    snooze: "snoozed",
    refer: "referred",
    close: "closed",
  }[action];
}
