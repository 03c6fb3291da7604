import type { IsoDate } from "~/domain/iso-date";
import type { PatientSnapshot } from "~/domain/referral/types";
import { expressionBuilder, sql, type Expression, type InferResult } from "kysely";
import { jsonBuildObject } from "kysely/helpers/postgres";
import type { AntithromboticDrug, RadicularSign, RedFlag, SideEffectKind } from "~/generated/kysely/types";
import type { DB } from "~/generated/kysely/types";
import type { Db, Tx } from "~/server/db.server";
import { anyUuid, qb, rows as runQuery } from "~/server/query-builder.server";
import { enumList, isoTimestamp, isSet, jsonAgg, jsonTuple, listOrEmpty } from "./sql-json.server";

type Cautions = PatientSnapshot["patient"]["cautions"];

// Column references for the statements that build JSON: the tables under the aliases they use.
const eb = expressionBuilder<
  {
    p: DB["Patient"];
    d: DB["PainDiagnosis"];
    t: DB["TherapyTrial"];
    r: DB["ProcedureRecord"];
    i: DB["ImagingStudy"];
  },
  "p" | "d" | "t" | "r" | "i"
>();

/** The clinical cautions of the Patient row `p`, as the JSON object the engine and the patient page read. */
export const PATIENT_CAUTIONS_JSON = jsonBuildObject({
  onAnticoagulant: eb.ref("p.onAnticoagulant"),
  onAntiplatelet: eb.ref("p.onAntiplatelet"),
  bleedingDisorder: eb.ref("p.bleedingDisorder"),
  pregnant: eb.ref("p.pregnant"),
  contrastAllergy: eb.ref("p.contrastAllergy"),
  poorlyControlledDiabetes: eb.ref("p.poorlyControlledDiabetes"),
  implantedCardiacDevice: eb.ref("p.implantedCardiacDevice"),
  activeInfection: eb.ref("p.activeInfection"),
  onBenzodiazepine: eb.ref("p.onBenzodiazepine"),
  latexAllergy: eb.ref("p.latexAllergy"),
  localAnaestheticAllergy: eb.ref("p.localAnaestheticAllergy"),
  corticosteroidAllergy: eb.ref("p.corticosteroidAllergy"),
}) satisfies Expression<Cautions>;

/** The patient's antithrombotic drugs (`p`), inside JSON. */
export const PATIENT_ANTITHROMBOTICS_JSON = enumList<AntithromboticDrug>(eb.ref("p.antithrombotics"));

// The engine's fields of a diagnosis (`d`), therapy (`t`) and procedure (`r`) row, as
// json_build_object entries: the patient page's statement adds its own after them.
export const DIAGNOSIS_JSON_FIELDS = {
  id: eb.ref("d.id"),
  icd10Code: eb.ref("d.icd10Code"),
  label: eb.ref("d.label"),
  bodyRegion: eb.ref("d.bodyRegion"),
  painType: eb.ref("d.painType"),
  onsetDate: eb.ref("d.onsetDate"),
  surgicalStatus: eb.ref("d.surgicalStatus"),
  redFlags: sql<RedFlag[]>`COALESCE(${eb.ref("d.redFlags")}, '{}')`,
  radicularSigns: sql<RadicularSign[]>`COALESCE(${eb.ref("d.radicularSigns")}, '{}')`,
  enteredInError: isSet(eb.ref("d.enteredInErrorAt")),
};
export const THERAPY_JSON_FIELDS = {
  id: eb.ref("t.id"),
  diagnosisId: eb.ref("t.diagnosisId"),
  modality: eb.ref("t.modality"),
  startDate: eb.ref("t.startDate"),
  endDate: eb.ref("t.endDate"),
  status: eb.ref("t.status"),
  stopReason: eb.ref("t.stopReason"),
  drug: eb.ref("t.drug"),
  dose: eb.ref("t.dose"),
  doseUnit: eb.ref("t.doseUnit"),
  frequency: eb.ref("t.frequency"),
  maxDosesPerDay: eb.ref("t.maxDosesPerDay"),
  sessionsPlanned: eb.ref("t.sessionsPlanned"),
  sessionsAttended: eb.ref("t.sessionsAttended"),
  enteredInError: isSet(eb.ref("t.enteredInErrorAt")),
};
export const PROCEDURE_JSON_FIELDS = {
  id: eb.ref("r.id"),
  diagnosisId: eb.ref("r.diagnosisId"),
  type: eb.ref("r.type"),
  region: eb.ref("r.region"),
  level: eb.ref("r.level"),
  performedOn: eb.ref("r.performedOn"),
  painBefore: eb.ref("r.painBefore"),
  painAfter: eb.ref("r.painAfter"),
  reliefPercent: eb.ref("r.reliefPercent"),
  reliefDurationDays: eb.ref("r.reliefDurationDays"),
  approach: eb.ref("r.approach"),
  injectate: eb.ref("r.injectate"),
  enteredInError: isSet(eb.ref("r.enteredInErrorAt")),
};
export const IMAGING_JSON_FIELDS = {
  id: eb.ref("i.id"),
  diagnosisId: eb.ref("i.diagnosisId"),
  modality: eb.ref("i.modality"),
  performedOn: eb.ref("i.performedOn"),
  concordance: eb.ref("i.concordance"),
  enteredInError: isSet(eb.ref("i.enteredInErrorAt")),
};

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

function snapshotQuery(patientIds: string[]) {
  return qb
    .selectFrom("Patient as p")
    .select((eb) => [
      "p.assignedPhysicianId as physicianId",
      jsonBuildObject({
        patient: jsonBuildObject({
          id: eb.ref("p.id"),
          birthDate: eb.ref("p.birthDate"),
          status: eb.ref("p.status"),
          cautions: PATIENT_CAUTIONS_JSON,
          antithrombotics: PATIENT_ANTITHROMBOTICS_JSON,
          psychEvaluationStatus: eb.ref("p.psychEvaluationStatus"),
          psychEvaluationDate: eb.ref("p.psychEvaluationDate"),
          naloxoneOfferedOn: eb.ref("p.naloxoneOfferedOn"),
        }),
        diagnoses: listOrEmpty(
          eb
            .selectFrom("PainDiagnosis as d")
            .select((eb) => jsonAgg(jsonBuildObject(DIAGNOSIS_JSON_FIELDS), [eb.ref("d.id")]).as("list"))
            .whereRef("d.patientId", "=", "p.id"),
        ),
        therapies: listOrEmpty(
          eb
            .selectFrom("TherapyTrial as t")
            .select((eb) =>
              jsonAgg(jsonBuildObject(THERAPY_JSON_FIELDS), [eb.ref("t.startDate"), eb.ref("t.id")]).as("list"),
            )
            .whereRef("t.patientId", "=", "p.id"),
        ),
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
        procedures: listOrEmpty(
          eb
            .selectFrom("ProcedureRecord as r")
            .select((eb) =>
              jsonAgg(jsonBuildObject(PROCEDURE_JSON_FIELDS), [eb.ref("r.performedOn"), eb.ref("r.id")]).as("list"),
            )
            .whereRef("r.patientId", "=", "p.id"),
        ),
        imaging: listOrEmpty(
          eb
            .selectFrom("ImagingStudy as i")
            .select((eb) =>
              jsonAgg(jsonBuildObject(IMAGING_JSON_FIELDS), [eb.ref("i.performedOn"), eb.ref("i.id")]).as("list"),
            )
            .whereRef("i.patientId", "=", "p.id"),
        ),
      }).as("snapshot"),
    ])
    .where("p.id", "=", anyUuid(patientIds));
}

/**
 * An assessment as PostgreSQL sends it: a tuple, because writing the keys of 1.6 million objects
 * was a quarter of the nightly run's snapshot statement.
 */
type AssessmentTuple = InferResult<ReturnType<typeof snapshotQuery>>[number]["snapshot"]["assessments"][number];
