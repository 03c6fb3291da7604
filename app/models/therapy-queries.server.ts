import { toIsoDate } from "~/domain/iso-date";
import { getDb } from "~/server/db.server";

/** The patient's active, valid therapy trials, for the forms that list them. */
export async function listActiveTherapies(patientId: string) {
  const therapies = await getDb().therapyTrial.findMany({
    where: { patientId, status: "ACTIVE", enteredInErrorAt: null },
    select: { id: true, modality: true, drug: true, dose: true, doseUnit: true, frequency: true, startDate: true },
    orderBy: { startDate: "asc" },
  });
  return therapies.map((therapy) => ({ ...therapy, startDate: toIsoDate(therapy.startDate) }));
}
