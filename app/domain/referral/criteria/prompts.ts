/**
 * Prompts for the clinician beside the criteria, each with its source. None of them is a referral
 * criterion: an opioid dose asks for a reassessment and naloxone, not for a procedure (CDC 2022
 * Rec 4–5, 8, 11), and function limited before any non-drug care asks for that care first (ACP 2017).
 */
import { THERAPY_MODALITY_LABELS } from "~/domain/pathway-vocabulary";
import type { TherapyModality } from "~/generated/prisma/enums";
import type { DiagnosisContext } from "../context";
import { therapyName } from "../evidence";
import type { Caution } from "../types";

/** Whether the diagnosis has an opioid of its own running today: the patient's total is then its concern. */
export function onOwnOpioid(ctx: DiagnosisContext): boolean {
  return ctx.trials.some((trial) => trial.therapy.modality === "OPIOID" && !trial.ended);
}

export function opioidPrompts(ctx: DiagnosisContext): Caution[] {
  if (!onOwnOpioid(ctx)) return [];
  const rule = ctx.rules.opioidSafety;
  const threshold = rule.parameters.mmeThreshold.value;
  const { currentOpioids, totalMme, mmeCaveats, snapshot } = ctx.index;
  const { cautions, naloxoneOfferedOn } = snapshot.patient;
  const source = (recommendation: string) => `${rule.id} v${rule.version}: ${recommendation}`;
  const prompts: Caution[] = [];

  const highDose = totalMme >= threshold;
  if (highDose) {
    const working = currentOpioids
      .map(({ therapy, mme, problem }) =>
        mme
          ? `${mme.working} (${mme.tableVersion} factors)`
          : `${therapyName(therapy)}: MME not calculated, ${problem}`,
      )
      .join("; ");
    prompts.push({
      code: "OPIOID_REASSESS",
      message:
        `Current opioids total ${totalMme} MME/day (at or above ${threshold}): reassess benefits and risks with the ` +
        `patient before any increase. ${working}. ${mmeCaveats.join(" ")}`,
      source: source("CDC 2022 Rec 4–5 (careful reassessment at ≥ 50 MME/day)"),
    });
  }
  if (cautions.onBenzodiazepine) {
    prompts.push({
      code: "OPIOID_BENZODIAZEPINE",
      message: "Opioid with a benzodiazepine: avoid prescribing them together where possible (overdose risk).",
      source: source("CDC 2022 Rec 11"),
    });
  }
  // Offered since the current opioid therapy began; an older offer predates the present risk.
  const since = currentOpioids[0]?.therapy.startDate;
  const offered = naloxoneOfferedOn !== null && since !== undefined && naloxoneOfferedOn >= since;
  if ((highDose || cautions.onBenzodiazepine) && !offered) {
    prompts.push({
      code: "OFFER_NALOXONE",
      message:
        `Offer naloxone (${highDose ? `${totalMme} MME/day` : "opioid with a benzodiazepine"}); ` +
        (naloxoneOfferedOn === null
          ? "no offer is recorded."
          : `last offered ${naloxoneOfferedOn}, before the current opioid began (${since}).`),
      source: source("CDC 2022 Rec 8 (naloxone at ≥ 50 MME/day or with a benzodiazepine)"),
    });
  }
  return prompts;
}

/** ACP 2017 puts non-drug care first; these are the modalities PainPath records of it. */
const NON_DRUG_FIRST: readonly TherapyModality[] = ["PHYSICAL_THERAPY", "HOME_EXERCISE", "PSYCHOLOGICAL_THERAPY"];

/** The non-drug modalities still to try, or none once one of them has failed or was not tolerated. */
export function nonDrugCareStillToTry(ctx: DiagnosisContext): TherapyModality[] {
  const failed = ctx.trials.some((trial) => trial.failed && NON_DRUG_FIRST.includes(trial.therapy.modality));
  return failed ? [] : [...NON_DRUG_FIRST];
}

export function conservativeCarePrompt(ctx: DiagnosisContext, stillToTry: readonly TherapyModality[]): Caution {
  const rule = ctx.rules.conservativeFirst;
  return {
    code: "CONSERVATIVE_CARE_NOT_EXHAUSTED",
    message: `Conservative care not yet exhausted: still to try ${stillToTryText(stillToTry)}.`,
    source: `${rule.id} v${rule.version}: ${rule.source}`,
  };
}

export function stillToTryText(modalities: readonly TherapyModality[]): string {
  return modalities.map((modality) => THERAPY_MODALITY_LABELS[modality].toLowerCase().replace("cbt", "CBT")).join(", ");
}
