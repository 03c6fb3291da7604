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

-- One row per (zone, month, session, group). NULL reasons and day counts are keyed as values that
-- cannot occur, so that ON CONFLICT finds their row.
CREATE UNIQUE INDEX "FlagOutcomeCount_group_key" ON "FlagOutcomeCount"
  ("timeZone", "month", "backendPid", "metCriteria", "outcome", COALESCE("reason", ''), COALESCE("days", -2147483648));

CREATE FUNCTION flag_outcome_count_add(zone text, e "FlagEpisode", delta integer) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO "FlagOutcomeCount" ("timeZone", "month", "backendPid", "metCriteria", "outcome", "reason", "days", "count")
  VALUES (zone, date_trunc('month', e."raisedAt" AT TIME ZONE zone)::date, pg_backend_pid(),
          COALESCE(e."metCriteria", '{}'), flag_episode_outcome(e."referredAt", e.dismissed),
          flag_episode_dismiss_reason(e."referredAt", e.dismissed, e."lastDismissReason"),
          flag_episode_referral_days(e."raisedAt", e."referredAt", zone), delta)
  ON CONFLICT ("timeZone", "month", "backendPid", "metCriteria", "outcome", COALESCE("reason", ''),
               COALESCE("days", -2147483648))
  DO UPDATE SET "count" = "FlagOutcomeCount"."count" + EXCLUDED."count"
$$;

-- Each session writes rows keyed by its own backend pid: two transactions raising flags at once
-- never wait for each other's row, and a long batch run cannot deadlock with a clinician's write.
CREATE FUNCTION flag_outcome_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  zone text;
BEGIN
  FOR zone IN SELECT "timeZone" FROM "ReportTimeZone" LOOP
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM flag_outcome_count_add(zone, OLD, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM flag_outcome_count_add(zone, NEW, 1);
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "FlagEpisode_outcome_count" AFTER INSERT OR DELETE ON "FlagEpisode"
  FOR EACH ROW EXECUTE FUNCTION flag_outcome_count_track();

-- A second dismissal with the same reason changes nothing counted.
CREATE TRIGGER "FlagEpisode_outcome_count_change" AFTER UPDATE ON "FlagEpisode"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION flag_outcome_count_track();
