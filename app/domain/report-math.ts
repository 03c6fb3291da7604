import { addDays } from "./clinical/duration";
import type { IsoDate } from "./iso-date";

/**
 * The arithmetic of the referral reports: month series, cross-tabulations whose totals add up in
 * both directions, and medians. The database does the counting (GROUP BY); this only arranges and
 * summarises the few rows it returns. Pure: no clock, no time zone, no Prisma.
 */

/** A calendar month as "YYYY-MM": sorts as the month it names. */
export type MonthKey = string;

export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}

/** Months a default report covers before the current (partial) one. */
export const DEFAULT_COMPLETE_MONTHS = 12;

export function monthOf(date: IsoDate): MonthKey {
  return date.slice(0, 7);
}

/** Every month from `from`'s to `to`'s, both included, so months without referrals still get a column. */
export function monthsInRange({ from, to }: DateRange): MonthKey[] {
  const months: MonthKey[] = [];
  for (let index = monthIndex(from), last = monthIndex(to); index <= last; index += 1) {
    months.push(`${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`);
  }
  return months;
}

/** The last twelve complete months and the current month up to today: 1 May 2025 – 14 May 2026. */
export function defaultReportRange(today: IsoDate): DateRange {
  return { from: firstDayOf(monthIndex(today) - DEFAULT_COMPLETE_MONTHS), to: today };
}

function monthIndex(date: IsoDate): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

function firstDayOf(index: number): IsoDate {
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

export interface Cell<R extends string, C extends string> {
  row: R;
  column: C;
  count: number;
}

export interface CrossTab<R extends string, C extends string> {
  columns: C[];
  rows: Array<{ key: R; counts: number[]; total: number }>;
  columnTotals: number[];
  total: number;
}

/**
 * Counts laid out as rows × columns with a total per row, per column and overall. Every listed
 * row and column appears, zero-filled; cells for keys outside the lists are a programming error
 * (they would make the totals disagree with the cells shown), so they throw.
 */
export function crossTab<R extends string, C extends string>(
  cells: ReadonlyArray<Cell<R, C>>,
  rows: readonly R[],
  columns: readonly C[],
): CrossTab<R, C> {
  const rowIndex = new Map(rows.map((key, index) => [key, index]));
  const columnIndex = new Map(columns.map((key, index) => [key, index]));
  const grid = rows.map(() => columns.map(() => 0));
  for (const cell of cells) {
    const r = rowIndex.get(cell.row);
    const c = columnIndex.get(cell.column);
    if (r === undefined || c === undefined) {
      throw new RangeError(`A count for ${cell.row} × ${cell.column} falls outside the table.`);
    }
    (grid[r] as number[])[c] = ((grid[r] as number[])[c] as number) + cell.count;
  }
  const columnTotals = columns.map((_, c) => grid.reduce((sum, counts) => sum + (counts[c] as number), 0));
  return {
    columns: [...columns],
    rows: rows.map((key, r) => {
      const counts = grid[r] as number[];
      return { key, counts, total: sum(counts) };
    }),
    columnTotals,
    total: sum(columnTotals),
  };
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export interface ValueCount {
  value: number;
  count: number;
}

/**
 * The median of values given as a histogram (value → how many times it occurs), which is what
 * the database returns instead of one row per referral. With an even number of values it is the
 * mean of the two middle ones. Null when there are no values.
 */
export function medianOfCounts(histogram: readonly ValueCount[]): number | null {
  const sorted = histogram.filter((bucket) => bucket.count > 0).sort((a, b) => a.value - b.value);
  const n = sum(sorted.map((bucket) => bucket.count));
  if (n === 0) return null;
  // 1-based positions of the middle value(s): the same position twice when n is odd.
  const lower = valueAt(sorted, Math.ceil(n / 2));
  const upper = valueAt(sorted, Math.floor(n / 2) + 1);
  return (lower + upper) / 2;
}

function valueAt(sorted: readonly ValueCount[], position: number): number {
  let seen = 0;
  for (const bucket of sorted) {
    seen += bucket.count;
    if (seen >= position) return bucket.value;
  }
  throw new RangeError(`Position ${position} is past the last of ${seen} values.`);
}

export function countOf(histogram: readonly ValueCount[]): number {
  return sum(histogram.map((bucket) => bucket.count));
}

/** `part / whole` as a percentage with one decimal, or null when there is nothing to divide by. */
export function percentOf(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part / whole) * 1000) / 10;
}

/**
 * Months the range covers only in part (it starts after the 1st or ends before the last day), whose
 * counts are not comparable with whole months.
 */
export function partialMonths({ from, to }: DateRange): Set<MonthKey> {
  const partial = new Set<MonthKey>();
  if (from.slice(8) !== "01") partial.add(monthOf(from));
  // The range ends on a month's last day when the next day is a 1st.
  if (addDays(to, 1).slice(8) !== "01") partial.add(monthOf(to));
  return partial;
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1): a round top for a count axis. */
export function niceCeiling(value: number): number {
  if (!(value > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((candidate) => candidate * magnitude >= value) as number;
  return step * magnitude;
}
