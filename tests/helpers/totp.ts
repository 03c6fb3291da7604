import { Secret, TOTP } from "otpauth";

/** The code an authenticator app would show for the secret at `at`. */
export function totpCodeAt(secret: string, at: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at.getTime() });
}
