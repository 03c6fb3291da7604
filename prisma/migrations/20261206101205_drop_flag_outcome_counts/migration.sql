-- The monthly flag outcome counts go: at a clinic's realistic load (a few administrators) the
-- reports meet their target grouping the episodes directly (docs/decisions/003). The episode
-- helpers flag_episode_outcome, flag_episode_dismiss_reason and flag_episode_referral_days stay:
-- the reports use them.
DROP TRIGGER "FlagEpisode_outcome_count" ON "FlagEpisode";
DROP TRIGGER "FlagEpisode_outcome_count_truncate" ON "FlagEpisode";
DROP FUNCTION flag_outcome_count_track();
DROP FUNCTION flag_outcome_count_clear();
DROP FUNCTION flag_outcome_counts_build(text);
DROP FUNCTION flag_outcome_counts_compact();
DROP FUNCTION flag_outcome_count_add(text, "FlagEpisode", integer);
DROP FUNCTION flag_outcome_group("FlagEpisode", text);

-- DropTable
DROP TABLE "ReportTimeZone";

-- DropTable
DROP TABLE "FlagOutcomeCount";
