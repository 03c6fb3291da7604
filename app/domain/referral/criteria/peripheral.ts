/**
 * Peripheral nerve blocks and genicular blocks/RFA for knee osteoarthritis (Malaithong et al. RAPM 2023;48:151).
 * No national Medicare rule: both are payer-configurable site policy, and several commercial
 * policies call genicular procedures investigational, which each suggestion says.
 */
import { IMAGING_MODALITY_LABELS } from "~/domain/pathway-vocabulary";
import type { DiagnosisContext, GeneralResults, ProcedureOutcome } from "../context";
import { allOf, type Check, criterionResult, labelled, met, notMet, requires } from "../criterion";
import { procedureEvidence } from "../evidence";
import { historyOf, percentOnlyCaution, regionCounter, reliefCheck, reliefOf } from "../procedure-history";
import type { Diagnosis } from "../snapshot-index";
import type { Caution } from "../types";
import { careCheck, isSpinal } from "./prerequisites";

const PNB = ["PERIPHERAL_NERVE_BLOCK"] as const;
const GENICULAR = ["GENICULAR_NERVE_BLOCK", "RADIOFREQUENCY_ABLATION"] as const;
const PNB_SOURCE = "Site policy [L]";
const GENICULAR_SOURCE = "Site policy [L]; RAPM 2023 RCT; BJA Educ 2024";

function isKneeOsteoarthritis({ bodyRegion, painType, icd10Code }: Diagnosis): boolean {
  return bodyRegion === "KNEE" && (painType === "JOINT" || icd10Code.startsWith("M17"));
}

export function evaluatePeripheral(ctx: DiagnosisContext, general: GeneralResults): ProcedureOutcome[] {
  const { bodyRegion } = ctx.diagnosis;
  if (isSpinal(bodyRegion) || bodyRegion === "SACROILIAC") return [];
  if (bodyRegion !== "KNEE") return [peripheralNerveBlock(ctx, general)];
  const knee = genicular(ctx, general);
  return isKneeOsteoarthritis(ctx.diagnosis) ? [knee] : [knee, peripheralNerveBlock(ctx, general)];
}

function peripheralNerveBlock(ctx: DiagnosisContext, general: GeneralResults): ProcedureOutcome {
  const { diagnosis, index } = ctx;
  const rule = ctx.rules.peripheralNerveBlock;
  const p = rule.parameters;
  const counter = regionCounter(index, diagnosis.bodyRegion, PNB, p.maxPerYear.value);
  const blocks = historyOf(index, diagnosis, PNB);
  const last = blocks.at(-1);
  const check = allOf([
    diagnosis.painType === "NEUROPATHIC" || diagnosis.painType === "JOINT"
      ? met(`${diagnosis.painType.toLowerCase()} pain outside the spine`)
      : notMet("peripheral nerve blocks are for neuropathic or joint pain outside the spine"),
    requires(general.persistence.result),
    counter.check,
    last
      ? labelled("repeat block", reliefCheck(last, { percent: p.repeatReliefPercent.value, days: null }))
      : met("no previous peripheral nerve block"),
  ]);
  return {
    result: criterionResult(rule, check, [
      counter.evidence,
      ...blocks.map((block) => procedureEvidence(block, reliefOf(block), index.evaluatedOn)),
    ]),
    procedure: "PERIPHERAL_NERVE_BLOCK",
    notes: [
      coverageCaution("No national Medicare rule: coverage varies by payer.", PNB_SOURCE),
      ...percentOnlyCaution(blocks.slice(-1), PNB_SOURCE),
    ],
  };
}

/** A prognostic genicular block first; genicular RFA after a block with more than the required relief. */
function genicular(ctx: DiagnosisContext, general: GeneralResults): ProcedureOutcome {
  const { diagnosis, index } = ctx;
  const rule = ctx.rules.genicular;
  const p = rule.parameters;
  const procedures = historyOf(index, diagnosis, GENICULAR);
  const lastBlock = procedures.findLast((procedure) => procedure.type === "GENICULAR_NERVE_BLOCK");
  const lastRfa = procedures.findLast((procedure) => procedure.type === "RADIOFREQUENCY_ABLATION");
  const care = careCheck(ctx, p.conservativeCareDays.value);

  const ablated = lastBlock && lastRfa && lastRfa.performedOn >= lastBlock.performedOn;
  let stage: Check;
  if (!lastBlock) stage = met("no prognostic genicular block yet");
  else if (ablated) {
    stage = notMet(`genicular RFA done on ${lastRfa?.performedOn}; no repeat rule is defined yet (site policy)`);
  } else {
    stage = labelled(
      "prognostic block",
      reliefCheck(lastBlock, { percent: p.positiveBlockReliefPercent.value, days: null, strictlyAbove: true }),
    );
  }
  const check = allOf([
    isKneeOsteoarthritis(diagnosis)
      ? met("knee osteoarthritis")
      : notMet("genicular procedures are for knee osteoarthritis (joint pain or ICD-10-CM M17)"),
    requires(general.persistence.result),
    care.check,
    stage,
  ]);

  const notes: Caution[] = [
    coverageCaution(
      "Several commercial policies call genicular blocks and RFA investigational (Anthem SURG.00142, BCBS NC, BCBS SC CAM 230).",
      "Anthem SURG.00142; BCBS NC; BCBS SC CAM 230",
    ),
    { code: "CONFIRM_KNEE_WORKUP", message: kneeWorkup(ctx), source: GENICULAR_SOURCE },
    ...percentOnlyCaution(lastBlock ? [lastBlock] : [], GENICULAR_SOURCE),
  ];
  if (diagnosis.surgicalStatus === "CANDIDATE") {
    notes.push({
      code: "ARTHROPLASTY_CANDIDATE",
      message: "Recorded as a surgical candidate: genicular procedures are offered when arthroplasty is not wanted.",
      source: "Alomari & Bhatia, BJA Educ 2024 [M]",
    });
  }
  return {
    result: criterionResult(rule, check, [
      care.evidence,
      ...procedures.map((procedure) => procedureEvidence(procedure, reliefOf(procedure), index.evaluatedOn)),
    ]),
    procedure: lastBlock && !ablated ? "RADIOFREQUENCY_ABLATION" : "GENICULAR_NERVE_BLOCK",
    notes,
  };
}

function coverageCaution(message: string, source: string): Caution {
  return { code: "COVERAGE_VARIES", message, source };
}

/** What PainPath holds of the knee work-up the sources expect before genicular procedures, and what to confirm. */
function kneeWorkup({ index, diagnosis }: DiagnosisContext): string {
  const imaging = index.imaging.findLast(
    (study) => study.diagnosisId === diagnosis.id && study.concordance === "CONCORDANT",
  );
  const injection = historyOf(index, diagnosis, ["INTRA_ARTICULAR_INJECTION"]).at(-1);
  const relief = injection ? reliefOf(injection) : null;
  return [
    imaging
      ? `Osteoarthritis on imaging: ${IMAGING_MODALITY_LABELS[imaging.modality]} of ${imaging.performedOn}.`
      : "Confirm radiographic osteoarthritis (no concordant knee imaging recorded).",
    injection
      ? `Intra-articular injection on ${injection.performedOn}: ${relief ? `${relief.percent} % relief` : "relief not recorded"}.`
      : "Confirm a failed intra-articular injection (none recorded).",
  ].join(" ");
}
