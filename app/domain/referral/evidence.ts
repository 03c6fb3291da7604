/**
 * Evidence lines in one style, so every criterion describes the same record the same way. Lines
 * without a record id must not change from one day to the next on an unchanged record (the stored
 * evaluation's fingerprint reads them): day counts belong in record lines or in explanations.
 */
import { daysBetween, type IsoDate, type PainDuration } from "~/domain/clinical/duration";
import type { OutcomeMeasure } from "~/domain/clinical/scores";
import { drugName } from "~/domain/clinical/drugs";
import {
  BODY_REGION_LABELS,
  LIMITATION_LABELS,
  MEDICATION_FREQUENCY_LABELS,
  type MedicationFrequency,
  STOP_REASON_LABELS,
  THERAPY_MODALITY_LABELS,
  IMAGING_CONCORDANCE_LABELS,
  IMAGING_MODALITY_LABELS,
} from "~/domain/pathway-vocabulary";
import type { BodyRegion, ProcedureType } from "~/generated/prisma/enums";
import type { Assessment, Diagnosis, Imaging, Procedure, Therapy } from "./snapshot-index";
import type { Evidence } from "./types";

/** The abbreviations clinicians use on a worklist line. */
export const PROCEDURE_ABBREVIATIONS: Record<ProcedureType, string> = {
  EPIDURAL_STEROID_INJECTION: "ESI",
  MEDIAL_BRANCH_BLOCK: "MBB",
  FACET_JOINT_INJECTION: "facet joint injection",
  RADIOFREQUENCY_ABLATION: "RFA",
  SACROILIAC_JOINT_INJECTION: "SI joint injection",
  GENICULAR_NERVE_BLOCK: "genicular nerve block",
  PERIPHERAL_NERVE_BLOCK: "peripheral nerve block",
  SPINAL_CORD_STIMULATOR_TRIAL: "SCS trial",
  SPINAL_CORD_STIMULATOR_IMPLANT: "SCS implant",
  INTRA_ARTICULAR_INJECTION: "intra-articular injection",
  TRIGGER_POINT_INJECTION: "trigger point injection",
  OTHER: "other procedure",
};

/** Scale names inside evidence sentences. */
export const MEASURE_NAMES: Record<OutcomeMeasure, string> = {
  painNrs: "average pain",
  peg: "PEG",
  odi: "ODI",
  ndi: "NDI",
};

/**
 * "1 month", "2 months". Not ~/domain/text's count: evidence summaries are stored and
 * fingerprinted, so their wording must not follow the pages' number formatting.
 */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** "−14.3 %", "+5 %", "0 %". */
export function signedPercent(percent: number): string {
  return `${percent > 0 ? "+" : percent < 0 ? "−" : ""}${Math.abs(percent)} %`;
}

export function therapyName(therapy: Therapy): string {
  return therapy.drug ? drugName(therapy.drug) : THERAPY_MODALITY_LABELS[therapy.modality];
}

/** A trial as its evidence line needs it: what was tried, for how long, and whether it ended. */
interface TrialSpan {
  therapy: Therapy;
  days: number;
  ended: boolean;
}

export function therapyEvidence({ therapy, days, ended }: TrialSpan, note?: string): Evidence {
  const sessions =
    therapy.sessionsAttended !== null
      ? `, ${therapy.sessionsAttended}${therapy.sessionsPlanned !== null ? `/${therapy.sessionsPlanned}` : ""} sessions`
      : "";
  const status = !ended
    ? "ongoing"
    : therapy.stopReason
      ? `stopped: ${STOP_REASON_LABELS[therapy.stopReason].toLowerCase()}`
      : "ended";
  return {
    kind: "therapy",
    id: therapy.id,
    summary:
      `${therapyName(therapy)}${doseText(therapy)}, ${therapy.startDate} – ${ended ? therapy.endDate : "ongoing"} ` +
      `(${days} days${sessions}), ${status}${note ? `; ${note}` : ""}`,
  };
}

function doseText({ dose, doseUnit, frequency, maxDosesPerDay }: Therapy): string {
  if (dose === null) return "";
  const unit = doseUnit ? ` ${doseUnit}` : "";
  if (frequency === "as-needed") return ` ${dose}${unit} as needed, max ${maxDosesPerDay ?? "?"}/day`;
  const label = frequency && frequency in MEDICATION_FREQUENCY_LABELS;
  return ` ${dose}${unit}${label ? ` ${MEDICATION_FREQUENCY_LABELS[frequency as MedicationFrequency].toLowerCase()}` : ""}`;
}

export function assessmentText(assessment: Assessment): string {
  const disability = [
    assessment.odiPercent !== null ? `, ODI ${assessment.odiPercent} %` : "",
    assessment.ndiPercent !== null ? `, NDI ${assessment.ndiPercent} %` : "",
  ].join("");
  return (
    `${assessment.date}: average pain ${assessment.painAverage}/10, PEG ${assessment.pegScore}${disability}, ` +
    `limitation ${LIMITATION_LABELS[assessment.limitation].toLowerCase()}`
  );
}

export function assessmentEvidence(assessment: Assessment, note?: string): Evidence {
  return { kind: "assessment", id: assessment.id, summary: `${assessmentText(assessment)}${note ? ` (${note})` : ""}` };
}

export interface Relief {
  percent: number;
  /** "pain 8 → 1" when pain before and after are recorded; null when only a bare % is. */
  scores: string | null;
}

export function procedureEvidence(
  procedure: Procedure,
  relief: Relief | null,
  evaluatedOn: IsoDate,
  note?: string,
): Evidence {
  const level = procedure.level ? ` ${procedure.level}` : "";
  const reliefText = relief
    ? relief.scores
      ? `${relief.scores} (${relief.percent} % relief)`
      : `${relief.percent} % relief (recorded % only, no before/after scores)`
    : "relief not recorded";
  const duration = procedure.reliefDurationDays !== null ? ` for ${procedure.reliefDurationDays} days` : "";
  const ago = daysBetween(procedure.performedOn, evaluatedOn);
  return {
    kind: "procedure",
    id: procedure.id,
    summary:
      `${PROCEDURE_ABBREVIATIONS[procedure.type]} ${procedure.performedOn}${level}: ${reliefText}${duration}, ` +
      `${ago} days ago${note ? `; ${note}` : ""}`,
  };
}

export function diagnosisEvidence(diagnosis: Diagnosis, duration: PainDuration | null): Evidence {
  const length = duration
    ? `pain for ${count(duration.months, "month")} ${count(duration.days, "day")} (${duration.category})`
    : "onset after the evaluation date";
  return {
    kind: "diagnosis",
    id: diagnosis.id,
    summary: `${diagnosis.icd10Code} ${diagnosis.label}, onset ${diagnosis.onsetDate}: ${length}`,
  };
}

export function imagingEvidence(study: Imaging): Evidence {
  return {
    kind: "imaging",
    id: study.id,
    summary: `${IMAGING_MODALITY_LABELS[study.modality]} ${study.performedOn}: ${IMAGING_CONCORDANCE_LABELS[study.concordance].toLowerCase()}`,
  };
}

export function counterEvidence(summary: string): Evidence {
  return { kind: "counter", summary };
}

export function patientEvidence(patientId: string, summary: string): Evidence {
  return { kind: "patient", id: patientId, summary };
}

export function regionLabel(region: BodyRegion): string {
  return BODY_REGION_LABELS[region].toLowerCase();
}
