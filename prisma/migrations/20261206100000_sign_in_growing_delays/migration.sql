-- Written by hand: sign-in guesses are slowed by growing delays instead of a hard lock, counted per
-- account and address pair as well. A counter remembers when it last let an attempt through, and
-- which one. Counters live for one 15-minute window, so the old ones are simply dropped.
DELETE FROM "SignInThrottle";
ALTER TABLE "SignInThrottle" ADD COLUMN "lastAllowedAt" TIMESTAMPTZ(3) NOT NULL,
                             ADD COLUMN "lastAttemptId" UUID NOT NULL;
