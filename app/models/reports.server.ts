import { DismissReason } from "~/generated/prisma/enums";
import { sql, type Selectable } from "kysely";
import type { DB } from "~/generated/kysely/types";
import {
  REPORT_TABLE_IDS,
  type FlagOutcome,
  type ReferralReportData,
  type ReportTableId,
} from "~/domain/referral-report";
import { type DateRange, type MonthKey } from "~/domain/report-math";
import { getDb } from "~/server/db.server";
import { qb, rawRows, rows } from "~/server/query-builder.server";
import { getActiveRuleSet } from "./rule-set.server";
import { isoDay } from "./sql-json.server";

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
    start: sql<Date>`(${range.from}::date::timestamp AT TIME ZONE ${timeZone})`,
    end: sql<Date>`((${range.to}::date + 1)::timestamp AT TIME ZONE ${timeZone})`,
  };
}

type CountRow = { count: number };
type Referral = Selectable<DB["Referral"]>;
type FlagEpisode = Selectable<DB["FlagEpisode"]>;

/**
 * A row of one of the three groupings, told apart by `set`, GROUPING(procedure, createdById): 1 for
 * (procedure, month), 2 for (physician, status), 3 for days. Its other columns are NULL.
 */
type ReferralCountRow = CountRow &
  (
    | { set: 1; procedure: Referral["procedure"]; month: MonthKey }
    | {
        set: 2;
        physicianId: Referral["createdById"];
        physicianName: Selectable<DB["User"]>["name"];
        status: Referral["status"];
      }
    | { set: 3; days: number | null }
  );

/**
 * The referrals made in the range, counted three ways in one pass (GROUPING SETS), which takes about
 * half the time of three queries:
 * - by procedure and clinic month. Each month's first instant is computed once and rows are put in
 *   months by binary search (width_bucket), about twice as fast as converting every row's
 *   timestamp to the clinic's zone;
 * - by referring physician and status;
 * - completed ones by whole clinic days from the referral to the procedure.
 */
async function referralCounts(range: DateRange, timeZone: string) {
  const { start, end } = bounds(range, timeZone);
  const counts = await rawRows(
    getDb(),
    sql<ReferralCountRow>`
    WITH months AS (
      SELECT array_agg(m AT TIME ZONE ${timeZone} ORDER BY m) AS starts, array_agg(to_char(m, 'YYYY-MM') ORDER BY m) AS keys
        FROM generate_series(date_trunc('month', ${range.from}::date::timestamp), ${range.to}::date::timestamp,
                             interval '1 month') AS m
    )
    SELECT c.set, c.procedure::text AS procedure, months.keys[c.month_number] AS month,
           c."createdById"::text AS "physicianId", COALESCE(u.name, 'Unknown user') AS "physicianName",
           c.status::text AS status, c.days, c.count
      FROM (SELECT GROUPING(r.procedure, r."createdById") AS set, r.procedure,
                   width_bucket(r."createdAt", months.starts) AS month_number, r."createdById", r.status,
                   CASE WHEN r.status = 'COMPLETED'
                        THEN r."procedureDate" - (r."createdAt" AT TIME ZONE ${timeZone})::date END AS days,
                   count(*)::int AS count
              FROM "Referral" r, months
             WHERE r."createdAt" >= ${start} AND r."createdAt" < ${end}
             GROUP BY GROUPING SETS ((2, 3), (4, 5), (6))) AS c
      CROSS JOIN months
      LEFT JOIN "User" u ON c.set = 2 AND u.id = c."createdById"`,
  );
  const counted = <S extends ReferralCountRow["set"]>(set: S) =>
    counts.filter((row): row is Extract<ReferralCountRow, { set: S }> => row.set === set);
  return {
    procedureMonth: counted(1).map(({ procedure, month, count }) => ({ procedure, month, count })),
    physicianStatus: counted(2).map(({ physicianId, physicianName, status, count }) => ({
      physicianId,
      physicianName,
      status,
      count,
    })),
    referralToProcedureDays: counted(3).flatMap(({ days, count }) => (days === null ? [] : [{ value: days, count }])),
  };
}

/**
 * The funnel, the flag → referral days and the rule table, from the flag episodes raised in the
 * range, each followed until now (even past the range's end).
 *
 * An episode runs from a raise to the flag's next raise; in between the flag may be dismissed,
 * re-opened by new evidence, snoozed, acknowledged, referred. Referred wins: an episode with a
 * referral is "referred" even if it was dismissed first; otherwise one with a dismissal is
 * "dismissed", under its last dismissal's reason; otherwise "undecided". FlagEpisode is kept from
 * the flag history by a trigger (migration flag_episodes); the outcome helpers are SQL functions
 * (migration flag_outcome_counts).
 *
 * Rules: the criteria met when the flag was raised.
 */
function flagOutcomes(range: DateRange, timeZone: string) {
  const { start, end } = bounds(range, timeZone);
  return rawRows(
    getDb(),
    // outcome, reason and days are what the SQL functions of migration flag_outcome_counts return.
    sql<
      CountRow & {
        kind: "outcome" | "days" | "rule";
        ruleId: FlagEpisode["metCriteria"][number] | null;
        outcome: FlagOutcome | null;
        reason: FlagEpisode["lastDismissReason"];
        days: number | null;
      }
    >`
    -- A few hundred groups; the three tables are sums of those.
    WITH grouped AS MATERIALIZED (
      SELECT COALESCE(e."metCriteria", '{}') AS "metCriteria",
             flag_episode_outcome(e."referredAt", e.dismissed) AS outcome,
             flag_episode_dismiss_reason(e."referredAt", e.dismissed, e."lastDismissReason") AS reason,
             flag_episode_referral_days(e."raisedAt", e."referredAt", ${timeZone}) AS days,
             count(*) AS count
        FROM "FlagEpisode" e
       WHERE e."raisedAt" >= ${start} AND e."raisedAt" < ${end}
       GROUP BY 1, 2, 3, 4
    )
    SELECT 'outcome' AS kind, NULL AS "ruleId", outcome, reason, NULL::int AS days, sum(count)::int AS count
      FROM grouped
     GROUP BY outcome, reason
    UNION ALL
    SELECT 'days', NULL, NULL, NULL, days, sum(count)::int
      FROM grouped
     WHERE days IS NOT NULL
     GROUP BY days
    UNION ALL
    SELECT 'rule', criterion, outcome, reason, NULL, sum(count)::int
      FROM grouped
     CROSS JOIN LATERAL unnest(grouped."metCriteria") AS criterion
     GROUP BY 2, 3, 4`,
  );
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
  const [referrals, flags, ruleSet] = await Promise.all([
    needs("procedure-month", "physician", "status", "time-to-act") ? referralCounts(range, timeZone) : null,
    needs("funnel", "time-to-act", "rules") ? flagOutcomes(range, timeZone) : none,
    needs("rules") ? getActiveRuleSet() : null,
  ]);
  return {
    range,
    timeZone,
    procedureMonth: referrals?.procedureMonth ?? [],
    physicianStatus: referrals?.physicianStatus ?? [],
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
    referralToProcedureDays: referrals?.referralToProcedureDays ?? [],
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

/** One row per referral made in the range, identifying the patient: only for the audited line-list export. */
export function loadReferralLineList(range: DateRange, timeZone: string) {
  const { start, end } = bounds(range, timeZone);
  return rows(
    getDb(),
    qb
      .selectFrom("Referral as r")
      .innerJoin("Patient as p", "p.id", "r.patientId")
      .leftJoin("User as u", "u.id", "r.createdById")
      .select((eb) => [
        "p.id as patientId",
        "p.mrn",
        "p.familyName",
        "p.givenName",
        "r.procedure",
        "r.urgency",
        "r.status",
        sql<string>`to_char(${eb.ref("r.createdAt")} AT TIME ZONE ${timeZone}, 'YYYY-MM-DD')`.as("referredOn"),
        isoDay(eb.ref("r.scheduledFor")).as("scheduledFor"),
        isoDay(eb.ref("r.procedureDate")).as("procedureDate"),
        eb.fn.coalesce("u.name", sql.lit("Unknown user")).as("referringPhysician"),
      ])
      .where("r.createdAt", ">=", start)
      .where("r.createdAt", "<", end)
      .orderBy("r.createdAt")
      .orderBy("r.id"),
  );
}

export type LineListRow = Awaited<ReturnType<typeof loadReferralLineList>>[number];
