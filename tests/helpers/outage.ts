import pg from "pg";
import { inject } from "vitest";

/**
 * Runs `work` while this test file's database is out of reach: PostgreSQL refuses new connections
 * to it and ends the open ones (a real outage for the app, while the server keeps running for the
 * other test files). Connections are allowed again afterwards, whatever `work` did.
 */
export async function whileDatabaseUnreachable<T>(work: () => Promise<T>): Promise<T> {
  const name = new URL(process.env.DATABASE_URL as string).pathname.slice(1);
  const admin = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    return await work();
  } finally {
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} ALLOW_CONNECTIONS true`);
    await admin.end();
  }
}
