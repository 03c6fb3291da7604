-- CreateTable
CREATE TABLE "ReportTimeZone" (
    "timeZone" TEXT NOT NULL,
    "registeredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportTimeZone_pkey" PRIMARY KEY ("timeZone")
);

-- CreateTable
CREATE TABLE "FlagOutcomeCount" (
    "id" BIGSERIAL NOT NULL,
    "timeZone" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "backendPid" INTEGER NOT NULL,
    "metCriteria" TEXT[],
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "days" INTEGER,
    "count" INTEGER NOT NULL,

    CONSTRAINT "FlagOutcomeCount_pkey" PRIMARY KEY ("id")
);

-- Written by hand from here. The referral reports group every flag episode raised in the period by
-- criteria met and outcome: about 20 ms of PostgreSQL time a view at 100,000 patients, so sixteen
-- administrators at once queued for half a second. These counts hold the same groups by clinic
-- month, kept in the same transaction as the episodes by the triggers below; a report sums them
-- for its whole months and groups only the episodes of a partial month at either end.

-- What a report counts of an episode, in one place for the counts and the reports' own grouping.
-- Referred wins over dismissed; a dismissed episode counts under its last dismissal's reason.
CREATE FUNCTION flag_episode_outcome("referredAt" timestamptz, dismissed boolean) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN "referredAt" IS NOT NULL THEN 'REFERRED' WHEN dismissed THEN 'DISMISSED' ELSE 'UNDECIDED' END
$$;

CREATE FUNCTION flag_episode_dismiss_reason("referredAt" timestamptz, dismissed boolean, reason text) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN "referredAt" IS NULL AND dismissed THEN reason END
$$;

-- Whole clinic days from the raise to the referral. Only referred episodes are converted to the
-- clinic's zone: converting every raise doubled the reports' time.
CREATE FUNCTION flag_episode_referral_days("raisedAt" timestamptz, "referredAt" timestamptz, zone text)
  RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN "referredAt" IS NOT NULL
              THEN ("referredAt" AT TIME ZONE zone)::date - ("raisedAt" AT TIME ZONE zone)::date END
$$;

-- One row per (zone, month, session, group); a NULL reason or day count is a value of the key like
-- any other (PostgreSQL 15 or later), as it is to GROUP BY.
CREATE UNIQUE INDEX "FlagOutcomeCount_group_key" ON "FlagOutcomeCount"
  ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days") NULLS NOT DISTINCT;

-- The episode's group in a zone, as the counts key it. A one-row table function: PostgreSQL inlines
-- it in a query's FROM (a function with OUT parameters is called row by row, ten times slower).
CREATE FUNCTION flag_outcome_group(e "FlagEpisode", zone text)
  RETURNS TABLE ("month" date, "metCriteria" text[], "outcome" text, "reason" text, "days" integer)
  LANGUAGE sql STABLE AS $$
  SELECT date_trunc('month', e."raisedAt" AT TIME ZONE zone)::date, COALESCE(e."metCriteria", '{}'),
         flag_episode_outcome(e."referredAt", e.dismissed),
         flag_episode_dismiss_reason(e."referredAt", e.dismissed, e."lastDismissReason"),
         flag_episode_referral_days(e."raisedAt", e."referredAt", zone)
$$;

-- Each session writes rows keyed by its own backend pid: two transactions raising flags at once
-- never wait for each other's row, and a long batch run cannot deadlock with a clinician's write.
CREATE FUNCTION flag_outcome_count_add(zone text, e "FlagEpisode", delta integer) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO "FlagOutcomeCount" ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days", "count")
  SELECT zone, g."month", pg_backend_pid(), g."metCriteria", g."outcome", g."reason", g."days", delta
    FROM flag_outcome_group(e, zone) AS g
  ON CONFLICT ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days")
  DO UPDATE SET "count" = "FlagOutcomeCount"."count" + EXCLUDED."count"
$$;

CREATE FUNCTION flag_outcome_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  zone text;
BEGIN
  FOR zone IN SELECT "timeZone" FROM "ReportTimeZone" LOOP
    -- A change that leaves the episode in its group (a dismissal after the referral) counts nothing.
    CONTINUE WHEN TG_OP = 'UPDATE'
      AND (SELECT ROW(g.*) FROM flag_outcome_group(OLD, zone) AS g)
          IS NOT DISTINCT FROM (SELECT ROW(g.*) FROM flag_outcome_group(NEW, zone) AS g);
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM flag_outcome_count_add(zone, OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM flag_outcome_count_add(zone, NEW, 1);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "FlagEpisode_outcome_count" AFTER INSERT OR UPDATE OR DELETE ON "FlagEpisode"
  FOR EACH ROW EXECUTE FUNCTION flag_outcome_count_track();

CREATE FUNCTION flag_outcome_count_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "FlagOutcomeCount";
  RETURN NULL;
END $$;

CREATE TRIGGER "FlagEpisode_outcome_count_truncate" AFTER TRUNCATE ON "FlagEpisode"
  FOR EACH STATEMENT EXECUTE FUNCTION flag_outcome_count_clear();

-- A zone's counts from the episodes so far (the app registers the zone and calls this under a lock).
CREATE FUNCTION flag_outcome_counts_build(zone text) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "FlagOutcomeCount" WHERE "timeZone" = zone;
  INSERT INTO "FlagOutcomeCount" ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days", "count")
  SELECT zone, g."month", 0, g."metCriteria", g."outcome", g."reason", g."days", count(*)::int
    FROM "FlagEpisode" e, flag_outcome_group(e, zone) AS g
   GROUP BY g."month", g."metCriteria", g."outcome", g."reason", g."days"
$$;

-- Folds the rows sessions wrote into one row per group (backendPid 0). Rows a transaction still
-- holds are left for the next time rather than waited for, and so is everything while another
-- fold runs (two folds could wait for each other's new rows). Unregistered zones are left alone.
CREATE FUNCTION flag_outcome_counts_compact() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  groups integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(7340113) THEN
    RETURN 0;
  END IF;
  WITH moved AS (
    DELETE FROM "FlagOutcomeCount"
     WHERE id IN (SELECT id FROM "FlagOutcomeCount"
                   WHERE "backendPid" <> 0 AND "timeZone" IN (SELECT "timeZone" FROM "ReportTimeZone")
                     FOR UPDATE SKIP LOCKED)
    RETURNING "timeZone", "month", "metCriteria", "outcome", "reason", "days", "count"
  ), folded AS (
    INSERT INTO "FlagOutcomeCount" ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days", "count")
    SELECT "timeZone", "month", 0, "metCriteria", "outcome", "reason", "days", sum("count")::int
      FROM moved
     GROUP BY "timeZone", "month", "metCriteria", "outcome", "reason", "days"
    ON CONFLICT ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days")
    DO UPDATE SET "count" = "FlagOutcomeCount"."count" + EXCLUDED."count"
    RETURNING 1
  )
  SELECT count(*)::int INTO groups FROM folded;
  -- Groups whose episodes all moved on (to a referral, say) are left at zero.
  DELETE FROM "FlagOutcomeCount" WHERE "backendPid" = 0 AND "count" = 0;
  RETURN groups;
END $$;
