/** Epidural steroid injection, initial and repeat (CMS LCD L39240; billing article A58993). */
import { addDays, daysBetween } from "~/domain/clinical/duration";
import { ESI_APPROACH_LABELS, PAIN_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import type { DiagnosisContext, GeneralResults, ProcedureOutcome } from "../context";
import { allOf, type Check, criterionResult, labelled, met, notMet, requires } from "../criterion";
import { procedureEvidence } from "../evidence";
import { historyOf, percentOnlyCaution, regionCounter, reliefCheck, reliefOf } from "../procedure-history";
import type { Procedure } from "../snapshot-index";
import type { Caution, Evidence } from "../types";
import { careCheck, durationCheck, isSpinal } from "./prerequisites";

const ESI = ["EPIDURAL_STEROID_INJECTION"] as const;
const SOURCE = "LCD L39240";

export function evaluateEpidural(ctx: DiagnosisContext, general: GeneralResults): ProcedureOutcome | null {
  const { diagnosis, index } = ctx;
  if (!isSpinal(diagnosis.bodyRegion)) return null;
  const rule = ctx.rules.epidural;
  const p = rule.parameters;

  const radicular = diagnosis.painType === "RADICULAR" || diagnosis.icd10Code.startsWith("M96.1");
  const indication = radicular
    ? met(`${diagnosis.painType === "RADICULAR" ? "radicular pain" : "post-laminectomy syndrome"}`)
    : notMet(
        diagnosis.painType === "AXIAL"
          ? "axial or non-specific spinal pain is not a covered ESI indication (radicular pain is)"
          : `${PAIN_TYPE_LABELS[diagnosis.painType].replace(/ \(.*\)$/, "").toLowerCase()} pain is not an ESI indication (radicular pain is)`,
      );

  const counter = regionCounter(index, diagnosis.bodyRegion, ESI, p.maxPerYear.value);
  const injections = historyOf(index, diagnosis, ESI);
  const care = careCheck(ctx, p.conservativeCareDays.value);
  const evidence: Evidence[] = [counter.evidence, care.evidence];
  for (const injection of injections) {
    evidence.push(procedureEvidence(injection, reliefOf(injection), index.evaluatedOn));
  }
  const history = historyCheck(injections, ctx);

  const check = allOf([
    indication,
    durationCheck(ctx, { days: p.minPainDays.value }),
    counter.check,
    history.check,
    care.check,
    requires(general.function.result),
  ]);

  const notes: Caution[] = [
    {
      code: "CONFIRM_IMAGING",
      message: "Confirm concordant MRI or CT (not recorded in PainPath) before referral.",
      source: SOURCE,
    },
    {
      code: "COMBINE_WITH_REHAB",
      message: "Give alongside conservative care and an active rehab or home exercise programme.",
      source: SOURCE,
    },
  ];
  if (history.retryAfter) notes.push(retryCaution(history.retryAfter));
  notes.push(...percentOnlyCaution(injections.slice(-1), SOURCE));

  return {
    result: criterionResult(rule, check, evidence),
    procedure: "EPIDURAL_STEROID_INJECTION",
    notes,
  };
}

/**
 * Initial when there is no previous ESI; a repeat after ≥ X % relief for ≥ Y days; one retry, some
 * days later, when the first ESI failed. Never a pre-planned series.
 */
function historyCheck(
  injections: readonly Procedure[],
  ctx: DiagnosisContext,
): { check: Check; retryAfter: Procedure | null } {
  const p = ctx.rules.epidural.parameters;
  const last = injections.at(-1);
  if (!last) return { check: met("no previous ESI (initial injection)"), retryAfter: null };
  const sustained = reliefCheck(last, { percent: p.repeatReliefPercent.value, days: p.repeatReliefDays.value });
  if (sustained.status !== "not-met") {
    return { check: labelled("repeat", sustained), retryAfter: null };
  }
  if (injections.length > 1) {
    return {
      check: notMet(`${sustained.reason}; a retry after a failed ESI is allowed once, after the first`),
      retryAfter: null,
    };
  }
  const since = daysBetween(last.performedOn, ctx.index.evaluatedOn);
  if (since < p.retryMinDays.value) {
    const from = addDays(last.performedOn, p.retryMinDays.value);
    return { check: notMet(`${sustained.reason}; one retry is possible from ${from}`), retryAfter: null };
  }
  return { check: met(`${sustained.reason}; one retry allowed, ${since} days later`), retryAfter: last };
}

/** The retry must differ from the failed ESI in approach, level or drug: say what the failed one used. */
function retryCaution(failed: Procedure): Caution {
  const used = [
    failed.approach ? ESI_APPROACH_LABELS[failed.approach].toLowerCase() : null,
    failed.level,
    failed.injectate,
  ];
  const recorded = used.filter((part): part is string => Boolean(part));
  const message =
    recorded.length === used.length
      ? `Retry after the failed ESI of ${failed.performedOn} (${recorded.join(", ")}): change the approach, level ` +
        "or drug, and document the rationale."
      : `Retry after the failed ESI of ${failed.performedOn}: record its approach, level and drug` +
        (recorded.length > 0 ? ` (recorded: ${recorded.join(", ")})` : "") +
        ", then change at least one and document the rationale.";
  return { code: "ESI_RETRY", message, source: SOURCE };
}
