export type OutcomeMeasure = "painNrs" | "peg" | "odi" | "ndi";

interface OutcomeMeasureDefinition {
  label: string;
  /** Scale maximum; every scale starts at 0 and lower is better. */
  max: number;
  /** Smallest fall from baseline that is a clinically important improvement; null = no such threshold. */
  importantImprovement: { points: number | null; percent: number | null };
  source: string;
}

/**
 * Outcome scales and their clinically important improvements. A change is important when it
 * reaches either threshold of its measure, as Ostelo 2008 states the minimal important change
 * ("2 points … or 30 % improvement from baseline"). Procedure success rules (≥ 50 / 75 / 80 %
 * relief) are payer rules, not MCIDs, and do not belong here.
 */
export const OUTCOME_MEASURES = {
  painNrs: {
    label: "Pain NRS (0–10)",
    max: 10,
    importantImprovement: { points: 2, percent: 30 },
    source:
      "IMMPACT, Dworkin et al. J Pain 2008;9:105–121 (≥ 30 % = moderate, clinically important); " +
      "Farrar et al. Pain 2001;94:149–158 (≈ 2 points or ≈ 30 %); " +
      "Ostelo et al. Spine 2008;33:90–94 (2 points or 30 %).",
  },
  peg: {
    label: "PEG (0–10)",
    max: 10,
    importantImprovement: { points: null, percent: 30 },
    source:
      "Krebs et al. J Gen Intern Med 2009;24:733–738 define no MCID; 30 % is used by analogy with the pain NRS " +
      "(low confidence, verify).",
  },
  odi: {
    label: "Oswestry Disability Index (%)",
    max: 100,
    importantImprovement: { points: 10, percent: 30 },
    source: "Ostelo et al. Spine 2008;33:90–94 (10 ODI points or 30 %).",
  },
  ndi: {
    label: "Neck Disability Index (%)",
    max: 100,
    importantImprovement: { points: 10, percent: null },
    source:
      "Vernon & Mior, JMPT 1991. MCID ≈ 5–10 raw points (low confidence, verify); the lower end, 5 raw points, " +
      "is 10 percentage points on the % scale (raw × 2), matching the ODI's 10 points.",
  },
} as const satisfies Record<OutcomeMeasure, OutcomeMeasureDefinition>;

/** PEG-3 items, each an integer 0–10 for the past week (LOINC panel 91148-7). */
export interface PegItems {
  /** LOINC 75893-8 */
  averagePain: number;
  /** LOINC 91145-3: interference with enjoyment of life. */
  enjoymentOfLife: number;
  /** LOINC 91146-1: interference with general activity. */
  generalActivity: number;
}

const PEG_ITEMS = ["averagePain", "enjoymentOfLife", "generalActivity"] as const;

/**
 * PEG score (LOINC 91147-9) = mean of the three items, rounded to one decimal. The rounded value
 * is the one stored, shown and compared, so a clinician can re-check any change by hand.
 */
export function pegScore(items: PegItems): number {
  for (const item of PEG_ITEMS) {
    const value = items[item];
    if (!Number.isInteger(value) || value < 0 || value > OUTCOME_MEASURES.peg.max) {
      throw new RangeError(`PEG item ${item} must be a whole number from 0 to 10, got ${value}.`);
    }
  }
  const sum = PEG_ITEMS.reduce((total, item) => total + items[item], 0);
  return Number((sum / PEG_ITEMS.length).toFixed(1));
}

/** Signed percent change from baseline, one decimal (negative = fall); null when the baseline is 0. */
export function percentChange(baseline: number, current: number): number | null {
  for (const value of [baseline, current]) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`Scores are finite and ≥ 0, got ${value}.`);
  }
  return baseline === 0 ? null : Number((((current - baseline) * 100) / baseline).toFixed(1));
}

export interface ScoreChange {
  measure: OutcomeMeasure;
  baseline: number;
  current: number;
  /** current − baseline, one decimal; negative is an improvement on every supported scale. */
  change: number;
  percentChange: number | null;
  clinicallyImportantImprovement: boolean;
}

/**
 * Change on one scale and whether it is a clinically important improvement. Thresholds are
 * compared with the one-decimal values that are displayed, which also removes floating-point noise.
 */
export function scoreChange(measure: OutcomeMeasure, baseline: number, current: number): ScoreChange {
  const { max, importantImprovement } = OUTCOME_MEASURES[measure];
  for (const value of [baseline, current]) {
    if (!Number.isFinite(value) || value < 0 || value > max) {
      throw new RangeError(`${OUTCOME_MEASURES[measure].label} must be from 0 to ${max}, got ${value}.`);
    }
  }
  const change = Number((current - baseline).toFixed(1));
  const percent = percentChange(baseline, current);
  const { points: minPoints, percent: minPercent } = importantImprovement;
  const clinicallyImportantImprovement =
    (minPoints !== null && -change >= minPoints) || (minPercent !== null && percent !== null && -percent >= minPercent);
  return { measure, baseline, current, change, percentChange: percent, clinicallyImportantImprovement };
}

/**
 * A clinically important worsening: a rise by the measure's important difference in points (2 NRS
 * points, 10 ODI/NDI points), or by its percentage where it has no points threshold (PEG 30 %).
 * Points first: on a low baseline a percentage makes a 1-point rise look important (2 → 3 is 50 %).
 */
export function clinicallyImportantWorsening(measure: OutcomeMeasure, baseline: number, current: number): boolean {
  const { points, percent } = OUTCOME_MEASURES[measure].importantImprovement;
  const rise = Number((current - baseline).toFixed(1));
  if (points !== null) return rise >= points;
  const risePercent = percentChange(baseline, current);
  return percent !== null && risePercent !== null && risePercent >= percent;
}
