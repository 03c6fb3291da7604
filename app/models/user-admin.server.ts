import type { AppLoadContext } from "@remix-run/node";
import type { Role } from "~/domain/roles";
import { USER_LIST_LIMIT, type UserCreateInput } from "~/domain/user-forms";
import { type Prisma } from "~/generated/prisma/client";
import { getDb, type Tx } from "~/server/db.server";
import { hashPassword } from "~/server/password.server";
import { qb, rows } from "~/server/query-builder.server";
import { sql } from "kysely";
import { recordAudit, type AuditActor } from "./audit.server";
import { ConcurrentEditError } from "./record-revision.server";
import { endAllSessionsOfUser } from "./session.server";
import { violatesUniqueIndex } from "./unique-violation.server";

/** An administrator's change to user accounts, refused for a reason the form shows; nothing was written. */
export class UserChangeRefusedError extends Error {
  constructor(
    message: string,
    readonly field?: "email" | "role",
  ) {
    super(message);
  }
}

export class UserNotFoundError extends Error {
  constructor() {
    super("User not found");
  }
}

const DUPLICATE_EMAIL = "Another user already has this email.";

export function listUsers(filters: { role?: Role; active?: boolean }) {
  return getDb().user.findMany({
    where: { role: filters.role, active: filters.active },
    select: { id: true, name: true, email: true, role: true, active: true, mustChangePassword: true },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    take: USER_LIST_LIMIT,
  });
}

export function getUserForAdmin(userId: string) {
  return getDb().user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      active: true,
      mustChangePassword: true,
      version: true,
      createdAt: true,
      updatedAt: true,
    },
  });
}

/**
 * The unique index on email is the one duplicate check, two administrators saving at once included.
 * Emails are stored lower-case (as sign-in looks them up), so the index ignores case too.
 */
function refuseDuplicateEmail(error: unknown): never {
  throw violatesUniqueIndex(error, ["User_email_key"]) ? new UserChangeRefusedError(DUPLICATE_EMAIL, "email") : error;
}

/**
 * `actor` is the administrator, or null for the command line that creates the first one. A
 * password someone else chose is temporary: it must be changed at first sign-in.
 */
export async function createUser(
  input: UserCreateInput,
  actor: AuditActor | null,
  context: AppLoadContext,
  { temporaryPassword = true } = {},
) {
  const passwordHash = await hashPassword(input.password);
  return getDb()
    .$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          name: input.name,
          email: input.email.toLowerCase(),
          role: input.role,
          passwordHash,
          mustChangePassword: temporaryPassword,
        },
        select: { id: true },
      });
      await recordAudit(
        context,
        {
          action: "user.create",
          actor,
          entityType: "User",
          entityId: user.id,
          detail: actor ? { role: input.role } : { role: input.role, via: "command line" },
        },
        tx,
      );
      return user;
    })
    .catch(refuseDuplicateEmail);
}

type StoredUser = NonNullable<Awaited<ReturnType<typeof readTarget>>>;

function readTarget(tx: Tx, userId: string) {
  return tx.user.findUnique({
    where: { id: userId },
    select: { id: true, name: true, email: true, role: true, active: true, version: true },
  });
}

/**
 * Refuses a change that would leave no active administrator. The active administrators' rows
 * are locked first (in id order, so two such transactions cannot deadlock): of two administrators
 * removing each other at once, the second waits, then sees the first's change and is refused.
 */
async function assertAnotherActiveAdmin(tx: Tx, target: StoredUser, field?: "role") {
  const admins = await rows(
    tx,
    qb
      .selectFrom("User")
      .select("id")
      .where("role", "=", sql.lit("ADMIN"))
      .where("active", "=", sql.lit(true))
      .orderBy("id")
      .forUpdate(),
  );
  if (!admins.some((admin) => admin.id !== target.id)) {
    throw new UserChangeRefusedError(
      "This is the last active administrator. Make another user an administrator first.",
      field,
    );
  }
}

/**
 * One administrator's change to one user, in one transaction: refused when the user changed
 * since the form was opened (`version`), applied only where id and version still match, then
 * audited with the user as the entity.
 */
async function changeUser(
  userId: string,
  expectedVersion: number,
  context: AppLoadContext,
  actor: AuditActor,
  change: (
    tx: Tx,
    target: StoredUser,
  ) => Promise<{ data: Prisma.UserUpdateManyMutationInput; action: string; detail?: Prisma.InputJsonValue }>,
) {
  await getDb()
    .$transaction(async (tx) => {
      const target = await readTarget(tx, userId);
      if (!target) throw new UserNotFoundError();
      const { version: _version, ...current } = target;
      if (target.version !== expectedVersion) throw new ConcurrentEditError(current);
      const { data, action, detail } = await change(tx, target);
      const { count } = await tx.user.updateMany({
        where: { id: userId, version: expectedVersion },
        data: { ...data, version: { increment: 1 } },
      });
      if (count === 0) throw new ConcurrentEditError(current);
      await recordAudit(context, { action, actor, entityType: "User", entityId: userId, detail }, tx);
    })
    .catch(refuseDuplicateEmail);
}

const removesAdmin = (target: StoredUser, next: { role: Role; active: boolean }) =>
  target.role === "ADMIN" && target.active && (next.role !== "ADMIN" || !next.active);

export function updateUser(
  userId: string,
  input: { version: number; name: string; email: string; role: Role },
  actor: AuditActor,
  context: AppLoadContext,
) {
  return changeUser(userId, input.version, context, actor, async (tx, target) => {
    const email = input.email.toLowerCase();
    if (removesAdmin(target, { role: input.role, active: target.active })) {
      await assertAnotherActiveAdmin(tx, target, "role");
    }
    const next = { name: input.name, email, role: input.role };
    const changed = (["name", "email", "role"] as const).filter((field) => next[field] !== target[field]);
    return {
      data: next,
      action: "user.update",
      // Field names and roles only: the audit trail holds identifiers and reasons, not form text.
      detail: { changed, ...(changed.includes("role") ? { role: { from: target.role, to: input.role } } : {}) },
    };
  });
}

/** Deactivating ends every session of the user in the same transaction; they are signed out at once. */
export function setUserActive(
  userId: string,
  input: { version: number; active: boolean },
  actor: AuditActor,
  context: AppLoadContext,
) {
  return changeUser(userId, input.version, context, actor, async (tx, target) => {
    if (input.active) return { data: { active: true }, action: "user.reactivate" };
    if (userId === actor.id) {
      throw new UserChangeRefusedError("You cannot deactivate your own account. Ask another administrator.");
    }
    if (removesAdmin(target, { role: target.role, active: false })) await assertAnotherActiveAdmin(tx, target);
    await endAllSessionsOfUser(userId, "user-deactivated", new Date(), tx);
    return { data: { active: false }, action: "user.deactivate" };
  });
}

/**
 * A temporary password the user must replace at next sign-in. Every session of the user ends,
 * so whoever held one (perhaps the reason for the reset) is signed out.
 */
export async function resetUserPassword(
  userId: string,
  input: { version: number; password: string },
  actor: AuditActor,
  context: AppLoadContext,
) {
  if (userId === actor.id) {
    throw new UserChangeRefusedError("Change your own password on your account page, with your current password.");
  }
  const passwordHash = await hashPassword(input.password);
  return changeUser(userId, input.version, context, actor, async (tx) => {
    await endAllSessionsOfUser(userId, "password-reset", new Date(), tx);
    return { data: { passwordHash, mustChangePassword: true }, action: "user.password_reset" };
  });
}

/** The user's own password change; the caller has re-authenticated them with the current password. */
export async function changeOwnPassword(user: AuditActor, password: string, context: AppLoadContext) {
  const passwordHash = await hashPassword(password);
  await getDb().$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: false, version: { increment: 1 } },
    });
    // Every other browser signed in as this user is signed out; the caller starts a new session.
    await endAllSessionsOfUser(user.id, "password-changed", new Date(), tx);
    await recordAudit(
      context,
      { action: "user.password_changed", actor: user, entityType: "User", entityId: user.id },
      tx,
    );
  });
}

export function findPasswordHash(userId: string) {
  return getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
}
