import { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/server/db.server";

/**
 * Sign-in attempts allowed per window before further attempts are refused. Far below the
 * 100 per hour per account that OWASP ASVS 2.2.1 / NIST SP 800-63B §3.2.2 allow at most.
 */
export const SIGN_IN_THROTTLE = {
  windowMinutes: 15,
  perAccount: 10,
  perClientAddress: 50,
} as const;

type Kind = "account" | "address";

/** The attempt a sign-in holds while its password is checked; given back if it succeeds. */
export interface SignInReservation {
  counters: Array<{ kind: Kind; subject: string; windowStart: Date }>;
}

export type ThrottleVerdict =
  { allowed: true; reservation: SignInReservation } | { allowed: false; retryAfterSeconds: number };

export function accountKeyOf(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Counts this attempt for the account and the client address, and says whether it is within the
 * limits. One upsert does both, taking each counter's row lock, so of any number of parallel
 * attempts exactly the limit get through; the count happens before the (slow) password check.
 */
export function reserveSignInAttempt(accountKey: string, clientAddress: string, now = new Date()) {
  // The account row first in every statement: two attempts never lock the pair in opposite orders.
  return countAttempt(
    [
      ["account", accountKey],
      ["address", clientAddress],
    ],
    now,
  );
}

/** A sign-in form that failed validation costs its address an attempt, so floods of them are throttled. */
export function countInvalidSignIn(clientAddress: string, now = new Date()) {
  return countAttempt([["address", clientAddress]], now);
}

async function countAttempt(keys: Array<[Kind, string]>, now: Date): Promise<ThrottleVerdict> {
  const windowMs = SIGN_IN_THROTTLE.windowMinutes * 60_000;
  const expired = new Date(now.getTime() - windowMs);
  const rows = keys.map(([kind, subject]) => Prisma.sql`(${kind}, ${subject}, ${now}::timestamptz, 1)`);
  const counters = await getDb().$queryRaw<Array<{ kind: Kind; subject: string; windowStart: Date; attempts: number }>>`
    INSERT INTO "SignInThrottle" AS t (kind, subject, "windowStart", attempts)
    VALUES ${Prisma.join(rows)}
    ON CONFLICT (kind, subject) DO UPDATE SET
      "windowStart" = CASE WHEN t."windowStart" <= ${expired}::timestamptz THEN EXCLUDED."windowStart" ELSE t."windowStart" END,
      attempts = CASE WHEN t."windowStart" <= ${expired}::timestamptz THEN 1 ELSE t.attempts + 1 END
    RETURNING kind, subject, "windowStart", attempts`;
  const limit = (kind: Kind) => (kind === "account" ? SIGN_IN_THROTTLE.perAccount : SIGN_IN_THROTTLE.perClientAddress);
  const over = counters.filter((counter) => counter.attempts > limit(counter.kind));
  if (over.length === 0) {
    return {
      allowed: true,
      reservation: { counters: counters.map(({ kind, subject, windowStart }) => ({ kind, subject, windowStart })) },
    };
  }
  const until = Math.max(...over.map((counter) => counter.windowStart.getTime() + windowMs));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}

/** A correct password: the attempt was no guess, so it stops counting (unless its window ended). */
export async function releaseSignInAttempt({ counters }: SignInReservation) {
  const rows = counters.map(
    ({ kind, subject, windowStart }) => Prisma.sql`(${kind}, ${subject}, ${windowStart}::timestamptz)`,
  );
  await getDb().$executeRaw`
    UPDATE "SignInThrottle" AS t SET attempts = t.attempts - 1
      FROM (VALUES ${Prisma.join(rows)}) AS r(kind, subject, "windowStart")
     WHERE t.kind = r.kind AND t.subject = r.subject AND t."windowStart" = r."windowStart" AND t.attempts > 0`;
}
