/** The generator's calendar: days since 1970-01-01 (UTC) and milliseconds since the epoch. */
import type { IsoDate } from "~/domain/iso-date";
import type { Random } from "./random";

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export function dayOf(date: IsoDate): number {
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  if (Number.isNaN(ms)) throw new RangeError(`Not a date: ${date}`);
  return ms / DAY_MS;
}

const isoDays = new Map<number, string>();

export function isoDay(day: number): string {
  let iso = isoDays.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoDays.set(day, iso);
  }
  return iso;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** ISO timestamp with milliseconds, as Postgres timestamptz(3) accepts it. */
export function stamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / MINUTE_MS);
  rest -= minutes * MINUTE_MS;
  const seconds = Math.floor(rest / 1000);
  return `${isoDay(day)}T${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(rest - seconds * 1000, 3)}Z`;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The clinic sees patients Monday to Friday: a Saturday or Sunday moves to the Monday. */
export function clinicDay(day: number): number {
  const dow = weekday(day);
  return dow === 6 ? day + 2 : dow === 0 ? day + 1 : day;
}

/** A moment in clinic hours (08:00–17:00 UTC) on `day`. */
export function clinicMoment(random: Random, day: number): number {
  return day * DAY_MS + (8 * 60 + random.int(0, 9 * 60 - 1)) * MINUTE_MS + random.int(0, 59_999);
}
