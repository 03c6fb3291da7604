import { useRouteLoaderData } from "@remix-run/react";
import { displayDateTime } from "~/domain/iso-date";

/** The clinic's time zone (CLINIC_TIME_ZONE), sent once by the root loader. */
export function useClinicTimeZone(): string {
  return (useRouteLoaderData("root") as { timeZone?: string } | undefined)?.timeZone ?? "UTC";
}

/** A stored instant as every page shows it ("6 Dec 2026, 14:05"), its exact value kept for machines. */
export function DateTime({ at }: { at: string }) {
  const timeZone = useClinicTimeZone();
  return <time dateTime={at}>{displayDateTime(timeZone, at)}</time>;
}
