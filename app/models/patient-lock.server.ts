import type { Tx } from "~/server/db.server";
import { anyUuid, prepared, qb, rows } from "~/server/query-builder.server";

// Compiled once: every clinical write takes the lock (prepared() says why).
const lockQuery = prepared((patientIds: string[]) =>
  qb.selectFrom("Patient").select("id").where("id", "=", anyUuid(patientIds)).orderBy("id").forUpdate(),
);

/**
 * Locks patient rows until the transaction ends, in id order (so two lockers never deadlock), and
 * returns the ids found. Every write to a patient's record, evaluations or flags takes this lock
 * first: writes for one patient queue here instead of overwriting each other.
 */
export async function lockPatients(tx: Tx, patientIds: string[]): Promise<string[]> {
  const locked = await rows(tx, lockQuery(patientIds));
  return locked.map((row) => row.id);
}
