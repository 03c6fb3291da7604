import { clinicallyImportantWorsening, scoreChange, type OutcomeMeasure, type ScoreChange } from "./clinical/scores";
import type { IsoDate } from "./iso-date";

interface ScoredAssessment {
  date: IsoDate;
  enteredInError: boolean;
  painAverage: number;
  pegScore: number;
  odiPercent: number | null;
  ndiPercent: number | null;
}

export type ScoreTrend = ScoreChange & {
  baselineDate: IsoDate;
  latestDate: IsoDate;
  /** improved: a clinically important improvement; worse: a clinically important worsening. */
  direction: "improved" | "worse" | "no-important-change";
};

const VALUE: Record<OutcomeMeasure, (assessment: ScoredAssessment) => number | null> = {
  painNrs: (assessment) => assessment.painAverage,
  peg: (assessment) => assessment.pegScore,
  odi: (assessment) => assessment.odiPercent,
  ndi: (assessment) => assessment.ndiPercent,
};

/**
 * Each scale's latest score against its baseline (the first valid score on that scale), with the
 * thresholds of app/domain/clinical/scores.ts. A scale scored only once has no trend and is left out.
 */
export function scoreTrends(assessments: readonly ScoredAssessment[]): ScoreTrend[] {
  const valid = assessments.filter((assessment) => !assessment.enteredInError);
  const sorted = [...valid].sort((a, b) => a.date.localeCompare(b.date));
  return (Object.keys(VALUE) as OutcomeMeasure[]).flatMap((measure) => {
    const scored = sorted.flatMap((assessment) => {
      const value = VALUE[measure](assessment);
      return value === null ? [] : [{ date: assessment.date, value }];
    });
    const first = scored[0];
    const last = scored.at(-1);
    if (!first || !last || scored.length < 2) return [];
    const change = scoreChange(measure, first.value, last.value);
    const direction = change.clinicallyImportantImprovement
      ? "improved"
      : clinicallyImportantWorsening(measure, first.value, last.value)
        ? "worse"
        : "no-important-change";
    return [{ ...change, baselineDate: first.date, latestDate: last.date, direction }];
  });
}
