-- CreateTable
CREATE TABLE "FlagEpisode" (
    "raiseEventId" BIGINT NOT NULL,
    "flagId" UUID NOT NULL,
    "raisedAt" TIMESTAMPTZ(3) NOT NULL,
    "metCriteria" TEXT[],
    "referredAt" TIMESTAMPTZ(3),
    "dismissed" BOOLEAN NOT NULL DEFAULT false,
    "lastDismissReason" TEXT,

    CONSTRAINT "FlagEpisode_pkey" PRIMARY KEY ("raiseEventId")
);

-- CreateIndex
CREATE INDEX "FlagEpisode_flagId_raiseEventId_idx" ON "FlagEpisode"("flagId", "raiseEventId");

-- CreateIndex
CREATE INDEX "FlagEpisode_raisedAt_idx" ON "FlagEpisode"("raisedAt");

-- AddForeignKey
ALTER TABLE "FlagEpisode" ADD CONSTRAINT "FlagEpisode_raiseEventId_fkey" FOREIGN KEY ("raiseEventId") REFERENCES "FlagEvent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Written by hand: FlagEpisode is a read model of FlagEvent, kept in the same transaction by this
-- trigger, so the reports' funnel reads one row per raise instead of replaying every flag's history
-- (about 120 ms per report view at 100,000 patients, and over a second with 16 users at once).
--
-- An episode runs from a raise (a flag opening for the first time, or again after it was resolved)
-- to the flag's next raise. A referral or dismissal belongs to the flag's latest episode, found by
-- insertion order (the event id), not by time: a batch run stamps its raises with the time it
-- started, which may be earlier than a raise a user's write made meanwhile. The episode keeps its
-- first referral and its last dismissal's reason.
CREATE FUNCTION flag_episode_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."toStatus" = 'OPEN' AND (NEW."fromStatus" IS NULL OR NEW."fromStatus" = 'RESOLVED') THEN
    INSERT INTO "FlagEpisode" ("raiseEventId", "flagId", "raisedAt", "metCriteria")
    VALUES (NEW.id, NEW."flagId", NEW.at, NEW."metCriteria");
  ELSIF NEW."toStatus" IN ('REFERRED', 'DISMISSED') THEN
    UPDATE "FlagEpisode" e
       SET "referredAt" = CASE WHEN NEW."toStatus" = 'REFERRED' THEN COALESCE(e."referredAt", NEW.at) ELSE e."referredAt" END,
           dismissed = e.dismissed OR NEW."toStatus" = 'DISMISSED',
           "lastDismissReason" = CASE WHEN NEW."toStatus" = 'DISMISSED' THEN NEW.reason ELSE e."lastDismissReason" END
     WHERE e."raiseEventId" = (SELECT latest."raiseEventId" FROM "FlagEpisode" latest
                                WHERE latest."flagId" = NEW."flagId"
                                ORDER BY latest."raiseEventId" DESC LIMIT 1);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "FlagEvent_episode" AFTER INSERT ON "FlagEvent"
  FOR EACH ROW EXECUTE FUNCTION flag_episode_track();

-- The episodes of the history so far, as the reports computed them until now.
WITH numbered AS (
  SELECT x."flagId", x.at, x.id, x."toStatus", x.reason,
         x."toStatus" = 'OPEN' AND (x."fromStatus" IS NULL OR x."fromStatus" = 'RESOLVED') AS is_raise,
         count(*) FILTER (WHERE x."toStatus" = 'OPEN' AND (x."fromStatus" IS NULL OR x."fromStatus" = 'RESOLVED'))
           OVER (PARTITION BY x."flagId" ORDER BY x.at, x.id) AS episode
    FROM "FlagEvent" x
),
episodes AS (
  SELECT min(id) FILTER (WHERE is_raise) AS raise_event_id,
         min(at) FILTER (WHERE "toStatus" = 'REFERRED') AS referred_at,
         bool_or("toStatus" = 'DISMISSED') AS dismissed,
         (array_agg(reason ORDER BY at DESC, id DESC) FILTER (WHERE "toStatus" = 'DISMISSED'))[1] AS last_dismiss_reason
    FROM numbered
   WHERE episode > 0
   GROUP BY "flagId", episode
)
INSERT INTO "FlagEpisode" ("raiseEventId", "flagId", "raisedAt", "metCriteria", "referredAt", dismissed, "lastDismissReason")
SELECT raise.id, raise."flagId", raise.at, raise."metCriteria", e.referred_at, e.dismissed, e.last_dismiss_reason
  FROM episodes e
  JOIN "FlagEvent" raise ON raise.id = e.raise_event_id;
