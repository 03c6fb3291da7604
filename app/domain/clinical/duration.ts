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

/** Completed years on `today`, by the same calendar months (a 29 February birthday turns over on 28 February). */
export function ageOn(birthDate: IsoDate, today: IsoDate): number {
  return Math.floor(painDuration(birthDate, today).months / 12);
}

/** Days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(parseIsoDate(to)) - dayNumber(parseIsoDate(from));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Days to add must be a whole number, got ${days}.`);
  const { year, month, day } = civilDate(dayNumber(parseIsoDate(date)) + days);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** A real calendar day written YYYY-MM-DD: "2025-02-30" is not one. */
export function isIsoDate(value: string): boolean {
  return calendarDate(value) !== null;
}

// Read character by character rather than with a regular expression: the nightly run parses
// tens of millions of dates, and the match arrays alone kept the garbage collector busy.
function calendarDate(value: string): CalendarDate | null {
  if (value.length !== 10 || value.charCodeAt(4) !== HYPHEN || value.charCodeAt(7) !== HYPHEN) return null;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 7);
  const day = digitsAt(value, 8, 10);
  const valid = year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  return valid ? { year, month, day } : null;
}

const HYPHEN = 45;
const ZERO = 48;

/** The decimal number written in value[from, to), or -1 if a character there is not a digit. */
function digitsAt(value: string, from: number, to: number): number {
  let number = 0;
  for (let index = from; index < to; index++) {
    const digit = value.charCodeAt(index) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

function parseIsoDate(value: IsoDate): CalendarDate {
  const date = calendarDate(value);
  if (!date) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${value}".`);
  return date;
}

function addMonths({ year, month, day }: CalendarDate, months: number): CalendarDate {
  const monthIndex = year * 12 + (month - 1) + months;
  const target = { year: Math.floor(monthIndex / 12), month: (monthIndex % 12) + 1 };
  return { ...target, day: Math.min(day, daysInMonth(target.year, target.month)) };
}

// Calendar arithmetic without Date objects: the nightly run does this millions of times.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * Days since 1970-01-01 in the proleptic Gregorian calendar, and back: H. Hinnant's
 * days_from_civil / civil_from_days (https://howardhinnant.github.io/date_algorithms.html).
 */
function dayNumber({ year, month, day }: CalendarDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilDate(days: number): CalendarDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1,
  };
}
