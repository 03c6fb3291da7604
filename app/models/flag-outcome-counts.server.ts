import { getDb } from "~/server/db.server";

/**
 * The monthly flag outcome counts behind the referral reports (FlagOutcomeCount: see its migration
 * for the triggers that keep them). A time zone's counts are built when it is registered.
 */

/**
 * Registers the clinic's time zone and builds its counts from the episodes so far, unless it is
 * registered already. Episode writers wait meanwhile (SHARE lock): an episode written while the
 * counts are read would be missed by both the build and the triggers. The lock is not waited for
 * longer than `lockTimeout`: a long transaction writing episodes makes this fail, not the clinic's
 * writes queue behind it.
 */
export async function registerReportTimeZone(timeZone: string, { lockTimeout = "3s" } = {}): Promise<boolean> {
  // Every start after the first finds the zone without taking the lock.
  const known = await getDb().$queryRaw<unknown[]>`SELECT 1 FROM "ReportTimeZone" WHERE "timeZone" = ${timeZone}`;
  if (known.length > 0) return false;
  return getDb().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('lock_timeout', ${lockTimeout}, true)`;
      await tx.$executeRaw`LOCK TABLE "FlagEpisode" IN SHARE MODE`;
      const registered = await tx.$executeRaw`
        INSERT INTO "ReportTimeZone" ("timeZone") VALUES (${timeZone}) ON CONFLICT DO NOTHING`;
      if (registered === 0) return false;
      await tx.$executeRaw`SELECT flag_outcome_counts_build(${timeZone})`;
      return true;
    },
    // A few seconds a million episodes: longer than an interactive transaction's default five.
    { timeout: 10 * 60_000 },
  );
}

/**
 * Folds the rows each database session wrote into one row per group, so the counts stay a few
 * hundred rows a month however many sessions came and went. Never waits for a writer.
 */
export async function compactFlagOutcomeCounts(): Promise<number> {
  const [result] = await getDb().$queryRaw<Array<{ folded: number }>>`SELECT flag_outcome_counts_compact() AS folded`;
  return result?.folded ?? 0;
}
