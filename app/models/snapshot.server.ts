import type { IsoDate } from "~/domain/iso-date";
import type { PatientSnapshot } from "~/domain/referral/types";
import type { InferResult } from "kysely";
import { jsonBuildObject } from "kysely/helpers/postgres";
import type { SideEffectKind } from "~/generated/kysely/types";
import type { Db, Tx } from "~/server/db.server";
import { anyUuid, prepared, qb, rows as runQuery } from "~/server/query-builder.server";
import { diagnosesJson, imagingJson, PATIENT_JSON_FIELDS, proceduresJson, therapiesJson } from "./record-json.server";
import { enumList, isoTimestamp, isSet, jsonAgg, jsonTuple, listOrEmpty } from "./sql-json.server";

export interface LoadedSnapshot {
  snapshot: PatientSnapshot;
  physicianId: string;
}

type Assessment = PatientSnapshot["assessments"][number];

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
  const rows = await runQuery(db, snapshotQuery(patientIds));
  return rows.map(({ physicianId, snapshot }) => ({
    physicianId,
    snapshot: { evaluatedOn, ...snapshot, assessments: snapshot.assessments.map(assessmentOf) },
  }));
}

// Compiled once: every clinical write re-evaluates through it (prepared() says why).
const snapshotQuery = prepared((patientIds: string[]) =>
  qb
    .selectFrom("Patient as p")
    .select((eb) => [
      "p.assignedPhysicianId as physicianId",
      jsonBuildObject({
        patient: jsonBuildObject(PATIENT_JSON_FIELDS),
        diagnoses: diagnosesJson(undefined, "id"),
        therapies: therapiesJson(),
        assessments: listOrEmpty(
          eb
            .selectFrom("OutcomeAssessment as a")
            // A side effect is always on one of the patient's own medications (recordAssessment checks it):
            // reached through the patient's few therapies, not with one lookup per assessment.
            .leftJoin(
              (eb) =>
                eb
                  .selectFrom("TherapyTrial as t")
                  .innerJoin("AssessmentSideEffect as e", "e.therapyTrialId", "t.id")
                  .select((eb) => [
                    "e.assessmentId",
                    jsonAgg(
                      jsonTuple(
                        eb.ref("e.therapyTrialId"),
                        eb.ref("e.severity"),
                        enumList<SideEffectKind>(eb.ref("e.kinds")),
                      ),
                      [eb.ref("e.therapyTrialId")],
                    ).as("effects"),
                  ])
                  .whereRef("t.patientId", "=", "p.id")
                  .groupBy("e.assessmentId")
                  .as("side"),
              (join) => join.onRef("side.assessmentId", "=", "a.id"),
            )
            .select((eb) =>
              jsonAgg(
                jsonTuple(
                  eb.ref("a.id"),
                  eb.ref("a.assessedOn"),
                  eb.ref("a.painNow"),
                  eb.ref("a.painAverage"),
                  eb.ref("a.painWorst"),
                  eb.ref("a.pegScore"),
                  eb.ref("a.odiPercent"),
                  eb.ref("a.ndiPercent"),
                  eb.ref("a.limitation"),
                  isoTimestamp(eb.ref("a.recordedAt")),
                  isSet(eb.ref("a.enteredInErrorAt")),
                  eb.ref("side.effects"),
                ),
                [eb.ref("a.assessedOn"), eb.ref("a.recordedAt"), eb.ref("a.id")],
              ).as("list"),
            )
            .whereRef("a.patientId", "=", "p.id"),
        ),
        procedures: proceduresJson(),
        imaging: imagingJson(),
      }).as("snapshot"),
    ])
    .where("p.id", "=", anyUuid(patientIds)),
);

/**
 * An assessment as PostgreSQL sends it: a tuple, because writing the keys of 1.6 million objects
 * was a quarter of the nightly run's snapshot statement.
 */
type AssessmentTuple = InferResult<ReturnType<typeof snapshotQuery>>[number]["snapshot"]["assessments"][number];
