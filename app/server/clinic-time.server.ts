import { dateTimeIn, displayDateTime, startOfDayIn, todayIn, type IsoDate } from "~/domain/iso-date";
import { getEnv } from "./env.server";

/** Today in the clinic's time zone (CLINIC_TIME_ZONE), which near midnight is not the server's UTC date. */
export function clinicToday(now = new Date()): IsoDate {
  return todayIn(getEnv().CLINIC_TIME_ZONE, now);
}

/** The instant a calendar day begins in the clinic's time zone: the lower bound of a day filter. */
export function clinicDayStart(date: IsoDate): Date {
  return startOfDayIn(getEnv().CLINIC_TIME_ZONE, date);
}

/** "6 Dec 2026, 14:05" on the clinic's wall clock: an instant as pages show it. */
export function clinicDisplayDateTime(instant: Date): string {
  return displayDateTime(getEnv().CLINIC_TIME_ZONE, instant);
}

/** `YYYY-MM-DD HH:MM:SS` on the clinic's wall clock, for exports. */
export function clinicDateTime(instant: Date): string {
  return dateTimeIn(getEnv().CLINIC_TIME_ZONE, instant);
}

export function clinicTimeZone(): string {
  return getEnv().CLINIC_TIME_ZONE;
}
