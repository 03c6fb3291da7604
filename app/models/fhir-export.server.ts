import type { FhirExportOptions } from "~/domain/fhir/export/patient-resources";
import type { FhirExportRecord } from "~/domain/fhir/export/record";
import type { StoredEvaluation } from "~/domain/referral/stored-evaluation";
import { sql } from "kysely";
import { jsonBuildObject } from "kysely/helpers/postgres";
import { getDb } from "~/server/db.server";
import { anyUuid, qb, rows as runQuery } from "~/server/query-builder.server";
import { getEnv } from "~/server/env.server";
import { expandStoredEvaluation } from "./rule-set.server";
import {
  assessmentsJson,
  diagnosesJson,
  imagingJson,
  PATIENT_CHART_JSON_FIELDS,
  proceduresJson,
  sideEffectsJson,
  therapiesJson,
} from "./record-json.server";
import { isoTimestamp, jsonAgg, listOrEmpty, orNone } from "./sql-json.server";

function exportQuery(patientIds: readonly string[]) {
  return qb
    .selectFrom("Patient as p")
    .innerJoin("User as u", "u.id", "p.assignedPhysicianId")
    .select((eb) =>
      jsonBuildObject({
        patient: jsonBuildObject({ ...PATIENT_CHART_JSON_FIELDS, updatedAt: isoTimestamp(eb.ref("p.updatedAt")) }),
        diagnoses: diagnosesJson((d) => ({
          enteredInErrorReason: d.ref("d.enteredInErrorReason"),
          recordedAt: isoTimestamp(d.ref("d.createdAt")),
        })),
        therapies: therapiesJson((t) => ({
          route: t.ref("t.route"),
          stopNote: t.ref("t.stopNote"),
          enteredInErrorReason: t.ref("t.enteredInErrorReason"),
        })),
        assessments: assessmentsJson(() => ({ sideEffects: sideEffectsJson((e) => ({ id: e.ref("e.id") })) })),
        imaging: imagingJson((i) => ({
          finding: i.ref("i.finding"),
          enteredInErrorReason: i.ref("i.enteredInErrorReason"),
        })),
        procedures: proceduresJson((r) => ({
          scaleName: r.ref("r.scaleName"),
          note: r.ref("r.note"),
          enteredInErrorReason: r.ref("r.enteredInErrorReason"),
          referralId: orNone(
            r
              .selectFrom("Referral as f")
              .select("f.id")
              .whereRef("f.patientId", "=", "p.id")
              .whereRef("f.procedureRecordId", "=", "r.id")
              .orderBy("f.createdAt")
              .orderBy("f.id")
              .limit(1)
              .$asScalar(),
          ),
        })),
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
