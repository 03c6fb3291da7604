import { todayIn, type IsoDate } from "~/domain/iso-date";
import { getEnv } from "./env.server";

/** Today in the clinic's time zone (CLINIC_TIME_ZONE), which near midnight is not the server's UTC date. */
export function clinicToday(now = new Date()): IsoDate {
  return todayIn(getEnv().CLINIC_TIME_ZONE, now);
}
