import type { IsoDate } from "../../iso-date";
import type { DiagnosisEvaluation, PatientSnapshot } from "../../referral/types";
import type { AssessmentValues } from "../types";
import type {
  PatientStatus,
  ProcedureType,
  PsychEvaluationStatus,
  ReferralStatus,
  ReferralUrgency,
  Sex,
} from "~/generated/prisma/enums";

type Snapshot = PatientSnapshot;
type WithReason = { enteredInErrorReason: string | null };

/**
 * One patient's whole pathway as plain values, as the FHIR export reads it: the engine's snapshot
 * rows plus what only the record holds (PEG items, notes, referrals, the current evaluations).
 * Entered-in-error rows are included; the export marks them.
 */
export interface FhirExportRecord {
  patient: {
    id: string;
    mrn: string;
    givenName: string;
    familyName: string;
    birthDate: IsoDate;
    sex: Sex;
    status: PatientStatus;
    physicianName: string;
    cautions: Snapshot["patient"]["cautions"];
    antithrombotics: Snapshot["patient"]["antithrombotics"];
    allergyNotes: string | null;
    naloxoneOfferedOn: IsoDate | null;
    psychEvaluationStatus: PsychEvaluationStatus;
    psychEvaluationDate: IsoDate | null;
    /** ISO timestamp of the last change to the patient row: when the cautions were last stated. */
    updatedAt: string;
  };
  diagnoses: Array<Snapshot["diagnoses"][number] & WithReason & { recordedAt: string }>;
  therapies: Array<Snapshot["therapies"][number] & WithReason & { route: string | null; stopNote: string | null }>;
  /** PainPath's own assessments, always complete (imported partial scores are not among them). */
  assessments: Array<
    WithReason &
      AssessmentValues & {
        id: string;
        recordedAt: string;
        enteredInError: boolean;
        sideEffects: Array<Snapshot["assessments"][number]["sideEffects"][number] & { id: string }>;
      }
  >;
  imaging: Array<NonNullable<Snapshot["imaging"]>[number] & WithReason & { finding: string }>;
  procedures: Array<
    Snapshot["procedures"][number] & WithReason & { scaleName: string; note: string | null; referralId: string | null }
  >;
  referrals: Array<{
    id: string;
    diagnosisId: string;
    evaluationId: string | null;
    procedure: ProcedureType;
    receivingClinic: string;
    urgency: ReferralUrgency;
    reason: string;
    conservativeCareContinues: boolean;
    status: ReferralStatus;
    createdAt: string;
    scheduledFor: IsoDate | null;
    procedureDate: IsoDate | null;
    reliefPercent: number | null;
    reliefDurationDays: number | null;
    cancelReason: string | null;
  }>;
  /** The current evaluation of each diagnosis (the latest result), expanded from its rule set. */
  evaluations: Array<{ id: string; evaluatedAt: string; evaluation: DiagnosisEvaluation }>;
}
