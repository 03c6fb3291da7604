import { daysBetween, painDuration } from "../clinical/duration";
import type { IsoDate } from "../iso-date";
import { drugName } from "../clinical/drugs";
import {
  isMedicationModality,
  isSessionModality,
  PROCEDURE_TYPE_LABELS,
  THERAPY_MODALITY_LABELS,
} from "../pathway-vocabulary";
import type { RuleSet } from "../referral/rule-set";
import type { PatientSnapshot } from "../referral/types";

/**
 * What a patient's EHR data, read alone, say about conservative care for one diagnosis, measured
 * with GEN-PERSIST's own parameters (duration, adequate trial lengths, pain threshold, look-back).
 * The rules need what an EHR rarely holds (a complete assessment, each trial's response, red flags,
 * surgical status), so this never meets a criterion: it only says whether the data point towards
 * failed conservative care, so that the card can ask for what PainPath would need (decision 023).
 */
export interface EhrSignals {
  diagnosisId: string;
  pain: { onset: IsoDate; months: number; chronic: boolean };
  /** Trials of the diagnosis, with whether their length (or sessions) makes an adequate trial. */
  trials: Array<{ id: string; label: string; start: IsoDate; end: IsoDate | null; days: number; adequate: boolean }>;
  /** Distinct modalities with an adequate trial. */
  adequateModalities: number;
  /** The latest reported pain score inside GEN-PERSIST's look-back, if any. */
  latestPain: { id: string; date: IsoDate; value: number } | null;
  procedures: Array<{ id: string; label: string; date: IsoDate }>;
  /** Chronic pain, at least GEN-PERSIST's number of modalities tried adequately, recent pain at its threshold. */
  suggestsFailedCare: boolean;
}

export function ehrSignals(snapshot: PatientSnapshot, diagnosisId: string, ruleSet: RuleSet): EhrSignals | null {
  const diagnosis = snapshot.diagnoses.find((candidate) => candidate.id === diagnosisId);
  if (!diagnosis || diagnosis.onsetDate > snapshot.evaluatedOn) return null;
  const p = ruleSet.rules.persistence.parameters;
  const today = snapshot.evaluatedOn;
  const duration = painDuration(diagnosis.onsetDate, today);
  const months = p.chronicMonths.value;
  const chronic = duration.months > months || (duration.months === months && duration.days > 0);

  const modalities = new Set<string>();
  const trials = snapshot.therapies
    .filter((therapy) => therapy.diagnosisId === diagnosisId && !therapy.enteredInError && therapy.startDate <= today)
    .map((therapy) => {
      const end = therapy.endDate && therapy.endDate < today ? therapy.endDate : null;
      const days = daysBetween(therapy.startDate, end ?? today);
      const adequate = isSessionModality(therapy.modality)
        ? (therapy.sessionsAttended ?? 0) >= p.sessionTrialSessions.value
        : days >=
          (isMedicationModality(therapy.modality) ? p.medicationTrialDays.value : p.nonMedicationTrialDays.value);
      const label = therapy.drug
        ? drugName(therapy.drug)
        : `${THERAPY_MODALITY_LABELS[therapy.modality]}${therapy.sessionsAttended !== null ? `, ${therapy.sessionsAttended} sessions` : ""}`;
      if (adequate) modalities.add(therapy.modality);
      return { id: therapy.id, label, start: therapy.startDate, end, days, adequate };
    })
    .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
  const adequateModalities = modalities.size;

  const latest = snapshot.assessments
    .filter(
      (assessment) =>
        !assessment.enteredInError &&
        assessment.painNow !== null &&
        assessment.date <= today &&
        daysBetween(assessment.date, today) <= p.lookBackDays.value,
    )
    .sort((a, b) => b.date.localeCompare(a.date) || b.id.localeCompare(a.id))[0];
  const latestPain = latest ? { id: latest.id, date: latest.date, value: latest.painNow as number } : null;

  const procedures = snapshot.procedures
    .filter((procedure) => procedure.diagnosisId === diagnosisId && !procedure.enteredInError)
    .map((procedure) => ({
      id: procedure.id,
      label: PROCEDURE_TYPE_LABELS[procedure.type],
      date: procedure.performedOn,
    }));

  return {
    diagnosisId,
    pain: { onset: diagnosis.onsetDate, months: duration.months, chronic },
    trials,
    adequateModalities,
    latestPain,
    procedures,
    suggestsFailedCare:
      chronic &&
      adequateModalities >= p.minFailedModalities.value &&
      latestPain !== null &&
      latestPain.value >= p.painThreshold.value,
  };
}
