/**
 * The tables the simulation fills, as rows of plain values in COPY column order. The row types are
 * Prisma's model types with their values as the wire carries them: dates "YYYY-MM-DD", timestamps
 * ISO 8601 in UTC, JSON columns pre-serialised strings, big integers as numbers. Every column is a
 * required field, so a column added to the schema stops the generator compiling until it fills it.
 */
import { Prisma } from "~/generated/prisma/browser";
import type {
  AssessmentSideEffect,
  AuditEvent,
  ImagingStudy,
  OutcomeAssessment,
  PainDiagnosis,
  Patient,
  ProcedureRecord,
  RecordRevision,
  Referral,
  TherapyTrial,
  User,
} from "~/generated/prisma/client";
import type { IsoDate } from "~/domain/iso-date";

export interface DatasetOptions {
  patients: number;
  seed: number;
  /** The clinic's today (YYYY-MM-DD). Every generated date is before it. */
  today: IsoDate;
}

type Wire<T> = T extends Date ? string : T extends bigint ? number : T;
/** A model's row as COPY text carries it; `Json` columns are given as their serialised text. */
type Row<Model, JsonColumns extends keyof Model = never> = {
  [K in keyof Model]: K extends JsonColumns ? string | Extract<Model[K], null> : Wire<Model[K]>;
};

export type UserRow = Row<User>;
export type PatientRow = Row<Patient>;
export type DiagnosisRow = Row<PainDiagnosis>;
export type ImagingRow = Row<ImagingStudy>;
export type TherapyRow = Row<TherapyTrial>;
export type AssessmentRow = Row<OutcomeAssessment>;
export type SideEffectRow = Row<AssessmentSideEffect>;
export type ProcedureRow = Row<ProcedureRecord>;
export type ReferralRow = Row<Referral>;
export type RevisionRow = Row<RecordRevision, "snapshot">;
export type AuditRow = Row<AuditEvent, "detail">;

export interface DatasetTables {
  User: UserRow;
  Patient: PatientRow;
  PainDiagnosis: DiagnosisRow;
  ImagingStudy: ImagingRow;
  TherapyTrial: TherapyRow;
  OutcomeAssessment: AssessmentRow;
  AssessmentSideEffect: SideEffectRow;
  ProcedureRecord: ProcedureRow;
  Referral: ReferralRow;
  RecordRevision: RevisionRow;
  AuditEvent: AuditRow;
}

export type DatasetTable = keyof DatasetTables;
export type DatasetRow = { [T in DatasetTable]: { table: T; row: DatasetTables[T] } }[DatasetTable];

/** Every column of each table in schema order, from Prisma's generated field lists. */
export const DATASET_COLUMNS = {
  User: Object.values(Prisma.UserScalarFieldEnum),
  Patient: Object.values(Prisma.PatientScalarFieldEnum),
  PainDiagnosis: Object.values(Prisma.PainDiagnosisScalarFieldEnum),
  ImagingStudy: Object.values(Prisma.ImagingStudyScalarFieldEnum),
  TherapyTrial: Object.values(Prisma.TherapyTrialScalarFieldEnum),
  OutcomeAssessment: Object.values(Prisma.OutcomeAssessmentScalarFieldEnum),
  AssessmentSideEffect: Object.values(Prisma.AssessmentSideEffectScalarFieldEnum),
  ProcedureRecord: Object.values(Prisma.ProcedureRecordScalarFieldEnum),
  Referral: Object.values(Prisma.ReferralScalarFieldEnum),
  RecordRevision: Object.values(Prisma.RecordRevisionScalarFieldEnum),
  AuditEvent: Object.values(Prisma.AuditEventScalarFieldEnum),
} satisfies { [T in DatasetTable]: ReadonlyArray<keyof DatasetTables[T] & string> };

/** Tables in load order: parents before children. */
export const DATASET_TABLES = Object.keys(DATASET_COLUMNS) as DatasetTable[];

/** What the enteredInError columns hold on a valid row. */
export const VALID = { enteredInErrorAt: null, enteredInErrorById: null, enteredInErrorReason: null } as const;
