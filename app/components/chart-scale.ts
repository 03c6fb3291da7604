import { addDays, daysBetween, type IsoDate } from "~/domain/clinical/duration";
import { MONTH_NAMES } from "~/domain/iso-date";

/**
 * Time-axis math shared by the pathway charts. Pure and locale-free: labels come from a fixed
 * English month table, not Intl, so the server and the browser render the same characters and
 * hydration never sees a different date format.
 */

export interface TimeDomain {
  from: IsoDate;
  to: IsoDate;
}

export type TickUnit = "week" | "month" | "year";

export interface DateTick {
  date: IsoDate;
  label: string;
}

/** Any Monday; week ticks fall on Mondays counted from it. */
const REFERENCE_MONDAY = "2024-01-01";
const DEFAULT_MIN_DAYS = 28;
export const DEFAULT_MAX_TICKS = 8;

/**
 * The days a chart shows: from the earliest of `dates` to `to`, stretched back to at least
 * `minDays` so that a single assessment or a same-day trial still gets a readable axis. Dates
 * after `to` do not move the start. An explicit `from` is kept as given unless it is not before
 * `to`. YYYY-MM-DD strings sort as the days they name.
 */
export function timeDomain(
  dates: readonly IsoDate[],
  to: IsoDate,
  { from, minDays = DEFAULT_MIN_DAYS }: { from?: IsoDate; minDays?: number } = {},
): TimeDomain {
  const earliest = dates.filter((date) => date <= to).reduce<IsoDate>((min, date) => (date < min ? date : min), to);
  const start = from ?? earliest;
  const shortest = from === undefined ? minDays : 1;
  return { from: daysBetween(start, to) < shortest ? addDays(to, -minDays) : start, to };
}

/** A tick of the shared axis. Minor ticks lose their label on a narrow screen; major ones keep it. */
export interface TimeAxisTick extends DateTick {
  major: boolean;
}

export interface TimeAxis extends TimeDomain {
  ticks: TimeAxisTick[];
}

/** What a patient's time axis must show: every score, every therapy from its start, every procedure. */
export interface TimeAxisHistory {
  assessments: readonly IsoDate[];
  therapies: ReadonlyArray<{ startDate: IsoDate; endDate: IsoDate | null }>;
  procedures: readonly IsoDate[];
}

/**
 * The one time axis that the pain chart and the therapy lanes share: from the earliest score,
 * therapy start or procedure up to `today` (ongoing therapies run to it), with calendar ticks.
 * Every other tick is major, starting with the first; a major tick names its year whenever the
 * year changed since the previous major tick, so the labels still read alone on a narrow screen.
 */
export function timeAxis(history: TimeAxisHistory, today: IsoDate, maxTicks = DEFAULT_MAX_TICKS): TimeAxis {
  const domain = timeDomain(
    [
      ...history.assessments,
      ...history.therapies.flatMap(({ startDate, endDate }) => (endDate ? [startDate, endDate] : [startDate])),
      ...history.procedures,
    ],
    today,
  );
  const ticks = dateTicks(domain, maxTicks);
  return {
    ...domain,
    ticks: ticks.map((tick, index) => {
      const major = index % 2 === 0;
      const year = tick.date.slice(0, 4);
      const yearChanged = index >= 2 && ticks[index - 2]!.date.slice(0, 4) !== year;
      const label = major && yearChanged && !tick.label.endsWith(year) ? `${tick.label} ${year}` : tick.label;
      return { date: tick.date, label, major };
    }),
  };
}

/** Linear day → x map; `from` lands on x0 and `to` on x1. Dates outside the domain land outside the range. */
export function timeScale({ from, to }: TimeDomain, [x0, x1]: readonly [number, number]): (date: IsoDate) => number {
  const span = daysBetween(from, to);
  if (span <= 0) throw new RangeError(`A time axis needs "to" after "from", got ${from} to ${to}.`);
  return (date) => roundCoordinate(x0 + ((x1 - x0) * daysBetween(from, date)) / span);
}

/** Linear value → y map for a score scale drawn upwards: `min` lands on `bottom`, `max` on `top`. */
export function valueScale(
  [min, max]: readonly [number, number],
  [bottom, top]: readonly [number, number],
): (value: number) => number {
  return (value) =>
    roundCoordinate(bottom + ((top - bottom) * (Math.min(Math.max(value, min), max) - min)) / (max - min));
}

interface TickStep {
  unit: TickUnit;
  count: number;
  approxDays: number;
}

const TICK_STEPS: readonly TickStep[] = [
  { unit: "week", count: 1, approxDays: 7 },
  { unit: "week", count: 2, approxDays: 14 },
  ...[1, 2, 3, 6].map((count) => ({ unit: "month" as const, count, approxDays: count * 30.44 })),
  ...[1, 2, 5, 10, 20, 50, 100].map((count) => ({ unit: "year" as const, count, approxDays: count * 365.25 })),
];

/**
 * Calendar-aligned ticks inside the domain, at most `maxTicks` of them: Mondays for spans of
 * weeks, first days of months (quarters, half-years) for spans of months, 1 January for spans of
 * years. The finest step that fits wins. Steps align to the calendar, not to `from`, so the
 * ticks stay put when the domain grows by a day.
 */
export function dateTicks(domain: TimeDomain, maxTicks = DEFAULT_MAX_TICKS): DateTick[] {
  const span = daysBetween(domain.from, domain.to);
  let dates: IsoDate[] = [];
  let unit: TickUnit = "year";
  for (const step of TICK_STEPS) {
    if (span / step.approxDays > maxTicks + 1) continue;
    dates = tickDates(domain, step);
    unit = step.unit;
    if (dates.length <= maxTicks) break;
  }
  return dates.map((date, index) => ({ date, label: tickLabel(date, unit, index === 0 ? null : dates[index - 1]) }));
}

function tickDates({ from, to }: TimeDomain, { unit, count }: TickStep): IsoDate[] {
  const dates: IsoDate[] = [];
  if (unit === "week") {
    const weeksFromReference = Math.ceil(daysBetween(REFERENCE_MONDAY, from) / 7);
    const firstWeek = Math.ceil(weeksFromReference / count) * count;
    for (let date = addDays(REFERENCE_MONDAY, firstWeek * 7); date <= to; date = addDays(date, count * 7)) {
      dates.push(date);
    }
    return dates;
  }
  const { year, month } = yearMonth(from);
  if (unit === "month") {
    let index = year * 12 + (month - 1);
    if (from.slice(8) !== "01") index += 1;
    index = Math.ceil(index / count) * count;
    for (let date = monthStart(index); date <= to; index += count, date = monthStart(index)) dates.push(date);
    return dates;
  }
  let tickYear = Math.ceil((from.slice(5) === "01-01" ? year : year + 1) / count) * count;
  for (let date = yearStart(tickYear); date <= to; tickYear += count, date = yearStart(tickYear)) dates.push(date);
  return dates;
}

/** The year is shown on the first tick and whenever it changes; the full date is in the data table. */
function tickLabel(date: IsoDate, unit: TickUnit, previous: IsoDate | null | undefined): string {
  const { year, month, day } = yearMonth(date);
  if (unit === "year") return String(year);
  const newYear = !previous || previous.slice(0, 4) !== date.slice(0, 4);
  const text = unit === "week" ? `${day} ${MONTH_NAMES[month - 1]}` : `${MONTH_NAMES[month - 1]}`;
  return newYear ? `${text} ${year}` : text;
}

/** A score as the clinic writes it: at most one decimal, no trailing ".0". */
export function formatScore(value: number): string {
  return String(Number(value.toFixed(1)));
}

function yearMonth(date: IsoDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function monthStart(monthIndex: number): IsoDate {
  return `${pad(Math.floor(monthIndex / 12), 4)}-${pad((monthIndex % 12) + 1, 2)}-01`;
}

function yearStart(year: number): IsoDate {
  return `${pad(year, 4)}-01-01`;
}

function pad(value: number, length: number): string {
  return String(value).padStart(length, "0");
}

/** Two decimals of a viewBox unit: far below a pixel, and short, noise-free markup. */
export function roundCoordinate(value: number): number {
  return Math.round(value * 100) / 100;
}
