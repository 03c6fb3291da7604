import type { IsoDate } from "../iso-date";
import type { MedicationFrequency } from "../pathway-vocabulary";
import type { MedicationMme } from "../clinical/mme";
import type {
  AntithromboticDrug,
  BodyRegion,
  EsiApproach,
  PainType,
  ProcedureType,
  Sex,
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
  | "corticosteroidAllergy";

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
}

export interface PathwayDraft {
  patient: DraftPatient;
  diagnoses: DraftDiagnosis[];
  therapies: DraftTherapy[];
  scores: DraftScore[];
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
