/** Conditions several procedure rules share, each with its own threshold from its own rule. */
import type { BodyRegion } from "~/generated/prisma/enums";
import type { DiagnosisContext } from "../context";
import { type Check, met, notMet, unknown } from "../criterion";
import { count, counterEvidence } from "../evidence";
import type { Assessment } from "../snapshot-index";
import type { Evidence } from "../types";

export const SPINAL_REGIONS = ["CERVICAL", "THORACIC", "LUMBAR"] as const;

export function isSpinal(region: string): boolean {
  return (SPINAL_REGIONS as readonly string[]).includes(region);
}

/** Pain for at least a number of whole months or days, from the diagnosis's onset. */
export function durationCheck({ duration }: DiagnosisContext, minimum: { months: number } | { days: number }): Check {
  if (!duration) return notMet("the onset date is after the evaluation date");
  const [have, need, unit] =
    "months" in minimum ? [duration.months, minimum.months, "month"] : [duration.totalDays, minimum.days, "day"];
  const lasted = `pain for ${count(have, unit)}`;
  return have >= need ? met(lasted) : notMet(`${lasted} (needs at least ${count(need, unit)})`);
}

/** Documented conservative care of at least `days`, with at least one failed or not-tolerated trial. */
export function careCheck({ care, trials }: DiagnosisContext, days: number): { check: Check; evidence: Evidence } {
  const evidence = counterEvidence(
    care.since === null
      ? "No conservative care recorded"
      : `Conservative care recorded since ${care.since}; ${count(care.failedTrials, "trial")} failed or not tolerated`,
  );
  if (care.since === null) return { check: notMet("no conservative care the patient took is recorded"), evidence };
  if (care.days < days) {
    return { check: notMet(`conservative care documented for ${care.days} days (needs ${days})`), evidence };
  }
  const pending = trials.flatMap((trial) => (trial.missing === null ? [] : [trial.missing]));
  if (care.failedTrials === 0 && pending.length > 0) {
    return { check: unknown("no conservative trial has failed yet; some need data", pending), evidence };
  }
  if (care.failedTrials === 0) {
    return { check: notMet("no adequate conservative trial has failed or been stopped for side effects"), evidence };
  }
  const failed = count(care.failedTrials, "trial");
  return { check: met(`${care.days} days of conservative care, ${failed} failed or not tolerated`), evidence };
}

/** The needs-data line for a missing recent assessment: one wording, so the nurses' list shows it once. */
export function noScoreMissing(lookBackDays: number): string {
  return `A pain and PEG score (none in the last ${lookBackDays} days)`;
}

export type DisabilityIndex = "odi" | "ndi";

export const DISABILITY_VALUE: Record<DisabilityIndex, (assessment: Assessment) => number | null> = {
  odi: (assessment) => assessment.odiPercent,
  ndi: (assessment) => assessment.ndiPercent,
};

/**
 * The ODI is a low-back instrument and the NDI a neck one, while scores are recorded per patient:
 * each index speaks only for diagnoses in its own region. Other regions rely on the PEG.
 */
export function disabilityIndexFor(region: BodyRegion): DisabilityIndex | null {
  if (region === "CERVICAL") return "ndi";
  return region === "LUMBAR" || region === "THORACIC" || region === "SACROILIAC" ? "odi" : null;
}
