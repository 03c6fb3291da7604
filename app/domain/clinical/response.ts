import { addDays, daysBetween, type IsoDate } from "./duration";
import { scoreChange, type ScoreChange } from "./scores";

/**
 * Site policy, not a guideline figure: a baseline is an assessment on the trial's start date or
 * up to this many days before it. Older scores no longer describe the pain the trial set out to treat.
 */
export const DEFAULT_BASELINE_WINDOW_DAYS = 30;

export interface TrialAssessment {
  id: string;
  date: IsoDate;
  enteredInError: boolean;
  /** Average pain, NRS 0–10. */
  painAverage?: number | null;
  /** PEG score 0–10, as `pegScore` computes it. */
  pegScore?: number | null;
}

export interface TrialPeriod {
  startDate: IsoDate;
  /** Null while the trial is still running. */
  endDate?: IsoDate | null;
}

export interface ScorePoint {
  assessmentId: string;
  date: IsoDate;
  value: number;
}

export interface MeasureComparison {
  baseline: ScorePoint;
  followUp: ScorePoint;
  change: ScoreChange;
}

export interface TrialResponse {
  outcome: "responded" | "not-responded" | "not-enough-data";
  comparisons: MeasureComparison[];
  /** What is missing for each measure that could not be compared, in plain words. */
  missing: string[];
}

const RESPONSE_MEASURES = [
  { measure: "painNrs", label: "Average pain (NRS)", valueOf: (assessment: TrialAssessment) => assessment.painAverage },
  { measure: "peg", label: "PEG", valueOf: (assessment: TrialAssessment) => assessment.pegScore },
] as const;

/**
 * Did the patient respond to a trial? Per measure (same-scale rule), the baseline is the latest
 * assessment recording it within the baseline window up to the start date, and the follow-up is
 * the latest recording it after the start date, up to the end date. On a shared date the later
 * one in `assessments` counts. Entered-in-error assessments are ignored.
 *
 * Responded: any compared measure improved by its clinically important difference. Not responded:
 * none did, and no measure was left half-recorded (a baseline without follow-up or the reverse),
 * because that missing score could still show a response. A measure with no score at all in
 * either period is simply not in use for this trial.
 */
export function trialResponse(
  trial: TrialPeriod,
  assessments: readonly TrialAssessment[],
  { baselineWindowDays = DEFAULT_BASELINE_WINDOW_DAYS }: { baselineWindowDays?: number } = {},
): TrialResponse {
  if (!Number.isInteger(baselineWindowDays) || baselineWindowDays < 0) {
    throw new RangeError(`Baseline window must be a whole number of days ≥ 0, got ${baselineWindowDays}.`);
  }
  const endOffset = trial.endDate == null ? null : daysBetween(trial.startDate, trial.endDate);
  if (endOffset !== null && endOffset < 0) {
    throw new RangeError(`Trial end ${trial.endDate} is before its start ${trial.startDate}.`);
  }
  const dated = assessments
    .filter((assessment) => !assessment.enteredInError)
    .map((assessment) => ({ assessment, offset: daysBetween(trial.startDate, assessment.date) }));
  const baselinePeriod = `${addDays(trial.startDate, -baselineWindowDays)} to ${trial.startDate}`;
  const followUpPeriod = `after ${trial.startDate}${trial.endDate == null ? "" : ` up to ${trial.endDate}`}`;

  const comparisons: MeasureComparison[] = [];
  const missing: string[] = [];
  let halfRecorded = false;
  for (const { measure, label, valueOf } of RESPONSE_MEASURES) {
    const scored = dated.flatMap(({ assessment, offset }) => {
      const value = valueOf(assessment);
      return value == null ? [] : [{ offset, point: { assessmentId: assessment.id, date: assessment.date, value } }];
    });
    const baseline = latest(scored.filter(({ offset }) => offset <= 0 && offset >= -baselineWindowDays));
    const followUp = latest(scored.filter(({ offset }) => offset > 0 && (endOffset === null || offset <= endOffset)));
    if (baseline && followUp) {
      comparisons.push({ baseline, followUp, change: scoreChange(measure, baseline.value, followUp.value) });
      continue;
    }
    halfRecorded ||= Boolean(baseline ?? followUp);
    if (!baseline) missing.push(`${label}: no baseline score from ${baselinePeriod}.`);
    if (!followUp) missing.push(`${label}: no follow-up score ${followUpPeriod}.`);
  }

  return { outcome: outcomeOf(comparisons, halfRecorded), comparisons, missing };
}

function outcomeOf(comparisons: readonly MeasureComparison[], halfRecorded: boolean): TrialResponse["outcome"] {
  if (comparisons.some(({ change }) => change.clinicallyImportantImprovement)) return "responded";
  return comparisons.length === 0 || halfRecorded ? "not-enough-data" : "not-responded";
}

function latest(scored: readonly { offset: number; point: ScorePoint }[]): ScorePoint | undefined {
  let best: { offset: number; point: ScorePoint } | undefined;
  for (const candidate of scored) if (!best || candidate.offset >= best.offset) best = candidate;
  return best?.point;
}
