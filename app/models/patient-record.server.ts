import { toIsoDate } from "~/domain/iso-date";
import type { PathwayRecord } from "~/domain/pathway-overview";
import { getDb } from "~/server/db.server";
import { cautionsOf } from "./snapshot.server";
import { userNames } from "./user-names.server";

const isoOrNull = (date: Date | null) => (date ? toIsoDate(date) : null);

/** Everything the patient page shows, in one round of queries, as plain values. */
export async function loadPatientRecord(patientId: string) {
  const patient = await getDb().patient.findUnique({
    where: { id: patientId },
    include: {
      assignedPhysician: { select: { name: true } },
      diagnoses: { orderBy: { onsetDate: "asc" } },
      therapies: { orderBy: { startDate: "asc" } },
      assessments: {
        orderBy: [{ assessedOn: "asc" }, { recordedAt: "asc" }],
        include: { sideEffects: { select: { therapyTrialId: true, severity: true } } },
      },
      procedures: { orderBy: { performedOn: "asc" } },
    },
  });
  if (!patient) return null;
  const recorders = await userNames(patient.assessments.map((assessment) => assessment.recordedById));

  const record: PathwayRecord = {
    diagnoses: patient.diagnoses.map((diagnosis) => ({
      ...diagnosis,
      onsetDate: toIsoDate(diagnosis.onsetDate),
      enteredInError: diagnosis.enteredInErrorAt !== null,
    })),
    therapies: patient.therapies.map((therapy) => ({
      ...therapy,
      startDate: toIsoDate(therapy.startDate),
      endDate: isoOrNull(therapy.endDate),
      enteredInError: therapy.enteredInErrorAt !== null,
    })),
    assessments: patient.assessments.map((assessment) => ({
      ...assessment,
      recordedAt: assessment.recordedAt.toISOString(),
      date: toIsoDate(assessment.assessedOn),
      enteredInError: assessment.enteredInErrorAt !== null,
    })),
  };
  return {
    patient: {
      id: patient.id,
      version: patient.version,
      mrn: patient.mrn,
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: toIsoDate(patient.birthDate),
      sex: patient.sex,
      status: patient.status,
      physicianName: patient.assignedPhysician.name,
      cautions: cautionsOf(patient),
      psychEvaluationStatus: patient.psychEvaluationStatus,
      psychEvaluationDate: isoOrNull(patient.psychEvaluationDate),
    },
    record,
    /** Who recorded each assessment. */
    recordedBy: Object.fromEntries(
      patient.assessments.map((assessment) => [assessment.id, recorders.get(assessment.recordedById) ?? "unknown"]),
    ),
    enteredInErrorReasons: Object.fromEntries(
      [...patient.diagnoses, ...patient.therapies, ...patient.assessments, ...patient.procedures]
        .filter((row) => row.enteredInErrorReason)
        .map((row) => [row.id, row.enteredInErrorReason as string]),
    ),
    procedures: patient.procedures.map((procedure) => ({
      id: procedure.id,
      version: procedure.version,
      type: procedure.type,
      region: procedure.region,
      level: procedure.level,
      performedOn: toIsoDate(procedure.performedOn),
      scaleName: procedure.scaleName,
      painBefore: procedure.painBefore,
      painAfter: procedure.painAfter,
      reliefPercent: procedure.reliefPercent,
      reliefDurationDays: procedure.reliefDurationDays,
      enteredInError: procedure.enteredInErrorAt !== null,
    })),
  };
}

export type PatientRecordView = NonNullable<Awaited<ReturnType<typeof loadPatientRecord>>>;
