/**
 * Facet joint interventions (CMS LCD L38801, effective 2021-04-25): diagnostic medial branch blocks,
 * radiofrequency ablation after two positive blocks, and therapeutic facet joint injections only
 * when RFA is not possible. Medial branch blocks are the diagnostic blocks (ASRA 2020 prefers them
 * to intra-articular blocks); facet joint injections are read as therapeutic.
 */
import { addDays, daysBetween } from "~/domain/clinical/duration";
import type { DiagnosisContext, GeneralResults, ProcedureOutcome } from "../context";
import { allOf, appliedParameters, type Check, criterionResult, labelled, met, notMet, requires } from "../criterion";
import { count, procedureEvidence } from "../evidence";
import { historyOf, percentOnlyCaution, regionCounter, reliefCheck, reliefOf } from "../procedure-history";
import { type Procedure, windowStart } from "../snapshot-index";
import type { Caution, Evidence } from "../types";
import { careCheck, durationCheck, isSpinal } from "./prerequisites";

const MBB = ["MEDIAL_BRANCH_BLOCK"] as const;
const RFA = ["RADIOFREQUENCY_ABLATION"] as const;
const FJI = ["FACET_JOINT_INJECTION"] as const;
const SOURCE = "LCD L38801";

interface FacetHistory {
  /** The current diagnostic series: blocks after the last RFA and within the re-diagnosis window. */
  series: Procedure[];
  /** The last RFA, when it is recent enough to be repeated on its own relief. */
  recentRfa: Procedure | undefined;
  injections: Procedure[];
  evidence: Evidence[];
}

export function evaluateFacet(ctx: DiagnosisContext, general: GeneralResults): ProcedureOutcome[] {
  if (!isSpinal(ctx.diagnosis.bodyRegion)) return [];
  const prerequisites = facetPrerequisites(ctx, general);
  const history = facetHistory(ctx);
  const notes = [...radiculopathyCautions(ctx), ...percentOnlyCaution(history.series.slice(-2), SOURCE)];
  return [
    diagnosticBlock(ctx, prerequisites, history, notes),
    ablation(ctx, prerequisites, history, notes),
    therapeuticInjection(ctx, prerequisites, history, notes),
  ];
}

interface Prerequisites {
  checks: Check[];
  evidence: Evidence[];
}

/** All four LCD indications: axial pain, ≥ 3 months, failed conservative care, functional deficit. */
function facetPrerequisites(ctx: DiagnosisContext, general: GeneralResults): Prerequisites {
  const p = ctx.rules.facetDiagnostic.parameters;
  const care = careCheck(ctx, p.conservativeCareDays.value);
  return {
    checks: [
      ctx.diagnosis.painType === "AXIAL"
        ? met("predominantly axial pain")
        : notMet("facet procedures need predominantly axial pain (the diagnosis is not recorded as axial)"),
      durationCheck(ctx, { months: p.minPainMonths.value }),
      care.check,
      requires(general.function.result),
    ],
    evidence: [care.evidence],
  };
}

function facetHistory(ctx: DiagnosisContext): FacetHistory {
  const { index, diagnosis } = ctx;
  const { rediagnoseAfterRfaDays } = ctx.rules.facetDiagnostic.parameters;
  const procedures = historyOf(index, diagnosis, [...MBB, ...RFA, ...FJI]);
  const blocks = procedures.filter((procedure) => procedure.type === "MEDIAL_BRANCH_BLOCK");
  const injections = procedures.filter((procedure) => procedure.type === "FACET_JOINT_INJECTION");
  const lastRfa = procedures.findLast((procedure) => procedure.type === "RADIOFREQUENCY_ABLATION");
  const oldestCounted = windowStart(index, rediagnoseAfterRfaDays.value);
  const recentRfa = lastRfa && lastRfa.performedOn >= oldestCounted ? lastRfa : undefined;
  const series = blocks.filter(
    (block) => block.performedOn >= oldestCounted && (!lastRfa || block.performedOn > lastRfa.performedOn),
  );
  const evidence = procedures.map((procedure) => procedureEvidence(procedure, reliefOf(procedure), index.evaluatedOn));
  return { series, recentRfa, injections, evidence };
}

function positive(ctx: DiagnosisContext, block: Procedure): Check {
  return reliefCheck(block, {
    percent: ctx.rules.facetDiagnostic.parameters.positiveBlockReliefPercent.value,
    days: null,
  });
}

/** The last two blocks of the series, each positive, the second at least FACET-MBB's interval after the first. */
function twoPositiveBlocks(ctx: DiagnosisContext, series: readonly Procedure[]): Check {
  const [first, second] = series.slice(-2);
  if (!first || !second) {
    return notMet(
      `${count(series.length, "diagnostic medial branch block")} in the current series; two positive blocks are needed`,
    );
  }
  const { minDaysBetweenBlocks } = ctx.rules.facetDiagnostic.parameters;
  const apart = daysBetween(first.performedOn, second.performedOn);
  const spacing =
    apart >= minDaysBetweenBlocks.value
      ? met(`the blocks were ${apart} days apart`)
      : notMet(
          `the second block was ${apart} days after the first (needs at least ${minDaysBetweenBlocks.value}): ` +
            "it does not confirm the first",
        );
  return allOf([positive(ctx, first), positive(ctx, second), spacing]);
}

function diagnosticBlock(
  ctx: DiagnosisContext,
  prerequisites: Prerequisites,
  history: FacetHistory,
  notes: Caution[],
): ProcedureOutcome {
  const rule = ctx.rules.facetDiagnostic;
  const p = rule.parameters;
  const counter = regionCounter(ctx.index, ctx.diagnosis.bodyRegion, MBB, p.maxPerYear.value);
  const check = allOf([...prerequisites.checks, counter.check, seriesCheck(ctx, history)]);
  return {
    result: criterionResult(rule, check, [...prerequisites.evidence, counter.evidence, ...history.evidence]),
    procedure: "MEDIAL_BRANCH_BLOCK",
    notes,
  };
}

/** Where the diagnostic series stands: a first block, a confirmatory second, or done. */
function seriesCheck(ctx: DiagnosisContext, { series, recentRfa }: FacetHistory): Check {
  const p = ctx.rules.facetDiagnostic.parameters;
  if (recentRfa) {
    return notMet(`RFA on ${recentRfa.performedOn}: a repeat RFA is judged on its own relief (FACET-RFA)`);
  }
  const last = series.at(-1);
  if (!last) return met("no diagnostic block in the current series (first block)");
  const lastResult = positive(ctx, last);
  if (lastResult.status === "not-enough-data") return lastResult;
  if (lastResult.status === "not-met") return notMet(`${lastResult.reason}: facet pain not confirmed`);
  const previous = series.at(-2);
  const previousResult = previous && positive(ctx, previous);
  if (previousResult?.status === "not-enough-data") return previousResult;
  if (previousResult?.status === "met") {
    return notMet("two positive diagnostic blocks: the diagnostic series is complete (FACET-RFA)");
  }
  const since = daysBetween(last.performedOn, ctx.index.evaluatedOn);
  if (since < p.minDaysBetweenBlocks.value) {
    const from = addDays(last.performedOn, p.minDaysBetweenBlocks.value);
    return notMet(`${lastResult.reason}; the confirmatory block is possible from ${from}`);
  }
  return met(`${lastResult.reason}; a confirmatory block is due (${since} days later)`);
}

function ablation(
  ctx: DiagnosisContext,
  prerequisites: Prerequisites,
  history: FacetHistory,
  notes: Caution[],
): ProcedureOutcome {
  const rule = ctx.rules.facetAblation;
  const p = rule.parameters;
  const counter = regionCounter(ctx.index, ctx.diagnosis.bodyRegion, RFA, p.maxPerYear.value);
  const basis = history.recentRfa
    ? labelled(
        "repeat RFA",
        reliefCheck(history.recentRfa, { percent: p.repeatReliefPercent.value, days: p.repeatReliefDays.value }),
      )
    : twoPositiveBlocks(ctx, history.series);
  const check = allOf([...prerequisites.checks, counter.check, basis]);
  return {
    result: criterionResult(
      rule,
      check,
      [...prerequisites.evidence, counter.evidence, ...history.evidence],
      borrowedDiagnosticParameters(ctx),
    ),
    procedure: "RADIOFREQUENCY_ABLATION",
    notes,
  };
}

function therapeuticInjection(
  ctx: DiagnosisContext,
  prerequisites: Prerequisites,
  history: FacetHistory,
  notes: Caution[],
): ProcedureOutcome {
  const rule = ctx.rules.facetInjection;
  const p = rule.parameters;
  const counter = regionCounter(ctx.index, ctx.diagnosis.bodyRegion, FJI, p.maxPerYear.value);
  const last = history.injections.at(-1);
  const basis = last
    ? [
        labelled(
          "repeat injection",
          reliefCheck(last, { percent: p.repeatReliefPercent.value, days: p.repeatReliefDays.value }),
        ),
      ]
    : [
        ctx.index.snapshot.patient.cautions.implantedCardiacDevice
          ? met("implanted cardiac device recorded: RFA may not be possible")
          : notMet(
              "therapeutic facet injections are only for patients who cannot have RFA, and no such reason is " +
                "recorded (PainPath records an implanted cardiac device); FACET-RFA applies",
            ),
        twoPositiveBlocks(ctx, history.series),
      ];
  const check = allOf([...prerequisites.checks, counter.check, ...basis]);
  return {
    result: criterionResult(
      rule,
      check,
      [...prerequisites.evidence, counter.evidence, ...history.evidence],
      borrowedDiagnosticParameters(ctx),
    ),
    procedure: "FACET_JOINT_INJECTION",
    notes,
  };
}

/** RFA and therapeutic injections read FACET-MBB's indications and positive-block threshold. */
function borrowedDiagnosticParameters(ctx: DiagnosisContext) {
  return appliedParameters(ctx.rules.facetDiagnostic, [
    "minPainMonths",
    "conservativeCareDays",
    "positiveBlockReliefPercent",
    "minDaysBetweenBlocks",
    "rediagnoseAfterRfaDays",
  ]);
}

/** LCD L38801: no untreated radiculopathy. PainPath cannot tell treated from untreated, so it cautions. */
function radiculopathyCautions({ index, diagnosis }: DiagnosisContext): Caution[] {
  const radicular = index.diagnoses.find(
    (other) => other.id !== diagnosis.id && other.painType === "RADICULAR" && other.bodyRegion === diagnosis.bodyRegion,
  );
  return radicular
    ? [
        {
          code: "RADICULOPATHY_SAME_REGION",
          message: `Radicular pain recorded in the same region (${radicular.icd10Code}): facet procedures need no untreated radiculopathy.`,
          source: SOURCE,
        },
      ]
    : [];
}
