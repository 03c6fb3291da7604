import { Prisma } from "~/generated/prisma/client";

// Fragments for statements that build their result as JSON in PostgreSQL, so what arrives is
// already what the pages and the engine read.

/** `alias.column` or `alias."camelCaseColumn"`: raw SQL, so nothing else may reach it. */
const QUALIFIED_COLUMN = /^[a-z]\.(?:[a-z]+|"[A-Za-z]+")$/;

function column(name: string): string {
  if (!QUALIFIED_COLUMN.test(name)) throw new Error(`Not a qualified column name: ${name}`);
  return name;
}

/** A timestamptz column as ISO 8601 UTC with milliseconds, as Date.prototype.toISOString writes it. */
export function isoTimestamp(name: string): Prisma.Sql {
  return Prisma.raw(`to_char(${column(name)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}

/** The UTC calendar day of a timestamptz column, as YYYY-MM-DD. */
export function utcDay(name: string): Prisma.Sql {
  return Prisma.raw(`to_char(${column(name)} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`);
}
