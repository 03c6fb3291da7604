import { sql, type Compilable, type SelectQueryBuilder } from "kysely";
import type { Db, Tx } from "~/server/db.server";
import { firstRow, qb } from "~/server/query-builder.server";

/** Long lists are counted only this far: an exact count of a long list costs more than its page. */
export const COUNT_CAP = 1000;

export interface CappedCount {
  /** The number of rows, at most COUNT_CAP. */
  total: number;
  /** There are more than COUNT_CAP rows. */
  moreThanCap: boolean;
}

/** Counts the rows `from` selects (its FROM and WHERE; its select list is replaced), stopping one past COUNT_CAP. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any FROM … WHERE over the schema's tables
export function cappedCountQuery(from: SelectQueryBuilder<any, any, object>) {
  const capped = from
    .clearSelect()
    .select(sql.lit(1).as("one"))
    .limit(COUNT_CAP + 1)
    .as("capped");
  return qb.selectFrom(capped).select(sql<number>`count(*)::int`.as("total"));
}

/** Runs a cappedCountQuery (built here or prepared by the caller). */
export async function readCappedCount(db: Db | Tx, query: Compilable<{ total: number }>): Promise<CappedCount> {
  const row = await firstRow(db, query);
  const total = row?.total ?? 0;
  return { total: Math.min(total, COUNT_CAP), moreThanCap: total > COUNT_CAP };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any FROM … WHERE over the schema's tables
export function cappedCount(db: Db | Tx, from: SelectQueryBuilder<any, any, object>): Promise<CappedCount> {
  return readCappedCount(db, cappedCountQuery(from));
}
