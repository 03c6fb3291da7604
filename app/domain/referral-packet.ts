import { allergyList, type CodedAllergy } from "./allergies";
import { therapyLabel, type PathwayOverview } from "./pathway-overview";
import type { Caution, CriterionResult, DiagnosisEvaluation } from "./referral/types";
import { ANTITHROMBOTIC_DRUGS } from "./clinical/antithrombotics";
import { IMAGING_CONCORDANCE_LABELS, IMAGING_MODALITY_LABELS } from "./pathway-vocabulary";
import type {
  AntithromboticDrug,
  ImagingConcordance,
  ImagingModality,
  ProcedureType,
} from "~/generated/prisma/enums";

type Therapy = PathwayOverview["therapies"][number];

const UNLISTED_ANTITHROMBOTICS = {
  onAnticoagulant: { label: "Anticoagulant (drug not in PainPath's list)", caution: "ANTICOAGULANT" },
  onAntiplatelet: { label: "Antiplatelet (drug not in PainPath's list)", caution: "ANTIPLATELET" },
} as const;

export interface PacketInput {
  cautions: Readonly<Record<CodedAllergy | keyof typeof UNLISTED_ANTITHROMBOTICS, boolean>>;
  antithrombotics: readonly AntithromboticDrug[];
  allergyNotes: string | null;
  overview: Pick<PathwayOverview, "currentMedications" | "totalMme">;
  /** The evaluation the referral was made from; null for a direct referral. */
  evaluation: { ruleSetVersion: string; result: DiagnosisEvaluation } | null;
  /** The referred procedure; null while the form has none chosen. */
  procedure: ProcedureType | null;
  /** The patient's imaging; the packet keeps the referred diagnosis's valid studies. */
  imaging: ReadonlyArray<PacketImaging & { diagnosisId: string; enteredInError: boolean }>;
  diagnosisId: string | null;
}

interface PacketImaging {
  modality: ImagingModality;
  performedOn: string;
  concordance: ImagingConcordance;
  finding: string;
}

export interface ReferralPacket {
  allergies: string[];
  /**
   * Each recorded anticoagulant or antiplatelet with the engine's hold guidance for the referred
   * procedure; null guidance when the evaluation has none for it (a direct referral, another procedure).
   */
  antithrombotics: Array<{ label: string; guidance: Caution | null }>;
  medications: Array<{ id: string; label: string; mme: Therapy["mme"] }>;
  totalMme: PathwayOverview["totalMme"];
  /** The evaluation's cautions for the referred procedure; null when it did not suggest that procedure. */
  cautions: Caution[] | null;
  criteriaMet: CriterionResult[];
  ruleSetVersion: string | null;
  /** e.g. "MRI 2026-01-05: L5-S1 protrusion contacting the left S1 root (concordant with the clinical findings)". */
  imaging: string[];
}

/** What a receiving proceduralist must see before booking, from the record and the flag's evaluation. */
export function referralPacket(input: PacketInput): ReferralPacket {
  const result = input.evaluation?.result;
  const suggestion = result?.suggestions.find((candidate) => candidate.procedure === input.procedure);
  const cautions = suggestion?.cautions ?? null;
  return {
    allergies: allergyList(input.cautions, input.allergyNotes),
    antithrombotics: [
      ...input.antithrombotics.map((drug) => ({ label: ANTITHROMBOTIC_DRUGS[drug].name, caution: `HOLD_${drug}` })),
      ...(Object.keys(UNLISTED_ANTITHROMBOTICS) as Array<keyof typeof UNLISTED_ANTITHROMBOTICS>)
        .filter((flag) => input.cautions[flag])
        .map((flag) => UNLISTED_ANTITHROMBOTICS[flag]),
    ].map(({ label, caution: code }) => ({
      label,
      guidance: cautions?.find((caution) => caution.code === code) ?? null,
    })),
    medications: input.overview.currentMedications.map((medication) => ({
      id: medication.id,
      label: therapyLabel(medication),
      mme: medication.mme,
    })),
    totalMme: input.overview.totalMme,
    cautions,
    criteriaMet: result?.criteria.filter((criterion) => criterion.status === "met") ?? [],
    ruleSetVersion: input.evaluation?.ruleSetVersion ?? null,
    imaging: input.imaging
      .filter((study) => study.diagnosisId === input.diagnosisId && !study.enteredInError)
      .toSorted((a, b) => b.performedOn.localeCompare(a.performedOn))
      .map(
        (study) =>
          `${IMAGING_MODALITY_LABELS[study.modality]} ${study.performedOn}: ${study.finding} ` +
          `(${IMAGING_CONCORDANCE_LABELS[study.concordance].toLowerCase()})`,
      ),
  };
}
