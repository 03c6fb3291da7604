import * as z from "zod";

const DEV_SESSION_SECRET = "painpath-development-secret-not-for-production";
const DEV_AUDIT_CHAIN_KEY = "painpath-development-audit-key-not-for-production";
const DEV_MFA_ENCRYPTION_KEY = "painpath-development-mfa-key-not-for-production";

const booleanFlag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    EMBEDDED_DATABASE_DIR: z.string().min(1).default(".data/postgres"),
    EMBEDDED_DATABASE_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
    // Loopback outside production: development runs with demo passwords.
    HOST: z.string().min(1).optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    APP_ORIGIN: z.url().optional(),
    TRUST_PROXY: z.string().optional(),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 7)
      .default(12),
    SEED_DEMO_DATA: booleanFlag.optional(),
    // The audit chain's HMAC key: kept off the database host, so database access alone cannot re-seal.
    AUDIT_CHAIN_KEY: z.string().min(32, "must be at least 32 characters").optional(),
    AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
    // Encrypts TOTP secrets at rest (AES-256-GCM): a copy of the database alone cannot mint codes.
    MFA_ENCRYPTION_KEY: z.string().min(32, "must be at least 32 characters").optional(),
    // The key being rotated out: still opens secrets and recovery codes until `npm run mfa:rekey` has run.
    MFA_ENCRYPTION_KEY_PREVIOUS: z.string().min(32, "must be at least 32 characters").optional(),
    // How long a verified second factor counts as fresh for a step-up (rule activation, role change, audit export).
    STEP_UP_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
    CLINIC_TIME_ZONE: z
      .string()
      .refine(
        (zone) => Intl.supportedValuesOf("timeZone").includes(zone) || zone === "UTC",
        "must be an IANA time zone",
      )
      .default("UTC"),
    FOLLOW_UP_INTERVAL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    // The facility's MRN identifier system in FHIR exports (Patient.identifier.system, type MR).
    FHIR_MRN_SYSTEM: z
      .string()
      .regex(/^(https?:|urn:)\S+$/, "must be an absolute URI")
      .default("urn:painpath:mrn"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .transform((env) => ({
    ...env,
    HOST: env.HOST ?? (env.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1"),
    isProduction: env.NODE_ENV === "production",
    sessionSecret: env.SESSION_SECRET ?? DEV_SESSION_SECRET,
    auditChainKey: env.AUDIT_CHAIN_KEY ?? DEV_AUDIT_CHAIN_KEY,
    mfaEncryptionKey: env.MFA_ENCRYPTION_KEY ?? DEV_MFA_ENCRYPTION_KEY,
    mfaPreviousKey: env.MFA_ENCRYPTION_KEY_PREVIOUS,
    seedDemoData: env.SEED_DEMO_DATA ?? env.NODE_ENV === "development",
  }));

export type Env = z.infer<typeof envSchema>;

export class InvalidEnvironmentError extends Error {}

/** Validates the environment; the message names every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  const problems = [
    ...(result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) ?? []),
    ...productionProblems(source),
  ];
  if (result.success && problems.length === 0) return result.data;
  throw new InvalidEnvironmentError(
    `Invalid environment configuration:\n${problems.map((line) => `  ${line}`).join("\n")}`,
  );
}

/** Rules that only hold in production; checked even when other variables are already wrong. */
function productionProblems(source: Record<string, string | undefined>): string[] {
  if (source.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (!source.SESSION_SECRET) problems.push("SESSION_SECRET: is required in production");
  if (!source.AUDIT_CHAIN_KEY) problems.push("AUDIT_CHAIN_KEY: is required in production");
  if (!source.MFA_ENCRYPTION_KEY) problems.push("MFA_ENCRYPTION_KEY: is required in production");
  if (source.SEED_DEMO_DATA === "true" || source.SEED_DEMO_DATA === "1") {
    problems.push("SEED_DEMO_DATA: demo data is refused in production");
  }
  return problems;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
