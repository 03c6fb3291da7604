import type { Assessment as CompleteAssessment } from "./referral/snapshot-index";
import { drugName } from "./clinical/drugs";
import { painDuration, type PainDuration } from "./clinical/duration";
import {
  dailyMme,
  totalDailyMme,
  type DoseFrequency,
  type MedicationMme,
  type OpioidId,
  OPIOIDS,
  SCHEDULED_DOSES_PER_DAY,
  type TotalMme,
} from "./clinical/mme";
import { trialResponse, type TrialResponse } from "./clinical/response";
import type { IsoDate } from "./iso-date";
import { MEDICATION_FREQUENCY_LABELS, THERAPY_MODALITY_LABELS } from "./pathway-vocabulary";
import type { Adherence } from "~/generated/prisma/enums";
import type { PatientSnapshot } from "./referral/types";

type Versioned<T> = T & { version: number };

/**
 * The pathway record of one patient as plain values (dates as ISO days), entered-in-error rows
 * included: the referral engine's snapshot rows, plus what the patient page alone shows.
 */
export interface PathwayRecord {
  diagnoses: Array<Versioned<PatientSnapshot["diagnoses"][number]>>;
  therapies: Array<Versioned<PatientSnapshot["therapies"][number] & { route: string | null }>>;
  /** Recorded in PainPath, so complete: imported single scores are not part of the pathway record. */
  assessments: Array<Versioned<CompleteAssessment & { adherence: Adherence | null }>>;
}

export function doseFrequencyOf(frequency: string | null, maxDosesPerDay: number | null): DoseFrequency | null {
  if (frequency === "continuous") return { kind: "continuous" };
  if (frequency === "as-needed") return maxDosesPerDay ? { kind: "as-needed", maxDosesPerDay } : null;
  if (frequency && frequency in SCHEDULED_DOSES_PER_DAY) {
    return { kind: "scheduled", schedule: frequency as keyof typeof SCHEDULED_DOSES_PER_DAY };
  }
  return null;
}

type Therapy = PathwayRecord["therapies"][number];

/** Daily MME of an opioid trial, or null when it is not an opioid or its prescription is incomplete. */
export function therapyMme(
  therapy: Pick<Therapy, "modality" | "drug" | "dose" | "frequency" | "maxDosesPerDay">,
): MedicationMme | null {
  if (therapy.modality !== "OPIOID" || !therapy.drug || !(therapy.drug in OPIOIDS) || therapy.dose === null)
    return null;
  const frequency = doseFrequencyOf(therapy.frequency, therapy.maxDosesPerDay);
  const drug = therapy.drug as OpioidId;
  if (!frequency) return null;
  return dailyMme({ drug, dose: therapy.dose, unit: OPIOIDS[drug].unit, frequency });
}

/** A therapy as clinicians read it, e.g. "Oxycodone 10 mg Twice daily" or "Physical therapy". */
export function therapyLabel(therapy: Pick<Therapy, "modality" | "drug" | "dose" | "doseUnit" | "frequency">): string {
  if (!therapy.drug) return THERAPY_MODALITY_LABELS[therapy.modality];
  const frequency =
    MEDICATION_FREQUENCY_LABELS[therapy.frequency as keyof typeof MEDICATION_FREQUENCY_LABELS] ?? therapy.frequency;
  return `${drugName(therapy.drug)} ${therapy.dose ?? ""} ${therapy.doseUnit ?? ""} ${frequency ?? ""}`
    .replace(/\s+/g, " ")
    .trim();
}

export interface PathwayOverview {
  diagnoses: Array<PathwayRecord["diagnoses"][number] & { duration: PainDuration }>;
  therapies: Array<Therapy & { response: TrialResponse | null; mme: MedicationMme | null }>;
  currentMedications: Array<Therapy & { mme: MedicationMme | null }>;
  totalMme: TotalMme | null;
  chartPoints: Array<{ id: string; date: IsoDate; painAverage: number; pegScore: number }>;
  /** Where the pathway's time axis starts: the first therapy or assessment. */
  firstDate: IsoDate | null;
  latestAssessment: PathwayRecord["assessments"][number] | null;
}

/**
 * What the physician sees at a glance, computed from the record alone. Entered-in-error rows are
 * listed (struck through by the page) but never counted.
 */
export function buildPathwayOverview(record: PathwayRecord, today: IsoDate): PathwayOverview {
  const validAssessments = record.assessments.filter((assessment) => !assessment.enteredInError);
  const responseInputs = validAssessments.map((assessment) => ({
    id: assessment.id,
    date: assessment.date,
    enteredInError: false,
    painAverage: assessment.painAverage,
    pegScore: assessment.pegScore,
  }));

  const therapies = record.therapies.map((therapy) => ({
    ...therapy,
    mme: therapyMme(therapy),
    response: therapy.enteredInError
      ? null
      : trialResponse({ startDate: therapy.startDate, endDate: therapy.endDate }, responseInputs),
  }));
  const currentMedications = therapies.filter(
    (therapy) => !therapy.enteredInError && therapy.status === "ACTIVE" && therapy.drug !== null,
  );
  const opioids = currentMedications.flatMap((therapy) => {
    const frequency = doseFrequencyOf(therapy.frequency, therapy.maxDosesPerDay);
    return therapy.mme && frequency && therapy.dose !== null
      ? [
          {
            drug: therapy.drug as OpioidId,
            dose: therapy.dose,
            unit: OPIOIDS[therapy.drug as OpioidId].unit,
            frequency,
          },
        ]
      : [];
  });
  const sorted = [...validAssessments].sort((a, b) => a.date.localeCompare(b.date));

  return {
    diagnoses: record.diagnoses.map((diagnosis) => ({
      ...diagnosis,
      duration: painDuration(diagnosis.onsetDate, today),
    })),
    therapies,
    currentMedications,
    totalMme: opioids.length > 0 ? totalDailyMme(opioids) : null,
    chartPoints: sorted.map(({ id, date, painAverage, pegScore }) => ({ id, date, painAverage, pegScore })),
    firstDate:
      [
        ...therapies.filter((therapy) => !therapy.enteredInError).map((therapy) => therapy.startDate),
        ...sorted.map((a) => a.date),
      ].sort()[0] ?? null,
    latestAssessment: sorted.at(-1) ?? null,
  };
}
