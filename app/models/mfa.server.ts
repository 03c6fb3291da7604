import { createHash, createHmac, randomBytes } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { normaliseRecoveryCode, type MfaRule } from "~/domain/mfa";
import type { Role } from "~/domain/roles";
import { getDb, type Tx } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { deriveKey, open, seal } from "~/server/secret-box.server";
import { matchTotpStep, newRecoveryCodes, newTotpSecret } from "~/server/totp.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { endAllSessionsOfUser } from "./session.server";

interface MfaKeys {
  current: Buffer;
  /** The key being rotated out (MFA_ENCRYPTION_KEY_PREVIOUS): read, never written. */
  previous: Buffer | null;
}

let keys: MfaKeys | undefined;
function mfaKeys(): MfaKeys {
  const env = getEnv();
  keys ??= {
    current: deriveKey(env.mfaEncryptionKey),
    previous: env.mfaPreviousKey ? deriveKey(env.mfaPreviousKey) : null,
  };
  return keys;
}
const secretKey = () => mfaKeys().current;

/** Opens a TOTP secret sealed under the current key, or under the previous one during a rotation. */
function openTotpSecret(sealed: string, userId: string): string {
  const { current, previous } = mfaKeys();
  try {
    return open(current, sealed, userId);
  } catch (error) {
    if (!previous) throw error;
    return open(previous, sealed, userId);
  }
}

/**
 * Recovery codes are hashed with HMAC-SHA256 under the MFA key: with about 49 bits each, a plain
 * hash could be searched offline by whoever copies the table; the key is not in the database.
 */
function recoveryCodeHash(typed: string, key = secretKey()): string {
  return createHmac("sha256", key).update(normaliseRecoveryCode(typed)).digest("hex");
}

export interface FactorSummary {
  totp: "confirmed" | "pending" | null;
  passkeys: Array<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null; backedUp: boolean }>;
  recoveryCodesLeft: number;
}

export async function factorSummary(userId: string): Promise<FactorSummary> {
  const db = getDb();
  const [totp, passkeys, recoveryCodesLeft] = await Promise.all([
    db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
    db.passkey.findMany({
      where: { userId },
      select: { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true },
      orderBy: { createdAt: "asc" },
    }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return { totp: totp ? (totp.confirmedAt ? "confirmed" : "pending") : null, passkeys, recoveryCodesLeft };
}

export const hasFactor = (summary: FactorSummary) => summary.totp === "confirmed" || summary.passkeys.length > 0;

// --- TOTP ------------------------------------------------------------------------------------

/** The secret being enrolled: kept (encrypted) until confirmed, so a reload shows the same QR code. */
export async function pendingTotpSecret(userId: string): Promise<string | null> {
  const existing = await getDb().totpFactor.findUnique({ where: { userId } });
  if (existing?.confirmedAt) return null;
  if (existing) return openTotpSecret(existing.secretSealed, userId);
  const secret = newTotpSecret();
  await getDb().totpFactor.upsert({
    where: { userId },
    create: { userId, secretSealed: seal(secretKey(), secret, userId) },
    update: {},
  });
  const stored = await getDb().totpFactor.findUniqueOrThrow({ where: { userId } });
  // A parallel request may have won the insert: show whichever secret was kept.
  return stored.confirmedAt ? null : openTotpSecret(stored.secretSealed, userId);
}

/**
 * Accepts a code once: the step it matches must be later than the last step used, and the update
 * that records it is conditional, so two requests with the same code cannot both pass.
 */
async function acceptTotpCode(userId: string, code: string, now: Date, confirmed: boolean, tx: Tx = getDb()) {
  const factor = await tx.totpFactor.findUnique({ where: { userId } });
  if (!factor || Boolean(factor.confirmedAt) !== confirmed) return false;
  const step = matchTotpStep(openTotpSecret(factor.secretSealed, userId), code, now);
  if (step === null) return false;
  const { count } = await tx.totpFactor.updateMany({
    where: {
      userId,
      OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: BigInt(step) } }],
    },
    data: { lastUsedStep: BigInt(step), ...(confirmed ? {} : { confirmedAt: now }) },
  });
  return count === 1;
}

export const verifyTotpCode = (userId: string, code: string, now = new Date()) =>
  acceptTotpCode(userId, code, now, true);

/** Confirms enrolment with a first code; returns fresh recovery codes (shown once), or null. */
export async function confirmTotp(
  context: AppLoadContext,
  actor: AuditActor,
  code: string,
  now = new Date(),
): Promise<string[] | null> {
  return getDb().$transaction(async (tx) => {
    if (!(await acceptTotpCode(actor.id, code, now, false, tx))) return null;
    await recordAudit(context, { action: "mfa.totp_enrolled", actor, entityType: "User", entityId: actor.id }, tx);
    return replaceRecoveryCodes(context, actor, tx);
  });
}

export async function removeTotp(context: AppLoadContext, actor: AuditActor) {
  await getDb().$transaction(async (tx) => {
    const { count } = await tx.totpFactor.deleteMany({ where: { userId: actor.id } });
    if (count > 0) {
      await recordAudit(context, { action: "mfa.totp_removed", actor, entityType: "User", entityId: actor.id }, tx);
    }
  });
}

/**
 * Re-seals every TOTP secret under the current key (a key rotation's second step). Each update is
 * conditional on the sealed value read, so a concurrent enrolment or removal is never overwritten.
 */
export async function resealTotpSecrets(context: AppLoadContext): Promise<{ resealed: number; current: number }> {
  const { current } = mfaKeys();
  const factors = await getDb().totpFactor.findMany({ select: { userId: true, secretSealed: true } });
  let resealed = 0;
  for (const { userId, secretSealed } of factors) {
    try {
      open(current, secretSealed, userId);
      continue;
    } catch {
      const { count } = await getDb().totpFactor.updateMany({
        where: { userId, secretSealed },
        data: { secretSealed: seal(current, openTotpSecret(secretSealed, userId), userId) },
      });
      resealed += count;
    }
  }
  await recordAudit(context, { action: "mfa.secrets_resealed", actor: null, detail: { resealed } });
  return { resealed, current: factors.length - resealed };
}

// --- Recovery codes ------------------------------------------------------------------------------

/** Ends every unused code and issues new ones; the plain codes exist only in the returned list. */
export async function replaceRecoveryCodes(context: AppLoadContext, actor: AuditActor, tx: Tx): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId: actor.id, usedAt: null } });
  await tx.recoveryCode.createMany({
    data: codes.map((code) => ({ userId: actor.id, codeHash: recoveryCodeHash(code) })),
  });
  await recordAudit(
    context,
    {
      action: "mfa.recovery_codes_issued",
      actor,
      entityType: "User",
      entityId: actor.id,
      detail: { count: codes.length },
    },
    tx,
  );
  return codes;
}

export function regenerateRecoveryCodes(context: AppLoadContext, actor: AuditActor) {
  return getDb().$transaction((tx) => replaceRecoveryCodes(context, actor, tx));
}

/**
 * Uses up one code; a code already used, or someone else's, is refused. Codes issued before a key
 * rotation still count while the previous key is configured: an HMAC cannot be re-keyed.
 */
export async function spendRecoveryCode(userId: string, typed: string, now = new Date()): Promise<boolean> {
  const { current, previous } = mfaKeys();
  const hashes = [current, ...(previous ? [previous] : [])].map((key) => recoveryCodeHash(typed, key));
  const { count } = await getDb().recoveryCode.updateMany({
    where: { userId, codeHash: { in: hashes }, usedAt: null },
    data: { usedAt: now },
  });
  return count === 1;
}

// --- Passkeys ------------------------------------------------------------------------------------

export function passkeysOf(userId: string) {
  return getDb().passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

export interface NewPasskey {
  credentialId: string;
  publicKey: Uint8Array;
  signCount: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  name: string;
}

/** Adds a passkey; the first factor of an account also gets recovery codes, returned to be shown once. */
export async function addPasskey(
  context: AppLoadContext,
  actor: AuditActor,
  passkey: NewPasskey,
): Promise<string[] | null> {
  return getDb().$transaction(async (tx) => {
    const created = await tx.passkey.create({
      data: {
        ...passkey,
        publicKey: Buffer.from(passkey.publicKey),
        signCount: BigInt(passkey.signCount),
        userId: actor.id,
      },
    });
    await recordAudit(
      context,
      {
        action: "mfa.passkey_added",
        actor,
        entityType: "Passkey",
        entityId: created.id,
        detail: { backedUp: passkey.backedUp },
      },
      tx,
    );
    const codesLeft = await tx.recoveryCode.count({ where: { userId: actor.id, usedAt: null } });
    return codesLeft === 0 ? replaceRecoveryCodes(context, actor, tx) : null;
  });
}

/** Scoped to the user: another user's passkey id changes nothing (and is audited as denied). */
export async function changePasskey(
  context: AppLoadContext,
  actor: AuditActor,
  change: { passkey: string; name?: string },
): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const where = { id: change.passkey, userId: actor.id };
    const { count } =
      change.name === undefined
        ? await tx.passkey.deleteMany({ where })
        : await tx.passkey.updateMany({ where, data: { name: change.name } });
    const action = change.name === undefined ? "mfa.passkey_removed" : "mfa.passkey_renamed";
    await recordAudit(
      context,
      { action, actor, entityType: "Passkey", entityId: change.passkey, outcome: count === 1 ? "success" : "denied" },
      tx,
    );
    return count === 1;
  });
}

export function findPasskey(userId: string, credentialId: string) {
  return getDb().passkey.findFirst({ where: { userId, credentialId } });
}

/** The signature counter only moves forward (WebAuthn §6.1.1): a clone reporting an old count is refused. */
export async function recordPasskeyUse(id: string, previousCount: bigint, newCount: number, now = new Date()) {
  const { count } = await getDb().passkey.updateMany({
    where: { id, signCount: previousCount },
    data: { signCount: BigInt(newCount), lastUsedAt: now },
  });
  return count === 1;
}

// --- Policy --------------------------------------------------------------------------------------

export async function mfaPolicy(): Promise<MfaRule[]> {
  const rows = await getDb().mfaPolicy.findMany({ orderBy: { role: "asc" } });
  return rows.map(({ role, required, graceDays, requiredSince }) => ({ role, required, graceDays, requiredSince }));
}

/** A role newly required starts its grace period now; one that stays required keeps its start. */
export async function updateMfaPolicy(
  context: AppLoadContext,
  actor: AuditActor,
  rules: Array<Omit<MfaRule, "requiredSince">>,
  now = new Date(),
) {
  await getDb().$transaction(async (tx) => {
    const before = await tx.mfaPolicy.findMany();
    const changed = [];
    for (const rule of rules) {
      const old = before.find((row) => row.role === rule.role);
      const requiredSince = rule.required ? (old?.required && old.requiredSince ? old.requiredSince : now) : null;
      await tx.mfaPolicy.upsert({
        where: { role: rule.role },
        create: { ...rule, requiredSince, updatedAt: now, updatedById: actor.id },
        update: { ...rule, requiredSince, updatedAt: now, updatedById: actor.id },
      });
      if (!old || old.required !== rule.required || old.graceDays !== rule.graceDays) {
        changed.push({ role: rule.role, required: rule.required, graceDays: rule.graceDays });
      }
    }
    if (changed.length > 0) {
      await recordAudit(context, { action: "mfa.policy_changed", actor, detail: { changed } }, tx);
    }
  });
}

/**
 * An administrator removes every factor of a user (a lost phone): the user's sessions end, and the
 * policy's grace period does not start again, so a required user enrols at their next sign-in.
 */
export async function resetFactors(context: AppLoadContext, actor: AuditActor, userId: string, now = new Date()) {
  await getDb().$transaction(async (tx) => {
    const [totp, passkeys, codes] = await Promise.all([
      tx.totpFactor.deleteMany({ where: { userId } }),
      tx.passkey.deleteMany({ where: { userId } }),
      tx.recoveryCode.deleteMany({ where: { userId } }),
    ]);
    await endAllSessionsOfUser(userId, "mfa-reset", now, tx);
    await recordAudit(
      context,
      {
        action: "mfa.factors_reset",
        actor,
        entityType: "User",
        entityId: userId,
        detail: { totp: totp.count, passkeys: passkeys.count, recoveryCodes: codes.count },
      },
      tx,
    );
  });
}

// --- Pending verifications -------------------------------------------------------------------------

export type ChallengePurpose = "sign-in" | "step-up" | "passkey-registration";

/** A sign-in waiting for its second factor lasts 5 minutes and allows 5 wrong codes. */
export const CHALLENGE_MINUTES = 5;
export const CHALLENGE_MAX_FAILURES = 5;

const tokenHashOf = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createChallenge(
  input: {
    userId: string;
    purpose: ChallengePurpose;
    redirectTo?: string;
    failedSignInsBefore?: number | null;
    webauthnChallenge?: string;
  },
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  // An expired challenge is refused whatever its state, so it is dropped rather than kept forever.
  await getDb().mfaChallenge.deleteMany({ where: { expiresAt: { lt: now } } });
  await getDb().mfaChallenge.create({
    data: {
      tokenHash: tokenHashOf(token),
      userId: input.userId,
      purpose: input.purpose,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
      redirectTo: input.redirectTo,
      failedSignInsBefore: input.failedSignInsBefore ?? null,
      webauthnChallenge: input.webauthnChallenge,
    },
  });
  return token;
}

export interface PendingChallenge {
  tokenHash: string;
  userId: string;
  user: { id: string; email: string; role: Role; active: boolean };
  webauthnChallenge: string | null;
  redirectTo: string | null;
  failedSignInsBefore: number | null;
}

/** A usable challenge for this purpose: not used up, not expired, not past its wrong attempts. */
export async function findChallenge(
  token: string,
  purpose: ChallengePurpose,
  now = new Date(),
  userId?: string,
): Promise<PendingChallenge | null> {
  const row = await getDb().mfaChallenge.findUnique({ where: { tokenHash: tokenHashOf(token) } });
  if (!row || row.purpose !== purpose || row.consumedAt || row.expiresAt <= now) return null;
  if (row.failedAttempts >= CHALLENGE_MAX_FAILURES || (userId && row.userId !== userId)) return null;
  const user = await getDb().user.findUnique({
    where: { id: row.userId },
    select: { id: true, email: true, role: true, active: true },
  });
  if (!user?.active) return null;
  return { ...row, user };
}

export async function setWebauthnChallenge(tokenHash: string, challenge: string) {
  await getDb().mfaChallenge.update({ where: { tokenHash }, data: { webauthnChallenge: challenge } });
}

export async function countChallengeFailure(tokenHash: string) {
  await getDb().mfaChallenge.update({ where: { tokenHash }, data: { failedAttempts: { increment: 1 } } });
}

/** Single use: of two requests finishing the same challenge, only one gets true. */
export async function consumeChallenge(tokenHash: string, now = new Date()): Promise<boolean> {
  const { count } = await getDb().mfaChallenge.updateMany({
    where: { tokenHash, consumedAt: null, expiresAt: { gt: now } },
    data: { consumedAt: now },
  });
  return count === 1;
}

/** A step-up: the session's second factor was verified now. */
export async function markSessionVerified(publicId: string, now = new Date()) {
  await getDb().session.updateMany({ where: { publicId, endedAt: null }, data: { secondFactorAt: now } });
}
