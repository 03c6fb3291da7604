import type { Prisma } from "~/generated/prisma/client";
import type { Db, Tx } from "~/server/db.server";

/** Long lists are counted only this far: an exact count of a long list costs more than its page. */
export const COUNT_CAP = 1000;

export interface CappedCount {
  /** The number of rows, at most COUNT_CAP. */
  total: number;
  /** There are more than COUNT_CAP rows. */
  moreThanCap: boolean;
}

/** Counts the rows of `fromWhere` (a FROM … WHERE … clause), stopping one past COUNT_CAP. */
export async function cappedCount(db: Db | Tx, fromWhere: Prisma.Sql): Promise<CappedCount> {
  const [row] = await db.$queryRaw<Array<{ total: number }>>`
    SELECT count(*)::int AS total FROM (SELECT 1 ${fromWhere} LIMIT ${COUNT_CAP + 1}) AS capped`;
  const total = row?.total ?? 0;
  return { total: Math.min(total, COUNT_CAP), moreThanCap: total > COUNT_CAP };
}
