/**
 * Spinal cord stimulation as a late resort (CMS NCD 160.7; Aetna CPB 0194):
 * a temporary trial first, the implant after a successful trial.
 */
import { PSYCH_EVALUATION_STATUS_LABELS } from "~/domain/pathway-vocabulary";
import type { PsychEvaluationStatus } from "~/generated/prisma/enums";
import type { DiagnosisContext, GeneralResults, ProcedureOutcome } from "../context";
import { allOf, type Check, criterionResult, labelled, met, notMet, requires, unknown } from "../criterion";
import { assessmentEvidence, MEASURE_NAMES, patientEvidence, procedureEvidence } from "../evidence";
import { historyOf, percentOnlyCaution, reliefCheck, reliefOf } from "../procedure-history";
import { type Diagnosis, latestSince, windowStart } from "../snapshot-index";
import type { Caution, Evidence } from "../types";
import {
  careCheck,
  DISABILITY_VALUE,
  disabilityIndexFor,
  durationCheck,
  isSpinal,
  noScoreMissing,
} from "./prerequisites";

/** Post-laminectomy (failed back surgery) syndrome and CRPS I/II (ICD-10-CM FY2022+ codes). */
const SCS_CODES = [
  { prefix: "M96.1", name: "post-laminectomy syndrome" },
  { prefix: "G90.5", name: "CRPS type I" },
  { prefix: "G56.4", name: "CRPS type II (causalgia)" },
  { prefix: "G57.7", name: "CRPS type II (causalgia)" },
];
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

/** The SCS indication the diagnosis has, in words, or null. */
function scsIndication({ painType, icd10Code }: Diagnosis): string | null {
  const coded = SCS_CODES.find(({ prefix }) => icd10Code.startsWith(prefix));
  if (coded) return `${coded.name} (${icd10Code})`;
  return painType === "NEUROPATHIC" ? "neuropathic pain" : null;
}

export function evaluateSpinalCordStimulation(ctx: DiagnosisContext, general: GeneralResults): ProcedureOutcome | null {
  const { diagnosis, index } = ctx;
  const indicated = scsIndication(diagnosis);
  if (!indicated && !isSpinal(diagnosis.bodyRegion)) return null;
  const rule = ctx.rules.spinalCordStimulation;
  const p = rule.parameters;
  const { patient } = index.snapshot;

  const devices = historyOf(index, diagnosis, SCS, { anyRegion: true });
  const implant = devices.findLast((procedure) => procedure.type === "SPINAL_CORD_STIMULATOR_IMPLANT");
  const trial = devices.findLast((procedure) => procedure.type === "SPINAL_CORD_STIMULATOR_TRIAL");
  const since = windowStart(index, p.lookBackDays.value);
  const latest = latestSince(index.assessments, since);
  const regionIndex = disabilityIndexFor(diagnosis.bodyRegion);
  const valueOf = regionIndex && DISABILITY_VALUE[regionIndex];
  const disability = valueOf
    ? latestSince(index.assessments, since, (assessment) => valueOf(assessment) !== null)
    : undefined;
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
  if (disability && disability !== latest) evidence.push(assessmentEvidence(disability, "latest disability index"));

  const disabilityValue = valueOf && disability ? valueOf(disability) : null;
  // Aetna's ODI ≥ 21 % speaks for back (and, by the NDI, neck) pain; elsewhere GEN-FUNCTION's named scales do.
  const disabilityCheck = !regionIndex
    ? requires(general.function.result)
    : disabilityValue === null
      ? unknown(`no ${MEASURE_NAMES[regionIndex]} in the last ${p.lookBackDays.value} days`, [
          `An ${MEASURE_NAMES[regionIndex]} score (none in the last ${p.lookBackDays.value} days)`,
        ])
      : disabilityValue >= p.disabilityPercent.value
        ? met(`${MEASURE_NAMES[regionIndex]} ${disabilityValue} %`)
        : notMet(`${MEASURE_NAMES[regionIndex]} ${disabilityValue} % (needs at least ${p.disabilityPercent.value} %)`);
  const check = allOf([
    indicated
      ? met(indicated)
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
    disabilityCheck,
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
