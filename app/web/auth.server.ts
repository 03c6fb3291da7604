import { createCookie, redirect, type AppLoadContext, type Cookie } from "@remix-run/node";
import { browserLabel } from "~/domain/browser-label";
import { isRecentSecondFactor, mfaStanding, type MfaStanding } from "~/domain/mfa";
import { ROLE_HOME, ROLES, type Role } from "~/domain/roles";
import { recordAudit } from "~/models/audit.server";
import {
  createSession,
  endSession,
  hashSessionToken,
  lookupSession,
  touchSession,
  type ActiveSession,
} from "~/models/session.server";
import { getEnv } from "~/server/env.server";

export type SessionUser = ActiveSession["user"];

let sessionCookie: Cookie | undefined;

function getSessionCookie(): Cookie {
  const env = getEnv();
  sessionCookie ??= createCookie(env.isProduction ? "__Host-painpath_session" : "painpath_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.isProduction,
    path: "/",
    // Signed: a tampered cookie fails verification before any database lookup.
    secrets: [env.sessionSecret],
  });
  return sessionCookie;
}

export function sessionPolicy() {
  const env = getEnv();
  return {
    idleMinutes: env.SESSION_IDLE_MINUTES,
    absoluteHours: env.SESSION_ABSOLUTE_HOURS,
  };
}

async function readSessionToken(request: Request): Promise<string | null> {
  const value: unknown = await getSessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

type Resolution = {
  user: SessionUser | null;
  secondFactorAt: Date | null;
  mfa: ActiveSession["mfa"] | null;
  tokenHash: string | null;
  /** When the session ends unless the browser makes another request first. */
  endsAt: Date | null;
  /** The session's public id: pages name it "this browser". */
  sessionId: string | null;
  expired: boolean;
  failedSignInsBefore: number | null;
};
const NO_SESSION: Resolution = {
  user: null,
  secondFactorAt: null,
  mfa: null,
  tokenHash: null,
  endsAt: null,
  sessionId: null,
  expired: false,
  failedSignInsBefore: null,
};

/**
 * Resolves the request's session once per request (root and route loaders share it), and audits
 * a session that this request found expired.
 */
function resolveSession(request: Request, context: AppLoadContext, { touch = true } = {}): Promise<Resolution> {
  const cache = context as AppLoadContext & {
    sessionResolution?: Promise<Resolution>;
  };
  cache.sessionResolution ??= (async () => {
    const token = await readSessionToken(request);
    if (!token) return NO_SESSION;
    const lookup = await lookupSession(token, sessionPolicy(), new Date(), { touch });
    if (lookup.status === "expired") {
      await recordAudit(context, {
        action: "auth.session_expired",
        actor: { id: lookup.userId, role: lookup.role },
        detail: { reason: lookup.reason },
      });
      return { ...NO_SESSION, expired: true };
    }
    if (lookup.status === "none") return NO_SESSION;
    context.state.userId = lookup.session.user.id;
    const { user, publicId, failedSignInsBefore, secondFactorAt, mfa, tokenHash, endsAt } = lookup.session;
    return {
      user,
      secondFactorAt,
      mfa,
      tokenHash,
      endsAt,
      sessionId: publicId,
      expired: false,
      failedSignInsBefore,
    };
  })();
  return cache.sessionResolution;
}

/** The signed-in user, or null. */
export async function getUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  return (await resolveSession(request, context)).user;
}

/** The public id of the request's session, or null. */
export async function currentSessionId(request: Request, context: AppLoadContext): Promise<string | null> {
  return (await resolveSession(request, context)).sessionId;
}

/**
 * Milliseconds until the browser's session ends, or null when it has none. As a request's first
 * look at the session, asking is not activity: the idle-expiry warning polls this, and polling must
 * not keep an unattended session alive.
 */
export async function sessionTimeLeft(request: Request, context: AppLoadContext): Promise<number | null> {
  const { endsAt } = await resolveSession(request, context, { touch: false });
  return endsAt && Math.max(0, endsAt.getTime() - Date.now());
}

/** "Stay signed in": counts this request as activity and returns the session's new time left. */
export async function keepSessionAlive(request: Request, context: AppLoadContext): Promise<number> {
  await requireUser(request, context, { roles: ROLES });
  const { tokenHash } = await resolveSession(request, context);
  const token = await readSessionToken(request);
  if (!tokenHash || !token) throw new Error("A signed-in request has no session token");
  const now = new Date();
  await touchSession(tokenHash, now);
  const lookup = await lookupSession(token, sessionPolicy(), now, { touch: false });
  return lookup.status === "active" ? lookup.session.endsAt.getTime() - now.getTime() : 0;
}

/** Failed sign-ins to the user's account before this session began: on the session's first page only. */
export async function failedSignInsNotice(request: Request, context: AppLoadContext): Promise<number | null> {
  return (await resolveSession(request, context)).failedSignInsBefore;
}

export const PASSWORD_CHANGE_PATH = "/account/password";
export const SECURITY_PATH = "/account/security";
export const STEP_UP_PATH = "/account/verify";

/** Where the signed-in user stands with the MFA policy (null when signed out). */
export async function mfaStandingOf(request: Request, context: AppLoadContext): Promise<MfaStanding | null> {
  const { mfa } = await resolveSession(request, context);
  if (!mfa) return null;
  return mfaStanding({ hasFactor: mfa.hasFactor, deadline: mfa.enrolmentDeadline, now: new Date() });
}

/** Whether the policy requires a second factor of the signed-in user's role. */
export async function mfaRequiredOf(request: Request, context: AppLoadContext): Promise<boolean> {
  const { mfa } = await resolveSession(request, context);
  return Boolean(mfa?.enrolmentDeadline);
}

const returnPath = (request: Request) => {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
};

/**
 * The one guard every loader and action calls. Not signed in: redirect to sign-in with a return
 * path. Holding a temporary password: redirect to change it (only the password page itself passes
 * `passwordChange: true`). Signed in with another role: a 403, audited as a denied access.
 */
export async function requireUser(
  request: Request,
  context: AppLoadContext,
  options: { roles: readonly Role[]; passwordChange?: boolean; mfaEnrolment?: boolean },
): Promise<SessionUser> {
  const { user, expired, mfa } = await resolveSession(request, context);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({
      redirectTo: `${url.pathname}${url.search}`,
    });
    if (expired) params.set("expired", "1");
    throw redirect(`/sign-in?${params}`, {
      headers: { "Set-Cookie": await clearSessionCookie() },
    });
  }
  if (user.mustChangePassword && !options.passwordChange) {
    const url = new URL(request.url);
    const back =
      request.method === "GET" ? `?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}` : "";
    throw redirect(`${PASSWORD_CHANGE_PATH}${back}`);
  }
  // Past the policy's grace period without a second factor: enrolment comes before anything else.
  if (!options.passwordChange && !options.mfaEnrolment && mfa) {
    const standing = mfaStanding({ hasFactor: mfa.hasFactor, deadline: mfa.enrolmentDeadline, now: new Date() });
    if (standing.status === "must-enrol") {
      const back = request.method === "GET" ? `?${new URLSearchParams({ redirectTo: returnPath(request) })}` : "";
      throw redirect(`${SECURITY_PATH}${back}`);
    }
  }
  if (!options.roles.includes(user.role)) {
    await recordAudit(context, {
      action: "access.denied",
      actor: user,
      outcome: "denied",
      detail: { path: new URL(request.url).pathname, method: request.method },
    });
    throw new Response("You do not have access to this page.", { status: 403 });
  }
  return user;
}

/**
 * Step-up: a sensitive action needs a second factor verified in this session within the last
 * STEP_UP_MINUTES. Otherwise it is refused (audited) and the user is sent to verify, then back to
 * `returnTo` (a page, since a posted form cannot be replayed through a redirect).
 */
export async function requireRecentSecondFactor(
  request: Request,
  context: AppLoadContext,
  user: SessionUser,
  purpose: string,
  returnTo = returnPath(request),
): Promise<void> {
  if (await hasRecentSecondFactor(request, context)) return;
  await recordAudit(context, {
    action: "auth.step_up_required",
    actor: user,
    outcome: "denied",
    detail: { purpose, path: new URL(request.url).pathname, method: request.method },
  });
  throw redirect(`${STEP_UP_PATH}?${new URLSearchParams({ redirectTo: returnTo, for: purpose })}`);
}

/** Whether this session verified a second factor recently enough for a step-up. */
export async function hasRecentSecondFactor(request: Request, context: AppLoadContext): Promise<boolean> {
  const { secondFactorAt } = await resolveSession(request, context);
  return isRecentSecondFactor(secondFactorAt, new Date(), getEnv().STEP_UP_MINUTES);
}

/** For the sign-in page: a signed-in user goes to their home page instead. */
export async function redirectIfSignedIn(request: Request, context: AppLoadContext) {
  const user = await getUser(request, context);
  if (user) throw redirect(ROLE_HOME[user.role]);
}

/**
 * Starts a new session (ending any the browser already had: no session fixation). A sign-in passes
 * the failed sign-ins since the previous one, shown to the user on the session's first page.
 */
export async function startSession(
  request: Request,
  context: AppLoadContext,
  userId: string,
  failedSignInsBefore: number | null = null,
  secondFactorAt: Date | null = null,
): Promise<string> {
  const previous = await readSessionToken(request);
  if (previous) await endSession(hashSessionToken(previous), "rotated");
  const { token } = await createSession(
    context,
    {
      userId,
      browser: browserLabel(request.headers.get("User-Agent")),
      clientAddress: context.clientAddress,
      failedSignInsBefore,
      secondFactorAt,
    },
    sessionPolicy(),
  );
  // No Expires: the cookie ends with the browser, so closing it signs out on a shared workstation;
  // the server's idle and absolute limits still apply (docs/security.md).
  return getSessionCookie().serialize(token);
}

/**
 * Ends a sign-in (with or without a second factor): a new session, the audit row, and the next page,
 * which is the password change when an administrator set a temporary password.
 */
export async function completeSignIn(
  request: Request,
  context: AppLoadContext,
  user: { id: string; role: Role; mustChangePassword: boolean },
  sign: { failedSignInsBefore: number | null; secondFactorAt: Date | null; next: string; headers?: Headers },
): Promise<never> {
  const cookie = await startSession(request, context, user.id, sign.failedSignInsBefore, sign.secondFactorAt);
  await recordAudit(context, {
    action: "auth.sign_in",
    actor: user,
    detail: sign.secondFactorAt ? { secondFactor: true } : undefined,
  });
  const location = user.mustChangePassword
    ? `${PASSWORD_CHANGE_PATH}?${new URLSearchParams({ redirectTo: sign.next })}`
    : sign.next;
  const headers = sign.headers ?? new Headers();
  headers.append("Set-Cookie", cookie);
  throw redirect(location, { headers });
}

/** Ends the browser's session in the database; returns the Set-Cookie value that clears it. */
export async function endCurrentSession(request: Request): Promise<string> {
  const token = await readSessionToken(request);
  if (token) await endSession(hashSessionToken(token), "sign-out");
  return clearSessionCookie();
}

function clearSessionCookie(): Promise<string> {
  return getSessionCookie().serialize("", { maxAge: 0 });
}
