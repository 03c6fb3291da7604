import type { AppLoadContext } from "@remix-run/node";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from "jose";
import { recordAudit } from "~/models/audit.server";
import { findTrustedIssuer, purgeExpiredTokenIds, takeTokenId, type TrustedIssuer } from "~/models/cds.server";
import { getEnv } from "~/server/env.server";
import { logger } from "~/server/logger.server";

/**
 * Who is calling the CDS Hooks service: every call carries `Authorization: Bearer <JWT>`, signed
 * with an asymmetric key of an EHR an administrator trusts (https://cds-hooks.hl7.org/2.0/#trusting-cds-clients).
 * Session cookies are never read on these paths. Decision 013.
 */

/** Asymmetric algorithms only: "none" and HMAC are refused by the specification (2.0 §JWT Signing Algorithm). */
export const ACCEPTED_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];
/** The specification's example tokens live five minutes; a longer one is refused. */
export const MAX_TOKEN_LIFETIME_SECONDS = 300;
/** Clocks of two hospitals' servers differ a little. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** An EHR waits about a second for the whole call: a key set must come back well within it. */
export const JWKS_TIMEOUT_MS = 1500;

export type RefusalReason =
  | "missing-token"
  | "malformed-token"
  | "unsigned-or-symmetric"
  | "missing-kid"
  | "unknown-issuer"
  | "untrusted-jku"
  | "unknown-key"
  | "bad-signature"
  | "expired"
  | "expiry-too-far"
  | "issued-in-future"
  | "wrong-audience"
  | "missing-claim"
  | "replayed"
  | "keys-unavailable";

export interface CdsCaller {
  issuer: TrustedIssuer;
  jti: string;
}

class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly iss?: string,
  ) {
    super(reason);
  }
}

// One key-set getter per issuer version: jose caches the remote set and refetches on an unknown kid
// (after a cooldown), and an edited issuer gets a fresh getter.
const keySets = new Map<string, { version: number; getKey: JWTVerifyGetKey }>();

function keySetOf(issuer: TrustedIssuer): JWTVerifyGetKey {
  const cached = keySets.get(issuer.id);
  if (cached?.version === issuer.version) return cached.getKey;
  const getKey = issuer.jwksUrl
    ? createRemoteJWKSet(new URL(issuer.jwksUrl), {
        timeoutDuration: JWKS_TIMEOUT_MS,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      })
    : createLocalJWKSet(issuer.jwks as JSONWebKeySet);
  keySets.set(issuer.id, { version: issuer.version, getKey });
  return getKey;
}

/** The URL the EHR must name as `aud`: this endpoint at PainPath's public origin. */
export function expectedAudience(request: Request): string {
  const url = new URL(request.url);
  const origin = getEnv().APP_ORIGIN ? new URL(getEnv().APP_ORIGIN as string).origin : url.origin;
  return `${origin}${url.pathname}`;
}

export function publicOrigin(request: Request): string {
  return new URL(expectedAudience(request)).origin;
}

async function verify(request: Request, now: Date): Promise<CdsCaller> {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header.trim());
  if (!match?.[1]) throw new Refusal("missing-token");
  const token = match[1];

  let protectedHeader: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    protectedHeader = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw new Refusal("malformed-token");
  }
  const iss = typeof claims.iss === "string" ? claims.iss : undefined;
  if (!protectedHeader.alg || !ACCEPTED_ALGORITHMS.includes(protectedHeader.alg)) {
    throw new Refusal("unsigned-or-symmetric", iss);
  }
  if (!protectedHeader.kid) throw new Refusal("missing-kid", iss);
  if (!iss) throw new Refusal("missing-claim");
  const issuer = await findTrustedIssuer(iss);
  if (!issuer) throw new Refusal("unknown-issuer", iss);
  // The key set comes from what the administrator configured, never from the token: a `jku`
  // other than the configured address would let anyone sign with keys of their own.
  if (protectedHeader.jku !== undefined && protectedHeader.jku !== issuer.jwksUrl) {
    throw new Refusal("untrusted-jku", iss);
  }

  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(token, keySetOf(issuer), {
      algorithms: ACCEPTED_ALGORITHMS,
      issuer: issuer.issuer,
      audience: expectedAudience(request),
      requiredClaims: ["iss", "aud", "exp", "iat", "jti"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    }));
  } catch (error) {
    throw new Refusal(refusalOf(error), iss);
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const exp = payload.exp as number;
  if (exp - nowSeconds > MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) throw new Refusal("expiry-too-far", iss);
  if ((payload.iat as number) > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw new Refusal("issued-in-future", iss);
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > 255) throw new Refusal("missing-claim", iss);
  if (!(await takeTokenId(issuer.issuer, jti, new Date((exp + CLOCK_TOLERANCE_SECONDS) * 1000)))) {
    throw new Refusal("replayed", iss);
  }
  return { issuer, jti };
}

function refusalOf(error: unknown): RefusalReason {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return "wrong-audience";
    if (error.reason === "missing") return "missing-claim";
    return error.claim === "iat" ? "issued-in-future" : "missing-claim";
  }
  if (error instanceof errors.JWKSNoMatchingKey) return "unknown-key";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad-signature";
  if (error instanceof errors.JOSEAlgNotAllowed) return "unsigned-or-symmetric";
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return "keys-unavailable";
  if (error instanceof errors.JOSEError) return "malformed-token";
  // A key set that could not be fetched at all (connection refused, DNS).
  return "keys-unavailable";
}

/** About one call in fifty also clears expired token ids: enough to keep the table at minutes of traffic. */
const PURGE_EVERY = 50;
let callsSincePurge = 0;

/**
 * The verified caller, or a thrown 401 (503 when the issuer's keys cannot be fetched), audited,
 * with the reason in the audit row and the log line and nothing of the request's content.
 */
export async function requireCdsCaller(request: Request, context: AppLoadContext): Promise<CdsCaller> {
  const now = new Date();
  try {
    const caller = await verify(request, now);
    if (++callsSincePurge >= PURGE_EVERY) {
      callsSincePurge = 0;
      await purgeExpiredTokenIds(now);
    }
    return caller;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const status = error.reason === "keys-unavailable" ? 503 : 401;
    logger.warn({ requestId: context.requestId, reason: error.reason }, "CDS Hooks call refused");
    await recordAudit(context, {
      action: "cds.refused",
      outcome: "denied",
      // The `iss` of a refused token is the caller's own text: kept short.
      detail: { reason: error.reason, issuer: error.iss?.slice(0, 200) ?? null, path: new URL(request.url).pathname },
    });
    throw Response.json(
      { error: status === 401 ? "The bearer token was refused." : "The issuer's keys cannot be fetched now." },
      { status, headers: status === 401 ? { "WWW-Authenticate": 'Bearer error="invalid_token"' } : {} },
    );
  }
}
