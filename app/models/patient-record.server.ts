import type { IsoDate } from "~/domain/iso-date";
import type { PathwayRecord } from "~/domain/pathway-overview";
import type { PatientSnapshot } from "~/domain/referral/types";
import type {
  Adherence,
  PatientStatus,
  PsychEvaluationStatus,
  ProcedureType,
  Sex,
  BodyRegion,
  EsiApproach,
} from "~/generated/prisma/enums";
import { getDb } from "~/server/db.server";
import {
  DIAGNOSIS_JSON_FIELDS,
  IMAGING_JSON_FIELDS,
  PATIENT_CAUTIONS_JSON,
  PROCEDURE_JSON_FIELDS,
  THERAPY_JSON_FIELDS,
} from "./snapshot.server";
import { isoTimestamp } from "./sql-json.server";

type Versioned<T> = T & { version: number };
type EnteredInErrorReason = { enteredInErrorReason: string | null };

interface PatientRecordRow {
  patient: {
    id: string;
    version: number;
    mrn: string;
    givenName: string;
    familyName: string;
    birthDate: IsoDate;
    sex: Sex;
    status: PatientStatus;
    physicianName: string;
    cautions: PatientSnapshot["patient"]["cautions"];
    antithrombotics: PatientSnapshot["patient"]["antithrombotics"];
    psychEvaluationStatus: PsychEvaluationStatus;
    psychEvaluationDate: IsoDate | null;
    naloxoneOfferedOn: IsoDate | null;
    allergyNotes: string | null;
  };
  diagnoses: Array<PathwayRecord["diagnoses"][number] & EnteredInErrorReason>;
  therapies: Array<PathwayRecord["therapies"][number] & EnteredInErrorReason & { stopNote: string | null }>;
  assessments: Array<
    PathwayRecord["assessments"][number] &
      EnteredInErrorReason & {
        pegPain: number;
        pegEnjoyment: number;
        pegActivity: number;
        adherence: Adherence | null;
        note: string | null;
        recordedBy: string;
      }
  >;
  procedures: Array<
    Versioned<{
      id: string;
      type: ProcedureType;
      region: BodyRegion;
      level: string | null;
      approach: EsiApproach | null;
      injectate: string | null;
      performedOn: IsoDate;
      scaleName: string;
      painBefore: number | null;
      painAfter: number | null;
      reliefPercent: number | null;
      reliefDurationDays: number | null;
      enteredInError: boolean;
    }> &
      EnteredInErrorReason
  >;
  imaging: Array<
    Versioned<NonNullable<PatientSnapshot["imaging"]>[number] & { finding: string }> & EnteredInErrorReason
  >;
}

/**
 * Everything the patient page shows of the record, as plain values, in one statement: PostgreSQL
 * builds the JSON (dates as YYYY-MM-DD, timestamps as ISO 8601 UTC), as for the engine's snapshots.
 * Eight ORM queries and their row mapping were a fifth of the page's server time.
 */
export async function loadPatientRecord(patientId: string) {
  const [row] = await getDb().$queryRaw<Array<{ record: PatientRecordRow }>>`
    SELECT json_build_object(
      'patient', json_build_object(
        'id', p.id, 'version', p.version, 'mrn', p.mrn, 'givenName', p."givenName", 'familyName', p."familyName",
        'birthDate', p."birthDate", 'sex', p.sex, 'status', p.status, 'physicianName', u.name,
        'cautions', ${PATIENT_CAUTIONS_JSON}, 'antithrombotics', p.antithrombotics,
        'psychEvaluationStatus', p."psychEvaluationStatus", 'psychEvaluationDate', p."psychEvaluationDate",
        'naloxoneOfferedOn', p."naloxoneOfferedOn", 'allergyNotes', p."allergyNotes"),
      'diagnoses', COALESCE((
        SELECT json_agg(json_build_object(
                 ${DIAGNOSIS_JSON_FIELDS}, 'version', d.version, 'enteredInErrorReason', d."enteredInErrorReason")
                 ORDER BY d."onsetDate", d.id)
          FROM "PainDiagnosis" d WHERE d."patientId" = p.id), '[]'),
      'therapies', COALESCE((
        SELECT json_agg(json_build_object(
                 ${THERAPY_JSON_FIELDS}, 'version', t.version, 'stopNote', t."stopNote", 'route', t.route,
                 'enteredInErrorReason', t."enteredInErrorReason")
                 ORDER BY t."startDate", t.id)
          FROM "TherapyTrial" t WHERE t."patientId" = p.id), '[]'),
      'assessments', COALESCE((
        SELECT json_agg(json_build_object(
                 'id', a.id, 'version', a.version, 'date', a."assessedOn", 'painNow', a."painNow",
                 'painAverage', a."painAverage", 'painWorst', a."painWorst", 'pegPain', a."pegPain",
                 'pegEnjoyment', a."pegEnjoyment", 'pegActivity', a."pegActivity", 'pegScore', a."pegScore",
                 'odiPercent', a."odiPercent", 'ndiPercent', a."ndiPercent", 'adherence', a.adherence,
                 'limitation', a.limitation, 'note', a.note, 'recordedBy', COALESCE(r.name, 'unknown'),
                 'recordedAt', ${isoTimestamp('a."recordedAt"')},
                 'enteredInError', a."enteredInErrorAt" IS NOT NULL, 'enteredInErrorReason', a."enteredInErrorReason",
                 'sideEffects', COALESCE((
                   SELECT json_agg(json_build_object('therapyTrialId', e."therapyTrialId", 'severity', e.severity,
                                                     'kinds', e.kinds)
                                   ORDER BY e."therapyTrialId")
                     FROM "AssessmentSideEffect" e WHERE e."assessmentId" = a.id), '[]'))
                 ORDER BY a."assessedOn", a."recordedAt", a.id)
          FROM "OutcomeAssessment" a LEFT JOIN "User" r ON r.id = a."recordedById"
         WHERE a."patientId" = p.id), '[]'),
      'procedures', COALESCE((
        SELECT json_agg(json_build_object(
                 ${PROCEDURE_JSON_FIELDS}, 'version', r.version, 'scaleName', r."scaleName",
                 'enteredInErrorReason', r."enteredInErrorReason") ORDER BY r."performedOn", r.id)
          FROM "ProcedureRecord" r WHERE r."patientId" = p.id), '[]'),
      'imaging', COALESCE((
        SELECT json_agg(json_build_object(
                 ${IMAGING_JSON_FIELDS}, 'version', i.version, 'finding', i.finding,
                 'enteredInErrorReason', i."enteredInErrorReason") ORDER BY i."performedOn", i.id)
          FROM "ImagingStudy" i WHERE i."patientId" = p.id), '[]')
    ) AS record
      FROM "Patient" p JOIN "User" u ON u.id = p."assignedPhysicianId"
     WHERE p.id = ${patientId}::uuid`;
  if (!row) return null;
  const { patient, diagnoses, therapies, assessments, procedures, imaging } = row.record;
  const record = { diagnoses, therapies, assessments } satisfies PathwayRecord;
  return {
    patient,
    record,
    enteredInErrorReasons: Object.fromEntries(
      [...diagnoses, ...therapies, ...assessments, ...procedures, ...imaging]
        .filter((entry) => entry.enteredInErrorReason)
        .map((entry) => [entry.id, entry.enteredInErrorReason as string]),
    ),
    procedures,
    imaging,
  };
}

export type PatientRecordView = NonNullable<Awaited<ReturnType<typeof loadPatientRecord>>>;
