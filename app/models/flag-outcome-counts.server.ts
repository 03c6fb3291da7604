import { getDb } from "~/server/db.server";

/**
 * The monthly flag outcome counts behind the referral reports (FlagOutcomeCount, see its migration).
 * A time zone's counts are built once, when it is registered; triggers keep them from then on.
 */

/** A few seconds a million episodes: far longer than the default five seconds of an interactive transaction. */
const BUILD_TIME = { timeout: 10 * 60_000 };

/**
 * Registers the clinic's time zone and builds its counts from the episodes so far, unless it is
 * registered already. Writers of episodes wait meanwhile (SHARE lock): an episode written while
 * the counts are read would otherwise be missed by both the build and the triggers.
 */
export async function registerReportTimeZone(timeZone: string): Promise<boolean> {
  // Every start after the first finds the zone without taking the lock.
  const known = await getDb().$queryRaw<unknown[]>`SELECT 1 FROM "ReportTimeZone" WHERE "timeZone" = ${timeZone}`;
  if (known.length > 0) return false;
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`LOCK TABLE "FlagEpisode" IN SHARE MODE`;
    const registered = await tx.$executeRaw`
      INSERT INTO "ReportTimeZone" ("timeZone") VALUES (${timeZone}) ON CONFLICT DO NOTHING`;
    if (registered === 0) return false;
    await tx.$executeRaw`
      INSERT INTO "FlagOutcomeCount" ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days", "count")
      SELECT ${timeZone}, date_trunc('month', e."raisedAt" AT TIME ZONE ${timeZone})::date, 0, COALESCE(e."metCriteria", '{}'),
             flag_episode_outcome(e."referredAt", e.dismissed),
             flag_episode_dismiss_reason(e."referredAt", e.dismissed, e."lastDismissReason"),
             flag_episode_referral_days(e."raisedAt", e."referredAt", ${timeZone}), count(*)::int
        FROM "FlagEpisode" e
       GROUP BY 2, 4, 5, 6, 7`;
    return true;
  }, BUILD_TIME);
}

/** Any number, as long as no other advisory lock of the app uses it. */
const COMPACTION_LOCK = 7_340_113;

/**
 * Folds the rows each database session wrote into one row per group (backendPid 0), so the counts
 * stay a few hundred rows a month however many sessions came and went. Rows a transaction still
 * holds are left for the next time rather than waited for.
 */
export async function compactFlagOutcomeCounts(): Promise<number> {
  return getDb().$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<Array<{ locked: boolean }>>`
      SELECT pg_try_advisory_xact_lock(${COMPACTION_LOCK}) AS locked`;
    if (!lock?.locked) return 0;
    const folded = await tx.$executeRaw`
      WITH moved AS (
        DELETE FROM "FlagOutcomeCount"
         WHERE id IN (SELECT id FROM "FlagOutcomeCount" WHERE "backendPid" <> 0 FOR UPDATE SKIP LOCKED)
        RETURNING "timeZone", "month", "metCriteria", "outcome", "reason", "days", "count"
      )
      INSERT INTO "FlagOutcomeCount" ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days", "count")
      SELECT "timeZone", "month", 0, "metCriteria", "outcome", "reason", "days", sum("count")::int
        FROM moved
       GROUP BY 1, 2, 4, 5, 6, 7
      ON CONFLICT ("timeZone", "month", "backendPid", "metCriteria", "outcome", COALESCE("reason", ''),
                   COALESCE("days", -2147483648))
      DO UPDATE SET "count" = "FlagOutcomeCount"."count" + EXCLUDED."count"`;
    await tx.$executeRaw`DELETE FROM "FlagOutcomeCount" WHERE "backendPid" = 0 AND "count" = 0`;
    return folded;
  }, BUILD_TIME);
}
