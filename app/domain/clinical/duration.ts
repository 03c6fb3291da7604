/**
 * Every clinical date is a date-only ISO string, "YYYY-MM-DD": a calendar day with no time or
 * zone, so an onset or assessment date never shifts by a day between server and browser. Callers
 * pass "today" the same way; nothing in app/domain/clinical reads the clock.
 */
export type IsoDate = string;

/**
 * Pain duration categories of the CDC 2022 clinical practice guideline (Dowell et al., MMWR Recomm
 * Rep 2022;71(3)): acute < 1 month, subacute 1–3 months, chronic > 3 months.
 */
export const PAIN_DURATION_MONTHS = { subacuteFrom: 1, chronicAfter: 3 } as const;

export type PainDurationCategory = "acute" | "subacute" | "chronic";

export interface PainDuration {
  months: number;
  days: number;
  totalDays: number;
  category: PainDurationCategory;
}

interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whole months and remaining days from onset to the evaluation date. "n months after" a day keeps
 * the day of the month, or the month's last day when it has fewer days: 31 January + 1 month is
 * 28 (or 29) February, so pain since 30 November is exactly 3 months old on 28 February and
 * chronic from 1 March.
 */
export function painDuration(onset: IsoDate, evaluatedOn: IsoDate): PainDuration {
  const start = parseIsoDate(onset);
  const end = parseIsoDate(evaluatedOn);
  const totalDays = dayNumber(end) - dayNumber(start);
  if (totalDays < 0) throw new RangeError(`Evaluation date ${evaluatedOn} is before the onset ${onset}.`);

  let months = (end.year - start.year) * 12 + (end.month - start.month);
  if (dayNumber(addMonths(start, months)) > dayNumber(end)) months -= 1;
  const days = dayNumber(end) - dayNumber(addMonths(start, months));
  return { months, days, totalDays, category: categorise(months, days) };
}

function categorise(months: number, days: number): PainDurationCategory {
  if (months < PAIN_DURATION_MONTHS.subacuteFrom) return "acute";
  const beyondChronicBoundary =
    months > PAIN_DURATION_MONTHS.chronicAfter || (months === PAIN_DURATION_MONTHS.chronicAfter && days > 0);
  return beyondChronicBoundary ? "chronic" : "subacute";
}

/** Days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(parseIsoDate(to)) - dayNumber(parseIsoDate(from));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Days to add must be a whole number, got ${days}.`);
  const { year, month, day } = parseIsoDate(date);
  return utcDate(year, month, day + days)
    .toISOString()
    .slice(0, 10);
}

function parseIsoDate(value: IsoDate): CalendarDate {
  const match = ISO_DATE.exec(value);
  if (match) {
    const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
    if (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= daysInMonth(date.year, date.month)) {
      return date;
    }
  }
  throw new RangeError(`Expected a date as YYYY-MM-DD, got "${value}".`);
}

function addMonths({ year, month, day }: CalendarDate, months: number): CalendarDate {
  const monthIndex = year * 12 + (month - 1) + months;
  const target = { year: Math.floor(monthIndex / 12), month: (monthIndex % 12) + 1 };
  return { ...target, day: Math.min(day, daysInMonth(target.year, target.month)) };
}

function daysInMonth(year: number, month: number): number {
  return utcDate(year, month + 1, 0).getUTCDate();
}

function dayNumber({ year, month, day }: CalendarDate): number {
  return utcDate(year, month, day).getTime() / MS_PER_DAY;
}

function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  // Unlike Date.UTC, setUTCFullYear does not read years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  return date;
}
