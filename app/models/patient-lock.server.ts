import type { Tx } from "~/server/db.server";

/**
 * Locks patient rows until the transaction ends, in id order (so two lockers never deadlock), and
 * returns the ids found. Every write to a patient's record, evaluations or flags takes this lock
 * first: writes for one patient queue here instead of overwriting each other.
 */
export async function lockPatients(tx: Tx, patientIds: string[]): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Patient" WHERE id = ANY(${patientIds}::uuid[]) ORDER BY id FOR UPDATE`;
  return rows.map((row) => row.id);
}
