import type { FhirExportOptions } from "~/domain/fhir/export/patient-resources";
import type { FhirExportRecord } from "~/domain/fhir/export/record";
import type { StoredEvaluation } from "~/domain/referral/stored-evaluation";
import { sql } from "kysely";
import { jsonBuildObject } from "kysely/helpers/postgres";
import type { SideEffectKind } from "~/generated/kysely/types";
import { getDb } from "~/server/db.server";
import { anyUuid, qb, rows as runQuery } from "~/server/query-builder.server";
import { getEnv } from "~/server/env.server";
import { expandStoredEvaluation } from "./rule-set.server";
import {
  DIAGNOSIS_JSON_FIELDS,
  PATIENT_ANTITHROMBOTICS_JSON,
  PATIENT_CAUTIONS_JSON,
  PROCEDURE_JSON_FIELDS,
  THERAPY_JSON_FIELDS,
} from "./snapshot.server";
import { enumList, isoTimestamp, isSet, jsonAgg, listOrEmpty, orNone } from "./sql-json.server";

function exportQuery(patientIds: readonly string[]) {
  return qb
    .selectFrom("Patient as p")
    .innerJoin("User as u", "u.id", "p.assignedPhysicianId")
    .select((eb) =>
      jsonBuildObject({
        patient: jsonBuildObject({
          id: eb.ref("p.id"),
          mrn: eb.ref("p.mrn"),
          givenName: eb.ref("p.givenName"),
          familyName: eb.ref("p.familyName"),
          birthDate: eb.ref("p.birthDate"),
          sex: eb.ref("p.sex"),
          status: eb.ref("p.status"),
          physicianName: eb.ref("u.name"),
          cautions: PATIENT_CAUTIONS_JSON,
          antithrombotics: PATIENT_ANTITHROMBOTICS_JSON,
          allergyNotes: eb.ref("p.allergyNotes"),
          naloxoneOfferedOn: eb.ref("p.naloxoneOfferedOn"),
          psychEvaluationStatus: eb.ref("p.psychEvaluationStatus"),
          psychEvaluationDate: eb.ref("p.psychEvaluationDate"),
          updatedAt: isoTimestamp(eb.ref("p.updatedAt")),
        }),
        diagnoses: listOrEmpty(
          eb
            .selectFrom("PainDiagnosis as d")
            .select((eb) =>
              jsonAgg(
                jsonBuildObject({
                  ...DIAGNOSIS_JSON_FIELDS,
                  enteredInErrorReason: eb.ref("d.enteredInErrorReason"),
                  recordedAt: isoTimestamp(eb.ref("d.createdAt")),
                }),
                [eb.ref("d.onsetDate"), eb.ref("d.id")],
              ).as("list"),
            )
            .whereRef("d.patientId", "=", "p.id"),
        ),
        therapies: listOrEmpty(
          eb
            .selectFrom("TherapyTrial as t")
            .select((eb) =>
              jsonAgg(
                jsonBuildObject({
                  ...THERAPY_JSON_FIELDS,
                  route: eb.ref("t.route"),
                  stopNote: eb.ref("t.stopNote"),
                  enteredInErrorReason: eb.ref("t.enteredInErrorReason"),
                }),
                [eb.ref("t.startDate"), eb.ref("t.id")],
              ).as("list"),
            )
            .whereRef("t.patientId", "=", "p.id"),
        ),
        assessments: listOrEmpty(
          eb
            .selectFrom("OutcomeAssessment as a")
            .select((eb) =>
              jsonAgg(
                jsonBuildObject({
                  id: eb.ref("a.id"),
                  date: eb.ref("a.assessedOn"),
                  painNow: eb.ref("a.painNow"),
                  painAverage: eb.ref("a.painAverage"),
                  painWorst: eb.ref("a.painWorst"),
                  pegPain: eb.ref("a.pegPain"),
                  pegEnjoyment: eb.ref("a.pegEnjoyment"),
                  pegActivity: eb.ref("a.pegActivity"),
                  pegScore: eb.ref("a.pegScore"),
                  odiPercent: eb.ref("a.odiPercent"),
                  ndiPercent: eb.ref("a.ndiPercent"),
                  limitation: eb.ref("a.limitation"),
                  adherence: eb.ref("a.adherence"),
                  note: eb.ref("a.note"),
                  recordedAt: isoTimestamp(eb.ref("a.recordedAt")),
                  enteredInError: isSet(eb.ref("a.enteredInErrorAt")),
                  enteredInErrorReason: eb.ref("a.enteredInErrorReason"),
                  sideEffects: listOrEmpty(
                    eb
                      .selectFrom("AssessmentSideEffect as e")
                      .select((eb) =>
                        jsonAgg(
                          jsonBuildObject({
                            id: eb.ref("e.id"),
                            therapyTrialId: eb.ref("e.therapyTrialId"),
                            severity: eb.ref("e.severity"),
                            kinds: enumList<SideEffectKind>(eb.ref("e.kinds")),
                          }),
                          [eb.ref("e.therapyTrialId")],
                        ).as("list"),
                      )
                      .whereRef("e.assessmentId", "=", "a.id"),
                  ),
                }),
                [eb.ref("a.assessedOn"), eb.ref("a.recordedAt"), eb.ref("a.id")],
              ).as("list"),
            )
            .whereRef("a.patientId", "=", "p.id"),
        ),
        imaging: listOrEmpty(
          eb
            .selectFrom("ImagingStudy as i")
            .select((eb) =>
              jsonAgg(
                jsonBuildObject({
                  id: eb.ref("i.id"),
                  diagnosisId: eb.ref("i.diagnosisId"),
                  modality: eb.ref("i.modality"),
                  performedOn: eb.ref("i.performedOn"),
                  concordance: eb.ref("i.concordance"),
                  finding: eb.ref("i.finding"),
                  enteredInError: isSet(eb.ref("i.enteredInErrorAt")),
                  enteredInErrorReason: eb.ref("i.enteredInErrorReason"),
                }),
                [eb.ref("i.performedOn"), eb.ref("i.id")],
              ).as("list"),
            )
            .whereRef("i.patientId", "=", "p.id"),
        ),
        procedures: listOrEmpty(
          eb
            .selectFrom("ProcedureRecord as r")
            .select((eb) =>
              jsonAgg(
                jsonBuildObject({
                  ...PROCEDURE_JSON_FIELDS,
                  scaleName: eb.ref("r.scaleName"),
                  note: eb.ref("r.note"),
                  enteredInErrorReason: eb.ref("r.enteredInErrorReason"),
                  referralId: orNone(
                    eb
                      .selectFrom("Referral as f")
                      .select("f.id")
                      .whereRef("f.patientId", "=", "p.id")
                      .whereRef("f.procedureRecordId", "=", "r.id")
                      .orderBy("f.createdAt")
                      .orderBy("f.id")
                      .limit(1)
                      .$asScalar(),
                  ),
                }),
                [eb.ref("r.performedOn"), eb.ref("r.id")],
              ).as("list"),
            )
            .whereRef("r.patientId", "=", "p.id"),
        ),
        referrals: listOrEmpty(
          eb
            .selectFrom("Referral as f")
            .select((eb) =>
              jsonAgg(
                jsonBuildObject({
                  id: eb.ref("f.id"),
                  diagnosisId: eb.ref("f.diagnosisId"),
                  evaluationId: eb.ref("f.evaluationId"),
                  procedure: eb.ref("f.procedure"),
                  receivingClinic: eb.ref("f.receivingClinic"),
                  urgency: eb.ref("f.urgency"),
                  reason: eb.ref("f.reason"),
                  conservativeCareContinues: eb.ref("f.conservativeCareContinues"),
                  status: eb.ref("f.status"),
                  createdAt: isoTimestamp(eb.ref("f.createdAt")),
                  scheduledFor: eb.ref("f.scheduledFor"),
                  procedureDate: eb.ref("f.procedureDate"),
                  reliefPercent: eb.ref("f.reliefPercent"),
                  reliefDurationDays: eb.ref("f.reliefDurationDays"),
                  cancelReason: eb.ref("f.cancelReason"),
                }),
                [eb.ref("f.createdAt"), eb.ref("f.id")],
              ).as("list"),
            )
            .whereRef("f.patientId", "=", "p.id"),
        ),
        evaluations: listOrEmpty(
          eb
            .selectFrom("Evaluation as v")
            .select((eb) =>
              jsonAgg(
                jsonBuildObject({
                  id: eb.ref("v.id"),
                  evaluatedAt: isoTimestamp(eb.ref("v.evaluatedAt")),
                  // The stored evaluation's shape is the domain's (stored-evaluation.ts), not the schema's.
                  result: eb.ref("v.result").$castTo<StoredEvaluation>(),
                }),
                [eb.ref("v.diagnosisId"), eb.ref("v.id")],
              ).as("list"),
            )
            .whereRef("v.patientId", "=", "p.id")
            .where("v.current", "=", sql.lit(true)),
        ),
      }).as("record"),
    )
    .where("p.id", "=", anyUuid(patientIds))
    .orderBy("p.id");
}

/**
 * The FHIR export's input for many patients in one statement (PostgreSQL builds the JSON, dates
 * as YYYY-MM-DD, timestamps as ISO 8601 UTC), in the order of their ids. Rows entered in error are
 * included; the export marks them. Patients that do not exist are left out.
 */
export async function loadFhirExportRecords(patientIds: readonly string[]): Promise<FhirExportRecord[]> {
  if (patientIds.length === 0) return [];
  const rows = await runQuery(getDb(), exportQuery(patientIds));
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
    const ids: string[] = (await runQuery(getDb(), patientIdsAfter(after, batchSize))).map((row) => row.id);
    if (ids.length === 0) return;
    yield ids;
    after = ids[ids.length - 1]!;
  }
}

function patientIdsAfter(after: string | null, batchSize: number) {
  return qb
    .selectFrom("Patient")
    .select("id")
    .$if(after !== null, (query) => query.where("id", ">", after as string))
    .orderBy("id")
    .limit(batchSize);
}

/** What the site configures for every export: its MRN system. */
export function fhirExportOptions(): FhirExportOptions {
  return { mrnSystem: getEnv().FHIR_MRN_SYSTEM };
}
