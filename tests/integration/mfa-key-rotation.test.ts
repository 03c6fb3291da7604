// Rotating MFA_ENCRYPTION_KEY: `npm run mfa:rekey` run as an operator would, then the app started
// with the new key (and the old one as MFA_ENCRYPTION_KEY_PREVIOUS) is imported afresh.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { regenerateRecoveryCodes } from "~/models/mfa.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { deriveKey, open } from "~/server/secret-box.server";
import { createUser, enrolTotp, makeContext } from "../helpers/fixtures";
import { totpCodeAt } from "../helpers/totp";

function rekeyCommand(keys: { current: string; previous: string }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "mfa:rekey"], {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "development",
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        MFA_ENCRYPTION_KEY: keys.current,
        MFA_ENCRYPTION_KEY_PREVIOUS: keys.previous,
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

/** The MFA model as an app instance started with these keys would load it. */
async function mfaModelWith(current: string, previous?: string) {
  vi.resetModules();
  vi.stubEnv("MFA_ENCRYPTION_KEY", current);
  vi.stubEnv("MFA_ENCRYPTION_KEY_PREVIOUS", previous);
  const model = await import("~/models/mfa.server");
  const { getDb: rotatedDb } = await import("~/server/db.server");
  return { model, close: () => rotatedDb().$disconnect() };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe("rotating the MFA key", () => {
  it("re-seals authenticator secrets, keeps old recovery codes while the previous key is set, and audits it", async () => {
    const nurse = await createUser("NURSE");
    const secret = await enrolTotp(nurse.id);
    const actor = { id: nurse.id, role: nurse.role };
    const [oldCode, laterCode] = (await regenerateRecoveryCodes(makeContext(), actor)) as [string, string];
    const oldKey = getEnv().mfaEncryptionKey;
    const newKey = randomBytes(32).toString("base64url");

    const first = await rekeyCommand({ current: newKey, previous: oldKey });
    expect(first.output).toContain("1 re-sealed under the current key, 0 already under it");
    expect(first.code).toBe(0);
    const { secretSealed } = await getDb().totpFactor.findUniqueOrThrow({ where: { userId: nurse.id } });
    expect(() => open(deriveKey(oldKey), secretSealed, nurse.id)).toThrow();
    expect(open(deriveKey(newKey), secretSealed, nurse.id)).toBe(secret);
    expect(await getDb().auditEvent.count({ where: { action: "mfa.secrets_resealed" } })).toBe(1);

    const again = await rekeyCommand({ current: newKey, previous: oldKey });
    expect(again.output).toContain("0 re-sealed under the current key, 1 already under it");

    const now = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 15_000);
    vi.useFakeTimers({ toFake: ["Date"], now });
    const rotating = await mfaModelWith(newKey, oldKey);
    try {
      expect(await rotating.model.verifyTotpCode(nurse.id, totpCodeAt(secret, now), now)).toBe(true);
      expect(await rotating.model.spendRecoveryCode(nurse.id, oldCode, now)).toBe(true);
    } finally {
      await rotating.close();
    }

    // Once the previous key is removed, codes hashed under it no longer work.
    const rotated = await mfaModelWith(newKey);
    try {
      expect(await rotated.model.spendRecoveryCode(nurse.id, laterCode, now)).toBe(false);
    } finally {
      await rotated.close();
    }
  }, 60_000); // Two runs of the real command, each starting tsx: seconds apiece on a busy machine.
});
