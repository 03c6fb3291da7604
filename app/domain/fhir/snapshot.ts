import type { IsoDate } from "../iso-date";
import type { PatientSnapshot } from "../referral/types";
import type { PathwayDraft } from "./types";

/**
 * The engine's snapshot of a patient known only from FHIR (a CDS Hooks prefetch), so the same pure
 * engine evaluates it. Ids are the source keys. What FHIR does not carry is unknown, never a guess:
 * cautions not proven by the record are false (as on a new patient's form), surgical status is
 * "not evaluated", and each imported score is an assessment with only its own component, which the
 * engine reads as not enough data for the components it lacks. A therapy that is not tied to a
 * diagnosis, or that ended on an unknown date, is left out: the engine judges trials per diagnosis
 * and by their length.
 */
export function draftToSnapshot(draft: PathwayDraft, evaluatedOn: IsoDate): PatientSnapshot {
  const has = (flag: PathwayDraft["patient"]["cautions"][number]) => draft.patient.cautions.includes(flag);
  return {
    evaluatedOn,
    patient: {
      id: draft.patient.source.resource,
      birthDate: draft.patient.birthDate,
      status: "ACTIVE",
      antithrombotics: draft.patient.antithrombotics,
      cautions: {
        onAnticoagulant: has("onAnticoagulant"),
        onAntiplatelet: has("onAntiplatelet"),
        bleedingDisorder: false,
        pregnant: false,
        contrastAllergy: has("contrastAllergy"),
        poorlyControlledDiabetes: false,
        implantedCardiacDevice: false,
        activeInfection: false,
        onBenzodiazepine: has("onBenzodiazepine"),
        latexAllergy: has("latexAllergy"),
        localAnaestheticAllergy: has("localAnaestheticAllergy"),
        corticosteroidAllergy: has("corticosteroidAllergy"),
      },
      naloxoneOfferedOn: null,
      psychEvaluationStatus: "NOT_DONE",
      psychEvaluationDate: null,
    },
    diagnoses: draft.diagnoses.map((diagnosis) => ({
      id: diagnosis.source.resource,
      icd10Code: diagnosis.icd10Code,
      label: diagnosis.label,
      bodyRegion: diagnosis.bodyRegion,
      painType: diagnosis.painType,
      onsetDate: diagnosis.onsetDate,
      surgicalStatus: "NOT_EVALUATED",
      redFlags: [],
      enteredInError: false,
    })),
    therapies: draft.therapies.flatMap((therapy) =>
      therapy.diagnosisSource === null || (therapy.status !== "ACTIVE" && therapy.endDate === null)
        ? []
        : [
            {
              id: therapy.source.resource,
              diagnosisId: therapy.diagnosisSource,
              modality: therapy.modality,
              startDate: therapy.startDate,
              endDate: therapy.endDate,
              status: therapy.status,
              stopReason: null,
              drug: therapy.drug,
              dose: therapy.dose,
              doseUnit: therapy.doseUnit,
              frequency: therapy.frequency,
              maxDosesPerDay: therapy.maxDosesPerDay,
              sessionsPlanned: null,
              sessionsAttended: therapy.sessionsAttended,
              enteredInError: false,
            },
          ],
    ),
    assessments: draft.scores.map((score) => ({
      id: score.source.resource,
      date: score.date,
      painNow: score.painNow,
      painAverage: null,
      painWorst: null,
      pegScore: score.pegScore,
      odiPercent: null,
      ndiPercent: null,
      limitation: null,
      sideEffects: [],
      enteredInError: false,
    })),
    procedures: draft.procedures.map((procedure) => ({
      id: procedure.source.resource,
      diagnosisId: procedure.diagnosisSource,
      type: procedure.type,
      region: procedure.region,
      level: null,
      approach: procedure.approach,
      injectate: null,
      performedOn: procedure.performedOn,
      painBefore: null,
      painAfter: null,
      reliefPercent: null,
      reliefDurationDays: null,
      enteredInError: false,
    })),
  };
}
