import type { FhirExportOptions } from "~/domain/fhir/export/patient-resources";
import type { FhirExportRecord } from "~/domain/fhir/export/record";
import type { StoredEvaluation } from "~/domain/referral/stored-evaluation";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { expandStoredEvaluation } from "./rule-set.server";
import {
  DIAGNOSIS_JSON_FIELDS,
  PATIENT_CAUTIONS_JSON,
  PROCEDURE_JSON_FIELDS,
  THERAPY_JSON_FIELDS,
} from "./snapshot.server";
import { isoTimestamp } from "./sql-json.server";

type Row = Omit<FhirExportRecord, "evaluations"> & {
  evaluations: Array<{ id: string; evaluatedAt: string; result: StoredEvaluation }>;
};

/**
 * The FHIR export's input for many patients in one statement (PostgreSQL builds the JSON, dates
 * as YYYY-MM-DD, timestamps as ISO 8601 UTC), in the order of their ids. Rows entered in error are
 * included; the export marks them. Patients that do not exist are left out.
 */
export async function loadFhirExportRecords(patientIds: readonly string[]): Promise<FhirExportRecord[]> {
  if (patientIds.length === 0) return [];
  const rows = await getDb().$queryRaw<Array<{ record: Row }>>`
    SELECT json_build_object(
      'patient', json_build_object(
        'id', p.id, 'mrn', p.mrn, 'givenName', p."givenName", 'familyName', p."familyName",
        'birthDate', p."birthDate", 'sex', p.sex, 'status', p.status, 'physicianName', u.name,
        'cautions', ${PATIENT_CAUTIONS_JSON}, 'antithrombotics', p.antithrombotics,
        'allergyNotes', p."allergyNotes",
        'naloxoneOfferedOn', p."naloxoneOfferedOn", 'psychEvaluationStatus', p."psychEvaluationStatus",
        'psychEvaluationDate', p."psychEvaluationDate", 'updatedAt', ${isoTimestamp('p."updatedAt"')}),
      'diagnoses', COALESCE((
        SELECT json_agg(json_build_object(
                 ${DIAGNOSIS_JSON_FIELDS}, 'enteredInErrorReason', d."enteredInErrorReason",
                 'recordedAt', ${isoTimestamp('d."createdAt"')}) ORDER BY d."onsetDate", d.id)
          FROM "PainDiagnosis" d WHERE d."patientId" = p.id), '[]'),
      'therapies', COALESCE((
        SELECT json_agg(json_build_object(
                 ${THERAPY_JSON_FIELDS}, 'route', t.route, 'stopNote', t."stopNote",
                 'enteredInErrorReason', t."enteredInErrorReason") ORDER BY t."startDate", t.id)
          FROM "TherapyTrial" t WHERE t."patientId" = p.id), '[]'),
      'assessments', COALESCE((
        SELECT json_agg(json_build_object(
                 'id', a.id, 'date', a."assessedOn", 'painNow', a."painNow", 'painAverage', a."painAverage",
                 'painWorst', a."painWorst", 'pegPain', a."pegPain", 'pegEnjoyment', a."pegEnjoyment",
                 'pegActivity', a."pegActivity", 'pegScore', a."pegScore", 'odiPercent', a."odiPercent",
                 'ndiPercent', a."ndiPercent", 'limitation', a.limitation, 'adherence', a.adherence, 'note', a.note,
                 'recordedAt', ${isoTimestamp('a."recordedAt"')},
                 'enteredInError', a."enteredInErrorAt" IS NOT NULL, 'enteredInErrorReason', a."enteredInErrorReason",
                 'sideEffects', COALESCE((
                   SELECT json_agg(json_build_object('id', e.id, 'therapyTrialId', e."therapyTrialId",
                                                     'severity', e.severity, 'kinds', e.kinds) ORDER BY e."therapyTrialId")
                     FROM "AssessmentSideEffect" e WHERE e."assessmentId" = a.id), '[]'))
                 ORDER BY a."assessedOn", a."recordedAt", a.id)
          FROM "OutcomeAssessment" a WHERE a."patientId" = p.id), '[]'),
      'imaging', COALESCE((
        SELECT json_agg(json_build_object(
                 'id', i.id, 'diagnosisId', i."diagnosisId", 'modality', i.modality, 'performedOn', i."performedOn",
                 'concordance', i.concordance, 'finding', i.finding,
                 'enteredInError', i."enteredInErrorAt" IS NOT NULL, 'enteredInErrorReason', i."enteredInErrorReason")
                 ORDER BY i."performedOn", i.id)
          FROM "ImagingStudy" i WHERE i."patientId" = p.id), '[]'),
      'procedures', COALESCE((
        SELECT json_agg(json_build_object(
                 ${PROCEDURE_JSON_FIELDS}, 'scaleName', r."scaleName", 'note', r.note,
                 'enteredInErrorReason', r."enteredInErrorReason",
                 'referralId', (SELECT f.id FROM "Referral" f
                                 WHERE f."patientId" = p.id AND f."procedureRecordId" = r.id
                                 ORDER BY f."createdAt", f.id LIMIT 1))
                 ORDER BY r."performedOn", r.id)
          FROM "ProcedureRecord" r WHERE r."patientId" = p.id), '[]'),
      'referrals', COALESCE((
        SELECT json_agg(json_build_object(
                 'id', f.id, 'diagnosisId', f."diagnosisId", 'evaluationId', f."evaluationId",
                 'procedure', f.procedure, 'receivingClinic', f."receivingClinic", 'urgency', f.urgency,
                 'reason', f.reason, 'conservativeCareContinues', f."conservativeCareContinues", 'status', f.status,
                 'createdAt', ${isoTimestamp('f."createdAt"')}, 'scheduledFor', f."scheduledFor",
                 'procedureDate', f."procedureDate", 'reliefPercent', f."reliefPercent",
                 'reliefDurationDays', f."reliefDurationDays", 'cancelReason', f."cancelReason")
                 ORDER BY f."createdAt", f.id)
          FROM "Referral" f WHERE f."patientId" = p.id), '[]'),
      'evaluations', COALESCE((
        SELECT json_agg(json_build_object(
                 'id', v.id, 'evaluatedAt', ${isoTimestamp('v."evaluatedAt"')}, 'result', v.result)
                 ORDER BY v."diagnosisId", v.id)
          FROM "Evaluation" v WHERE v."patientId" = p.id AND v.current), '[]')
    ) AS record
      FROM "Patient" p JOIN "User" u ON u.id = p."assignedPhysicianId"
     WHERE p.id = ANY(${patientIds as string[]}::uuid[])
     ORDER BY p.id`;
  return Promise.all(
    rows.map(async ({ record }) => ({
      ...record,
      evaluations: await Promise.all(
        record.evaluations.map(async ({ id, evaluatedAt, result }) => ({
          id,
          evaluatedAt,
          evaluation: await expandStoredEvaluation(result),
        })),
      ),
    })),
  );
}

/** Every patient id, in batches in id order, read by keyset so memory stays that of one batch. */
export async function* patientIdBatches(batchSize: number): AsyncGenerator<string[]> {
  let after: string | null = null;
  for (;;) {
    const rows: Array<{ id: string }> = await getDb().$queryRaw`
      SELECT id FROM "Patient"
       WHERE ${after}::uuid IS NULL OR id > ${after}::uuid
       ORDER BY id LIMIT ${batchSize}`;
    if (rows.length === 0) return;
    yield rows.map((row) => row.id);
    after = rows[rows.length - 1]!.id;
  }
}

/** What the site configures for every export: its MRN system. */
export function fhirExportOptions(): FhirExportOptions {
  return { mrnSystem: getEnv().FHIR_MRN_SYSTEM };
}
