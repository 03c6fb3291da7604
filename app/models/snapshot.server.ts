import { toIsoDate, type IsoDate } from "~/domain/iso-date";
import type { PatientSnapshot } from "~/domain/referral/types";
import type { Db, Tx } from "~/server/db.server";

const iso = (date: Date) => toIsoDate(date);
const isoOrNull = (date: Date | null) => (date ? toIsoDate(date) : null);

type Cautions = PatientSnapshot["patient"]["cautions"];

const CAUTION_FIELDS = {
  onAnticoagulant: true,
  onAntiplatelet: true,
  bleedingDisorder: true,
  pregnant: true,
  contrastAllergy: true,
  poorlyControlledDiabetes: true,
  implantedCardiacDevice: true,
  activeInfection: true,
} as const satisfies Record<keyof Cautions, true>;

/** The clinical cautions of a patient row, as the engine and the patient page read them. */
export function cautionsOf(patient: Cautions): Cautions {
  return Object.fromEntries(
    Object.keys(CAUTION_FIELDS).map((key) => [key, patient[key as keyof Cautions]]),
  ) as Cautions;
}

export interface LoadedSnapshot {
  snapshot: PatientSnapshot;
  physicianId: string;
}

/**
 * The referral engine's input for many patients at once: one query per table, whatever the number
 * of patients, so the batch re-evaluation and a single write share the same code.
 */
export async function loadSnapshots(
  db: Db | Tx,
  patientIds: string[],
  evaluatedOn: IsoDate,
): Promise<LoadedSnapshot[]> {
  const where = { patientId: { in: patientIds } };
  const [patients, diagnoses, therapies, assessments, procedures] = await Promise.all([
    db.patient.findMany({
      where: { id: { in: patientIds } },
      select: {
        id: true,
        birthDate: true,
        status: true,
        assignedPhysicianId: true,
        ...CAUTION_FIELDS,
        psychEvaluationStatus: true,
        psychEvaluationDate: true,
      },
    }),
    db.painDiagnosis.findMany({
      where,
      select: {
        id: true,
        patientId: true,
        icd10Code: true,
        label: true,
        bodyRegion: true,
        painType: true,
        onsetDate: true,
        surgicalStatus: true,
        redFlags: true,
        enteredInErrorAt: true,
      },
    }),
    db.therapyTrial.findMany({
      where,
      select: {
        id: true,
        patientId: true,
        diagnosisId: true,
        modality: true,
        startDate: true,
        endDate: true,
        status: true,
        stopReason: true,
        drug: true,
        dose: true,
        doseUnit: true,
        frequency: true,
        maxDosesPerDay: true,
        sessionsPlanned: true,
        sessionsAttended: true,
        enteredInErrorAt: true,
      },
      orderBy: { startDate: "asc" },
    }),
    db.outcomeAssessment.findMany({
      where,
      select: {
        id: true,
        patientId: true,
        assessedOn: true,
        painNow: true,
        painAverage: true,
        painWorst: true,
        pegScore: true,
        odiPercent: true,
        ndiPercent: true,
        limitation: true,
        recordedAt: true,
        enteredInErrorAt: true,
        sideEffects: { select: { therapyTrialId: true, severity: true } },
      },
      orderBy: [{ assessedOn: "asc" }, { recordedAt: "asc" }],
    }),
    db.procedureRecord.findMany({
      where,
      select: {
        id: true,
        patientId: true,
        diagnosisId: true,
        type: true,
        region: true,
        level: true,
        performedOn: true,
        painBefore: true,
        painAfter: true,
        reliefPercent: true,
        reliefDurationDays: true,
        enteredInErrorAt: true,
      },
      orderBy: { performedOn: "asc" },
    }),
  ]);

  const byPatient = new Map<string, LoadedSnapshot>();
  for (const patient of patients) {
    byPatient.set(patient.id, {
      physicianId: patient.assignedPhysicianId,
      snapshot: {
        evaluatedOn,
        patient: {
          id: patient.id,
          birthDate: iso(patient.birthDate),
          status: patient.status,
          cautions: cautionsOf(patient),
          psychEvaluationStatus: patient.psychEvaluationStatus,
          psychEvaluationDate: isoOrNull(patient.psychEvaluationDate),
        },
        diagnoses: [],
        therapies: [],
        assessments: [],
        procedures: [],
      },
    });
  }
  const snapshotOf = (patientId: string) => byPatient.get(patientId)?.snapshot;
  for (const { patientId, enteredInErrorAt, onsetDate, ...diagnosis } of diagnoses) {
    snapshotOf(patientId)?.diagnoses.push({
      ...diagnosis,
      onsetDate: iso(onsetDate),
      enteredInError: enteredInErrorAt !== null,
    });
  }
  for (const { patientId, enteredInErrorAt, startDate, endDate, ...therapy } of therapies) {
    snapshotOf(patientId)?.therapies.push({
      ...therapy,
      startDate: iso(startDate),
      endDate: isoOrNull(endDate),
      enteredInError: enteredInErrorAt !== null,
    });
  }
  for (const { patientId, enteredInErrorAt, assessedOn, recordedAt, ...assessment } of assessments) {
    snapshotOf(patientId)?.assessments.push({
      recordedAt: recordedAt.toISOString(),
      ...assessment,
      date: iso(assessedOn),
      enteredInError: enteredInErrorAt !== null,
    });
  }
  for (const { patientId, enteredInErrorAt, performedOn, ...procedure } of procedures) {
    snapshotOf(patientId)?.procedures.push({
      ...procedure,
      performedOn: iso(performedOn),
      enteredInError: enteredInErrorAt !== null,
    });
  }
  return [...byPatient.values()];
}
