/**
 * Spinal cord stimulation as a late resort (NCD 160.7; Aetna CPB 0194; clinical-criteria.md §4):
 * a temporary trial first, the implant after a successful trial.
 */
import { PSYCH_EVALUATION_STATUS_LABELS } from "~/domain/pathway-vocabulary";
import type { PsychEvaluationStatus } from "~/generated/prisma/enums";
import type { DiagnosisContext, GeneralResults, ProcedureOutcome } from "../context";
import { allOf, type Check, criterionResult, labelled, met, notMet, requires, unknown } from "../criterion";
import { assessmentEvidence, patientEvidence, procedureEvidence } from "../evidence";
import { historyOf, percentOnlyCaution, reliefCheck, reliefOf } from "../procedure-history";
import { type Assessment, latestSince, windowStart } from "../snapshot-index";
import type { Caution, Evidence } from "../types";
import {
  careCheck,
  DISABILITY_VALUE,
  disabilityIndexFor,
  durationCheck,
  isSpinal,
  noScoreMissing,
} from "./prerequisites";

/** Post-laminectomy (failed back surgery) syndrome and CRPS I/II (ICD-10-CM, clinical-criteria.md §9). */
const SCS_CODE_PREFIXES = ["M96.1", "G90.5", "G56.4", "G57.7"];
const SCS = ["SPINAL_CORD_STIMULATOR_TRIAL", "SPINAL_CORD_STIMULATOR_IMPLANT"] as const;
const SOURCE = "NCD 160.7; Aetna CPB 0194 [M]";

const PSYCH_CHECKS: Record<PsychEvaluationStatus, Check> = {
  CLEARED: met("psychological evaluation cleared"),
  NOT_CLEARED: notMet("the psychological evaluation did not clear the patient for SCS"),
  NOT_DONE: unknown("no psychological evaluation yet", ["Psychological evaluation for SCS (not done)"]),
  REFERRED: unknown("psychological evaluation awaiting its result", [
    "Psychological evaluation result for SCS (referred, awaiting result)",
  ]),
};

function isScsIndication(painType: string, icd10Code: string): boolean {
  return painType === "NEUROPATHIC" || SCS_CODE_PREFIXES.some((prefix) => icd10Code.startsWith(prefix));
}

export function evaluateSpinalCordStimulation(ctx: DiagnosisContext, general: GeneralResults): ProcedureOutcome | null {
  const { diagnosis, index } = ctx;
  const indicated = isScsIndication(diagnosis.painType, diagnosis.icd10Code);
  if (!indicated && !isSpinal(diagnosis.bodyRegion)) return null;
  const rule = ctx.rules.spinalCordStimulation;
  const p = rule.parameters;
  const { patient } = index.snapshot;

  const devices = historyOf(index, diagnosis, SCS, { anyRegion: true });
  const implant = devices.findLast((procedure) => procedure.type === "SPINAL_CORD_STIMULATOR_IMPLANT");
  const trial = devices.findLast((procedure) => procedure.type === "SPINAL_CORD_STIMULATOR_TRIAL");
  const since = windowStart(index, p.lookBackDays.value);
  const latest = latestSince(index.assessments, since);
  // Pain outside the spine (CRPS of a limb, neuropathy) has no region index: either one counts.
  const regionIndex = disabilityIndexFor(diagnosis.bodyRegion);
  const indices = regionIndex ? [regionIndex] : (["odi", "ndi"] as const);
  const disabilityOf = (assessment: Assessment) => {
    const values = indices.map((name) => DISABILITY_VALUE[name](assessment)).filter((value) => value !== null);
    return values.length > 0 ? Math.max(...values) : null;
  };
  const disability = latestSince(index.assessments, since, (assessment) => disabilityOf(assessment) !== null);
  const care = careCheck(ctx, p.conservativeCareDays.value);

  const evidence: Evidence[] = [
    care.evidence,
    patientEvidence(
      patient.id,
      `Psychological evaluation: ${PSYCH_EVALUATION_STATUS_LABELS[patient.psychEvaluationStatus].toLowerCase()}` +
        (patient.psychEvaluationDate ? ` (${patient.psychEvaluationDate})` : ""),
    ),
    ...devices.map((procedure) => procedureEvidence(procedure, reliefOf(procedure), index.evaluatedOn)),
  ];
  if (latest) evidence.push(assessmentEvidence(latest, "latest score"));
  if (disability && disability !== latest) evidence.push(assessmentEvidence(disability, "latest ODI/NDI"));

  const disabilityValue = disability ? disabilityOf(disability) : null;
  const check = allOf([
    indicated
      ? met("neuropathic pain, post-laminectomy syndrome or CRPS")
      : notMet("SCS is for refractory neuropathic pain (neuropathic pain type, post-laminectomy syndrome or CRPS)"),
    implant
      ? notMet(`SCS implanted on ${implant.performedOn}: device follow-up, not a new referral`)
      : met("no implant"),
    diagnosis.surgicalStatus === "CANDIDATE"
      ? notMet("recorded as a surgical candidate: SCS is a late resort")
      : met("no planned surgery recorded"),
    durationCheck(ctx, { months: p.minPainMonths.value }),
    requires(general.persistence.result),
    care.check,
    !latest
      ? unknown(`no pain score in the last ${p.lookBackDays.value} days`, [noScoreMissing(p.lookBackDays.value)])
      : latest.painAverage >= p.painThreshold.value
        ? met(`average pain ${latest.painAverage}/10`)
        : notMet(`average pain ${latest.painAverage}/10 (needs at least ${p.painThreshold.value})`),
    disabilityValue === null
      ? unknown(`no ODI or NDI in the last ${p.lookBackDays.value} days`, [
          `An ODI or NDI score (none in the last ${p.lookBackDays.value} days)`,
        ])
      : disabilityValue >= p.disabilityPercent.value
        ? met(`disability ${disabilityValue} %`)
        : notMet(`disability ${disabilityValue} % (needs at least ${p.disabilityPercent.value} %)`),
    PSYCH_CHECKS[patient.psychEvaluationStatus],
    trial
      ? labelled("SCS trial", reliefCheck(trial, { percent: p.trialReliefPercent.value, days: null }))
      : met("no SCS trial yet (temporary trial first)"),
  ]);

  const notes: Caution[] = [
    {
      code: "CONFIRM_SCS_SCREENING",
      message: "Confirm no active substance-use disorder, and education and consent (not recorded in PainPath).",
      source: SOURCE,
    },
    ...percentOnlyCaution(trial ? [trial] : [], SOURCE),
  ];
  if (trial) {
    notes.push({
      code: "CONFIRM_ANALGESIC_USE",
      message: "A successful trial also needs stable or reduced analgesic use.",
      source: "Aetna CPB 0194 [M]; Neuromodulation Foundation",
    });
  }
  return {
    result: criterionResult(rule, check, evidence),
    procedure: trial ? "SPINAL_CORD_STIMULATOR_IMPLANT" : "SPINAL_CORD_STIMULATOR_TRIAL",
    notes,
  };
}
