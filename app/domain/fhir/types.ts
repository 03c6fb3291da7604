import type { IsoDate } from "../iso-date";
import type { MedicationFrequency } from "../pathway-vocabulary";
import type { MedicationMme } from "../clinical/mme";
import type {
  Adherence,
  AntithromboticDrug,
  BodyRegion,
  EsiApproach,
  ImagingConcordance,
  ImagingModality,
  PainType,
  ProcedureType,
  Limitation,
  PsychEvaluationStatus,
  RadicularSign,
  RedFlag,
  Sex,
  SideEffectKind,
  SideEffectSeverity,
  StopReason,
  SurgicalStatus,
  TherapyModality,
  TherapyStatus,
} from "~/generated/prisma/enums";

/** Where an imported row came from: the source resource, so a later export updates the same row. */
export interface SourceRef {
  /** `ResourceType/id` as the source names it (the key that makes an import idempotent). */
  resource: string;
  /** The source's own version (meta.versionId or meta.lastUpdated), when it gives one. */
  version: string | null;
}

export type PatientCautionFlag =
  | "onAnticoagulant"
  | "onAntiplatelet"
  | "onBenzodiazepine"
  | "contrastAllergy"
  | "latexAllergy"
  | "localAnaestheticAllergy"
  | "corticosteroidAllergy"
  // Only PainPath's own cautions Observation states these (an EHR export has no coded form of them).
  | "bleedingDisorder"
  | "pregnant"
  | "poorlyControlledDiabetes"
  | "implantedCardiacDevice"
  | "activeInfection";

export interface DraftPatient {
  source: SourceRef;
  /** The medical record number: the only identifier PainPath keeps. */
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: IsoDate;
  sex: Sex;
  /** Cautions the record proves (a current medication or an allergy); absent ones are unknown, not false. */
  cautions: PatientCautionFlag[];
  /** Current anticoagulants and antiplatelets PainPath knows by drug (their hold guidance); others are a caution. */
  antithrombotics: AntithromboticDrug[];
  /** Allergies that are not a coded caution, as the record words them. */
  allergyNotes: string[];
  // The optional fields below come only from PainPath's own codes (a PainPath export); absent, they
  // leave the row's hash as it was before they existed, so an EHR's rows do not look changed.
  psychEvaluation?: { status: PsychEvaluationStatus; date: IsoDate | null };
  naloxoneOfferedOn?: IsoDate;
}

export interface DraftDiagnosis {
  source: SourceRef;
  icd10Code: string;
  label: string;
  bodyRegion: BodyRegion;
  painType: PainType;
  onsetDate: IsoDate;
  /** The coding the diagnosis was mapped from, e.g. "SNOMED CT 278860009". */
  mappedFrom: string;
  surgicalStatus?: SurgicalStatus;
  redFlags?: RedFlag[];
  radicularSigns?: RadicularSign[];
}

/** An imaging study as PainPath records it, read back from PainPath's own export only. */
export interface DraftImaging {
  source: SourceRef;
  diagnosisSource: string | null;
  modality: ImagingModality;
  performedOn: IsoDate;
  concordance: ImagingConcordance;
  finding: string;
}

/** Why a medication's daily MME is or is not known. */
export type DraftMme =
  | { status: "not-an-opioid" }
  | { status: "calculated"; result: MedicationMme }
  | { status: "cannot-compute"; reason: string };

export interface DraftTherapy {
  source: SourceRef;
  /** Source key of the diagnosis it treats; null when the record does not say and cannot be told. */
  diagnosisSource: string | null;
  modality: TherapyModality;
  /** An opioid id from the MME table, or the ingredient name. */
  drug: string | null;
  /** The product as the source names it (RxNorm name), e.g. with "Extended Release". */
  product: string | null;
  rxnormCode: string | null;
  extendedRelease: boolean;
  dose: number | null;
  doseUnit: string | null;
  frequency: MedicationFrequency | null;
  maxDosesPerDay: number | null;
  route: string | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
  status: TherapyStatus;
  /** Session-based therapy imported from Procedure resources: each completed session counts. */
  sessionsAttended: number | null;
  mme: DraftMme;
  sessionsPlanned?: number;
  stopReason?: StopReason;
  stopNote?: string;
}

/**
 * One imported score. A FHIR Observation carries one number, so every other component is null: an
 * imported pain NRS is never turned into a full assessment (no average, worst, PEG or limitation).
 */
export interface DraftScore {
  source: SourceRef;
  date: IsoDate;
  painNow: number | null;
  pegScore: number | null;
}

export interface DraftProcedure {
  source: SourceRef;
  diagnosisSource: string | null;
  type: ProcedureType;
  region: BodyRegion;
  approach: EsiApproach | null;
  performedOn: IsoDate;
  mappedFrom: string;
  /** Level, injectate, scale and relief, as PainPath's own extensions carry them. */
  detail?: {
    level: string | null;
    injectate: string | null;
    scaleName: string;
    painBefore: number | null;
    painAfter: number | null;
    reliefPercent: number | null;
    reliefDurationDays: number | null;
    note: string | null;
  };
}

/** The values of a complete outcome assessment, as PainPath's export writes them and its import reads them. */
export interface AssessmentValues {
  date: IsoDate;
  painNow: number;
  painAverage: number;
  painWorst: number;
  pegPain: number;
  pegEnjoyment: number;
  pegActivity: number;
  pegScore: number;
  odiPercent: number | null;
  ndiPercent: number | null;
  limitation: Limitation;
  adherence: Adherence | null;
  note: string | null;
}

/**
 * A complete outcome assessment, read back from PainPath's own export (pain now with average and
 * worst, the PEG with its three items, the limitation, optionally ODI, NDI, adherence and side
 * effects). Only a complete one becomes an assessment; anything less stays scores (decision 010).
 */
export interface DraftAssessment extends AssessmentValues {
  source: SourceRef;
  /** When the source recorded it (`issued`): of two assessments on one day, the later is the latest. */
  recordedAt: string | null;
  sideEffects: Array<{ therapySource: string; severity: SideEffectSeverity; kinds: SideEffectKind[] }>;
}

export interface PathwayDraft {
  patient: DraftPatient;
  diagnoses: DraftDiagnosis[];
  therapies: DraftTherapy[];
  scores: DraftScore[];
  assessments: DraftAssessment[];
  imaging: DraftImaging[];
  procedures: DraftProcedure[];
}

/** A code the maps do not know, for the review list (one row per code, whatever the number of patients). */
export interface UnknownCode {
  kind: "condition" | "medication";
  system: string;
  code: string;
  display: string;
}

export type ResourceOutcome =
  | { resource: string; status: "mapped"; as: string; notes: string[] }
  | { resource: string; status: "needs-review"; as: string | null; reason: string; unknownCode?: UnknownCode }
  /** `unknownCode`: a condition code the maps do not know, listed for review though the row is skipped. */
  | { resource: string; status: "skipped"; reason: string; unknownCode?: UnknownCode };

/** What a nurse or administrator decided for an unknown code; remembered for later imports. */
export type CodeDecision =
  | {
      action: "diagnosis";
      icd10Code: string;
      label: string;
      bodyRegion: BodyRegion;
      painType: PainType;
    }
  | { action: "therapy"; modality: TherapyModality; drug: string | null }
  | { action: "ignore" };

export interface MappingOptions {
  /** Identifier systems that hold the MRN, when the source does not type it `MR`. */
  mrnSystems?: readonly string[];
  /** Decisions from the review list, keyed by `codeKey(system, code)`. */
  decisions?: ReadonlyMap<string, CodeDecision>;
}

export interface PatientMapping {
  /** Null when the patient cannot be imported at all; `error` says why. */
  draft: PathwayDraft | null;
  error: string | null;
  outcomes: ResourceOutcome[];
}
