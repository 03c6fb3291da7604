/**
 * "Tried and failed" computed from trials and assessments, never typed in (domain.md): which
 * conservative trials were adequate, which were not tolerated, and whether any helped.
 */
import { addDays, daysBetween, type IsoDate } from "~/domain/clinical/duration";
import { DEFAULT_BASELINE_WINDOW_DAYS, trialResponse, type TrialResponse } from "~/domain/clinical/response";
import { isMedicationModality, isSessionModality } from "~/domain/pathway-vocabulary";
import type { TherapyModality } from "~/generated/prisma/enums";
import type { RuleSet } from "./rule-set";
import { MEASURE_NAMES, signedPercent } from "./evidence";
import { type Assessment, isOngoing, type Therapy } from "./snapshot-index";

export type AdequacyParameters = RuleSet["rules"]["persistence"]["parameters"];

export interface TrialOutcome {
  therapy: Therapy;
  /** From the start to the end date, or to the evaluation date while ongoing. */
  days: number;
  ended: boolean;
  adequate: boolean;
  /** Stopped for side effects: counts as tried whatever its length (LCD: "failed or not tolerated"). */
  notTolerated: boolean;
  response: TrialResponse;
  /** Adequate or not tolerated, and without a clinically important improvement. */
  failed: boolean;
}

export function trialOutcomes(
  therapies: readonly Therapy[],
  assessments: readonly Assessment[],
  evaluatedOn: IsoDate,
  adequacy: AdequacyParameters,
): TrialOutcome[] {
  return therapies.map((therapy) => {
    const ended = !isOngoing(therapy, evaluatedOn);
    // An end before the start (refused by the forms) reads as a zero-day trial instead of stopping a batch.
    const endDate = ended ? maxDate(therapy.startDate, therapy.endDate as IsoDate) : null;
    const days = daysBetween(therapy.startDate, endDate ?? evaluatedOn);
    const adequate = isAdequate(therapy, days, adequacy);
    const notTolerated = ended && therapy.stopReason === "SIDE_EFFECTS";
    // trialResponse reads only scores from its baseline window to the end: passing just those saves date parsing.
    const from = addDays(therapy.startDate, -DEFAULT_BASELINE_WINDOW_DAYS);
    const to = endDate ?? evaluatedOn;
    const scored = assessments.filter((assessment) => assessment.date >= from && assessment.date <= to);
    const response = trialResponse({ startDate: therapy.startDate, endDate }, scored);
    const failed = (adequate || notTolerated) && response.outcome !== "responded";
    return { therapy, days, ended, adequate, notTolerated, response, failed };
  });
}

function isAdequate(therapy: Therapy, days: number, adequacy: AdequacyParameters): boolean {
  if (isMedicationModality(therapy.modality)) return days >= adequacy.medicationTrialDays.value;
  if (days >= adequacy.nonMedicationTrialDays.value) return true;
  return isSessionModality(therapy.modality) && (therapy.sessionsAttended ?? 0) >= adequacy.sessionTrialSessions.value;
}

/** Distinct modalities of the failed trials, in the order they were first tried. */
export function failedModalities(trials: readonly TrialOutcome[]): TherapyModality[] {
  const modalities: TherapyModality[] = [];
  for (const trial of trials) {
    if (trial.failed && !modalities.includes(trial.therapy.modality)) modalities.push(trial.therapy.modality);
  }
  return modalities;
}

export interface ConservativeCare {
  /** Days covered by at least one trial (overlaps counted once). */
  days: number;
  since: IsoDate | null;
  failedTrials: number;
}

/** Trials must be sorted by start date, as the snapshot index keeps them. */
export function conservativeCare(trials: readonly TrialOutcome[], evaluatedOn: IsoDate): ConservativeCare {
  let days = 0;
  let spanStart: IsoDate | null = null;
  let spanEnd: IsoDate | null = null;
  let failedTrials = 0;
  for (const { therapy, ended, failed } of trials) {
    if (failed) failedTrials++;
    const end = ended ? maxDate(therapy.startDate, therapy.endDate as IsoDate) : evaluatedOn;
    if (spanStart === null || spanEnd === null || therapy.startDate > spanEnd) {
      if (spanStart !== null && spanEnd !== null) days += daysBetween(spanStart, spanEnd);
      spanStart = therapy.startDate;
      spanEnd = end;
    } else if (end > spanEnd) spanEnd = end;
  }
  if (spanStart !== null && spanEnd !== null) days += daysBetween(spanStart, spanEnd);
  return { days, since: trials[0]?.therapy.startDate ?? null, failedTrials };
}

/** "no clinically important improvement (average pain 7 → 6)", for evidence lines. */
export function describeOutcome(trial: TrialOutcome, adequacy: AdequacyParameters): string {
  const { response } = trial;
  const changes = response.comparisons
    .map(
      ({ change }) =>
        `${MEASURE_NAMES[change.measure]} ${change.baseline} → ${change.current}` +
        (change.percentChange !== null ? ` (${signedPercent(change.percentChange)})` : ""),
    )
    .join(", ");
  const result =
    response.outcome === "responded"
      ? `clinically important improvement (${changes})`
      : response.outcome === "not-responded"
        ? `no clinically important improvement (${changes})`
        : "response not measurable yet (scores missing before or during the trial)";
  if (trial.notTolerated) return `not tolerated; ${result}`;
  if (trial.adequate) return `adequate trial; ${result}`;
  return `not yet an adequate trial (${trial.days} of ${requiredDays(trial.therapy, adequacy)} days); ${result}`;
}

function requiredDays(therapy: Therapy, adequacy: AdequacyParameters): number {
  return isMedicationModality(therapy.modality)
    ? adequacy.medicationTrialDays.value
    : adequacy.nonMedicationTrialDays.value;
}

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
