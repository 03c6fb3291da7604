/**
 * The tables the synthetic dataset fills, as rows of plain values in COPY column order. Dates are
 * "YYYY-MM-DD", timestamps ISO 8601 in UTC, JSON columns pre-serialised strings.
 */
import type {
  Adherence,
  BodyRegion,
  Limitation,
  PainType,
  PatientStatus,
  ProcedureType,
  PsychEvaluationStatus,
  ReferralStatus,
  ReferralUrgency,
  RedFlag,
  Role,
  Sex,
  SideEffectSeverity,
  StopReason,
  SurgicalStatus,
  TherapyModality,
  TherapyStatus,
} from "~/generated/prisma/enums";
import type { IsoDate } from "~/domain/iso-date";

export interface DatasetOptions {
  patients: number;
  seed: number;
  /** The clinic's today (YYYY-MM-DD). Every generated date is before it. */
  today: IsoDate;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface PatientRow {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: Sex;
  status: PatientStatus;
  assignedPhysicianId: string;
  onAnticoagulant: boolean;
  onAntiplatelet: boolean;
  bleedingDisorder: boolean;
  pregnant: boolean;
  contrastAllergy: boolean;
  poorlyControlledDiabetes: boolean;
  implantedCardiacDevice: boolean;
  activeInfection: boolean;
  psychEvaluationStatus: PsychEvaluationStatus;
  psychEvaluationDate: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdById: string;
}

interface EnteredInErrorColumns {
  enteredInErrorAt: string | null;
  enteredInErrorById: string | null;
  enteredInErrorReason: string | null;
}

export interface DiagnosisRow extends EnteredInErrorColumns {
  id: string;
  patientId: string;
  icd10Code: string;
  label: string;
  bodyRegion: BodyRegion;
  painType: PainType;
  onsetDate: string;
  surgicalStatus: SurgicalStatus;
  redFlags: RedFlag[];
  version: number;
  createdAt: string;
  updatedAt: string;
  createdById: string;
}

export interface TherapyRow extends EnteredInErrorColumns {
  id: string;
  patientId: string;
  diagnosisId: string;
  modality: TherapyModality;
  startDate: string;
  endDate: string | null;
  status: TherapyStatus;
  stopReason: StopReason | null;
  stopNote: string | null;
  drug: string | null;
  dose: number | null;
  doseUnit: string | null;
  frequency: string | null;
  maxDosesPerDay: number | null;
  route: string | null;
  sessionsPlanned: number | null;
  sessionsAttended: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdById: string;
}

export interface AssessmentRow extends EnteredInErrorColumns {
  id: string;
  patientId: string;
  assessedOn: string;
  painNow: number;
  painAverage: number;
  painWorst: number;
  pegPain: number;
  pegEnjoyment: number;
  pegActivity: number;
  pegScore: number;
  odiPercent: number | null;
  ndiPercent: number | null;
  adherence: Adherence | null;
  limitation: Limitation;
  note: string | null;
  recordedById: string;
  recordedAt: string;
  version: number;
  updatedAt: string;
}

export interface SideEffectRow {
  id: string;
  assessmentId: string;
  therapyTrialId: string;
  severity: SideEffectSeverity;
}

export interface ProcedureRow extends EnteredInErrorColumns {
  id: string;
  patientId: string;
  diagnosisId: string | null;
  type: ProcedureType;
  region: BodyRegion;
  level: string | null;
  performedOn: string;
  scaleName: string;
  painBefore: number | null;
  painAfter: number | null;
  reliefPercent: number | null;
  reliefDurationDays: number | null;
  note: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdById: string;
}

export interface ReferralRow {
  id: string;
  patientId: string;
  diagnosisId: string;
  flagId: null;
  evaluationId: null;
  procedure: ProcedureType;
  receivingClinic: string;
  urgency: ReferralUrgency;
  reason: string;
  conservativeCareContinues: boolean;
  status: ReferralStatus;
  scheduledFor: string | null;
  procedureDate: string | null;
  reliefPercent: number | null;
  reliefDurationDays: number | null;
  cancelReason: string | null;
  procedureRecordId: string | null;
  createdById: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface RevisionRow {
  id: number;
  entityType: string;
  entityId: string;
  patientId: string;
  version: number;
  changedById: string;
  changedAt: string;
  reason: string | null;
  snapshot: string;
}

export interface AuditRow {
  id: number;
  at: string;
  userId: string | null;
  userRole: Role | null;
  action: string;
  outcome: string;
  entityType: string | null;
  entityId: string | null;
  patientId: string | null;
  clientAddress: string | null;
  requestId: string | null;
  detail: string | null;
}

export interface DatasetTables {
  User: UserRow;
  Patient: PatientRow;
  PainDiagnosis: DiagnosisRow;
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

/** Column lists; the second argument fails to type-check when a row field has no column. */
function columns<R>() {
  return <const C extends ReadonlyArray<keyof R & string>>(
    list: C,
    ..._complete: [Exclude<keyof R, C[number]>] extends [never] ? [] : [missing: Exclude<keyof R, C[number]>]
  ): C => list;
}

const enteredInErrorColumns = ["enteredInErrorAt", "enteredInErrorById", "enteredInErrorReason"] as const;

export const DATASET_COLUMNS = {
  User: columns<UserRow>()(["id", "email", "name", "role", "active", "passwordHash", "createdAt", "updatedAt"]),
  Patient: columns<PatientRow>()([
    "id",
    "mrn",
    "givenName",
    "familyName",
    "birthDate",
    "sex",
    "status",
    "assignedPhysicianId",
    "onAnticoagulant",
    "onAntiplatelet",
    "bleedingDisorder",
    "pregnant",
    "contrastAllergy",
    "poorlyControlledDiabetes",
    "implantedCardiacDevice",
    "activeInfection",
    "psychEvaluationStatus",
    "psychEvaluationDate",
    "version",
    "createdAt",
    "updatedAt",
    "createdById",
  ]),
  PainDiagnosis: columns<DiagnosisRow>()([
    "id",
    "patientId",
    "icd10Code",
    "label",
    "bodyRegion",
    "painType",
    "onsetDate",
    "surgicalStatus",
    "redFlags",
    "version",
    "createdAt",
    "updatedAt",
    "createdById",
    ...enteredInErrorColumns,
  ]),
  TherapyTrial: columns<TherapyRow>()([
    "id",
    "patientId",
    "diagnosisId",
    "modality",
    "startDate",
    "endDate",
    "status",
    "stopReason",
    "stopNote",
    "drug",
    "dose",
    "doseUnit",
    "frequency",
    "maxDosesPerDay",
    "route",
    "sessionsPlanned",
    "sessionsAttended",
    "version",
    "createdAt",
    "updatedAt",
    "createdById",
    ...enteredInErrorColumns,
  ]),
  OutcomeAssessment: columns<AssessmentRow>()([
    "id",
    "patientId",
    "assessedOn",
    "painNow",
    "painAverage",
    "painWorst",
    "pegPain",
    "pegEnjoyment",
    "pegActivity",
    "pegScore",
    "odiPercent",
    "ndiPercent",
    "adherence",
    "limitation",
    "note",
    "recordedById",
    "recordedAt",
    "version",
    "updatedAt",
    ...enteredInErrorColumns,
  ]),
  AssessmentSideEffect: columns<SideEffectRow>()(["id", "assessmentId", "therapyTrialId", "severity"]),
  ProcedureRecord: columns<ProcedureRow>()([
    "id",
    "patientId",
    "diagnosisId",
    "type",
    "region",
    "level",
    "performedOn",
    "scaleName",
    "painBefore",
    "painAfter",
    "reliefPercent",
    "reliefDurationDays",
    "note",
    "version",
    "createdAt",
    "updatedAt",
    "createdById",
    ...enteredInErrorColumns,
  ]),
  Referral: columns<ReferralRow>()([
    "id",
    "patientId",
    "diagnosisId",
    "flagId",
    "evaluationId",
    "procedure",
    "receivingClinic",
    "urgency",
    "reason",
    "conservativeCareContinues",
    "status",
    "scheduledFor",
    "procedureDate",
    "reliefPercent",
    "reliefDurationDays",
    "cancelReason",
    "procedureRecordId",
    "createdById",
    "createdAt",
    "updatedAt",
    "version",
  ]),
  RecordRevision: columns<RevisionRow>()([
    "id",
    "entityType",
    "entityId",
    "patientId",
    "version",
    "changedById",
    "changedAt",
    "reason",
    "snapshot",
  ]),
  AuditEvent: columns<AuditRow>()([
    "id",
    "at",
    "userId",
    "userRole",
    "action",
    "outcome",
    "entityType",
    "entityId",
    "patientId",
    "clientAddress",
    "requestId",
    "detail",
  ]),
} satisfies { [T in DatasetTable]: ReadonlyArray<keyof DatasetTables[T] & string> };

/** Tables in load order: parents before children. */
export const DATASET_TABLES = Object.keys(DATASET_COLUMNS) as DatasetTable[];
