import type { IsoDate } from "../iso-date";
import type {
  AntithromboticDrug,
  BodyRegion,
  EsiApproach,
  ImagingConcordance,
  ImagingModality,
  Limitation,
  PainType,
  ProcedureType,
  PsychEvaluationStatus,
  RadicularSign,
  RedFlag,
  SideEffectKind,
  SideEffectSeverity,
  StopReason,
  SurgicalStatus,
  TherapyModality,
  TherapyStatus,
} from "~/generated/prisma/enums";

/**
 * What the referral engine reads: one patient's record as plain values at one moment. The engine
 * never touches a database or a clock; `evaluatedOn` is "today" for every window and duration.
 * Entered-in-error rows may be present (flagged) and must be ignored by every rule.
 */
export interface PatientSnapshot {
  evaluatedOn: IsoDate;
  patient: {
    id: string;
    birthDate: IsoDate;
    status: "ACTIVE" | "DISCHARGED";
    cautions: {
      onAnticoagulant: boolean;
      onAntiplatelet: boolean;
      bleedingDisorder: boolean;
      pregnant: boolean;
      contrastAllergy: boolean;
      poorlyControlledDiabetes: boolean;
      implantedCardiacDevice: boolean;
      activeInfection: boolean;
      /** Prescribed a benzodiazepine (by anyone): CDC 2022 Rec 11 cautions against it with an opioid. */
      onBenzodiazepine: boolean;
      latexAllergy: boolean;
      localAnaestheticAllergy: boolean;
      corticosteroidAllergy: boolean;
    };
    /** Anticoagulants and antiplatelets by drug; the cautions' booleans cover a drug not in the list. */
    antithrombotics: AntithromboticDrug[];
    /** When naloxone was last offered (CDC 2022 Rec 8); null when never recorded. */
    naloxoneOfferedOn: IsoDate | null;
    psychEvaluationStatus: PsychEvaluationStatus;
    psychEvaluationDate: IsoDate | null;
  };
  diagnoses: Array<{
    id: string;
    icd10Code: string;
    label: string;
    bodyRegion: BodyRegion;
    painType: PainType;
    onsetDate: IsoDate;
    surgicalStatus: SurgicalStatus;
    redFlags: RedFlag[];
    /** Examination findings of radiculopathy; absent on records made before they were recorded. */
    radicularSigns?: RadicularSign[];
    enteredInError: boolean;
  }>;
  therapies: Array<{
    id: string;
    diagnosisId: string;
    modality: TherapyModality;
    startDate: IsoDate;
    endDate: IsoDate | null;
    status: TherapyStatus;
    stopReason: StopReason | null;
    drug: string | null;
    dose: number | null;
    doseUnit: string | null;
    frequency: string | null;
    maxDosesPerDay: number | null;
    sessionsPlanned: number | null;
    sessionsAttended: number | null;
    enteredInError: boolean;
  }>;
  /**
   * A component is null when it was not measured: a score imported from FHIR carries one number
   * (e.g. a pain NRS) and nothing else. The rules read only complete assessments (snapshot-index.ts).
   */
  assessments: Array<{
    id: string;
    date: IsoDate;
    painNow: number | null;
    painAverage: number | null;
    painWorst: number | null;
    pegScore: number | null;
    odiPercent: number | null;
    ndiPercent: number | null;
    limitation: Limitation | null;
    /** `kinds` says what each side effect was; absent on records made before kinds were recorded. */
    sideEffects: Array<{ therapyTrialId: string; severity: SideEffectSeverity; kinds?: SideEffectKind[] }>;
    /** When it was recorded (ISO timestamp): of two assessments on one day, the later recorded is the latest. */
    recordedAt?: string;
    enteredInError: boolean;
  }>;
  /** Imaging studies of a diagnosis; absent on snapshots made before imaging was recorded. */
  imaging?: Array<{
    id: string;
    diagnosisId: string;
    modality: ImagingModality;
    performedOn: IsoDate;
    concordance: ImagingConcordance;
    enteredInError: boolean;
  }>;
  procedures: Array<{
    id: string;
    diagnosisId: string | null;
    type: ProcedureType;
    region: BodyRegion;
    level: string | null;
    /** Epidural injections; absent on records made before they were recorded. */
    approach?: EsiApproach | null;
    injectate?: string | null;
    performedOn: IsoDate;
    painBefore: number | null;
    painAfter: number | null;
    reliefPercent: number | null;
    reliefDurationDays: number | null;
    enteredInError: boolean;
  }>;
}

export type CriterionStatus = "met" | "not-met" | "not-enough-data";

/** One piece of the record a criterion used, linkable from the patient page. */
export interface Evidence {
  kind: "diagnosis" | "therapy" | "assessment" | "procedure" | "imaging" | "patient" | "counter";
  /** The record's id, when the evidence is a record. */
  id?: string;
  /** e.g. "Oxycodone 10 mg twice daily, 2025-01-04 – 2025-03-01, stopped: side effects". */
  summary: string;
}

/** A threshold as applied, with every source's value where sources disagree. */
export interface AppliedParameter {
  name: string;
  label: string;
  value: number;
  unit: string;
  alternatives: Array<{ source: string; value: number }>;
}

export interface CriterionResult {
  ruleId: string;
  ruleVersion: number;
  title: string;
  status: CriterionStatus;
  /** One sentence a clinician can read, e.g. "Pain 7/10 after 2 adequate trials; no important improvement." */
  explanation: string;
  evidence: Evidence[];
  /** For not-enough-data: what to record, e.g. "No function score in the last 90 days". */
  missing: string[];
  parameters: AppliedParameter[];
  source: string;
}

export interface Caution {
  code: string;
  /** e.g. "Anticoagulant therapy: needs a periprocedural plan (ASRA 2018: intermediate bleeding risk)". */
  message: string;
  source: string;
}

export interface ProcedureSuggestion {
  procedure: ProcedureType;
  ruleId: string;
  cautions: Caution[];
}

export interface DiagnosisEvaluation {
  diagnosisId: string;
  ruleSetVersion: string;
  evaluatedOn: IsoDate;
  /** Red flags: evaluate now, not a pathway decision. Outranks everything else. */
  urgent: {
    redFlags: RedFlag[];
    explanation: string;
    /** The red-flag rule that fired, as for criteria (optional: added after the first contract). */
    ruleId?: string;
    ruleVersion?: number;
    source?: string;
  } | null;
  /** The general criteria first (persistence, side effects, function, surgery), then the procedure rules. */
  criteria: CriterionResult[];
  suggestions: ProcedureSuggestion[];
  /**
   * Prompts for the clinician, each with its source: opioid reassessment, naloxone, a benzodiazepine
   * with an opioid, conservative care still to try. Never a referral criterion (optional: added later).
   */
  prompts?: Caution[];
  /** True when the record suggests considering an interventional referral. */
  flag: boolean;
  /** One line for the worklist, e.g. "Pain persists (7/10) after 3 trials; ESI criteria met". */
  summary: string;
  /** Everything that blocks a criterion, for the nurses' needs-data list. */
  missingData: string[];
  disclaimer: string;
}
