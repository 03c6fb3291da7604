import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { applyMigrations, MigrationError } from "~/server/migrations.server";
import { databaseUrl } from "../setup/global-setup";

const adminUrl = inject("adminDatabaseUrl");
const clients: pg.Client[] = [];

async function emptyDatabase(): Promise<string> {
  const name = `${inject("templateDatabase")}_empty_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return databaseUrl(adminUrl, name);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  clients.push(client);
  await client.connect();
  const result = await client.query<T>(sql);
  await client.end();
  return result.rows;
}

afterAll(async () => {
  await Promise.all(clients.map((client) => client.end().catch(() => {})));
});

describe("the migration runner", () => {
  it("writes the same _prisma_migrations rows as prisma migrate deploy, and a second run is a no-op", async () => {
    const url = await emptyDatabase();
    const first = await applyMigrations(url, "prisma/migrations");
    expect(first.applied.length).toBeGreaterThan(0);

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      logs: string | null;
    }>(
      url,
      `SELECT migration_name, checksum, finished_at, applied_steps_count, logs FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(first.applied);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
    }

    const second = await applyMigrations(url, "prisma/migrations");
    expect(second.applied).toEqual([]);
  });

  it("lets only one of two concurrent runners apply each migration", async () => {
    const url = await emptyDatabase();
    const [a, b] = await Promise.all([
      applyMigrations(url, "prisma/migrations"),
      applyMigrations(url, "prisma/migrations"),
    ]);
    expect([...a.applied, ...b.applied].sort()).toEqual((a.applied.length ? a : b).applied);
    expect(a.applied.length === 0 || b.applied.length === 0).toBe(true);
    const [{ count }] = (await query<{ count: number }>(
      url,
      `SELECT count(*)::int AS count FROM _prisma_migrations`,
    )) as [{ count: number }];
    expect(count).toBe(Math.max(a.applied.length, b.applied.length));
  });

  it("rolls a failing migration back completely and names the file", async () => {
    const url = await emptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "painpath-migrations-"));
    await cp("prisma/migrations", dir, { recursive: true });
    const broken = path.join(dir, "99990101000000_broken");
    await mkdir(broken);
    await writeFile(
      path.join(broken, "migration.sql"),
      `CREATE TABLE "Half" (id int);\nALTER TABLE "NoSuchTable" ADD COLUMN x int;\n`,
    );

    const failure = await applyMigrations(url, dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toContain(path.join(broken, "migration.sql"));
    expect((failure as Error).message).toContain(`relation "NoSuchTable" does not exist`);

    const tables = await query<{ exists: boolean }>(url, `SELECT to_regclass('"Half"') IS NOT NULL AS exists`);
    expect(tables[0]?.exists).toBe(false);
    const recorded = await query<{ migration_name: string }>(url, `SELECT migration_name FROM _prisma_migrations`);
    expect(recorded.map((row) => row.migration_name)).not.toContain("99990101000000_broken");
  });

  it("refuses a database that already holds tables it did not create", async () => {
    const url = await emptyDatabase();
    await query(url, `CREATE TABLE someone_elses (id int)`);
    await expect(applyMigrations(url, "prisma/migrations")).rejects.toThrow(/not empty and has no _prisma_migrations/);
  });
});
