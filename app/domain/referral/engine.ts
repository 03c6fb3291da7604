/**
 * The referral engine: one patient's snapshot and a rule set in, one evaluation per diagnosis out.
 * Pure: no database, no clock (the snapshot's `evaluatedOn` is "today"), no randomness, so the same
 * input always gives a deep-equal result. Decision support, not a coverage determination.
 */
import type { PainDuration } from "~/domain/clinical/duration";
import type { TherapyModality } from "~/generated/prisma/enums";
import { diagnosisContext, type Evaluated, type GeneralResults, type ProcedureOutcome } from "./context";
import { dedupe, sentence } from "./criterion";
import { patientCautions } from "./criteria/cautions";
import { evaluateEpidural } from "./criteria/epidural";
import { evaluateFacet } from "./criteria/facet";
import { evaluateGeneral, isChronic } from "./criteria/general";
import { evaluatePeripheral } from "./criteria/peripheral";
import { conservativeCarePrompt, nonDrugCareStillToTry, opioidPrompts, stillToTryText } from "./criteria/prompts";
import { redFlagLabels, redFlagUrgency } from "./criteria/red-flags";
import { evaluateSpinalCordStimulation } from "./criteria/spinal-cord-stimulation";
import { count, PROCEDURE_ABBREVIATIONS } from "./evidence";
import { DECISION_SUPPORT_DISCLAIMER, type RuleSet } from "./rule-set";
import { type Diagnosis, indexSnapshot, type SnapshotIndex } from "./snapshot-index";
import type { DiagnosisEvaluation, PatientSnapshot, ProcedureSuggestion } from "./types";

/** One evaluation per diagnosis not entered in error, in the snapshot's order. */
export function evaluatePatient(snapshot: PatientSnapshot, ruleSet: RuleSet): DiagnosisEvaluation[] {
  const index = indexSnapshot(snapshot);
  return index.diagnoses.map((diagnosis) => evaluate(index, ruleSet, diagnosis));
}

/** Null when the diagnosis is not in the snapshot or was entered in error. */
export function evaluateDiagnosis(
  snapshot: PatientSnapshot,
  diagnosisId: string,
  ruleSet: RuleSet,
): DiagnosisEvaluation | null {
  const index = indexSnapshot(snapshot);
  const diagnosis = index.diagnoses.find((candidate) => candidate.id === diagnosisId);
  return diagnosis ? evaluate(index, ruleSet, diagnosis) : null;
}

function evaluate(index: SnapshotIndex, ruleSet: RuleSet, diagnosis: Diagnosis): DiagnosisEvaluation {
  const ctx = diagnosisContext(index, ruleSet.rules, diagnosis);
  const general = evaluateGeneral(ctx);
  const procedures: ProcedureOutcome[] = [];
  const epidural = evaluateEpidural(ctx, general);
  if (epidural) procedures.push(epidural);
  procedures.push(...evaluateFacet(ctx, general));
  const stimulation = evaluateSpinalCordStimulation(ctx, general);
  if (stimulation) procedures.push(stimulation);
  procedures.push(...evaluatePeripheral(ctx, general));

  const urgent = redFlagUrgency(diagnosis, ruleSet.rules);
  // Under a red flag no procedure is shown as met or suggested: evaluate now (AHCPR 1994 red flags).
  const criteria = [
    general.persistence.result,
    general.sideEffects.result,
    general.function.result,
    general.surgery.result,
    ...(urgent ? [] : procedures.map((outcome) => outcome.result)),
  ];
  const suggestions: ProcedureSuggestion[] = urgent
    ? []
    : procedures
        .filter((outcome) => outcome.result.status === "met")
        .map((outcome) => ({
          procedure: outcome.procedure,
          ruleId: outcome.result.ruleId,
          cautions: [...patientCautions(index, diagnosis, outcome.procedure, ruleSet.rules), ...outcome.notes],
        }));
  const chronic = isChronic(ctx);
  const met = (evaluated: Evaluated) => evaluated.result.status === "met";
  // ACP 2017: limited function alone is no reason to refer before non-drug care has been tried.
  const stillToTry =
    chronic && met(general.function) && !met(general.persistence) && !met(general.sideEffects)
      ? nonDrugCareStillToTry(ctx)
      : [];
  const flag =
    urgent !== null ||
    (chronic &&
      (met(general.persistence) || met(general.sideEffects) || (met(general.function) && stillToTry.length === 0)));
  const prompts = [...opioidPrompts(ctx), ...(stillToTry.length > 0 ? [conservativeCarePrompt(ctx, stillToTry)] : [])];
  const missingData = dedupe(
    criteria.flatMap((criterion) => (criterion.status === "not-enough-data" ? criterion.missing : [])),
  );

  return {
    diagnosisId: diagnosis.id,
    ruleSetVersion: ruleSet.version,
    evaluatedOn: index.evaluatedOn,
    urgent,
    criteria,
    suggestions,
    prompts,
    flag,
    summary: urgent
      ? `Red flag: ${redFlagLabels(diagnosis)}. Evaluate now, not a pathway decision.`
      : routineSummary(ctx.duration, chronic, general, suggestions, missingData, stillToTry),
    missingData,
    disclaimer: DECISION_SUPPORT_DISCLAIMER,
  };
}

/** The worklist line: what is met (criterion 4 only as a strengthener), then what is suggested. */
function routineSummary(
  duration: PainDuration | null,
  chronic: boolean,
  general: GeneralResults,
  suggestions: readonly ProcedureSuggestion[],
  missingData: readonly string[],
  stillToTry: readonly TherapyModality[],
): string {
  const suggested =
    suggestions.length === 0
      ? ""
      : ` Suggested: ${suggestions
          .map(
            ({ procedure, cautions }) =>
              `${PROCEDURE_ABBREVIATIONS[procedure]}${cautions.length > 0 ? ` (${count(cautions.length, "caution")})` : ""}`,
          )
          .join(", ")}.`;
  if (!chronic) {
    const lasted = duration
      ? `Pain for ${count(duration.months, "month")}: not yet chronic`
      : "Onset after the evaluation date";
    return `${lasted}.${suggested}`;
  }
  if (stillToTry.length > 0) {
    return `Conservative care not yet exhausted: still to try ${stillToTryText(stillToTry)}.${suggested}`;
  }
  const met = [general.persistence, general.sideEffects, general.function]
    .filter(({ result }) => result.status === "met")
    .map(({ phrase }) => phrase);
  if (met.length > 0) {
    if (general.surgery.result.status === "met") met.push(general.surgery.phrase);
    return `${sentence(met.join("; "))}${suggested}`;
  }
  const waiting = [general.persistence, general.sideEffects, general.function].some(
    ({ result }) => result.status === "not-enough-data",
  );
  if (waiting && missingData.length > 0) {
    const more = missingData.length > 1 ? ` (+${missingData.length - 1} more)` : "";
    return `Needs data: ${missingData[0]}${more}.${suggested}`;
  }
  return `No referral criterion met.${suggested}`;
}
