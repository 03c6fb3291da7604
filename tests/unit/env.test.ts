import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "~/server/env.server";

describe("parseEnv", () => {
  it("fills in development defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      SESSION_IDLE_MINUTES: 15,
      SESSION_ABSOLUTE_HOURS: 12,
      seedDemoData: true,
      isProduction: false,
    });
  });

  it("does not seed demo data in tests or production unless asked", () => {
    expect(parseEnv({ NODE_ENV: "test" }).seedDemoData).toBe(false);
    expect(
      parseEnv({
        NODE_ENV: "production",
        SESSION_SECRET: "s".repeat(32),
        AUDIT_CHAIN_KEY: "k".repeat(32),
        MFA_ENCRYPTION_KEY: "m".repeat(32),
      }).seedDemoData,
    ).toBe(false);
  });

  it.each([
    [{ PORT: "http" }, "PORT:"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL: must be a postgres:// or postgresql:// URL"],
    [{ SESSION_IDLE_MINUTES: "0" }, "SESSION_IDLE_MINUTES:"],
    [{ APP_ORIGIN: "not a url" }, "APP_ORIGIN:"],
    [{ NODE_ENV: "production" }, "SESSION_SECRET: is required in production"],
    [{ NODE_ENV: "production" }, "AUDIT_CHAIN_KEY: is required in production"],
    [{ AUDIT_CHAIN_KEY: "short" }, "AUDIT_CHAIN_KEY: must be at least 32 characters"],
    [{ NODE_ENV: "production" }, "MFA_ENCRYPTION_KEY: is required in production"],
    [{ MFA_ENCRYPTION_KEY: "short" }, "MFA_ENCRYPTION_KEY: must be at least 32 characters"],
    [{ STEP_UP_MINUTES: "0" }, "STEP_UP_MINUTES:"],
  ])("names the bad variable in %j", (source, message) => {
    expect(() => parseEnv(source)).toThrow(InvalidEnvironmentError);
    expect(() => parseEnv(source)).toThrow(message);
  });
});
