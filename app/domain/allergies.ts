/**
 * A patient's allergies as every page and the referral packet list them: contrast first, since it
 * changes how spinal injections are guided (LCD L39240: ultrasound without contrast), then the other
 * coded allergies, then the free text.
 */
export const ALLERGY_LABELS = {
  contrastAllergy: "Contrast",
  latexAllergy: "Latex",
  localAnaestheticAllergy: "Local anaesthetic",
  corticosteroidAllergy: "Corticosteroid",
} as const;

export type CodedAllergy = keyof typeof ALLERGY_LABELS;

export function allergyList(coded: Readonly<Record<CodedAllergy, boolean>>, notes: string | null): string[] {
  const listed = (Object.keys(ALLERGY_LABELS) as CodedAllergy[])
    .filter((allergy) => coded[allergy])
    .map((allergy) => ALLERGY_LABELS[allergy]);
  return notes?.trim() ? [...listed, notes.trim()] : listed;
}
