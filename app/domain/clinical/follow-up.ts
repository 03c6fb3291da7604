import { addDays, daysBetween, type IsoDate } from "./duration";

/**
 * Site default. CDC 2022 Rec 7 asks for a benefit/harm review 1–4 weeks after starting opioids
 * for subacute or chronic pain or raising the dose; two weeks sits inside that range and suits
 * other conservative trials too.
 */
export const DEFAULT_FOLLOW_UP_INTERVAL_DAYS = 14;

export type TherapyTrialStatus = "planned" | "active" | "completed" | "stopped";

export interface FollowUpInput {
  trial: { status: TherapyTrialStatus; startDate: IsoDate };
  /** Date of the trial's latest assessment, entered-in-error ones excluded; null when there is none. */
  latestAssessmentDate: IsoDate | null;
  today: IsoDate;
  intervalDays?: number;
}

interface FollowUpClock {
  /** The interval runs from the latest assessment on or after the trial start, otherwise from the start. */
  countingFrom: "latest-assessment" | "trial-start";
  countingFromDate: IsoDate;
  daysSince: number;
  dueOn: IsoDate;
}

export type FollowUpStatus =
  | { state: "not-applicable"; reason: "trial-not-active" | "trial-not-started" }
  | (FollowUpClock & { state: "not-due" })
  | (FollowUpClock & { state: "due"; daysOverdue: number });

/**
 * Only an active trial that has started can be due. It becomes due on the day the interval is
 * reached: assessed on 1 March with 14 days, it is not due on 14 March (13 days) and due from
 * 15 March (14 days, `daysOverdue` 0). An assessment before the start is the trial's baseline,
 * so the clock then runs from the start instead.
 */
export function followUpStatus({
  trial,
  latestAssessmentDate,
  today,
  intervalDays = DEFAULT_FOLLOW_UP_INTERVAL_DAYS,
}: FollowUpInput): FollowUpStatus {
  if (!Number.isInteger(intervalDays) || intervalDays < 1) {
    throw new RangeError(`Follow-up interval must be a whole number of days ≥ 1, got ${intervalDays}.`);
  }
  if (latestAssessmentDate !== null && daysBetween(latestAssessmentDate, today) < 0) {
    throw new RangeError(`Latest assessment ${latestAssessmentDate} is after today, ${today}.`);
  }
  const daysSinceStart = daysBetween(trial.startDate, today);
  if (trial.status !== "active") return { state: "not-applicable", reason: "trial-not-active" };
  if (daysSinceStart < 0) return { state: "not-applicable", reason: "trial-not-started" };

  const assessedSinceStart = latestAssessmentDate !== null && daysBetween(trial.startDate, latestAssessmentDate) >= 0;
  const countingFromDate = assessedSinceStart ? latestAssessmentDate : trial.startDate;
  const clock = {
    countingFrom: assessedSinceStart ? "latest-assessment" : "trial-start",
    countingFromDate,
    daysSince: daysBetween(countingFromDate, today),
    dueOn: addDays(countingFromDate, intervalDays),
  } as const;
  return clock.daysSince >= intervalDays
    ? { ...clock, state: "due", daysOverdue: clock.daysSince - intervalDays }
    : { ...clock, state: "not-due" };
}
