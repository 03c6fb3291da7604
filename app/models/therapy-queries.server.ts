import { sql } from "kysely";
import { toIsoDate } from "~/domain/iso-date";
import { getDb } from "~/server/db.server";
import { qb } from "~/server/query-builder.server";

/**
 * How many active, valid therapy trials the outer row's patient or diagnosis has (`outerId`, the
 * outer query's id column), as a correlated subquery for a list's select.
 */
export function activeTherapyCount(by: "patientId" | "diagnosisId", outerId: "p.id" | "d.id") {
  return qb
    .selectFrom("TherapyTrial as t")
    .select(sql<number>`count(*)::int`.as("count"))
    .where(`t.${by}`, "=", sql.ref<string>(outerId))
    .where("t.status", "=", sql.lit("ACTIVE"))
    .where("t.enteredInErrorAt", "is", null);
}

/** The patient's active, valid therapy trials, for the forms that list them. */
export async function listActiveTherapies(patientId: string) {
  const therapies = await getDb().therapyTrial.findMany({
    where: { patientId, status: "ACTIVE", enteredInErrorAt: null },
    select: { id: true, modality: true, drug: true, dose: true, doseUnit: true, frequency: true, startDate: true },
    orderBy: { startDate: "asc" },
  });
  return therapies.map((therapy) => ({ ...therapy, startDate: toIsoDate(therapy.startDate) }));
}
