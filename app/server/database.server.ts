import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded-postgres.server";
import type { Env } from "./env.server";

export interface OpenDatabase {
  url: string;
  /** Set when this process started the embedded server: stop it before exiting. */
  embedded?: EmbeddedDatabase;
  /** Host, port and database name, never the password. */
  description: string;
}

/**
 * DATABASE_URL when set; otherwise the embedded development PostgreSQL (data in
 * EMBEDDED_DATABASE_DIR, kept between runs), using the named database on it.
 */
export async function openDatabase(env: Env, database = "painpath"): Promise<OpenDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, description: describeDatabase(env.DATABASE_URL) };
  const embedded = await startEmbeddedPostgres({
    dataDir: env.EMBEDDED_DATABASE_DIR,
    port: env.EMBEDDED_DATABASE_PORT,
    database,
    persistent: true,
  });
  return {
    url: embedded.url,
    embedded,
    description: `embedded PostgreSQL in ${env.EMBEDDED_DATABASE_DIR}, database ${database}`,
  };
}

/** Host (or Unix socket directory), port and database name only: never the password. */
export function describeDatabase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Some forms libpq accepts (an empty host before a socket path) are not URLs; say nothing of it.
    return "the database of DATABASE_URL";
  }
  const host = parsed.searchParams.get("host") || parsed.hostname || "localhost";
  const port = parsed.searchParams.get("port") || parsed.port || "5432";
  return `${host.startsWith("/") ? `Unix socket ${host}` : host}:${port}${parsed.pathname}`;
}
