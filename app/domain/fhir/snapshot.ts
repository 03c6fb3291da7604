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
  const therapies = new Set(draft.therapies.map((therapy) => therapy.source.resource));
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
        bleedingDisorder: has("bleedingDisorder"),
        pregnant: has("pregnant"),
        contrastAllergy: has("contrastAllergy"),
        poorlyControlledDiabetes: has("poorlyControlledDiabetes"),
        implantedCardiacDevice: has("implantedCardiacDevice"),
        activeInfection: has("activeInfection"),
        onBenzodiazepine: has("onBenzodiazepine"),
        latexAllergy: has("latexAllergy"),
        localAnaestheticAllergy: has("localAnaestheticAllergy"),
        corticosteroidAllergy: has("corticosteroidAllergy"),
      },
      naloxoneOfferedOn: draft.patient.naloxoneOfferedOn ?? null,
      psychEvaluationStatus: draft.patient.psychEvaluation?.status ?? "NOT_DONE",
      psychEvaluationDate: draft.patient.psychEvaluation?.date ?? null,
    },
    diagnoses: draft.diagnoses.map((diagnosis) => ({
      id: diagnosis.source.resource,
      icd10Code: diagnosis.icd10Code,
      label: diagnosis.label,
      bodyRegion: diagnosis.bodyRegion,
      painType: diagnosis.painType,
      onsetDate: diagnosis.onsetDate,
      surgicalStatus: diagnosis.surgicalStatus ?? "NOT_EVALUATED",
      redFlags: diagnosis.redFlags ?? [],
      ...(diagnosis.radicularSigns ? { radicularSigns: diagnosis.radicularSigns } : {}),
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
              stopReason: therapy.stopReason ?? null,
              drug: therapy.drug,
              dose: therapy.dose,
              doseUnit: therapy.doseUnit,
              frequency: therapy.frequency,
              maxDosesPerDay: therapy.maxDosesPerDay,
              sessionsPlanned: therapy.sessionsPlanned ?? null,
              sessionsAttended: therapy.sessionsAttended,
              enteredInError: false,
            },
          ],
    ),
    assessments: [
      ...draft.assessments.map((assessment) => ({
        id: assessment.source.resource,
        date: assessment.date,
        painNow: assessment.painNow,
        painAverage: assessment.painAverage,
        painWorst: assessment.painWorst,
        pegScore: assessment.pegScore,
        odiPercent: assessment.odiPercent,
        ndiPercent: assessment.ndiPercent,
        limitation: assessment.limitation,
        ...(assessment.recordedAt ? { recordedAt: assessment.recordedAt } : {}),
        sideEffects: assessment.sideEffects.flatMap(({ therapySource, severity, kinds }) =>
          therapies.has(therapySource) ? [{ therapyTrialId: therapySource, severity, kinds }] : [],
        ),
        enteredInError: false,
      })),
      ...draft.scores.map((score) => ({
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
    ],
    imaging: draft.imaging.flatMap((study) =>
      study.diagnosisSource === null
        ? []
        : [
            {
              id: study.source.resource,
              diagnosisId: study.diagnosisSource,
              modality: study.modality,
              performedOn: study.performedOn,
              concordance: study.concordance,
              enteredInError: false,
            },
          ],
    ),
    procedures: draft.procedures.map((procedure) => ({
      id: procedure.source.resource,
      diagnosisId: procedure.diagnosisSource,
      type: procedure.type,
      region: procedure.region,
      level: procedure.detail?.level ?? null,
      approach: procedure.approach,
      injectate: procedure.detail?.injectate ?? null,
      performedOn: procedure.performedOn,
      painBefore: procedure.detail?.painBefore ?? null,
      painAfter: procedure.detail?.painAfter ?? null,
      reliefPercent: procedure.detail?.reliefPercent ?? null,
      reliefDurationDays: procedure.detail?.reliefDurationDays ?? null,
      enteredInError: false,
    })),
  };
}
