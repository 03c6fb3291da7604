import { DismissReason } from "~/generated/prisma/enums";
import type { ProcedureType, ReferralStatus, ReferralUrgency } from "~/generated/prisma/enums";
import { Prisma } from "~/generated/prisma/client";
import {
  REPORT_TABLE_IDS,
  type FlagOutcome,
  type ReferralReportData,
  type ReportTableId,
} from "~/domain/referral-report";
import type { DateRange, MonthKey } from "~/domain/report-math";
import { getDb } from "~/server/db.server";
import { getActiveRuleSet } from "./rule-set.server";

/**
 * The referral reports' queries, shared by the page and its CSV exports. Postgres does the
 * counting (GROUP BY); each query returns at most a few hundred rows, and they run concurrently.
 *
 * Dates are clinic calendar days: a range from A to B covers [start of A, start of B + 1 day) on
 * the clinic's wall clock, and a timestamp belongs to the month of its clinic-local date, so a
 * referral made at 23:30 on 31 January in New York counts in January, not in February (UTC).
 * Postgres's time-zone rules (`AT TIME ZONE`) do the conversion, daylight saving included.
 */

function bounds(range: DateRange, timeZone: string) {
  return {
    start: Prisma.sql`(${range.from}::date::timestamp AT TIME ZONE ${timeZone})`,
    end: Prisma.sql`((${range.to}::date + 1)::timestamp AT TIME ZONE ${timeZone})`,
  };
}

type CountRow = { count: number };

/**
 * Referrals made in the range by procedure and clinic month. Each month's first instant is
 * computed once and rows are put in months by binary search (width_bucket), which is about
 * twice as fast as converting every row's timestamp to the clinic's zone.
 */
function procedureMonth(range: DateRange, timeZone: string) {
  const { start, end } = bounds(range, timeZone);
  return getDb().$queryRaw<Array<CountRow & { procedure: ProcedureType; month: MonthKey }>>`
    WITH months AS (
      SELECT array_agg(m AT TIME ZONE ${timeZone} ORDER BY m) AS starts, array_agg(to_char(m, 'YYYY-MM') ORDER BY m) AS keys
        FROM generate_series(date_trunc('month', ${range.from}::date::timestamp), ${range.to}::date::timestamp,
                             interval '1 month') AS m
    )
    SELECT c.procedure::text AS procedure, months.keys[c.month_number] AS month, c.count
      FROM (SELECT r.procedure, width_bucket(r."createdAt", months.starts) AS month_number, count(*)::int AS count
              FROM "Referral" r, months
             WHERE r."createdAt" >= ${start} AND r."createdAt" < ${end}
             GROUP BY 1, 2) AS c, months`;
}

function physicianStatus(range: DateRange, timeZone: string) {
  const { start, end } = bounds(range, timeZone);
  return getDb().$queryRaw<Array<CountRow & { physicianId: string; physicianName: string; status: ReferralStatus }>>`
    SELECT c."createdById"::text AS "physicianId", COALESCE(u.name, 'Unknown user') AS "physicianName",
           c.status::text AS status, c.count
      FROM (SELECT r."createdById", r.status, count(*)::int AS count
              FROM "Referral" r
             WHERE r."createdAt" >= ${start} AND r."createdAt" < ${end}
             GROUP BY 1, 2) AS c
      LEFT JOIN "User" u ON u.id = c."createdById"`;
}

/** Completed referrals made in the range, by whole clinic days from the referral to the procedure. */
function referralToProcedureDays(range: DateRange, timeZone: string) {
  const { start, end } = bounds(range, timeZone);
  return getDb().$queryRaw<Array<CountRow & { days: number }>>`
    SELECT r."procedureDate" - (r."createdAt" AT TIME ZONE ${timeZone})::date AS days, count(*)::int AS count
      FROM "Referral" r
     WHERE r.status = 'COMPLETED' AND r."createdAt" >= ${start} AND r."createdAt" < ${end}
       AND r."procedureDate" IS NOT NULL
     GROUP BY 1`;
}

/** A raise or re-raise: a flag opening for the first time, or again after it was resolved. */
const IS_RAISE = Prisma.sql`(x."toStatus" = 'OPEN' AND (x."fromStatus" IS NULL OR x."fromStatus" = 'RESOLVED'))`;

/**
 * The funnel, the flag → referral days and the rule table, from one pass over the flag history.
 *
 * One outcome per flag raise in the range, followed until now (even past the range's end). An
 * episode runs from a raise to the flag's next raise; in between the flag may be dismissed,
 * re-opened by new evidence, snoozed, acknowledged, referred. Referred wins: an episode with a
 * referral is "referred" even if it was dismissed first; otherwise one with a dismissal is
 * "dismissed", under its last dismissal's reason; otherwise "undecided". Only raises, referrals
 * and dismissals decide this, so only those events are read. Events are ordered by (at, id): the
 * id is the insertion order and breaks ties within a millisecond.
 *
 * Rules: the criteria met when the flag was raised, recorded on the raise event.
 */
function flagOutcomes(range: DateRange, timeZone: string) {
  const { start, end } = bounds(range, timeZone);
  return getDb().$queryRaw<
    Array<
      CountRow & {
        kind: "outcome" | "days" | "rule";
        ruleId: string | null;
        outcome: FlagOutcome | null;
        reason: string | null;
        days: number | null;
      }
    >
  >`
    WITH numbered AS (
      SELECT x."flagId", x.at, x.id, x."toStatus", x.reason, ${IS_RAISE} AS is_raise,
             count(*) FILTER (WHERE ${IS_RAISE}) OVER (PARTITION BY x."flagId" ORDER BY x.at, x.id) AS episode
        FROM "FlagEvent" x
       WHERE x.at >= ${start} AND (${IS_RAISE} OR x."toStatus" IN ('REFERRED', 'DISMISSED'))
    ),
    episodes AS (
      SELECT "flagId",
             min(at) FILTER (WHERE is_raise) AS raised_at,
             min(id) FILTER (WHERE is_raise) AS raise_event_id,
             min(at) FILTER (WHERE "toStatus" = 'REFERRED') AS referred_at,
             bool_or("toStatus" = 'DISMISSED') AS dismissed,
             (array_agg(reason ORDER BY at DESC, id DESC) FILTER (WHERE "toStatus" = 'DISMISSED'))[1] AS last_dismiss_reason
        FROM numbered
       -- Episode 0: events since the start that belong to a raise before it.
       WHERE episode > 0
       GROUP BY "flagId", episode
      HAVING min(at) FILTER (WHERE is_raise) < ${end}
    ),
    outcomes AS MATERIALIZED (
      SELECT "flagId", raise_event_id, raised_at, referred_at,
             CASE WHEN referred_at IS NOT NULL THEN 'REFERRED' WHEN dismissed THEN 'DISMISSED' ELSE 'UNDECIDED' END
               AS outcome,
             CASE WHEN referred_at IS NULL AND dismissed THEN last_dismiss_reason END AS reason
        FROM episodes
    )
    SELECT 'outcome' AS kind, NULL AS "ruleId", outcome, reason, NULL::int AS days, count(*)::int AS count
      FROM outcomes
     GROUP BY outcome, reason
    UNION ALL
    SELECT 'days', NULL, NULL, NULL,
           (referred_at AT TIME ZONE ${timeZone})::date - (raised_at AT TIME ZONE ${timeZone})::date, count(*)::int
      FROM outcomes
     WHERE referred_at IS NOT NULL
     GROUP BY 5
    UNION ALL
    SELECT 'rule', criterion, by_criteria.outcome, by_criteria.reason, NULL, sum(by_criteria.count)::int
      -- Few distinct criteria sets: count raises per set first, then split each set into its rules.
      FROM (SELECT raise."metCriteria", o.outcome, o.reason, count(*) AS count
              FROM outcomes o
              JOIN "FlagEvent" raise ON raise.id = o.raise_event_id
             GROUP BY 1, 2, 3) AS by_criteria
     CROSS JOIN LATERAL unnest(by_criteria."metCriteria") AS criterion
     GROUP BY 2, 3, 4`;
}

const DISMISS_REASONS = new Set<string>(Object.values(DismissReason));

/** Dismissals made through the app carry a DismissReason; anything else counts as "other". */
function dismissReason(outcome: FlagOutcome | null, reason: string | null): DismissReason | null {
  if (outcome !== "DISMISSED") return null;
  return reason !== null && DISMISS_REASONS.has(reason) ? (reason as DismissReason) : "OTHER";
}

/**
 * The report for a range of clinic days. `tables` limits the queries to those the named tables
 * need (a single CSV export); a table's rows are the same whichever others are loaded with it.
 */
export async function loadReferralReport(
  range: DateRange,
  timeZone: string,
  tables: readonly ReportTableId[] = REPORT_TABLE_IDS,
): Promise<ReferralReportData> {
  const needs = (...ids: ReportTableId[]) => ids.some((table) => tables.includes(table));
  const none = Promise.resolve([]);
  const [procedures, physicians, flags, procedureDays, ruleSet] = await Promise.all([
    needs("procedure-month") ? procedureMonth(range, timeZone) : none,
    needs("physician", "status") ? physicianStatus(range, timeZone) : none,
    needs("funnel", "time-to-act", "rules") ? flagOutcomes(range, timeZone) : none,
    needs("time-to-act") ? referralToProcedureDays(range, timeZone) : none,
    needs("rules") ? getActiveRuleSet() : null,
  ]);
  return {
    range,
    timeZone,
    procedureMonth: procedures,
    physicianStatus: physicians,
    flagOutcomes: flags
      .filter((row) => row.kind === "outcome")
      .map((row) => ({
        outcome: row.outcome as FlagOutcome,
        dismissReason: dismissReason(row.outcome, row.reason),
        count: row.count,
      })),
    flagToReferralDays: flags
      .filter((row) => row.kind === "days")
      .map((row) => ({ value: row.days as number, count: row.count })),
    referralToProcedureDays: procedureDays.map((row) => ({ value: row.days, count: row.count })),
    ruleOutcomes: flags
      .filter((row) => row.kind === "rule")
      .map((row) => ({
        ruleId: row.ruleId as string,
        outcome: row.outcome as FlagOutcome,
        dismissReason: dismissReason(row.outcome, row.reason),
        count: row.count,
      })),
    ruleTitles: ruleSet ? Object.fromEntries(Object.values(ruleSet.rules).map((rule) => [rule.id, rule.title])) : {},
  };
}

export interface LineListRow {
  mrn: string;
  familyName: string;
  givenName: string;
  procedure: ProcedureType;
  urgency: ReferralUrgency;
  status: ReferralStatus;
  referredOn: string;
  scheduledFor: string | null;
  procedureDate: string | null;
  referringPhysician: string;
}

/** One row per referral made in the range, identifying the patient: only for the audited line-list export. */
export function loadReferralLineList(range: DateRange, timeZone: string) {
  const { start, end } = bounds(range, timeZone);
  return getDb().$queryRaw<LineListRow[]>`
    SELECT p.mrn, p."familyName", p."givenName", r.procedure::text AS procedure, r.urgency::text AS urgency,
           r.status::text AS status, to_char(r."createdAt" AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS "referredOn",
           to_char(r."scheduledFor", 'YYYY-MM-DD') AS "scheduledFor",
           to_char(r."procedureDate", 'YYYY-MM-DD') AS "procedureDate",
           COALESCE(u.name, 'Unknown user') AS "referringPhysician"
      FROM "Referral" r
      JOIN "Patient" p ON p.id = r."patientId"
      LEFT JOIN "User" u ON u.id = r."createdById"
     WHERE r."createdAt" >= ${start} AND r."createdAt" < ${end}
     ORDER BY r."createdAt", r.id`;
}
