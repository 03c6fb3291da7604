import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import type { Selectable } from "kysely";
import type { DB } from "~/generated/kysely/types";
import { getDb } from "~/server/db.server";

// The statements below stay SQL: an upsert whose every SET reads the old row through CASE
// fragments that depend on the counter's kind. Their row types are taken from the generated table type.
type Counter = Selectable<DB["SignInThrottle"]>;

/**
 * How sign-in guesses are slowed, per counter, within a window. Attempts up to `free` pass at once;
 * each one beyond waits twice as long after the last as the one before (1 s, 2 s, 4 s…) up to
 * `maxDelaySeconds`: growing delays instead of a lock, so guessing stays slow while the account's
 * owner is never locked out for long.
 *
 * - pair: one account from one address. An attacker's address slows only itself, not the
 *   account's owner at another address.
 * - account: from every address together, the backstop against guessing from many addresses; its
 *   delay is capped at a minute, so it can delay the owner, never lock them out (at most 60 guesses
 *   an hour, within ASVS 2.2.1's 100).
 * - address: every account from one address (credential stuffing). Behind a proxy, set TRUST_PROXY,
 *   or the whole hospital shares one address.
 */
export const SIGN_IN_THROTTLE = {
  windowMinutes: 15,
  pair: { free: 5, maxDelaySeconds: 15 * 60 },
  account: { free: 10, maxDelaySeconds: 60 },
  address: { free: 50, maxDelaySeconds: 15 * 60 },
} as const;

export type ThrottleKind = "pair" | "account" | "address";

/** The attempt a sign-in holds while its password is checked; given back if it succeeds. */
export interface SignInReservation {
  counters: Array<{ kind: ThrottleKind; subject: string; windowStart: Date }>;
}

export type ThrottleVerdict =
  { allowed: true; reservation: SignInReservation } | { allowed: false; retryAfterSeconds: number };

export function accountKeyOf(email: string): string {
  return email.trim().toLowerCase();
}

const pairSubject = (accountKey: string, clientAddress: string) => `${accountKey} ${clientAddress}`;

/** The wait after the last allowed attempt before the next, for a counter at `attempts` (SQL). */
function delayAfter(kind: ThrottleKind, attempts: Prisma.Sql): Prisma.Sql {
  const { free, maxDelaySeconds } = SIGN_IN_THROTTLE[kind];
  return Prisma.sql`make_interval(secs => CASE WHEN ${attempts} < ${free} THEN 0
    ELSE LEAST(power(2, ${attempts} - ${free}), ${maxDelaySeconds}) END)`;
}

/**
 * Counts this attempt for the account from this address, the address and the account, and says
 * whether each lets it through now. Each counter is taken by one atomic upsert under its row lock,
 * before the (slow) password check, so parallel attempts cannot pass together. A counter is only
 * asked once the one before let the attempt through: guesses an address is already refused cost
 * the account's backstop nothing, so one address cannot slow the owner down.
 */
export function reserveSignInAttempt(accountKey: string, clientAddress: string, now = new Date()) {
  return countAttempt(
    [
      ["pair", pairSubject(accountKey, clientAddress)],
      ["address", clientAddress],
      ["account", accountKey],
    ],
    now,
  );
}

/** A sign-in form that failed validation costs its address an attempt, so floods of them slow down. */
export function countInvalidSignIn(clientAddress: string, now = new Date()) {
  return countAttempt([["address", clientAddress]], now);
}

async function countAttempt(keys: Array<[ThrottleKind, string]>, now: Date): Promise<ThrottleVerdict> {
  const attemptId = randomUUID();
  const counters: SignInReservation["counters"] = [];
  for (const [kind, subject] of keys) {
    const counter = await takeCounter(kind, subject, attemptId, now);
    if (counter.lastAttemptId !== attemptId) {
      const waitMs = counter.nextAllowedAt.getTime() - now.getTime();
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    counters.push({ kind, subject, windowStart: counter.windowStart });
  }
  return { allowed: true, reservation: { counters } };
}

/**
 * One counter's upsert. Every SET expression reads the row as it was: a new window, or an attempt
 * whose delay has passed, takes the counter and leaves its id on it; otherwise nothing changes.
 */
async function takeCounter(kind: ThrottleKind, subject: string, attemptId: string, now: Date) {
  const expired = new Date(now.getTime() - SIGN_IN_THROTTLE.windowMinutes * 60_000);
  const fresh = Prisma.sql`t."windowStart" <= ${expired}::timestamptz`;
  // The free attempts pass whatever their clocks say: parallel requests read the time in any order.
  const due = Prisma.sql`(t.attempts < ${SIGN_IN_THROTTLE[kind].free}
    OR EXCLUDED."lastAllowedAt" >= t."lastAllowedAt" + ${delayAfter(kind, Prisma.sql`t.attempts`)})`;
  const [counter] = await getDb().$queryRaw<
    Array<Pick<Counter, "windowStart" | "lastAttemptId"> & { nextAllowedAt: Counter["lastAllowedAt"] }>
  >`
    INSERT INTO "SignInThrottle" AS t (kind, subject, "windowStart", attempts, "lastAllowedAt", "lastAttemptId")
    VALUES (${kind}, ${subject}, ${now}::timestamptz, 1, ${now}::timestamptz, ${attemptId}::uuid)
    ON CONFLICT (kind, subject) DO UPDATE SET
      "windowStart" = CASE WHEN ${fresh} THEN EXCLUDED."windowStart" ELSE t."windowStart" END,
      attempts = CASE WHEN ${fresh} THEN 1 WHEN ${due} THEN t.attempts + 1 ELSE t.attempts END,
      "lastAllowedAt" = CASE WHEN ${fresh} OR ${due} THEN GREATEST(EXCLUDED."lastAllowedAt", t."lastAllowedAt")
                        ELSE t."lastAllowedAt" END,
      "lastAttemptId" = CASE WHEN ${fresh} OR ${due} THEN EXCLUDED."lastAttemptId" ELSE t."lastAttemptId" END
    RETURNING "windowStart", "lastAttemptId"::text AS "lastAttemptId",
              "lastAllowedAt" + ${delayAfter(kind, Prisma.sql`attempts`)} AS "nextAllowedAt"`;
  if (!counter) throw new Error("The sign-in throttle's upsert returned no row");
  return counter;
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

export interface SlowedSignIn {
  /** The account part of the counter's subject. */
  accountKey: Counter["subject"];
  /** Null when the account is slowed from every address together. */
  clientAddress: Counter["subject"] | null;
  attempts: Counter["attempts"];
  nextAllowedAt: Counter["lastAllowedAt"];
}

const SLOWED_KINDS = ["pair", "account"] as const;

/**
 * The accounts whose sign-ins are slowed in this window (from one address, or from all): past their
 * free attempts, so each further one waits. The latest next attempt first.
 */
export function listSlowedSignIns(now = new Date(), limit = 100): Promise<SlowedSignIn[]> {
  const expired = new Date(now.getTime() - SIGN_IN_THROTTLE.windowMinutes * 60_000);
  const slowed = SLOWED_KINDS.map(
    (kind) => Prisma.sql`(kind = ${kind} AND attempts >= ${SIGN_IN_THROTTLE[kind].free})`,
  );
  const nextAllowed = SLOWED_KINDS.map(
    (kind) => Prisma.sql`WHEN ${kind} THEN "lastAllowedAt" + ${delayAfter(kind, Prisma.sql`attempts`)}`,
  );
  return getDb().$queryRaw<SlowedSignIn[]>`
    SELECT CASE kind WHEN 'pair' THEN split_part(subject, ' ', 1) ELSE subject END AS "accountKey",
           CASE kind WHEN 'pair' THEN split_part(subject, ' ', 2) END AS "clientAddress",
           attempts, CASE kind ${Prisma.join(nextAllowed, " ")} END AS "nextAllowedAt"
      FROM "SignInThrottle"
     WHERE "windowStart" > ${expired}::timestamptz AND (${Prisma.join(slowed, " OR ")})
     ORDER BY "nextAllowedAt" DESC, "accountKey"
     LIMIT ${limit}`;
}

/** An administrator's unlock: the account's counters start again, from every address. */
export function clearSignInThrottle(accountKey: string): Promise<number> {
  return getDb().$executeRaw`
    DELETE FROM "SignInThrottle"
     WHERE (kind = 'account' AND subject = ${accountKey})
        OR (kind = 'pair' AND left(subject, ${accountKey.length + 1}) = ${`${accountKey} `})`;
}
