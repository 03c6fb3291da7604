/** Epidural steroid injection, initial and repeat (CMS LCD L39240; billing article A58993). */
import { addDays, daysBetween } from "~/domain/clinical/duration";
import {
  ESI_APPROACH_LABELS,
  IMAGING_MODALITY_LABELS,
  PAIN_TYPE_LABELS,
  RADICULAR_SIGN_LABELS,
} from "~/domain/pathway-vocabulary";
import type { DiagnosisContext, GeneralResults, ProcedureOutcome } from "../context";
import { allOf, type Check, criterionResult, labelled, met, notMet, requires, unknown } from "../criterion";
import { imagingEvidence, procedureEvidence } from "../evidence";
import { historyOf, percentOnlyCaution, regionCounter, reliefCheck, reliefOf } from "../procedure-history";
import type { Imaging, Procedure } from "../snapshot-index";
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
  const signs = (diagnosis.radicularSigns ?? []).map((sign) => RADICULAR_SIGN_LABELS[sign].toLowerCase());
  const indication = radicular
    ? met(
        `${diagnosis.painType === "RADICULAR" ? "radicular pain" : "post-laminectomy syndrome"}` +
          (signs.length > 0 ? ` (${signs.join("; ")})` : ""),
      )
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
  const imaging = imagingCheck(ctx);
  if (imaging) evidence.push(imagingEvidence(imaging.study));

  const check = allOf([
    indication,
    ...(imaging ? [imaging.check] : []),
    durationCheck(ctx, { days: p.minPainDays.value }),
    counter.check,
    history.check,
    care.check,
    requires(general.function.result),
  ]);

  const notes: Caution[] = [
    ...(imaging
      ? []
      : [
          {
            code: "CONFIRM_IMAGING",
            message: "Confirm concordant MRI or CT (none recorded in PainPath) before referral.",
            source: SOURCE,
          },
        ]),
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

const CROSS_SECTIONAL: ReadonlySet<Imaging["modality"]> = new Set(["MRI", "CT", "CT_MYELOGRAM"]);

/**
 * LCD L39240 asks for MRI or CT concordant with the history and examination. Where such imaging is
 * recorded for the diagnosis, the latest study whose concordance was judged decides; when none was
 * judged, concordance is what is missing. With none recorded, the reminder CONFIRM_IMAGING stands
 * instead (no check), so a record without imaging is never held back for it.
 */
function imagingCheck(ctx: DiagnosisContext): { check: Check; study: Imaging } | null {
  const studies = ctx.index.imaging.filter(
    (study) => study.diagnosisId === ctx.diagnosis.id && CROSS_SECTIONAL.has(study.modality),
  );
  const latest = studies.at(-1);
  if (!latest) return null;
  const judged = studies.findLast((study) => study.concordance !== "NOT_ASSESSED");
  if (!judged) {
    const what = `whether the ${IMAGING_MODALITY_LABELS[latest.modality]} of ${latest.performedOn} is concordant`;
    return { check: unknown(`record ${what}`), study: latest };
  }
  const name = `${IMAGING_MODALITY_LABELS[judged.modality]} of ${judged.performedOn}`;
  return {
    check:
      judged.concordance === "CONCORDANT"
        ? met(`concordant ${name}`)
        : notMet(`the ${name} is not concordant with the clinical findings (LCD L39240 asks for concordant imaging)`),
    study: judged,
  };
}
