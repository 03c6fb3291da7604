import { sql } from "kysely";
import { jsonBuildObject } from "kysely/helpers/postgres";
import type { PathwayRecord } from "~/domain/pathway-overview";
import { getDb } from "~/server/db.server";
import { firstRow, prepared, qb } from "~/server/query-builder.server";
import {
  assessmentsJson,
  diagnosesJson,
  imagingJson,
  PATIENT_CHART_JSON_FIELDS,
  proceduresJson,
  sideEffectsJson,
  therapiesJson,
} from "./record-json.server";

// Compiled once: the page runs it at every view (prepared() says why).
const patientRecordQuery = prepared((patientId: string) =>
  qb
    .selectFrom("Patient as p")
    .innerJoin("User as u", "u.id", "p.assignedPhysicianId")
    .select((eb) =>
      jsonBuildObject({
        patient: jsonBuildObject({ ...PATIENT_CHART_JSON_FIELDS, version: eb.ref("p.version") }),
        diagnoses: diagnosesJson((d) => ({
          version: d.ref("d.version"),
          enteredInErrorReason: d.ref("d.enteredInErrorReason"),
        })),
        therapies: therapiesJson((t) => ({
          version: t.ref("t.version"),
          stopNote: t.ref("t.stopNote"),
          route: t.ref("t.route"),
          enteredInErrorReason: t.ref("t.enteredInErrorReason"),
        })),
        assessments: assessmentsJson((a) => ({
          version: a.ref("a.version"),
          recordedBy: a.fn.coalesce(
            a
              .selectFrom("User as recorder")
              .select("recorder.name")
              .whereRef("recorder.id", "=", "a.recordedById")
              .$asScalar(),
            sql.lit("unknown"),
          ),
          sideEffects: sideEffectsJson(),
        })),
        procedures: proceduresJson((r) => ({
          version: r.ref("r.version"),
          scaleName: r.ref("r.scaleName"),
          enteredInErrorReason: r.ref("r.enteredInErrorReason"),
        })),
        imaging: imagingJson((i) => ({
          version: i.ref("i.version"),
          finding: i.ref("i.finding"),
          enteredInErrorReason: i.ref("i.enteredInErrorReason"),
        })),
      }).as("record"),
    )
    .where("p.id", "=", patientId),
);

/**
 * Everything the patient page shows of the record, as plain values, in one statement: PostgreSQL
 * builds the JSON (dates as YYYY-MM-DD, timestamps as ISO 8601 UTC), as for the engine's snapshots.
 * Eight ORM queries and their row mapping were a fifth of the page's server time.
 */
export async function loadPatientRecord(patientId: string) {
  const row = await firstRow(getDb(), patientRecordQuery(patientId));
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
