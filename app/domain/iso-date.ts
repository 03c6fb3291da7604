import type { IsoDate } from "./clinical/duration";

export type { IsoDate };

/** A calendar date stored as a Postgres `date` arrives as UTC midnight; this is its ISO day. */
export function toIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

export function fromIsoDate(date: IsoDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** Today's date where the clinic is, which is not the server's UTC date near midnight. */
export function todayIn(timeZone: string, now: Date): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
