/**
 * The four general criteria of the referral article, mapped to data:
 * persistent pain (duration + failed trials), side effects > benefit (stops and reported side
 * effects), function/quality of life (ODI/NDI/PEG and recorded limitation), surgery not wanted.
 */
import { scoreChange, type OutcomeMeasure, type ScoreChange } from "~/domain/clinical/scores";
import {
  isMedicationModality,
  SIDE_EFFECT_KIND_LABELS,
  SIDE_EFFECT_SEVERITY_LABELS,
  THERAPY_MODALITY_LABELS,
} from "~/domain/pathway-vocabulary";
import type { SideEffectKind, SideEffectSeverity, SurgicalStatus } from "~/generated/prisma/enums";
import { describeOutcome, failedModalities, type TrialOutcome } from "../conservative-care";
import type { DiagnosisContext, Evaluated, GeneralResults } from "../context";
import { allOf, anyOf, type Check, criterionResult, met, notMet, unknown } from "../criterion";
import {
  assessmentEvidence,
  diagnosisEvidence,
  count,
  MEASURE_NAMES,
  signedPercent,
  therapyEvidence,
  therapyName,
} from "../evidence";
import { type Assessment, latestSince, windowStart } from "../snapshot-index";
import { DISABILITY_VALUE, type DisabilityIndex, disabilityIndexFor, noScoreMissing } from "./prerequisites";
import type { Evidence } from "../types";

export function evaluateGeneral(ctx: DiagnosisContext): GeneralResults {
  const { lookBackDays } = ctx.rules.persistence.parameters;
  const improvement = improvementSinceBaseline(ctx, lookBackDays.value);
  return {
    persistence: persistence(ctx, improvement),
    sideEffects: sideEffects(ctx, improvement),
    function: functionLimit(ctx),
    surgery: surgery(ctx),
  };
}

// ---------------------------------------------------------------------------------------------------
// Change from the pathway's baseline (same scale: first score on a scale vs its latest in the window)

type Measure = { measure: OutcomeMeasure; valueOf: (assessment: Assessment) => number | null };

const PAIN_MEASURES: readonly Measure[] = [
  { measure: "painNrs", valueOf: (assessment) => assessment.painAverage },
  { measure: "peg", valueOf: (assessment) => assessment.pegScore },
];
const MEASURES_BY_INDEX = {
  odi: [...PAIN_MEASURES, { measure: "odi", valueOf: DISABILITY_VALUE.odi }],
  ndi: [...PAIN_MEASURES, { measure: "ndi", valueOf: DISABILITY_VALUE.ndi }],
} satisfies Record<DisabilityIndex, readonly Measure[]>;

interface Comparison {
  name: string;
  baseline: Assessment;
  current: Assessment;
  change: ScoreChange;
}

interface Improvement {
  comparisons: Comparison[];
  /** Met: no scale improved by its clinically important difference. */
  check: Check;
}

function improvementSinceBaseline(ctx: DiagnosisContext, lookBackDays: number): Improvement {
  const { assessments } = ctx.index;
  const since = windowStart(ctx.index, lookBackDays);
  const disabilityIndex = disabilityIndexFor(ctx.diagnosis.bodyRegion);
  const comparisons: Comparison[] = [];
  for (const { measure, valueOf } of disabilityIndex ? MEASURES_BY_INDEX[disabilityIndex] : PAIN_MEASURES) {
    const has = (assessment: Assessment) => valueOf(assessment) !== null;
    const current = latestSince(assessments, since, has);
    // The pathway's baseline on this scale: its first score.
    const baseline = current && assessments.find(has);
    if (!current || !baseline || baseline === current) continue;
    const change = scoreChange(measure, valueOf(baseline) as number, valueOf(current) as number);
    comparisons.push({ name: MEASURE_NAMES[measure], baseline, current, change });
  }
  const improved = comparisons.find(({ change }) => change.clinicallyImportantImprovement);
  const check =
    comparisons.length === 0
      ? unknown("no earlier score on the same scale to measure change from", [
          latestSince(assessments, since)
            ? "A follow-up pain and PEG score to compare with the first one"
            : noScoreMissing(lookBackDays),
        ])
      : improved
        ? notMet(`${describeChanges([improved])}: a clinically important improvement`)
        : met(`no clinically important improvement (${describeChanges(comparisons)})`);
  return { comparisons, check };
}

/** "average pain 7 → 6 (−14.3 %), PEG 7 → 6.3 (−10 %) since 2025-01-25" */
function describeChanges(comparisons: readonly Comparison[]): string {
  const dates = new Set(comparisons.map(({ baseline }) => baseline.date));
  const one = ({ name, change, baseline }: Comparison) =>
    `${name} ${change.baseline} → ${change.current}` +
    (change.percentChange === null ? "" : ` (${signedPercent(change.percentChange)})`) +
    (dates.size > 1 ? ` since ${baseline.date}` : "");
  return comparisons.map(one).join(", ") + (dates.size === 1 ? ` since ${[...dates][0]}` : "");
}

// ---------------------------------------------------------------------------------------------------
// GEN-PERSIST

/** Chronic = pain for more than N months (CDC 2022: more than 3), N from GEN-PERSIST. */
export function isChronic({ duration, rules }: DiagnosisContext): boolean {
  const months = rules.persistence.parameters.chronicMonths.value;
  return duration !== null && (duration.months > months || (duration.months === months && duration.days > 0));
}

function persistence(ctx: DiagnosisContext, improvement: Improvement): Evaluated {
  const rule = ctx.rules.persistence;
  const p = rule.parameters;
  const { assessments } = ctx.index;
  const evidence: Evidence[] = [diagnosisEvidence(ctx.diagnosis, ctx.duration)];
  for (const trial of ctx.trials) {
    evidence.push(therapyEvidence(trial, describeOutcome(trial, p)));
  }

  const { duration } = ctx;
  const lasted = duration && `pain for ${count(duration.months, "month")} ${count(duration.days, "day")}`;
  const chronicCheck = !lasted
    ? notMet("the onset date is after the evaluation date")
    : isChronic(ctx)
      ? met(lasted)
      : notMet(`${lasted}: not yet chronic (more than ${count(p.chronicMonths.value, "month")})`);

  const modalities = failedModalities(ctx.trials);
  const failedTrials = ctx.trials.filter((trial) => trial.failed).length;
  const modalityNames = modalities.map((modality) => THERAPY_MODALITY_LABELS[modality].replace(/ \(.*\)$/, ""));
  // Trials that only lack a record (attendance, a score) could still make up the number: unknown, not "not met".
  const pending = ctx.trials.filter((trial) => trial.missing !== null && !modalities.includes(trial.therapy.modality));
  const pendingModalities = new Set(pending.map((trial) => trial.therapy.modality)).size;
  const trialsCheck =
    modalities.length >= p.minFailedModalities.value
      ? met(`${modalities.length} modalities failed`)
      : modalities.length + pendingModalities >= p.minFailedModalities.value
        ? unknown(
            `${modalities.length} of ${p.minFailedModalities.value} conservative modalities failed; other trials need data`,
            pending.map((trial) => trial.missing as string),
          )
        : notMet(
            `${modalities.length} conservative ${modalities.length === 1 ? "modality has" : "modalities have"} had an ` +
              `adequate trial without important improvement (needs ${p.minFailedModalities.value})`,
          );

  const latest = latestSince(assessments, windowStart(ctx.index, p.lookBackDays.value));
  if (latest) evidence.push(assessmentEvidence(latest, "latest score"));
  const scoreCheck = !latest
    ? unknown(`no pain or PEG score in the last ${p.lookBackDays.value} days`, [noScoreMissing(p.lookBackDays.value)])
    : latest.painAverage >= p.painThreshold.value || latest.pegScore >= p.pegThreshold.value
      ? met(`average pain ${latest.painAverage}/10, PEG ${latest.pegScore}`)
      : notMet(
          `latest average pain ${latest.painAverage}/10 and PEG ${latest.pegScore} are below ` +
            `${p.painThreshold.value} and ${p.pegThreshold.value}`,
        );
  const baseline = improvement.comparisons[0]?.baseline;
  if (baseline) evidence.push(assessmentEvidence(baseline, "baseline"));

  // Score checks before the trials: a missing recent score is the first thing to record.
  const check = allOf([chronicCheck, scoreCheck, improvement.check, trialsCheck], () => {
    const current = latest as Assessment;
    return (
      `average pain ${current.painAverage}/10 (PEG ${current.pegScore}) on ${current.date} after ${failedTrials} ` +
      `failed or not-tolerated trials of ${modalities.length} modalities (${modalityNames.join(", ")}); ` +
      improvement.check.reason
    );
  });
  const pain = latest ? `${latest.painAverage}/10 after ` : "";
  return {
    result: criterionResult(rule, check, evidence),
    phrase: `pain persists (${pain}${failedTrials} failed trials)`,
  };
}

// ---------------------------------------------------------------------------------------------------
// GEN-SIDE-EFFECTS

const SEVERITY_RANK: Record<SideEffectSeverity, number> = { NONE: 0, MILD: 1, MODERATE: 2, SEVERE: 3 };

function sideEffects(ctx: DiagnosisContext, improvement: Improvement): Evaluated {
  const rule = ctx.rules.sideEffects;
  const p = rule.parameters;
  const { assessments } = ctx.index;
  const since = windowStart(ctx.index, p.lookBackDays.value);
  // "Without important relief" uses GEN-PERSIST's change from baseline when a trial cannot be measured.

  const worst = new Map<string, { severity: SideEffectSeverity; date: string; kinds: readonly SideEffectKind[] }>();
  for (let i = assessments.length - 1; i >= 0; i--) {
    const assessment = assessments[i] as Assessment;
    if (assessment.date < since) break;
    for (const { therapyTrialId, severity, kinds = [] } of assessment.sideEffects) {
      const known = worst.get(therapyTrialId);
      if (
        SEVERITY_RANK[severity] >= SEVERITY_RANK.MODERATE &&
        (!known || SEVERITY_RANK[severity] > SEVERITY_RANK[known.severity])
      ) {
        worst.set(therapyTrialId, { severity, date: assessment.date, kinds });
      }
    }
  }

  const evidence: Evidence[] = [];
  const branches: Array<{ check: Check; label: string; rank: number }> = [];
  for (const trial of ctx.trials) {
    if (!isMedicationModality(trial.therapy.modality)) continue;
    const reported = worst.get(trial.therapy.id);
    // A stop for side effects is current harm only inside the look-back window, like a reported one;
    // it still counts as a not-tolerated trial for GEN-PERSIST.
    const stoppedRecently = trial.notTolerated && (trial.therapy.endDate as string) >= since;
    if (!reported && !stoppedRecently) continue;
    const harm = [
      reported &&
        `${SIDE_EFFECT_SEVERITY_LABELS[reported.severity].toLowerCase()} side effects` +
          (reported.kinds.length > 0
            ? ` (${reported.kinds.map((kind) => SIDE_EFFECT_KIND_LABELS[kind].toLowerCase()).join(", ")})`
            : "") +
          ` reported ${reported.date}`,
      stoppedRecently && "stopped for side effects",
    ]
      .filter(Boolean)
      .join(", ");
    evidence.push(therapyEvidence(trial, `${harm}; ${describeOutcome(trial, ctx.rules.persistence.parameters)}`));
    const name = therapyName(trial.therapy);
    // A stop for side effects ranks as moderate when no severity was reported.
    const rank = Math.max(reported ? SEVERITY_RANK[reported.severity] : 0, SEVERITY_RANK.MODERATE);
    branches.push({ check: reliefBelowImportant(trial, `${name}: ${harm}`, improvement), label: name, rank });
  }
  // The explanation names the first met branch: the most severe side effect first.
  branches.sort((a, b) => b.rank - a.rank);

  const check = anyOf(
    branches.map((branch) => branch.check),
    `no medication with moderate or severe side effects or stopped for them in the last ${p.lookBackDays.value} days`,
  );
  const metLabels = branches.filter((branch) => branch.check.status === "met").map((branch) => branch.label);
  return {
    result: criterionResult(rule, check, evidence),
    phrase: `side effects outweigh benefit (${metLabels.join(", ")})`,
  };
}

/**
 * The trial's own before/after response when it can be measured; otherwise the pathway's change
 * from baseline, so a drug started before PainPath's first score can still be judged.
 */
function reliefBelowImportant(trial: TrialOutcome, harm: string, improvement: Improvement): Check {
  switch (trial.response.outcome) {
    case "responded":
      return notMet(`${harm}, but it brought a clinically important improvement`);
    case "not-responded":
      return met(`${harm}, without a clinically important improvement`);
    case "not-enough-data":
      return improvement.check.status === "met"
        ? met(`${harm}; ${improvement.check.reason}`)
        : { ...improvement.check, reason: `${harm}; ${improvement.check.reason}` };
  }
}

// ---------------------------------------------------------------------------------------------------
// GEN-FUNCTION

function functionLimit(ctx: DiagnosisContext): Evaluated {
  const rule = ctx.rules.function;
  const p = rule.parameters;
  const { assessments } = ctx.index;
  const since = windowStart(ctx.index, p.lookBackDays.value);
  const latest = latestSince(assessments, since);
  if (!latest) {
    const reason = `no function score (PEG, ODI or NDI) in the last ${p.lookBackDays.value} days`;
    return {
      result: criterionResult(rule, unknown(reason, [noScoreMissing(p.lookBackDays.value)]), []),
      phrase: "",
    };
  }

  // The region's disability index first: it is the more specific measure of function.
  const scales: Array<{ name: string; value: number; threshold: number; at: Assessment; unit: string }> = [];
  const disabilityIndex = disabilityIndexFor(ctx.diagnosis.bodyRegion);
  if (disabilityIndex) {
    const valueOf = DISABILITY_VALUE[disabilityIndex];
    const at = latestSince(assessments, since, (assessment) => valueOf(assessment) !== null);
    const threshold = disabilityIndex === "odi" ? p.odiThreshold.value : p.ndiThreshold.value;
    if (at)
      scales.push({ name: MEASURE_NAMES[disabilityIndex], value: valueOf(at) as number, threshold, at, unit: " %" });
  }
  scales.push({ name: "PEG", value: latest.pegScore, threshold: p.pegThreshold.value, at: latest, unit: "" });
  const evidence: Evidence[] = [];
  for (const scale of scales) {
    if (!evidence.some((line) => line.id === scale.at.id))
      evidence.push(assessmentEvidence(scale.at, "latest function score"));
  }
  const above = scales.filter((scale) => scale.value >= scale.threshold);
  const shown = (scale: (typeof scales)[number]) => `${scale.name} ${scale.value}${scale.unit}`;
  const scaleCheck =
    above.length > 0
      ? met(above.map((scale) => `${shown(scale)} (at least ${scale.threshold}${scale.unit})`).join(", "))
      : notMet(`${scales.map(shown).join(", ")}: below the function thresholds`);
  const limitation = latest.limitation.toLowerCase();
  const limitationCheck =
    latest.limitation === "MODERATE" || latest.limitation === "SEVERE"
      ? met(`${limitation} limitation of daily life`)
      : notMet(`limitation of daily life recorded as ${limitation} on ${latest.date}`);

  const check = allOf(
    [scaleCheck, limitationCheck],
    () => `${scaleCheck.reason}, ${limitationCheck.reason} on ${latest.date}`,
  );
  const first = above[0];
  return {
    result: criterionResult(rule, check, evidence),
    phrase: `limits function (${first ? `${shown(first)}, ` : ""}${limitation} limitation)`,
  };
}

// ---------------------------------------------------------------------------------------------------
// GEN-SURGERY

const SURGERY: Record<SurgicalStatus, { check: Check; phrase: string }> = {
  DECLINED_BY_PATIENT: {
    check: met("the patient has declined surgery (recorded by the clinician)"),
    phrase: "surgery declined",
  },
  NOT_A_CANDIDATE: {
    check: met("not a surgical candidate (recorded by the clinician)"),
    phrase: "not a surgical candidate",
  },
  CANDIDATE: { check: notMet("recorded as a surgical candidate"), phrase: "" },
  // Missing data is unknown, never "not met": the nurses' list asks for the surgical evaluation.
  NOT_EVALUATED: {
    check: unknown("not evaluated for surgery (never inferred)", [
      "Surgical evaluation: candidate, declined or not a candidate",
    ]),
    phrase: "",
  },
};

function surgery(ctx: DiagnosisContext): Evaluated {
  const { check, phrase } = SURGERY[ctx.diagnosis.surgicalStatus];
  return {
    result: criterionResult(ctx.rules.surgery, check, [diagnosisEvidence(ctx.diagnosis, ctx.duration)]),
    phrase,
  };
}
