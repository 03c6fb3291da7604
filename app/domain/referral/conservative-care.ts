/**
 * "Tried and failed" computed from trials and assessments, never typed in (domain.md): which
 * conservative trials were adequate, which were not tolerated, and whether any helped.
 */
import { addDays, daysBetween, type IsoDate } from "~/domain/clinical/duration";
import { DEFAULT_BASELINE_WINDOW_DAYS, trialResponse, type TrialResponse } from "~/domain/clinical/response";
import { isMedicationModality, isSessionModality } from "~/domain/pathway-vocabulary";
import type { StopReason, TherapyModality } from "~/generated/prisma/enums";
import type { RuleSet } from "./rule-set";
import { lowerFirst } from "./criterion";
import { MEASURE_NAMES, signedPercent, therapyName } from "./evidence";
import { type Assessment, isOngoing, type Therapy } from "./snapshot-index";

export type AdequacyParameters = RuleSet["rules"]["persistence"]["parameters"];

export interface TrialOutcome {
  therapy: Therapy;
  /** From the start to the end date, or to the evaluation date while ongoing. */
  days: number;
  ended: boolean;
  /**
   * Stopped because the patient chose to or did not take it as agreed: care not taken is neither
   * failed nor not tolerated (the LCDs speak of failure of care "as tolerated").
   */
  notDone: boolean;
  adequate: boolean;
  /** Stopped for side effects: counts as tried whatever its length (LCD: "failed or not tolerated"). */
  notTolerated: boolean;
  response: TrialResponse;
  /** Adequate with a measured lack of important improvement, or not tolerated without one. */
  failed: boolean;
  /** What to record before the trial can count as failed, when that is all it lacks. */
  missing: string | null;
}

const NOT_DONE_REASONS: readonly StopReason[] = ["PATIENT_CHOICE", "NOT_ADHERENT"];

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
    const notDone = ended && therapy.stopReason !== null && NOT_DONE_REASONS.includes(therapy.stopReason);
    const sufficiency = notDone ? "no" : adequacyOf(therapy, days, adequacy);
    const adequate = sufficiency === "yes";
    const notTolerated = ended && therapy.stopReason === "SIDE_EFFECTS";
    // trialResponse reads only scores from its baseline window to the end: passing just those saves date parsing.
    const from = addDays(therapy.startDate, -DEFAULT_BASELINE_WINDOW_DAYS);
    const to = endDate ?? evaluatedOn;
    const scored = assessments.filter((assessment) => assessment.date >= from && assessment.date <= to);
    const response = trialResponse({ startDate: therapy.startDate, endDate }, scored);
    // Intolerance is the failure itself; an adequate trial fails only on a measured response.
    const failed =
      (notTolerated && response.outcome !== "responded") || (adequate && response.outcome === "not-responded");
    const missing = failed
      ? null
      : sufficiency === "unknown"
        ? `Sessions attended in ${trialLabel(therapy)}`
        : adequate && response.outcome === "not-enough-data"
          ? `A pain and PEG score before and during ${trialLabel(therapy)}`
          : null;
    return { therapy, days, ended, notDone, adequate, notTolerated, response, failed, missing };
  });
}

/**
 * Session-based therapy (PT, psychological therapy) is adequate by sessions attended, never by its
 * length alone: 1 of 12 sessions over 6 weeks is not a trial. Unknown while attendance is unrecorded.
 */
function adequacyOf(therapy: Therapy, days: number, adequacy: AdequacyParameters): "yes" | "no" | "unknown" {
  if (isMedicationModality(therapy.modality)) return days >= adequacy.medicationTrialDays.value ? "yes" : "no";
  if (!isSessionModality(therapy.modality)) return days >= adequacy.nonMedicationTrialDays.value ? "yes" : "no";
  if (therapy.sessionsAttended === null) return days >= adequacy.nonMedicationTrialDays.value ? "unknown" : "no";
  return therapy.sessionsAttended >= adequacy.sessionTrialSessions.value ? "yes" : "no";
}

/** "the Naproxen trial from 2026-03-08", "the physical therapy trial from …": a needs-data line's words. */
function trialLabel(therapy: Therapy): string {
  const name = therapy.drug ? therapyName(therapy) : lowerFirst(therapyName(therapy).replace(/ \(.*\)$/, ""));
  return `the ${name} trial from ${therapy.startDate}`;
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
  for (const { therapy, ended, failed, notDone } of trials) {
    if (failed) failedTrials++;
    // Care the patient did not take is not documented conservative care.
    if (notDone) continue;
    const end = ended ? maxDate(therapy.startDate, therapy.endDate as IsoDate) : evaluatedOn;
    if (spanStart === null || spanEnd === null || therapy.startDate > spanEnd) {
      if (spanStart !== null && spanEnd !== null) days += daysBetween(spanStart, spanEnd);
      spanStart = therapy.startDate;
      spanEnd = end;
    } else if (end > spanEnd) spanEnd = end;
  }
  if (spanStart !== null && spanEnd !== null) days += daysBetween(spanStart, spanEnd);
  return { days, since: trials.find((trial) => !trial.notDone)?.therapy.startDate ?? null, failedTrials };
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
  if (trial.notDone)
    return `not done (${trial.therapy.stopReason === "PATIENT_CHOICE" ? "stopped by the patient's choice" : "not taken as agreed"}): neither failed nor not tolerated`;
  if (trial.notTolerated) return `not tolerated; ${result}`;
  if (trial.adequate) return `adequate trial; ${result}`;
  return `not yet an adequate trial (${requiredText(trial, adequacy)}); ${result}`;
}

function requiredText({ therapy, days }: TrialOutcome, adequacy: AdequacyParameters): string {
  if (isMedicationModality(therapy.modality)) return `${days} of ${adequacy.medicationTrialDays.value} days`;
  if (!isSessionModality(therapy.modality)) return `${days} of ${adequacy.nonMedicationTrialDays.value} days`;
  return `${therapy.sessionsAttended ?? "unrecorded"} of ${adequacy.sessionTrialSessions.value} sessions attended`;
}

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
