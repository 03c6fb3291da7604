import { daysBetween } from "./clinical/duration";
import type { IsoDate } from "./iso-date";
import type { FlagStatus, ReferralStatus } from "~/generated/prisma/enums";

export type PathwayStage =
  | "RED_FLAG"
  | "DISCHARGED"
  | "COMBINED_CARE"
  | "PROCEDURE_FOLLOW_UP"
  | "REFERRED"
  | "FLAGGED_FOR_REVIEW"
  | "CONSERVATIVE_CARE";

export const PATHWAY_STAGE_LABELS: Record<PathwayStage, string> = {
  RED_FLAG: "Red flag: urgent evaluation, outside the pathway",
  DISCHARGED: "Discharged",
  COMBINED_CARE: "Combined care (procedure done, conservative care continues)",
  PROCEDURE_FOLLOW_UP: "Procedure done, in follow-up",
  REFERRED: "Referred",
  FLAGGED_FOR_REVIEW: "Flagged for review",
  CONSERVATIVE_CARE: "Conservative care",
};

/** Ordered as a physician scans a caseload: most pressing first. */
export const PATHWAY_STAGES = Object.keys(PATHWAY_STAGE_LABELS) as PathwayStage[];

/** How long after a completed procedure the diagnosis counts as "in follow-up" (site policy). */
export const PROCEDURE_FOLLOW_UP_DAYS = 180;

export interface StageInput {
  patientStatus: "ACTIVE" | "DISCHARGED";
  dischargedOn?: IsoDate | null;
  redFlagRecordedOn: IsoDate | null;
  diagnosedOn: IsoDate;
  flag: { status: FlagStatus; waitingSince: IsoDate } | null;
  referrals: Array<{
    status: ReferralStatus;
    createdOn: IsoDate;
    procedureDate: IsoDate | null;
    conservativeCareContinues: boolean;
  }>;
  activeTherapyCount: number;
  today: IsoDate;
}

/**
 * The stage of one diagnosis, derived from the record and never typed in (domain.md), with the
 * date it entered that stage.
 */
export function pathwayStage(input: StageInput): { stage: PathwayStage; since: IsoDate } {
  if (input.redFlagRecordedOn) return { stage: "RED_FLAG", since: input.redFlagRecordedOn };
  if (input.patientStatus === "DISCHARGED") return { stage: "DISCHARGED", since: input.dischargedOn ?? input.today };

  const completed = input.referrals
    .filter((referral) => referral.status === "COMPLETED" && referral.procedureDate)
    .sort((a, b) => (b.procedureDate as string).localeCompare(a.procedureDate as string))[0];
  if (completed?.procedureDate && daysBetween(completed.procedureDate, input.today) <= PROCEDURE_FOLLOW_UP_DAYS) {
    const combined = completed.conservativeCareContinues && input.activeTherapyCount > 0;
    return { stage: combined ? "COMBINED_CARE" : "PROCEDURE_FOLLOW_UP", since: completed.procedureDate };
  }
  const open = input.referrals
    .filter((referral) => referral.status === "PENDING" || referral.status === "SCHEDULED")
    .sort((a, b) => a.createdOn.localeCompare(b.createdOn))[0];
  if (open) return { stage: "REFERRED", since: open.createdOn };
  if (input.flag && ["OPEN", "ACKNOWLEDGED", "SNOOZED"].includes(input.flag.status)) {
    return { stage: "FLAGGED_FOR_REVIEW", since: input.flag.waitingSince };
  }
  return { stage: "CONSERVATIVE_CARE", since: input.diagnosedOn };
}
