import type { PatientSnapshot } from "~/domain/referral/types";
import { expressionBuilder, sql, type Expression, type ExpressionBuilder } from "kysely";
import { jsonBuildObject } from "kysely/helpers/postgres";
import type { AntithromboticDrug, DB, RadicularSign, RedFlag, SideEffectKind } from "~/generated/kysely/types";
import { enumList, isoTimestamp, isSet, jsonAgg, listOrEmpty } from "./sql-json.server";

// The JSON shapes of a patient's clinical rows, written once for the statements that build them in
// PostgreSQL: the engine's snapshots, the patient page and the FHIR export. Each takes the fields
// all of them read and adds those of its own after them.

type Fields = Record<string, Expression<unknown>>;

// Column references under the aliases the statements use.
const eb = expressionBuilder<
  {
    p: DB["Patient"];
    u: DB["User"];
    d: DB["PainDiagnosis"];
    t: DB["TherapyTrial"];
    a: DB["OutcomeAssessment"];
    e: DB["AssessmentSideEffect"];
    r: DB["ProcedureRecord"];
    i: DB["ImagingStudy"];
  },
  "p" | "u" | "d" | "t" | "a" | "e" | "r" | "i"
>();

/** The clinical cautions of the Patient row `p`, as the JSON object the engine and the patient page read. */
const PATIENT_CAUTIONS_JSON = jsonBuildObject({
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
}) satisfies Expression<PatientSnapshot["patient"]["cautions"]>;

/** The engine's fields of the Patient row `p`. */
export const PATIENT_JSON_FIELDS = {
  id: eb.ref("p.id"),
  birthDate: eb.ref("p.birthDate"),
  status: eb.ref("p.status"),
  cautions: PATIENT_CAUTIONS_JSON,
  antithrombotics: enumList<AntithromboticDrug>(eb.ref("p.antithrombotics")),
  psychEvaluationStatus: eb.ref("p.psychEvaluationStatus"),
  psychEvaluationDate: eb.ref("p.psychEvaluationDate"),
  naloxoneOfferedOn: eb.ref("p.naloxoneOfferedOn"),
};

/** The patient `p` as a chart shows it, with the name of the assigned physician `u`. */
export const PATIENT_CHART_JSON_FIELDS = {
  ...PATIENT_JSON_FIELDS,
  mrn: eb.ref("p.mrn"),
  givenName: eb.ref("p.givenName"),
  familyName: eb.ref("p.familyName"),
  sex: eb.ref("p.sex"),
  physicianName: eb.ref("u.name"),
  allergyNotes: eb.ref("p.allergyNotes"),
};

const DIAGNOSIS_JSON_FIELDS = {
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
const THERAPY_JSON_FIELDS = {
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
/** The fields of an OutcomeAssessment row `a` that the patient page and the FHIR export read. */
const ASSESSMENT_JSON_FIELDS = {
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
  adherence: eb.ref("a.adherence"),
  limitation: eb.ref("a.limitation"),
  note: eb.ref("a.note"),
  recordedAt: isoTimestamp(eb.ref("a.recordedAt")),
  enteredInError: isSet(eb.ref("a.enteredInErrorAt")),
  enteredInErrorReason: eb.ref("a.enteredInErrorReason"),
};
const PROCEDURE_JSON_FIELDS = {
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
const IMAGING_JSON_FIELDS = {
  id: eb.ref("i.id"),
  diagnosisId: eb.ref("i.diagnosisId"),
  modality: eb.ref("i.modality"),
  performedOn: eb.ref("i.performedOn"),
  concordance: eb.ref("i.concordance"),
  enteredInError: isSet(eb.ref("i.enteredInErrorAt")),
};

// The lists below are scalar subqueries on the patient `p` of the statement they stand in.
type InPatient = DB & { p: DB["Patient"] };
const patient = expressionBuilder<InPatient, "p">();
/** The builder a list's own extra fields are written with: its table under its alias, and `p`. */
type Row<A extends string, T extends keyof DB> = ExpressionBuilder<InPatient & { [K in A]: DB[T] }, "p" | A>;

const none = () => ({});

/** The patient's diagnoses (`d`), by onset, or by id as the engine has always read them. */
export function diagnosesJson<E extends Fields>(
  extra: (d: Row<"d", "PainDiagnosis">) => E = none as () => E,
  order: "onset" | "id" = "onset",
) {
  return listOrEmpty(
    patient
      .selectFrom("PainDiagnosis as d")
      .select((d) =>
        jsonAgg(
          jsonBuildObject({ ...DIAGNOSIS_JSON_FIELDS, ...extra(d) }),
          order === "onset" ? [d.ref("d.onsetDate"), d.ref("d.id")] : [d.ref("d.id")],
        ).as("list"),
      )
      .whereRef("d.patientId", "=", "p.id"),
  );
}

/** The patient's therapies (`t`), by start date. */
export function therapiesJson<E extends Fields>(extra: (t: Row<"t", "TherapyTrial">) => E = none as () => E) {
  return listOrEmpty(
    patient
      .selectFrom("TherapyTrial as t")
      .select((t) =>
        jsonAgg(jsonBuildObject({ ...THERAPY_JSON_FIELDS, ...extra(t) }), [t.ref("t.startDate"), t.ref("t.id")]).as(
          "list",
        ),
      )
      .whereRef("t.patientId", "=", "p.id"),
  );
}

/** The patient's procedures (`r`), by date performed. */
export function proceduresJson<E extends Fields>(extra: (r: Row<"r", "ProcedureRecord">) => E = none as () => E) {
  return listOrEmpty(
    patient
      .selectFrom("ProcedureRecord as r")
      .select((r) =>
        jsonAgg(jsonBuildObject({ ...PROCEDURE_JSON_FIELDS, ...extra(r) }), [r.ref("r.performedOn"), r.ref("r.id")]).as(
          "list",
        ),
      )
      .whereRef("r.patientId", "=", "p.id"),
  );
}

/** The patient's imaging studies (`i`), by date performed. */
export function imagingJson<E extends Fields>(extra: (i: Row<"i", "ImagingStudy">) => E = none as () => E) {
  return listOrEmpty(
    patient
      .selectFrom("ImagingStudy as i")
      .select((i) =>
        jsonAgg(jsonBuildObject({ ...IMAGING_JSON_FIELDS, ...extra(i) }), [i.ref("i.performedOn"), i.ref("i.id")]).as(
          "list",
        ),
      )
      .whereRef("i.patientId", "=", "p.id"),
  );
}

/** The patient's assessments (`a`), by day, then the time recorded. */
export function assessmentsJson<E extends Fields>(extra: (a: Row<"a", "OutcomeAssessment">) => E) {
  return listOrEmpty(
    patient
      .selectFrom("OutcomeAssessment as a")
      .select((a) =>
        jsonAgg(jsonBuildObject({ ...ASSESSMENT_JSON_FIELDS, ...extra(a) }), [
          a.ref("a.assessedOn"),
          a.ref("a.recordedAt"),
          a.ref("a.id"),
        ]).as("list"),
      )
      .whereRef("a.patientId", "=", "p.id"),
  );
}

type InAssessment = DB & { a: DB["OutcomeAssessment"] };
const inAssessment = expressionBuilder<InAssessment, "a">();

/** The side effects recorded with the assessment `a` (`e`), by therapy. */
export function sideEffectsJson<E extends Fields>(
  extra: (e: ExpressionBuilder<InAssessment & { e: DB["AssessmentSideEffect"] }, "a" | "e">) => E = none as () => E,
) {
  return listOrEmpty(
    inAssessment
      .selectFrom("AssessmentSideEffect as e")
      .select((e) =>
        jsonAgg(
          jsonBuildObject({
            ...extra(e),
            therapyTrialId: e.ref("e.therapyTrialId"),
            severity: e.ref("e.severity"),
            kinds: enumList<SideEffectKind>(e.ref("e.kinds")),
          }),
          [e.ref("e.therapyTrialId")],
        ).as("list"),
      )
      .whereRef("e.assessmentId", "=", "a.id"),
  );
}
