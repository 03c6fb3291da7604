import { DRUG_CATALOGUE, drugOptionLabel } from "~/domain/clinical/drugs";
import type { TherapyModality } from "~/generated/prisma/enums";

export const DRUG_NAME_LIST_ID = "drug-names";

/**
 * The catalogue's drugs for a drug input's `list`: generic names with their brands, never ids. A
 * datalist needs no script; the server resolves whatever is typed (resolveDrug).
 */
export function DrugNameList({ modality }: { modality?: TherapyModality }) {
  return (
    <datalist id={DRUG_NAME_LIST_ID}>
      {DRUG_CATALOGUE.filter((drug) => !modality || drug.modalities.includes(modality)).map((drug) => (
        <option key={drug.id} value={drug.name} label={drugOptionLabel(drug)} />
      ))}
    </datalist>
  );
}
