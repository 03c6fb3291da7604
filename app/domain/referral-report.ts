import * as z from "zod";
import { DismissReason, ProcedureType, ReferralStatus } from "~/generated/prisma/enums";
import { PROCEDURE_TYPE_LABELS } from "./pathway-vocabulary";
import { DISMISS_REASON_LABELS } from "./pathway-vocabulary";
import {
  crossTab,
  defaultReportRange,
  medianOfCounts,
  countOf,
  monthsInRange,
  percentOf,
  sum,
  type DateRange,
  type MonthKey,
  type ValueCount,
} from "./report-math";
import { isIsoDate, type IsoDate } from "./iso-date";

/**
 * What the referral reports show and how they read, shared by the page and its CSV exports so
 * both always carry the same numbers. Browser-safe: plain data in, plain tables out.
 */

export const REFERRAL_STATUSES: readonly ReferralStatus[] = Object.values(ReferralStatus);
export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  PENDING: "Pending",
  SCHEDULED: "Scheduled",
  COMPLETED: "Completed",
  CANCELLED: "Cancelled",
};
const PROCEDURES: readonly ProcedureType[] = Object.values(ProcedureType);
const DISMISS_REASONS: readonly DismissReason[] = Object.values(DismissReason);
/** Column headers of the rule table, where the full labels would make it too wide to read. */
const DISMISS_REASON_SHORT_LABELS: Record<DismissReason, string> = {
  NOT_CLINICALLY_INDICATED: "not indicated",
  PATIENT_DECLINES: "patient declines",
  ALREADY_UNDER_SPECIALIST: "under a specialist",
  DATA_INCORRECT: "record incorrect",
  CONTRAINDICATED: "contraindicated",
  OTHER: "other",
};

/** What became of a flag raise: referred wins over dismissed (a flag dismissed, re-opened and then referred was referred). */
export const FLAG_OUTCOMES = ["REFERRED", "DISMISSED", "UNDECIDED"] as const;
export type FlagOutcome = (typeof FLAG_OUTCOMES)[number];

/** The counts the database returns for one date range; every figure on the page is derived from these. */
export interface ReferralReportData {
  range: DateRange;
  timeZone: string;
  procedureMonth: Array<{ procedure: ProcedureType; month: MonthKey; count: number }>;
  physicianStatus: Array<{ physicianId: string; physicianName: string; status: ReferralStatus; count: number }>;
  flagOutcomes: Array<{ outcome: FlagOutcome; dismissReason: DismissReason | null; count: number }>;
  flagToReferralDays: ValueCount[];
  referralToProcedureDays: ValueCount[];
  ruleOutcomes: Array<{ ruleId: string; outcome: FlagOutcome; dismissReason: DismissReason | null; count: number }>;
  /** Titles of the rules the active rule set knows; older rule ids show as their id. */
  ruleTitles: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------------
// Filters

export const REPORT_TABLE_IDS = ["procedure-month", "physician", "status", "funnel", "time-to-act", "rules"] as const;
export type ReportTableId = (typeof REPORT_TABLE_IDS)[number];
export const LINE_LIST = "line-list";
/**
 * Longer ranges are refused: the flag funnel reads every flag event since the start, and at 100,000
 * patients three years of history already take most of a second.
 */
export const MAX_REPORT_MONTHS = 36;

/** A real calendar day: "2025-02-30" is refused, not rolled over into March. */
const isoDay = z.string().refine(isIsoDate);

export interface ReportFilters {
  range: DateRange;
  /** Why the dates asked for were not used; the default range is shown instead. */
  problems: string[];
}

/**
 * The date range from the URL (`from`, `to`: clinic calendar days, both included). Missing dates
 * take the default range; dates that cannot be used are reported and the default range is shown,
 * so a bookmarked link never breaks the page.
 */
export function parseReportFilters(params: URLSearchParams, today: IsoDate): ReportFilters {
  const fallback = defaultReportRange(today);
  const fromParam = params.get("from") || null;
  const toParam = params.get("to") || null;
  if (!fromParam && !toParam) return { range: fallback, problems: [] };
  const from = fromParam === null ? fallback.from : isoDay.safeParse(fromParam).data;
  const to = toParam === null ? fallback.to : isoDay.safeParse(toParam).data;
  const problems: string[] = [];
  if (!from) problems.push("The start date is not a date (use YYYY-MM-DD).");
  if (!to) problems.push("The end date is not a date (use YYYY-MM-DD).");
  if (from && to) {
    if (from > to) problems.push("The start date is after the end date.");
    else if (monthsInRange({ from, to }).length > MAX_REPORT_MONTHS)
      problems.push(`Choose at most ${MAX_REPORT_MONTHS} months.`);
  }
  if (problems.length > 0 || !from || !to) return { range: fallback, problems };
  return { range: { from, to }, problems };
}

export function reportQuery(range: DateRange, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ ...extra, from: range.from, to: range.to }).toString();
}

// ---------------------------------------------------------------------------------------------------
// Tables

export type TableCell = string | number | null;

export interface ReportColumn {
  label: string;
  /** The CSV header when it differs from the label (months as YYYY-MM, which spreadsheets sort). */
  csvLabel?: string;
  numeric: boolean;
}

export interface ReportRow {
  cells: TableCell[];
  /** A totals row, shown in bold. */
  total?: boolean;
  /** A breakdown of the row above it. */
  detail?: boolean;
}

export interface ReportTable {
  id: ReportTableId;
  title: string;
  /** The file name prefix of its CSV export. */
  fileName: string;
  columns: ReportColumn[];
  rows: ReportRow[];
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** "May 2025", the same on server and client (no Intl). */
export function monthLabel(month: MonthKey): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

const label = (text: string): ReportColumn => ({ label: text, numeric: false });
const count = (text: string): ReportColumn => ({ label: text, numeric: true });

export function procedureMonthTab(data: ReferralReportData) {
  return crossTab(
    data.procedureMonth.map((cell) => ({ row: cell.procedure, column: cell.month, count: cell.count })),
    PROCEDURES,
    monthsInRange(data.range),
  );
}

function procedureMonthTable(data: ReferralReportData): ReportTable {
  const tab = procedureMonthTab(data);
  return {
    id: "procedure-month",
    title: "Referrals by procedure and month",
    fileName: "referrals-by-procedure-month",
    columns: [
      label("Procedure"),
      ...tab.columns.map((month) => ({ label: monthLabel(month), csvLabel: month, numeric: true })),
      count("Total"),
    ],
    rows: [
      ...tab.rows.map((row) => ({ cells: [PROCEDURE_TYPE_LABELS[row.key], ...row.counts, row.total] })),
      { cells: ["All procedures", ...tab.columnTotals, tab.total], total: true },
    ],
  };
}

function physicianTable(data: ReferralReportData): ReportTable {
  const names = new Map(data.physicianStatus.map((row) => [row.physicianId, row.physicianName]));
  const tab = crossTab(
    data.physicianStatus.map((row) => ({ row: row.physicianId, column: row.status, count: row.count })),
    [...names.keys()],
    REFERRAL_STATUSES,
  );
  const rows = [...tab.rows].sort(
    (a, b) => b.total - a.total || (names.get(a.key) ?? "").localeCompare(names.get(b.key) ?? "", "en"),
  );
  return {
    id: "physician",
    title: "Referrals by referring physician",
    fileName: "referrals-by-physician",
    columns: [
      label("Referring physician"),
      ...REFERRAL_STATUSES.map((s) => count(REFERRAL_STATUS_LABELS[s])),
      count("Total"),
    ],
    rows: [
      ...rows.map((row) => ({ cells: [names.get(row.key) ?? "", ...row.counts, row.total] })),
      { cells: ["All physicians", ...tab.columnTotals, tab.total], total: true },
    ],
  };
}

function statusTable(data: ReferralReportData): ReportTable {
  const byStatus = REFERRAL_STATUSES.map((status) =>
    sum(data.physicianStatus.filter((row) => row.status === status).map((row) => row.count)),
  );
  const total = sum(byStatus);
  return {
    id: "status",
    title: "Referrals by current status",
    fileName: "referrals-by-status",
    columns: [label("Status"), count("Referrals"), count("Share (%)")],
    rows: [
      ...REFERRAL_STATUSES.map((status, index) => ({
        cells: [REFERRAL_STATUS_LABELS[status], byStatus[index] as number, percentOf(byStatus[index] as number, total)],
      })),
      { cells: ["All referrals", total, total === 0 ? null : 100], total: true },
    ],
  };
}

export function funnelCounts(data: ReferralReportData) {
  const countWhere = (outcome: FlagOutcome, reason?: DismissReason) =>
    sum(
      data.flagOutcomes
        .filter((row) => row.outcome === outcome && (reason === undefined || row.dismissReason === reason))
        .map((row) => row.count),
    );
  const referred = countWhere("REFERRED");
  const dismissed = countWhere("DISMISSED");
  const undecided = countWhere("UNDECIDED");
  return {
    raised: referred + dismissed + undecided,
    referred,
    dismissed,
    undecided,
    dismissedBy: DISMISS_REASONS.map((reason) => ({ reason, count: countWhere("DISMISSED", reason) })),
  };
}

function funnelTable(data: ReferralReportData): ReportTable {
  const funnel = funnelCounts(data);
  const share = (value: number) => percentOf(value, funnel.raised);
  return {
    id: "funnel",
    title: "From flag to referral",
    fileName: "flag-to-referral-funnel",
    columns: [label("Step"), count("Flag raises"), count("Share of raises (%)")],
    rows: [
      { cells: ["Raised", funnel.raised, funnel.raised === 0 ? null : 100], total: true },
      { cells: ["Referred", funnel.referred, share(funnel.referred)] },
      { cells: ["Dismissed", funnel.dismissed, share(funnel.dismissed)] },
      ...funnel.dismissedBy.map(({ reason, count: value }) => ({
        cells: [`Dismissed: ${DISMISS_REASON_LABELS[reason]}`, value, share(value)],
        detail: true,
      })),
      { cells: ["Neither referred nor dismissed (yet)", funnel.undecided, share(funnel.undecided)] },
    ],
  };
}

function timeToActTable(data: ReferralReportData): ReportTable {
  return {
    id: "time-to-act",
    title: "Time to act",
    fileName: "time-to-act",
    columns: [label("Interval"), count("Median days"), count("Measured")],
    rows: [
      {
        cells: ["Flag raised → referral", medianOfCounts(data.flagToReferralDays), countOf(data.flagToReferralDays)],
      },
      {
        cells: [
          "Referral → procedure (completed referrals)",
          medianOfCounts(data.referralToProcedureDays),
          countOf(data.referralToProcedureDays),
        ],
      },
    ],
  };
}

function rulesTable(data: ReferralReportData): ReportTable {
  const ruleIds = [...new Set(data.ruleOutcomes.map((row) => row.ruleId))];
  const rows = ruleIds.map((ruleId) => {
    const own = data.ruleOutcomes.filter((row) => row.ruleId === ruleId);
    const countWhere = (outcome?: FlagOutcome, reason?: DismissReason) =>
      sum(
        own
          .filter(
            (row) =>
              (outcome === undefined || row.outcome === outcome) &&
              (reason === undefined || row.dismissReason === reason),
          )
          .map((row) => row.count),
      );
    const fired = countWhere();
    const dismissed = countWhere("DISMISSED");
    return {
      ruleId,
      fired,
      cells: [
        ruleId,
        data.ruleTitles[ruleId] ?? "(not in the active rule set)",
        fired,
        countWhere("REFERRED"),
        dismissed,
        percentOf(dismissed, fired),
        ...DISMISS_REASONS.map((reason) => countWhere("DISMISSED", reason)),
      ] satisfies TableCell[],
    };
  });
  rows.sort((a, b) => b.fired - a.fired || a.ruleId.localeCompare(b.ruleId, "en"));
  return {
    id: "rules",
    title: "Rule performance",
    fileName: "rule-performance",
    columns: [
      label("Rule id"),
      label("Rule"),
      count("Fired"),
      count("Referred"),
      count("Dismissed"),
      count("Override rate (%)"),
      ...DISMISS_REASONS.map((reason) => count(`Dismissed: ${DISMISS_REASON_SHORT_LABELS[reason]}`)),
    ],
    rows: rows.map((row) => ({ cells: row.cells })),
  };
}

const BUILDERS: Record<ReportTableId, (data: ReferralReportData) => ReportTable> = {
  "procedure-month": procedureMonthTable,
  physician: physicianTable,
  status: statusTable,
  funnel: funnelTable,
  "time-to-act": timeToActTable,
  rules: rulesTable,
};

export function reportTable(data: ReferralReportData, id: ReportTableId): ReportTable {
  return BUILDERS[id](data);
}

/** Every table of the report: what the page sends the browser instead of the counts behind them (a third of their size). */
export function reportTables(data: ReferralReportData): Record<ReportTableId, ReportTable> {
  return Object.fromEntries(REPORT_TABLE_IDS.map((id) => [id, reportTable(data, id)])) as Record<
    ReportTableId,
    ReportTable
  >;
}

/** A table as CSV rows: header first, empty cells for "no value". */
export function tableRows(table: ReportTable): TableCell[][] {
  return [table.columns.map((column) => column.csvLabel ?? column.label), ...table.rows.map((row) => row.cells)];
}
