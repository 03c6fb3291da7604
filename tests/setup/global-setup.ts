import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startThrowawayPostgres, type EmbeddedDatabase } from "~/server/embedded-postgres.server";
import { applyMigrations } from "~/server/migrations.server";

declare module "vitest" {
  export interface ProvidedContext {
    /** A connection URL to the test server's maintenance database (`postgres`). */
    adminDatabaseUrl: string;
    /** The migrated database each test file clones its own database from. */
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL for the whole run: embedded in a temporary folder, or the server DATABASE_URL
 * names. Migrations are applied once to a template database; every test file then gets a fresh
 * copy, so runs never touch the demo data or each other.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = "/postgres";
    adminUrl = url.toString();
  } else {
    embedded = await startThrowawayPostgres();
    adminUrl = embedded.url;
  }

  const template = `painpath_test_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await applyMigrations(databaseUrl(adminUrl, template), "prisma/migrations");

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", template);

  return async () => {
    if (embedded) {
      await admin.end();
      await embedded.stop();
      return;
    }
    // An external server keeps running: remove every database this run created.
    const created = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${template}%`,
    ]);
    for (const { datname } of created.rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    await admin.end();
  };
}

export function databaseUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
