import { getDb } from "~/server/db.server";

/**
 * Failed sign-ins allowed per window before further attempts are refused. Far below the
 * 100 per hour per account that OWASP ASVS 2.2.1 / NIST SP 800-63B §3.2.2 allow at most.
 */
export const SIGN_IN_THROTTLE = {
  windowMinutes: 15,
  perAccount: 10,
  perClientAddress: 50,
} as const;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function accountKeyOf(email: string): string {
  return email.trim().toLowerCase();
}

export async function checkSignInThrottle(
  accountKey: string,
  clientAddress: string,
  now = new Date(),
): Promise<ThrottleVerdict> {
  const windowMs = SIGN_IN_THROTTLE.windowMinutes * 60_000;
  const since = new Date(now.getTime() - windowMs);
  const db = getDb();
  const [byAccount, byAddress] = await Promise.all([
    db.signInFailure.aggregate({
      where: { accountKey, at: { gt: since } },
      _count: { _all: true },
      _min: { at: true },
    }),
    db.signInFailure.aggregate({
      where: { clientAddress, at: { gt: since } },
      _count: { _all: true },
      _min: { at: true },
    }),
  ]);
  const blocked = [
    byAccount._count._all >= SIGN_IN_THROTTLE.perAccount ? byAccount._min.at : null,
    byAddress._count._all >= SIGN_IN_THROTTLE.perClientAddress ? byAddress._min.at : null,
  ].filter((at): at is Date => at !== null);
  if (blocked.length === 0) return { allowed: true };
  const until = Math.max(...blocked.map((at) => at.getTime() + windowMs));
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)),
  };
}

export async function recordSignInFailure(accountKey: string, clientAddress: string, now = new Date()) {
  await getDb().signInFailure.create({
    data: { accountKey, clientAddress, at: now },
  });
}
