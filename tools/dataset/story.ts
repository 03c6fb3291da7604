/**
 * A story: one patient whose clinically decisive facts are fixed (diagnoses, visit days, the trials
 * tried and what each did, procedures, imaging, referrals), so the referral engine's answer for the
 * patient is known. PatientSimulation renders it with the same visits, assessments, side effects,
 * stops and rows as every simulated patient. The demo (tools/demo) is a preset of such stories.
 */
import type { ProcedureType, ReferralStatus, StopReason, TherapyModality } from "~/generated/prisma/enums";
import type { IsoDate } from "~/domain/iso-date";
import type { Prescription } from "./catalog";
import type { DiagnosisRow, ImagingRow, PatientRow, ProcedureRow } from "./tables";

/** What a trial does to the pain once it has taken effect. */
export type TrialOutcome = "helps" | "partial" | "ineffective" | "side-effects" | "worse";

export type StoryPrescription = Omit<Prescription, "mme">;

/** Indexes into the story's visits and diagnoses. */
export interface StoryTherapy {
  diagnosis: number;
  modality: TherapyModality;
  prescription: StoryPrescription | null;
  sessionsPlanned: number | null;
  startVisit: number;
  /** Null: still running. */
  end: { visit: number; reason: StopReason; note?: string } | null;
  outcome: TrialOutcome;
}

export type StoryProcedureColumn =
  "type" | "level" | "painBefore" | "painAfter" | "reliefPercent" | "reliefDurationDays" | "note";

export interface StoryProcedure extends Pick<ProcedureRow, Exclude<StoryProcedureColumn, "reliefPercent">> {
  diagnosis: number;
  performedOn: IsoDate;
  painBefore: number;
  painAfter: number;
}

export interface StoryImaging extends Pick<ImagingRow, "modality" | "concordance" | "finding" | "performedOn"> {
  diagnosis: number;
}

/** Made at a visit; a completed one records its procedure with this relief. */
export interface StoryReferral {
  diagnosis: number;
  visit: number;
  procedure: ProcedureType;
  level: string | null;
  status: Exclude<ReferralStatus, "COMPLETED"> | "COMPLETED";
  daysToProcedure: number;
  reliefPercent: number;
}

/** The patient columns a story may set: cautions, allergies, antithrombotics, evaluations. */
export type StoryPatientColumns = Partial<
  Omit<
    PatientRow,
    | "id"
    | "mrn"
    | "givenName"
    | "familyName"
    | "birthDate"
    | "sex"
    | "status"
    | "assignedPhysicianId"
    | "lastAssessedOn"
    | "followUpAnchor"
    | "version"
    | "createdAt"
    | "updatedAt"
    | "createdById"
  >
>;

export interface PatientStory {
  mrn: string;
  givenName: string;
  familyName: string;
  sex: PatientRow["sex"];
  ageYears: number;
  status: PatientRow["status"];
  /** Index into the clinic's physicians. */
  physician: number;
  patient: StoryPatientColumns;
  diagnoses: Array<
    Pick<
      DiagnosisRow,
      "icd10Code" | "label" | "bodyRegion" | "painType" | "onsetDate" | "surgicalStatus" | "redFlags" | "radicularSigns"
    >
  >;
  /** Clinic days (weekdays before today), oldest first: one assessment each. */
  visits: IsoDate[];
  baselinePain: number;
  /** Pain is never reported below this. */
  painFloor?: number;
  therapies: StoryTherapy[];
  procedures: StoryProcedure[];
  imaging: StoryImaging[];
  referrals: StoryReferral[];
  /** The last assessment's note. */
  lastNote?: string;
}
