import { Prisma } from "~/generated/prisma/client";

// Fragments for statements that build their result as JSON in PostgreSQL, so what arrives is
// already what the pages and the engine read. Column names only: never user input.

/** A timestamptz column as ISO 8601 UTC with milliseconds, as Date.prototype.toISOString writes it. */
export function isoTimestamp(column: string): Prisma.Sql {
  return Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

/** The UTC calendar day of a timestamptz column, as YYYY-MM-DD. */
export function utcDay(column: string): Prisma.Sql {
  return Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`);
}
