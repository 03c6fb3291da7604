import type { AppLoadContext } from "@remix-run/node";
import { sql, type InferResult } from "kysely";
import { canTakeFlagAction, FLAG_ACTIONS, type FlagAction, type RedFlagOutcome } from "~/domain/flag-lifecycle";
import { fromIsoDate, type IsoDate } from "~/domain/iso-date";
import type { DismissReason, FlagStatus, ProcedureType } from "~/generated/prisma/enums";
import { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/server/db.server";
import { preparedByShape, qb, rows as runQuery } from "~/server/query-builder.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { cappedCountQuery, readCappedCount } from "./capped-count.server";
import { diagnosisLabel } from "./sql-json.server";
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

/**
 * Open flags, most urgent first, then the caller's own patients, then the longest waiting (or in
 * another of WorklistFilters' orders). A snoozed flag whose snooze has ended is back on the list even
 * before the next re-evaluation.
 */
export async function listWorklist(viewerId: string, today: IsoDate, filters: WorklistFilters) {
  const sort = filters.sort ?? "urgency";
  const { procedure, criterion, physicianId } = filters;
  const shape =
    `${sort}:${[procedure, criterion, physicianId].map((given) => (given === undefined ? 0 : 1)).join("")}` as const;
  const snoozeEnded = fromIsoDate(today);
  const pageEnd = filters.page * WORKLIST_PAGE_SIZE;
  const db = getDb();
  const [rows, count] = await Promise.all([
    runQuery(
      db,
      worklistPage(
        shape,
        snoozeEnded,
        viewerId,
        procedure,
        criterion,
        physicianId,
        sort === "patient" ? undefined : pageEnd,
        pageEnd - WORKLIST_PAGE_SIZE,
      ),
    ),
    // Counted up to a cap: an exact count of every open flag would be the page's most expensive query.
    readCappedCount(db, worklistCount(shape, snoozeEnded, procedure, criterion, physicianId)),
  ]);
  return { rows, ...count };
}

type WorklistSort = NonNullable<WorklistFilters["sort"]>;
/** The sort, and which of procedure, criterion and physician filter the list: each gives another statement. */
type WorklistShape = `${WorklistSort}:${string}`;

// Prepared per shape: the worklist is the page physicians open most.
const worklistPage = preparedByShape(
  (shape: WorklistShape) =>
    (
      snoozeEnded: Date,
      viewerId: string,
      procedure: ProcedureType | undefined,
      criterion: string | undefined,
      physicianId: string | undefined,
      /** The slices' length; the sort by name reads no slices (undefined). */
      pageEnd: number | undefined,
      offset: number,
    ) => {
      const sort = shape.split(":")[0] as WorklistSort;
      const openFlags = openFlagsQuery(snoozeEnded, procedure, criterion, physicianId);
      const page = (
        sort === "patient" || pageEnd === undefined
          ? byPatientName(openFlags, offset)
          : bySlices(openFlags, viewerId, sort, pageEnd, offset)
      ).as("page");
      return qb
        .selectFrom(page)
        .innerJoin("Flag as f", "f.id", "page.id")
        .innerJoin("Patient as p", "p.id", "f.patientId")
        .innerJoin("PainDiagnosis as d", "d.id", "f.diagnosisId")
        .innerJoin("User as u", "u.id", "f.physicianId")
        .select((eb) => [
          "f.id as flagId",
          "f.patientId",
          "f.diagnosisId",
          "p.mrn",
          "p.givenName",
          "p.familyName",
          diagnosisLabel(eb.ref("d.icd10Code"), eb.ref("d.label")).as("diagnosis"),
          "f.physicianId",
          "u.name as physicianName",
          eb("f.physicianId", "=", viewerId).as("mine"),
          "f.status",
          "f.urgent",
          "f.summary",
          "f.waitingSince",
        ])
        .orderBy("page.rank");
    },
);

const worklistCount = preparedByShape(
  (_shape: WorklistShape) =>
    (
      snoozeEnded: Date,
      procedure: ProcedureType | undefined,
      criterion: string | undefined,
      physicianId: string | undefined,
    ) =>
      cappedCountQuery(openFlagsQuery(snoozeEnded, procedure, criterion, physicianId)),
);

function openFlagsQuery(
  snoozeEnded: Date,
  procedure: ProcedureType | undefined,
  criterion: string | undefined,
  physicianId: string | undefined,
) {
  return qb.selectFrom("Flag as f").where((eb) =>
    eb.and([
      // Written so that it implies the predicate of the partial worklist indexes.
      eb("f.status", "in", [
        sql.lit<FlagStatus>("OPEN"),
        sql.lit<FlagStatus>("ACKNOWLEDGED"),
        sql.lit<FlagStatus>("SNOOZED"),
      ]),
      eb.or([eb("f.status", "<>", sql.lit("SNOOZED")), eb("f.snoozedUntil", "<=", snoozeEnded)]),
      ...(procedure !== undefined
        ? [eb("f.suggestedProcedures", "@>", sql<string>`ARRAY[${procedure}]::"ProcedureType"[]`)]
        : []),
      ...(criterion !== undefined ? [eb("f.metCriteria", "@>", sql<string[]>`ARRAY[${criterion}]::text[]`)] : []),
      ...(physicianId !== undefined ? [eb("f.physicianId", "=", physicianId)] : []),
    ]),
  );
}

type OpenFlags = ReturnType<typeof openFlagsQuery>;

/**
 * The page's flag ids with their rank, cut from four slices (urgent and mine, urgent, mine, the
 * rest), each read in (waitingSince, id) order and stopped at the page's end: Postgres never sorts
 * every open flag, which at 100k patients spilled to disk and took 150 ms. Both orders built from
 * the slices, by urgency and by waiting time, find their first pageEnd rows among the slices' own.
 */
function bySlices(openFlags: OpenFlags, viewerId: string, sort: WorklistSort, pageEnd: number, offset: number) {
  const slice = (urgent: boolean, mine: boolean) =>
    openFlags
      .select(["f.id", "f.urgent", sql.lit(mine).as("mine"), "f.waitingSince"])
      .where("f.urgent", "=", urgent)
      .where("f.physicianId", mine ? "=" : "<>", viewerId)
      .orderBy("f.waitingSince")
      .orderBy("f.id")
      .limit(pageEnd);
  const slices = [slice(true, true), slice(true, false), slice(false, true), slice(false, false)];
  const order =
    sort === "waiting"
      ? sql`slices."waitingSince", slices.id`
      : sql`slices.urgent DESC, slices.mine DESC, slices."waitingSince", slices.id`;
  return qb
    .selectFrom(sql<InferResult<(typeof slices)[number]>[number]>`(${sql.join(slices, sql` UNION ALL `)})`.as("slices"))
    .select(["slices.id", sql<number>`row_number() OVER (ORDER BY ${order})`.as("rank")])
    .orderBy("rank")
    .limit(WORKLIST_PAGE_SIZE)
    .offset(offset);
}

/** By family name, then given name: a sort of every open flag, only when asked for. */
function byPatientName(openFlags: OpenFlags, offset: number) {
  const order = sql`lower(p."familyName"), lower(p."givenName"), p.id, f."waitingSince", f.id`;
  return openFlags
    .innerJoin("Patient as p", "p.id", "f.patientId")
    .select(["f.id", sql<number>`row_number() OVER (ORDER BY ${order})`.as("rank")])
    .orderBy("rank")
    .limit(WORKLIST_PAGE_SIZE)
    .offset(offset);
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
