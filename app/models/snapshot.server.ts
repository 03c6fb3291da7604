import type { IsoDate } from "~/domain/iso-date";
import type { PatientSnapshot } from "~/domain/referral/types";
import { Prisma } from "~/generated/prisma/client";
import type { Db, Tx } from "~/server/db.server";
import { isoTimestamp } from "./sql-json.server";

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
  onBenzodiazepine: true,
  latexAllergy: true,
  localAnaestheticAllergy: true,
  corticosteroidAllergy: true,
} as const satisfies Record<keyof Cautions, true>;

/** The clinical cautions of the Patient row `p`, as the JSON object the engine and the patient page read. */
export const PATIENT_CAUTIONS_JSON = Prisma.raw(
  `json_build_object(${Object.keys(CAUTION_FIELDS)
    .map((field) => `'${field}', p."${field}"`)
    .join(", ")})`,
);

// The engine's fields of a diagnosis (`d`), therapy (`t`) and procedure (`r`) row, as
// json_build_object arguments: the patient page's statement adds its own after them.
export const DIAGNOSIS_JSON_FIELDS = Prisma.raw(
  `'id', d.id, 'icd10Code', d."icd10Code", 'label', d.label, 'bodyRegion', d."bodyRegion",
   'painType', d."painType", 'onsetDate', d."onsetDate", 'surgicalStatus', d."surgicalStatus",
   'redFlags', COALESCE(d."redFlags", '{}'), 'radicularSigns', COALESCE(d."radicularSigns", '{}'),
   'enteredInError', d."enteredInErrorAt" IS NOT NULL`,
);
export const THERAPY_JSON_FIELDS = Prisma.raw(
  `'id', t.id, 'diagnosisId', t."diagnosisId", 'modality', t.modality, 'startDate', t."startDate",
   'endDate', t."endDate", 'status', t.status, 'stopReason', t."stopReason", 'drug', t.drug,
   'dose', t.dose, 'doseUnit', t."doseUnit", 'frequency', t.frequency,
   'maxDosesPerDay', t."maxDosesPerDay", 'sessionsPlanned', t."sessionsPlanned",
   'sessionsAttended', t."sessionsAttended", 'enteredInError', t."enteredInErrorAt" IS NOT NULL`,
);
export const PROCEDURE_JSON_FIELDS = Prisma.raw(
  `'id', r.id, 'diagnosisId', r."diagnosisId", 'type', r.type, 'region', r.region, 'level', r.level,
   'performedOn', r."performedOn", 'painBefore', r."painBefore", 'painAfter', r."painAfter",
   'reliefPercent', r."reliefPercent", 'reliefDurationDays', r."reliefDurationDays",
   'approach', r.approach, 'injectate', r.injectate, 'enteredInError', r."enteredInErrorAt" IS NOT NULL`,
);

export const IMAGING_JSON_FIELDS = Prisma.raw(
  `'id', i.id, 'diagnosisId', i."diagnosisId", 'modality', i.modality, 'performedOn', i."performedOn",
   'concordance', i.concordance, 'enteredInError', i."enteredInErrorAt" IS NOT NULL`,
);

export interface LoadedSnapshot {
  snapshot: PatientSnapshot;
  physicianId: string;
}

type Assessment = PatientSnapshot["assessments"][number];

/**
 * An assessment as PostgreSQL sends it: a tuple, because writing the keys of 1.6 million objects
 * was a quarter of the nightly run's snapshot statement.
 */
type AssessmentTuple = [
  id: string,
  date: IsoDate,
  painNow: number,
  painAverage: number,
  painWorst: number,
  pegScore: number,
  odiPercent: number | null,
  ndiPercent: number | null,
  limitation: Assessment["limitation"],
  recordedAt: string,
  enteredInError: boolean,
  sideEffects: Array<
    [
      therapyTrialId: string,
      severity: Assessment["sideEffects"][number]["severity"],
      kinds: NonNullable<Assessment["sideEffects"][number]["kinds"]>,
    ]
  > | null,
];

interface SnapshotRow {
  physicianId: string;
  snapshot: Omit<PatientSnapshot, "evaluatedOn" | "assessments"> & { assessments: AssessmentTuple[] };
}

function assessmentOf([
  id,
  date,
  painNow,
  painAverage,
  painWorst,
  pegScore,
  odiPercent,
  ndiPercent,
  limitation,
  recordedAt,
  enteredInError,
  sideEffects,
]: AssessmentTuple): Assessment {
  return {
    id,
    date,
    painNow,
    painAverage,
    painWorst,
    pegScore,
    odiPercent,
    ndiPercent,
    limitation,
    recordedAt,
    enteredInError,
    sideEffects: (sideEffects ?? []).map(([therapyTrialId, severity, kinds]) => ({ therapyTrialId, severity, kinds })),
  };
}

/**
 * The referral engine's input for many patients at once, in one statement whatever the number of
 * patients, so the batch re-evaluation and a single write share the same code. PostgreSQL builds
 * each snapshot as JSON in the engine's shape (dates as YYYY-MM-DD, timestamps as ISO 8601 UTC;
 * assessments as tuples): the nightly run's cost was mostly turning rows into objects and Dates
 * into strings in Node.
 */
export async function loadSnapshots(
  db: Db | Tx,
  patientIds: string[],
  evaluatedOn: IsoDate,
): Promise<LoadedSnapshot[]> {
  const rows = await db.$queryRaw<SnapshotRow[]>`
    SELECT p."assignedPhysicianId" AS "physicianId", json_build_object(
      'patient', json_build_object(
        'id', p.id, 'birthDate', p."birthDate", 'status', p.status,
        'cautions', ${PATIENT_CAUTIONS_JSON}, 'antithrombotics', p.antithrombotics,
        'psychEvaluationStatus', p."psychEvaluationStatus", 'psychEvaluationDate', p."psychEvaluationDate",
        'naloxoneOfferedOn', p."naloxoneOfferedOn"),
      'diagnoses', COALESCE((
        SELECT json_agg(json_build_object(${DIAGNOSIS_JSON_FIELDS}) ORDER BY d.id)
          FROM "PainDiagnosis" d WHERE d."patientId" = p.id), '[]'),
      'therapies', COALESCE((
        SELECT json_agg(json_build_object(${THERAPY_JSON_FIELDS}) ORDER BY t."startDate", t.id)
          FROM "TherapyTrial" t WHERE t."patientId" = p.id), '[]'),
      'assessments', COALESCE((
        SELECT json_agg(json_build_array(
                 a.id, a."assessedOn", a."painNow", a."painAverage", a."painWorst", a."pegScore", a."odiPercent",
                 a."ndiPercent", a.limitation, ${isoTimestamp('a."recordedAt"')}, a."enteredInErrorAt" IS NOT NULL,
                 side.effects)
                 ORDER BY a."assessedOn", a."recordedAt", a.id)
          FROM "OutcomeAssessment" a
          -- A side effect is always on one of the patient's own medications (recordAssessment checks it):
          -- reached through the patient's few therapies, not with one lookup per assessment.
          LEFT JOIN (SELECT e."assessmentId",
                            json_agg(json_build_array(e."therapyTrialId", e.severity, e.kinds) ORDER BY e."therapyTrialId")
                              AS effects
                       FROM "TherapyTrial" t JOIN "AssessmentSideEffect" e ON e."therapyTrialId" = t.id
                      WHERE t."patientId" = p.id
                      GROUP BY e."assessmentId") side ON side."assessmentId" = a.id
         WHERE a."patientId" = p.id), '[]'),
      'procedures', COALESCE((
        SELECT json_agg(json_build_object(${PROCEDURE_JSON_FIELDS}) ORDER BY r."performedOn", r.id)
          FROM "ProcedureRecord" r WHERE r."patientId" = p.id), '[]'),
      'imaging', COALESCE((
        SELECT json_agg(json_build_object(${IMAGING_JSON_FIELDS}) ORDER BY i."performedOn", i.id)
          FROM "ImagingStudy" i WHERE i."patientId" = p.id), '[]')
    ) AS snapshot
      FROM "Patient" p
     WHERE p.id = ANY(${patientIds}::uuid[])`;
  return rows.map(({ physicianId, snapshot }) => ({
    physicianId,
    snapshot: { evaluatedOn, ...snapshot, assessments: snapshot.assessments.map(assessmentOf) },
  }));
}
