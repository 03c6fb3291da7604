import { ageOn, type IsoDate } from "./clinical/duration";

export type { IsoDate };
export { isIsoDate } from "./clinical/duration";

/** A calendar date stored as a Postgres `date` arrives as UTC midnight; this is its ISO day. */
export function toIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** The month names of every date a page shows, chart axes included. */
export const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/**
 * A date as every page shows it, "6 Dec 2026": day, named month, year reads the same to a clinician
 * from any country, where 06/12/2026 does not. Spelt out here rather than with Intl, whose month
 * names differ between ICU versions (en-GB "Sept"), so that the server's and the browser's agree.
 */
export function displayDate(date: IsoDate): string {
  const [year, month, day] = date.split("-");
  return `${Number(day)} ${MONTH_NAMES[Number(month) - 1]} ${year}`;
}

/** A date of birth as pages show it, always with the age: "4 May 1970 (56 y)". */
export function displayBirthDate(birthDate: IsoDate, today: IsoDate): string {
  return `${displayDate(birthDate)} (${ageOn(birthDate, today)} y)`;
}

/**
 * An instant as every page shows it, on the clinic's wall clock and to the minute: "6 Dec 2026,
 * 14:05". Exact times stay in `<time dateTime>` and in the exports.
 */
export function displayDateTime(timeZone: string, instant: Date | string): string {
  const { date, time } = wallClockIn(timeZone, typeof instant === "string" ? new Date(instant) : instant);
  return `${displayDate(date)}, ${time.slice(0, 5)}`;
}

/**
 * The hint beside a date input, which the browser shows in its own locale's order: the bounds it
 * takes, in the pages' format ("On or before 6 Dec 2026.").
 */
export function dateBoundsHint(bounds: { min?: IsoDate; max?: IsoDate }): string {
  const { min, max } = bounds;
  if (min && max) return `Between ${displayDate(min)} and ${displayDate(max)}.`;
  if (max) return `On or before ${displayDate(max)}.`;
  if (min) return `On or after ${displayDate(min)}.`;
  return "Any date.";
}

/**
 * The engine's explanations, the rules' sources and the follow-up prompts keep ISO dates, so that a
 * stored evaluation compares equal whatever the display; pages show those dates as displayDate does.
 */
export function displayDatesIn(text: string): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (date) => displayDate(date));
}

export function fromIsoDate(date: IsoDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

// Building a formatter costs far more than using one (about 0.5 ms), and exports format 100,000
// instants while every request asks for today.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's date where the clinic is, which is not the server's UTC date near midnight. */
export function todayIn(timeZone: string, now: Date): IsoDate {
  let format = dayFormats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  return format.format(now);
}

/** Wall-clock parts of an instant in a time zone. */
function wallClockIn(timeZone: string, instant: Date) {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? "00";
  return {
    date: `${part("year")}-${part("month")}-${part("day")}`,
    time: `${part("hour")}:${part("minute")}:${part("second")}`,
  };
}

/** The instant a calendar day begins in a time zone (its first existing minute on a DST-gap day). */
export function startOfDayIn(timeZone: string, date: IsoDate): Date {
  const asUtc = fromIsoDate(date).getTime();
  const offsetAt = (ms: number) => {
    const { date: day, time } = wallClockIn(timeZone, new Date(ms));
    return new Date(`${day}T${time}.000Z`).getTime() - Math.floor(ms / 1000) * 1000;
  };
  // The zone's offset at the guess can differ from the offset at the answer across a DST change.
  let instant = asUtc - offsetAt(asUtc);
  instant = asUtc - offsetAt(instant);
  if (wallClockIn(timeZone, new Date(instant)).date < date) instant += 3_600_000;
  return new Date(instant);
}

/** `YYYY-MM-DD HH:MM:SS` on the wall clock of a time zone. */
export function dateTimeIn(timeZone: string, instant: Date): string {
  const { date, time } = wallClockIn(timeZone, instant);
  return `${date} ${time}`;
}
