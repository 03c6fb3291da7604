import { createHash, randomBytes } from "node:crypto";
import type { Role } from "~/domain/roles";
import { getDb, type Tx } from "~/server/db.server";

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
  | "password-changed";

export interface ActiveSession {
  tokenHash: string;
  /** Failed sign-ins since the user's previous sign-in, on the first request of a session only. */
  failedSignInsBefore: number | null;
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

interface SessionRow {
  lastSeenAt: Date;
  failedSignInsBefore: number | null;
  expiresAt: Date;
  endedAt: Date | null;
  user: ActiveSession["user"] & { active: boolean };
}

/** lastSeenAt is refreshed at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(
  userId: string,
  policy: SessionPolicy,
  now = new Date(),
  failedSignInsBefore: number | null = null,
) {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
  await getDb().session.create({
    data: {
      tokenHash: hashSessionToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      failedSignInsBefore: failedSignInsBefore || null,
    },
  });
  return { token };
}

export async function lookupSession(token: string, policy: SessionPolicy, now = new Date()): Promise<SessionLookup> {
  const tokenHash = hashSessionToken(token);
  // One round trip on every request: the session and its user together.
  const [row] = await getDb().$queryRaw<SessionRow[]>`
    SELECT s."lastSeenAt", s."expiresAt", s."endedAt", s."failedSignInsBefore",
           json_build_object('id', u.id, 'email', u.email, 'name', u.name, 'role', u.role,
                             'active', u.active, 'mustChangePassword', u."mustChangePassword") AS "user"
      FROM "Session" s JOIN "User" u ON u.id = s."userId"
     WHERE s."tokenHash" = ${tokenHash}`;
  if (!row || row.endedAt || !row.user.active) return { status: "none" };

  const idleDeadline = row.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  const reason = now >= row.expiresAt ? "absolute-timeout" : now.getTime() >= idleDeadline ? "idle-timeout" : undefined;
  if (reason) {
    const ended = await endSession(tokenHash, reason, now);
    // Two parallel requests may both see the expiry; only the one that ended it reports it.
    return ended ? { status: "expired", reason, userId: row.user.id, role: row.user.role } : { status: "none" };
  }

  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await getDb().session.update({
      where: { tokenHash },
      data: { lastSeenAt: now },
    });
  }
  const { active: _active, ...user } = row.user;
  return { status: "active", session: { tokenHash, user, failedSignInsBefore: await takeNotice(tokenHash, row) } };
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
