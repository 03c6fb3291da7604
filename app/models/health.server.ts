import { getDb } from "~/server/db.server";

/** Resolves when this instance can run a query; rejects with the driver's error otherwise. */
export async function checkDatabase(): Promise<void> {
  await getDb().$queryRaw`SELECT 1`;
}
