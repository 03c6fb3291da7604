-- Written by hand: the sign-in throttle counts attempts per account and per client address in a
-- window, reserved by one atomic upsert before the password is hashed. The failure rows it replaces
-- were counted before hashing and written after, so parallel guesses all passed the check.
DROP TABLE "SignInFailure";

CREATE TABLE "SignInThrottle" (
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("kind", "subject")
);
