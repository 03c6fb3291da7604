import { createHash, randomBytes } from "node:crypto";
import type { InferResult } from "kysely";
import type { AppLoadContext } from "@remix-run/node";
import { enrolmentDeadline } from "~/domain/mfa";
import type { Role } from "~/domain/roles";
import { jsonBuildObject, jsonObjectFrom } from "kysely/helpers/postgres";
import { getDb, type Tx } from "~/server/db.server";
import { firstRow, prepared, qb, rows } from "~/server/query-builder.server";
import { recordAudit, type AuditActor } from "./audit.server";

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export type SessionEndReason =
  | "sign-out"
  | "idle-timeout"
  | "absolute-timeout"
  | "rotated"
  | "user-deactivated"
  | "password-reset"
  | "password-changed"
  | "session-limit"
  | "ended-by-user"
  | "ended-by-admin"
  | "mfa-reset";

export interface ActiveSession {
  tokenHash: string;
  publicId: string;
  /** Failed sign-ins since the user's previous sign-in, on the first request of a session only. */
  failedSignInsBefore: number | null;
  /** When a second factor was last verified in this session (sign-in or step-up). */
  secondFactorAt: Date | null;
  /** Whether the user has a confirmed second factor, and until when they may work without one. */
  mfa: { hasFactor: boolean; enrolmentDeadline: Date | null };
  /** When the session ends unless another request comes first: the idle or the absolute limit. */
  endsAt: Date;
  /** mustChangePassword: an administrator set a temporary password; every page leads to changing it. */
  user: { id: string; email: string; name: string; role: Role; mustChangePassword: boolean };
}

export type SessionLookup =
  | { status: "active"; session: ActiveSession }
  | {
      status: "expired";
      reason: "idle-timeout" | "absolute-timeout";
      userId: string;
      role: Role;
    }
  | { status: "none" };

/** Prepared: it runs on every request. */
const sessionQuery = prepared((tokenHash: string) =>
  qb
    .selectFrom("Session as s")
    .innerJoin("User as u", "u.id", "s.userId")
    .select((eb) => [
      "s.publicId",
      "s.lastSeenAt",
      "s.expiresAt",
      "s.endedAt",
      "s.failedSignInsBefore",
      "s.secondFactorAt",
      eb
        .or([
          eb.exists(
            eb
              .selectFrom("TotpFactor as t")
              .select(eb.lit(1).as("one"))
              .whereRef("t.userId", "=", "u.id")
              .where("t.confirmedAt", "is not", null),
          ),
          eb.exists(eb.selectFrom("Passkey as p").select(eb.lit(1).as("one")).whereRef("p.userId", "=", "u.id")),
        ])
        .$castTo<boolean>()
        .as("hasFactor"),
      "u.createdAt as accountCreatedAt",
      jsonObjectFrom(
        eb
          .selectFrom("MfaPolicy as m")
          .select(["m.required", "m.graceDays", "m.requiredSince"])
          .whereRef("m.role", "=", "u.role"),
      ).as("mfaRule"),
      jsonBuildObject({
        id: eb.ref("u.id"),
        email: eb.ref("u.email"),
        name: eb.ref("u.name"),
        role: eb.ref("u.role"),
        active: eb.ref("u.active"),
        mustChangePassword: eb.ref("u.mustChangePassword"),
      }).as("user"),
    ])
    .where("s.tokenHash", "=", tokenHash),
);

type SessionRow = InferResult<ReturnType<typeof sessionQuery>>[number];

/** lastSeenAt is refreshed at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A user's sessions beyond this many are ended, oldest first, when another one starts. */
export const MAX_SESSIONS_PER_USER = 10;

export interface NewSession {
  userId: string;
  /** A short label (browser-label.ts), never the whole User-Agent. */
  browser: string;
  clientAddress: string;
  failedSignInsBefore?: number | null;
  /** Set when the sign-in verified a second factor. */
  secondFactorAt?: Date | null;
}

/**
 * Starts a session and, in the same transaction, ends the user's oldest sessions beyond
 * MAX_SESSIONS_PER_USER (audited). The user's row is locked first, so parallel sign-ins take turns
 * and each one counts the sessions the previous ones added.
 */
export async function createSession(
  context: AppLoadContext,
  session: NewSession,
  policy: SessionPolicy,
  now = new Date(),
) {
  const token = randomBytes(32).toString("base64url");
  const tokenHash = hashSessionToken(token);
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
  await getDb().$transaction(async (tx) => {
    // NO KEY UPDATE: serialises sign-ins of this user without blocking rows that merely reference them.
    const user = await firstRow(
      tx,
      qb.selectFrom("User").select("role").where("id", "=", session.userId).forNoKeyUpdate(),
    );
    if (!user) throw new Error("A session was started for a user that does not exist");
    await tx.session.create({
      data: {
        tokenHash,
        userId: session.userId,
        browser: session.browser,
        clientAddress: session.clientAddress,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
        failedSignInsBefore: session.failedSignInsBefore || null,
        secondFactorAt: session.secondFactorAt ?? null,
      },
    });
    // The new session is always kept, even if another sign-in's clock put it among the oldest.
    const ended = await rows(
      tx,
      qb
        .updateTable("Session as s")
        .set({ endedAt: now, endReason: "session-limit" })
        .from(
          qb
            .selectFrom("Session")
            .select("tokenHash")
            .where("userId", "=", session.userId)
            .where("endedAt", "is", null)
            .where("tokenHash", "<>", tokenHash)
            .orderBy("createdAt", "desc")
            .orderBy("tokenHash", "desc")
            .offset(MAX_SESSIONS_PER_USER - 1)
            .as("oldest"),
        )
        .whereRef("s.tokenHash", "=", "oldest.tokenHash")
        .returning("s.publicId"),
    );
    if (ended.length > 0) {
      await recordAudit(
        context,
        {
          action: "auth.session_ended",
          actor: { id: session.userId, role: user.role },
          entityType: "User",
          entityId: session.userId,
          detail: { reason: "session-limit", sessions: ended.map((row) => row.publicId) },
        },
        tx,
      );
    }
  });
  return { token };
}

/**
 * `touch: false` looks without counting the request as activity: a browser asking how long its
 * session has left must not keep it alive.
 */
export async function lookupSession(
  token: string,
  policy: SessionPolicy,
  now = new Date(),
  { touch = true } = {},
): Promise<SessionLookup> {
  const tokenHash = hashSessionToken(token);
  // One round trip on every request: the session, its user and where they stand with MFA together.
  const row = await firstRow(getDb(), sessionQuery(tokenHash));
  if (!row || row.endedAt || !row.user.active) return { status: "none" };

  const idleDeadline = row.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  const reason = now >= row.expiresAt ? "absolute-timeout" : now.getTime() >= idleDeadline ? "idle-timeout" : undefined;
  if (reason) {
    const ended = await endSession(tokenHash, reason, now);
    // Two parallel requests may both see the expiry; only the one that ended it reports it.
    return ended ? { status: "expired", reason, userId: row.user.id, role: row.user.role } : { status: "none" };
  }

  let lastSeenAt = row.lastSeenAt;
  if (touch && now.getTime() - row.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(tokenHash, now);
    lastSeenAt = now;
  }
  const { active: _active, ...user } = row.user;
  const idleEnd = lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  return {
    status: "active",
    session: {
      tokenHash,
      publicId: row.publicId,
      user,
      secondFactorAt: row.secondFactorAt,
      mfa: {
        hasFactor: row.hasFactor,
        enrolmentDeadline: row.mfaRule
          ? enrolmentDeadline(
              {
                ...row.mfaRule,
                role: row.user.role,
                requiredSince: row.mfaRule.requiredSince ? new Date(row.mfaRule.requiredSince) : null,
              },
              row.accountCreatedAt,
            )
          : null,
      },
      failedSignInsBefore: await takeNotice(tokenHash, row),
      endsAt: new Date(Math.min(idleEnd, row.expiresAt.getTime())),
    },
  };
}

/** Counts now as the session's last activity ("Stay signed in"); an ended session stays ended. */
export async function touchSession(tokenHash: string, now = new Date()) {
  await getDb().session.updateMany({ where: { tokenHash, endedAt: null }, data: { lastSeenAt: now } });
}

/** The failed sign-ins notice is told once: only the request that clears it shows it. */
async function takeNotice(tokenHash: string, row: SessionRow): Promise<number | null> {
  if (row.failedSignInsBefore === null) return null;
  const { count } = await getDb().session.updateMany({
    where: { tokenHash, failedSignInsBefore: { not: null } },
    data: { failedSignInsBefore: null },
  });
  return count > 0 ? row.failedSignInsBefore : null;
}

/** Ends a session; returns false when it had already ended. */
export async function endSession(tokenHash: string, reason: SessionEndReason, now = new Date()): Promise<boolean> {
  const { count } = await getDb().session.updateMany({
    where: { tokenHash, endedAt: null },
    data: { endedAt: now, endReason: reason },
  });
  return count > 0;
}

/** Pass the transaction that deactivates the user or changes their password, so both commit together. */
export async function endAllSessionsOfUser(
  userId: string,
  reason: SessionEndReason,
  now = new Date(),
  tx: Tx = getDb(),
) {
  await tx.session.updateMany({
    where: { userId, endedAt: null },
    data: { endedAt: now, endReason: reason },
  });
}

/** A user's sessions still in use: not ended, and within the idle and absolute limits. Newest use first. */
export function listActiveSessions(userId: string, policy: SessionPolicy, now = new Date()) {
  return getDb().session.findMany({
    where: {
      userId,
      endedAt: null,
      expiresAt: { gt: now },
      lastSeenAt: { gt: new Date(now.getTime() - policy.idleMinutes * 60_000) },
    },
    select: { publicId: true, browser: true, clientAddress: true, createdAt: true, lastSeenAt: true },
    orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
  });
}

export type EndSessionsResult = { status: "ended"; sessions: string[] } | { status: "not-found" };

/**
 * Ends one session of a user, or all of them but `except` (the caller's own, which stays). The
 * session id comes from a form, so the update is scoped to the user: an id of someone else's
 * session ends nothing, and is audited as a denied attempt. Ending an already ended session of the
 * user is not an error (a second click, another tab).
 */
export function endSessionsOfUser(
  context: AppLoadContext,
  actor: AuditActor,
  target: { userId: string; session?: string; except?: string },
  now = new Date(),
): Promise<EndSessionsResult> {
  const reason: SessionEndReason = actor.id === target.userId ? "ended-by-user" : "ended-by-admin";
  const audit = { action: "auth.session_ended", actor, entityType: "User", entityId: target.userId };
  return getDb().$transaction(async (tx) => {
    const ended = await tx.session.updateManyAndReturn({
      where: {
        userId: target.userId,
        endedAt: null,
        publicId: target.session ?? (target.except ? { not: target.except } : undefined),
      },
      data: { endedAt: now, endReason: reason },
      select: { publicId: true },
    });
    const sessions = ended.map((row) => row.publicId);
    if (target.session && sessions.length === 0) {
      const own = await tx.session.count({ where: { userId: target.userId, publicId: target.session } });
      if (own === 0) {
        await recordAudit(
          context,
          { ...audit, outcome: "denied", detail: { reason: "not-this-users-session", session: target.session } },
          tx,
        );
        return { status: "not-found" };
      }
    }
    if (sessions.length > 0) await recordAudit(context, { ...audit, detail: { reason, sessions } }, tx);
    return { status: "ended", sessions };
  });
}
