import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/** The key `prisma migrate deploy` locks, so this runner and Prisma's never migrate at once. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export class MigrationError extends Error {}

export interface MigrationResult {
  applied: string[];
}

/**
 * Applies pending Prisma-layout migrations the way `prisma migrate deploy` does (same
 * `_prisma_migrations` rows, same lock), without Prisma's schema engine, which cannot be
 * downloaded offline. Unlike Prisma, each migration runs with its bookkeeping row in one
 * transaction, so a failing file leaves no trace and can simply be fixed and re-run.
 */
export async function applyMigrations(
  connectionString: string,
  migrationsDir: string,
  log: (message: string) => void = () => {},
): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      return await applyPending(client, migrationsDir, log);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** The migration folders not yet applied to the database; commands that do not migrate check this first. */
export async function pendingMigrations(connectionString: string, migrationsDir: string): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ tracked: boolean }>(
      `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS tracked`,
    );
    return rows[0]?.tracked ? await pendingNames(client, migrationsDir) : await listMigrationFolders(migrationsDir);
  } finally {
    await client.end();
  }
}

async function pendingNames(client: pg.Client, migrationsDir: string): Promise<string[]> {
  const done = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations WHERE rolled_back_at IS NULL`,
  );
  const appliedNames = new Set(done.rows.map((row) => row.migration_name));
  return (await listMigrationFolders(migrationsDir)).filter((name) => !appliedNames.has(name));
}

async function applyPending(client: pg.Client, migrationsDir: string, log: (message: string) => void) {
  await ensureMigrationsTable(client);

  const unfinished = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL`,
  );
  if (unfinished.rows.length > 0) {
    const names = unfinished.rows.map((row) => row.migration_name).join(", ");
    throw new MigrationError(
      `Migration ${names} failed earlier (recorded by prisma migrate). Resolve it with \`prisma migrate resolve\` first.`,
    );
  }

  const pending = await pendingNames(client, migrationsDir);

  for (const name of pending) {
    const file = path.join(migrationsDir, name, "migration.sql");
    const script = await readFile(file, "utf8");
    const checksum = createHash("sha256").update(script).digest("hex");
    const id = randomUUID();
    try {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
        [id, checksum, name],
      );
      await client.query(script);
      await client.query(
        `UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = now() WHERE id = $1`,
        [id],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`Migration ${file} failed and was rolled back: ${reason}`);
    }
    log(`Applied migration ${name}`);
  }
  return { applied: pending };
}

async function ensureMigrationsTable(client: pg.Client) {
  const existing = await client.query<{
    has_migrations: boolean;
    other_tables: number;
  }>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS has_migrations,
            (SELECT count(*)::int FROM pg_tables WHERE schemaname = current_schema()) AS other_tables`,
  );
  const state = existing.rows[0];
  if (state?.has_migrations) return;
  if (state && state.other_tables > 0) {
    // Prisma's P3005: never migrate a database that something else already owns.
    throw new MigrationError(
      "The database schema is not empty and has no _prisma_migrations table: refusing to migrate it.",
    );
  }
  await client.query(`CREATE TABLE _prisma_migrations (
    id                  VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum            VARCHAR(64) NOT NULL,
    finished_at         TIMESTAMPTZ,
    migration_name      VARCHAR(255) NOT NULL,
    logs                TEXT,
    rolled_back_at      TIMESTAMPTZ,
    started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count INTEGER NOT NULL DEFAULT 0
  )`);
}

async function listMigrationFolders(migrationsDir: string): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
