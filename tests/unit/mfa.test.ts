import { describe, expect, it } from "vitest";
import {
  enrolmentDeadline,
  formatRecoveryCode,
  isRecentSecondFactor,
  mfaPolicySchema,
  mfaStanding,
  normaliseRecoveryCode,
  policyFromForm,
  verifyFactorSchema,
} from "~/domain/mfa";
import { deriveKey, open, seal } from "~/server/secret-box.server";
import { matchTotpStep, newRecoveryCodes, newTotpSecret } from "~/server/totp.server";
import { totpCodeAt } from "../helpers/totp";

const day = 86_400_000;
const start = new Date("2026-03-01T08:00:00Z");

describe("MFA policy", () => {
  const rule = { role: "ADMIN" as const, required: true, graceDays: 7, requiredSince: start };

  it("counts the grace period from the later of the rule's start and the account's creation", () => {
    expect(enrolmentDeadline(rule, new Date(start.getTime() - 100 * day))).toEqual(new Date(start.getTime() + 7 * day));
    const created = new Date(start.getTime() + 3 * day);
    expect(enrolmentDeadline(rule, created)).toEqual(new Date(created.getTime() + 7 * day));
    expect(enrolmentDeadline({ ...rule, required: false }, created)).toBeNull();
  });

  it("sends a user without a factor to enrolment only once the deadline has passed", () => {
    const deadline = new Date(start.getTime() + 7 * day);
    expect(mfaStanding({ hasFactor: false, deadline, now: new Date(deadline.getTime() - 1) })).toEqual({
      status: "grace",
      deadline,
    });
    expect(mfaStanding({ hasFactor: false, deadline, now: deadline })).toEqual({ status: "must-enrol" });
    expect(mfaStanding({ hasFactor: true, deadline, now: deadline })).toEqual({ status: "enrolled" });
    expect(mfaStanding({ hasFactor: false, deadline: null, now: deadline })).toEqual({ status: "optional" });
  });

  it("reads the administrator's form, refusing grace periods out of range", () => {
    const form = {
      "PHYSICIAN-graceDays": "14",
      "NURSE-required": "on",
      "NURSE-graceDays": "0",
      "ADMIN-required": "on",
      "ADMIN-graceDays": "7",
    };
    const parsed = mfaPolicySchema.parse(form);
    expect(policyFromForm(parsed)).toEqual([
      { role: "PHYSICIAN", required: false, graceDays: 14 },
      { role: "NURSE", required: true, graceDays: 0 },
      { role: "ADMIN", required: true, graceDays: 7 },
    ]);
    expect(mfaPolicySchema.safeParse({ ...form, "NURSE-graceDays": "91" }).success).toBe(false);
    expect(mfaPolicySchema.safeParse({ ...form, "NURSE-graceDays": "1.5" }).success).toBe(false);
  });
});

describe("step-up freshness", () => {
  it("holds for the configured minutes after a verification, not before one", () => {
    expect(isRecentSecondFactor(start, new Date(start.getTime() + 9 * 60_000), 10)).toBe(true);
    expect(isRecentSecondFactor(start, new Date(start.getTime() + 10 * 60_000), 10)).toBe(false);
    expect(isRecentSecondFactor(null, start, 10)).toBe(false);
    expect(isRecentSecondFactor(new Date(start.getTime() + 5 * 60_000), start, 10)).toBe(false);
  });
});

describe("second-factor forms", () => {
  it("accepts a 6-digit code with spaces and refuses anything else", () => {
    expect(verifyFactorSchema.parse({ intent: "totp", code: "123 456" })).toEqual({ intent: "totp", code: "123456" });
    expect(verifyFactorSchema.safeParse({ intent: "totp", code: "12345" }).success).toBe(false);
    expect(verifyFactorSchema.safeParse({ intent: "totp", code: "12345a" }).success).toBe(false);
  });

  it("normalises recovery codes as typed", () => {
    expect(normaliseRecoveryCode(" ABCDE-fghjk ")).toBe("abcdefghjk");
    expect(formatRecoveryCode("abcdefghjk")).toBe("abcde-fghjk");
    expect(verifyFactorSchema.safeParse({ intent: "recovery", recoveryCode: "abcde-fghj0" }).success).toBe(false);
    expect(verifyFactorSchema.safeParse({ intent: "passkey", credential: "{not json" }).success).toBe(false);
  });

  it("draws recovery codes from the alphabet, all different", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(verifyFactorSchema.safeParse({ intent: "recovery", recoveryCode: code }).success).toBe(true);
    }
  });
});

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC's SHA-1 test vector", () => {
    // RFC 6238 Appendix B: secret "12345678901234567890", T = 59 s gives 94287082 (8 digits); 6 digits: 287082.
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(matchTotpStep(secret, "287082", new Date(59_000))).toBe(1);
  });

  it("accepts one step either side and names the step, refusing two away", () => {
    const secret = newTotpSecret();
    const now = new Date(Math.floor(start.getTime() / 30_000) * 30_000 + 10_000);
    const step = Math.floor(now.getTime() / 30_000);
    expect(matchTotpStep(secret, totpCodeAt(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCodeAt(secret, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCodeAt(secret, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
    expect(matchTotpStep(secret, totpCodeAt(secret, new Date(now.getTime() - 60_000)), now)).toBeNull();
  });
});

describe("secret box (AES-256-GCM)", () => {
  const key = deriveKey("k".repeat(32));

  it("opens what it sealed, for the same owner only", () => {
    const sealed = seal(key, "JBSWY3DPEHPK3PXP", "user-1");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(open(key, sealed, "user-1")).toBe("JBSWY3DPEHPK3PXP");
    expect(() => open(key, sealed, "user-2")).toThrow();
    expect(() => open(deriveKey("x".repeat(32)), sealed, "user-1")).toThrow();
    expect(seal(key, "same", "user-1")).not.toBe(seal(key, "same", "user-1"));
  });

  it("refuses a changed ciphertext", () => {
    const sealed = seal(key, "JBSWY3DPEHPK3PXP", "user-1");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3] as string, "base64url");
    body[0] = (body[0] as number) ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => open(key, parts.join("."), "user-1")).toThrow();
  });
});
