import { createCookie, data, type AppLoadContext, type Cookie } from "@remix-run/node";
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type * as z from "zod";
import { waitTime } from "~/domain/text";
import type { verifyFactorSchema } from "~/domain/mfa";
import type { Role } from "~/domain/roles";
import { recordAudit } from "~/models/audit.server";
import {
  CHALLENGE_MINUTES,
  createChallenge,
  findPasskey,
  passkeysOf,
  recordPasskeyUse,
  setWebauthnChallenge,
  spendRecoveryCode,
  verifyTotpCode,
  type NewPasskey,
} from "~/models/mfa.server";
import { accountKeyOf, releaseSignInAttempt, reserveSignInAttempt } from "~/models/sign-in-throttle.server";
import { getEnv } from "~/server/env.server";
import type { FactorActionData } from "~/components/second-factor-form";

type FactorInput = z.infer<typeof verifyFactorSchema>;
export type FactorAnswer = Exclude<FactorInput, { intent: "passkey-options" }>;

let pendingCookie: Cookie | undefined;

/**
 * Holds the random token of a sign-in awaiting its second factor. The state is the server's record
 * (MfaChallenge: short-lived, single use, bound to the user); the cookie only names it.
 */
export function pendingSignInCookie(): Cookie {
  const env = getEnv();
  pendingCookie ??= createCookie(env.isProduction ? "__Host-painpath_mfa" : "painpath_mfa", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.isProduction,
    path: "/",
    maxAge: CHALLENGE_MINUTES * 60,
    secrets: [env.sessionSecret],
  });
  return pendingCookie;
}

export async function readPendingSignIn(request: Request): Promise<string | null> {
  const value: unknown = await pendingSignInCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export const clearPendingSignIn = () => pendingSignInCookie().serialize("", { maxAge: 0 });

/**
 * The relying party is this site: APP_ORIGIN when set (as for the CSRF check), otherwise the
 * origin the request came to. A passkey is bound to the host name (WebAuthn §5.1.3).
 */
function relyingParty(request: Request) {
  const env = getEnv();
  const origin = env.APP_ORIGIN ? new URL(env.APP_ORIGIN).origin : new URL(request.url).origin;
  return { origin, rpID: new URL(origin).hostname };
}

/** Loaded on first use: the library and its ASN.1 parsers add about half a second to every start. */
const webauthn = () => import("@simplewebauthn/server");

const transportsOf = (stored: string[]) => stored as AuthenticatorTransportFuture[];

/** Options for signing with one of the user's passkeys; user verification (PIN, biometrics) required. */
export async function passkeyAuthenticationOptions(request: Request, userId: string) {
  const passkeys = await passkeysOf(userId);
  return (await webauthn()).generateAuthenticationOptions({
    rpID: relyingParty(request).rpID,
    allowCredentials: passkeys.map((passkey) => ({
      id: passkey.credentialId,
      transports: transportsOf(passkey.transports),
    })),
    userVerification: "required",
    timeout: CHALLENGE_MINUTES * 60_000,
  });
}

/** Options for a sign-in's passkey, remembered on the sign-in's own record. */
export async function signInPasskeyOptions(request: Request, challenge: { tokenHash: string; userId: string }) {
  const options = await passkeyAuthenticationOptions(request, challenge.userId);
  await setWebauthnChallenge(challenge.tokenHash, options.challenge);
  return options;
}

/** A signed-in user's WebAuthn challenge (step-up or registration), held by a record of their own. */
export function signedInWebauthnChallenge(
  userId: string,
  purpose: "step-up" | "passkey-registration",
  webauthnChallenge: string,
) {
  return createChallenge({ userId, purpose, webauthnChallenge });
}

export async function passkeyRegistrationOptions(request: Request, user: { id: string; email: string; name: string }) {
  const existing = await passkeysOf(user.id);
  return (await webauthn()).generateRegistrationOptions({
    rpName: "PainPath",
    rpID: relyingParty(request).rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credentialId,
      transports: transportsOf(passkey.transports),
    })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    timeout: CHALLENGE_MINUTES * 60_000,
  });
}

/** Checks a new passkey's attestation against the challenge issued; null if it does not hold. */
export async function verifyNewPasskey(
  request: Request,
  expectedChallenge: string,
  response: unknown,
  name: string,
): Promise<NewPasskey | null> {
  const { origin, rpID } = relyingParty(request);
  try {
    const result = await (
      await webauthn()
    ).verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
    if (!result.verified) return null;
    const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: credential.publicKey,
      signCount: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      name,
    };
  } catch {
    return null;
  }
}

async function verifyPasskeyAssertion(request: Request, userId: string, expectedChallenge: string, response: unknown) {
  const assertion = response as AuthenticationResponseJSON;
  if (typeof assertion?.id !== "string") return false;
  const passkey = await findPasskey(userId, assertion.id);
  if (!passkey) return false;
  const { origin, rpID } = relyingParty(request);
  try {
    const result = await (
      await webauthn()
    ).verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.signCount),
        transports: transportsOf(passkey.transports),
      },
      requireUserVerification: true,
    });
    return (
      result.verified && (await recordPasskeyUse(passkey.id, passkey.signCount, result.authenticationInfo.newCounter))
    );
  } catch {
    return false;
  }
}

export type FactorVerdict = { ok: true; method: string } | { ok: false; status: 401 | 429; message: string };

const WRONG: Record<FactorAnswer["intent"], string> = {
  totp: "That code is not right, or it was already used. Wait for the next code and try again.",
  recovery: "That recovery code is not right, or it was already used.",
  passkey: "The passkey could not be verified. Try again, or use another way.",
};

/**
 * Checks a second factor. Each attempt is taken from the sign-in throttle first (account and
 * address, as for passwords), and given back when it succeeds; every outcome is audited.
 */
export async function verifyFactor(
  request: Request,
  context: AppLoadContext,
  user: { id: string; email: string; role: Role },
  answer: FactorAnswer,
  purpose: "sign-in" | "step-up",
  webauthnChallenge: string | null,
): Promise<FactorVerdict> {
  const actor = { id: user.id, role: user.role };
  const throttle = await reserveSignInAttempt(accountKeyOf(user.email), context.clientAddress);
  if (!throttle.allowed) {
    await recordAudit(context, { action: "auth.mfa_throttled", actor, outcome: "denied", detail: { purpose } });
    return {
      ok: false,
      status: 429,
      message: `Too many failed attempts. Try again in ${waitTime(throttle.retryAfterSeconds)}.`,
    };
  }
  let ok = false;
  if (answer.intent === "totp") ok = await verifyTotpCode(user.id, answer.code);
  else if (answer.intent === "recovery") ok = await spendRecoveryCode(user.id, answer.recoveryCode);
  else if (webauthnChallenge) ok = await verifyPasskeyAssertion(request, user.id, webauthnChallenge, answer.credential);
  const detail = { purpose, method: answer.intent };
  if (!ok) {
    await recordAudit(context, { action: "auth.mfa_failed", actor, outcome: "failure", detail });
    return { ok: false, status: 401, message: WRONG[answer.intent] };
  }
  await releaseSignInAttempt(throttle.reservation);
  await recordAudit(context, { action: "auth.mfa_verified", actor, detail });
  return { ok: true, method: answer.intent };
}

/** The reply of a form whose factor was refused: the message goes next to that form. */
export function refusedFactor(verdict: Extract<FactorVerdict, { ok: false }>, intent: string) {
  return data<FactorActionData>(
    { error: verdict.message, intent, options: null, challenge: null },
    { status: verdict.status },
  );
}

/** A verification form that failed validation: its first message, next to the form it came from. */
export function invalidFactorForm(submission: {
  payload: Record<string, unknown>;
  error?: Record<string, string[] | null> | null;
}) {
  const intent = submission.payload.intent;
  const message = Object.values(submission.error ?? {}).flat()[0] ?? "Check the form.";
  return data<FactorActionData>(
    { error: message, intent: typeof intent === "string" ? intent : undefined, options: null, challenge: null },
    { status: 400 },
  );
}
