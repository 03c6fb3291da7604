import { createHash, randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { RECOVERY_CODE_ALPHABET, RECOVERY_CODE_COUNT } from "~/domain/mfa";

/** RFC 6238 defaults, which every authenticator app supports: SHA-1, 6 digits, 30 s steps. */
const PERIOD_SECONDS = 30;
/** One step either side of now: a phone clock up to 30 s off still works (RFC 6238 §5.2). */
const WINDOW = 1;

function totpFor(secretBase32: string, label = "") {
  return new TOTP({
    issuer: "PainPath",
    label,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits), base32 as apps expect it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export async function totpEnrolment(secretBase32: string, accountLabel: string) {
  const uri = totpFor(secretBase32, accountLabel).toString();
  // Rendered on the server: the secret never goes to a third-party QR service.
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { uri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString("base64")}` };
}

/** The time step a valid code belongs to, or null. The caller refuses a step already used (replay). */
export function matchTotpStep(secretBase32: string, code: string, now: Date): number | null {
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

export function recoveryCodeHash(normalisedCode: string): string {
  return createHash("sha256").update(normalisedCode).digest("hex");
}

/** Ten codes of 10 characters from a 31-letter alphabet: about 49 bits each, drawn uniformly. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: 10 }, () => RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)]).join(""),
  );
}
