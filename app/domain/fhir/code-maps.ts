/**
 * The reviewed code maps (JSON data in code-maps/, each naming its source), typed and indexed once.
 * Entries marked other than "reviewed" or "public-example" make the mapped row "needs review".
 */
import type {
  AntithromboticDrug,
  BodyRegion,
  EsiApproach,
  PainType,
  ProcedureType,
  TherapyModality,
} from "~/generated/prisma/enums";
import type { OpioidId } from "../clinical/mme";
import type { PatientCautionFlag } from "./types";
import allergiesJson from "./code-maps/allergies.json";
import conditionsJson from "./code-maps/conditions.json";
import medicationsJson from "./code-maps/medications.json";
import observationsJson from "./code-maps/observations.json";
import proceduresJson from "./code-maps/procedures.json";

export type Verification = "reviewed" | "public-example" | "unverified";

export const SYSTEMS = {
  icd10cm: "http://hl7.org/fhir/sid/icd-10-cm",
  snomed: "http://snomed.info/sct",
  rxnorm: "http://www.nlm.nih.gov/research/umls/rxnorm",
  loinc: "http://loinc.org",
  cpt: "http://www.ama-assn.org/go/cpt",
} as const;

export type SystemName = keyof typeof SYSTEMS;

export function codeKey(system: string, code: string): string {
  return `${system}|${code}`;
}

export interface ConditionEntry {
  system: "icd10cm" | "snomed";
  code: string;
  display: string;
  icd10Code?: string;
  bodyRegion: BodyRegion;
  painType: PainType;
  verification: Verification;
  review?: string;
}

export interface ProductEntry {
  code: string;
  tty: "SCD" | "SBD";
  name: string;
  verification: Verification;
}

export interface IngredientEntry {
  name: string;
  modality?: TherapyModality;
  opioid?: OpioidId;
  forms?: string[];
  topicalModality?: TherapyModality;
  caution?: PatientCautionFlag;
  /** A drug with its own ASRA hold guidance; without one (heparins, aspirin: dose or indication decides) the caution stays general. */
  antithrombotic?: AntithromboticDrug;
  ignoreInCombination?: boolean;
  /** The ingredient's RxCUI (TTY IN), where the map holds it: a code that names the drug, not a product. */
  rxcui?: string;
  verification?: Verification;
}

export interface ObservationEntry {
  code: string;
  display: string;
  /** Only painNow and pegScore stand alone as an imported score; the rest count inside a complete assessment. */
  score: "painNow" | "pegScore" | "pegPain" | "pegEnjoyment" | "pegActivity" | "odiPercent" | "ndiPercent";
  min: number;
  max: number;
  verification: Verification;
}

export interface ProcedureEntry {
  system: "cpt" | "snomed";
  code: string;
  display: string;
  procedure?: ProcedureType;
  therapy?: TherapyModality;
  region?: BodyRegion;
  approach?: EsiApproach;
  verification: Verification;
  review?: string;
}

export interface AllergyCaution {
  caution: PatientCautionFlag;
  words: string[];
}

function indexBy<T extends { code: string }>(entries: readonly T[], systemOf: (entry: T) => string) {
  return new Map(entries.map((entry) => [codeKey(systemOf(entry), entry.code), entry]));
}

export const CONDITIONS: ReadonlyMap<string, ConditionEntry> = indexBy(
  conditionsJson.entries as ConditionEntry[],
  (entry) => SYSTEMS[entry.system],
);
export const PRODUCTS: ReadonlyMap<string, ProductEntry> = indexBy(
  medicationsJson.products as ProductEntry[],
  () => SYSTEMS.rxnorm,
);
export const INGREDIENTS: readonly IngredientEntry[] = medicationsJson.ingredients as IngredientEntry[];
/** Ingredients by their RxCUI, for a medication coded by ingredient (as PainPath's export codes opioids). */
export const INGREDIENTS_BY_RXCUI: ReadonlyMap<string, IngredientEntry & { verification: Verification }> = new Map(
  INGREDIENTS.flatMap((entry) =>
    entry.rxcui ? [[codeKey(SYSTEMS.rxnorm, entry.rxcui), { verification: "unverified" as const, ...entry }]] : [],
  ),
);
export const OBSERVATIONS: ReadonlyMap<string, ObservationEntry> = indexBy(
  observationsJson.entries as ObservationEntry[],
  () => SYSTEMS.loinc,
);
export const PROCEDURES: ReadonlyMap<string, ProcedureEntry> = indexBy(
  proceduresJson.entries as ProcedureEntry[],
  (entry) => SYSTEMS[entry.system],
);
export const ALLERGY_CAUTIONS: readonly AllergyCaution[] = allergiesJson.cautions as AllergyCaution[];

/** The review note an unverified map entry adds, or null. */
export function verificationNote(entry: { verification: Verification; code: string }): string | null {
  return entry.verification === "unverified"
    ? `code ${entry.code} is not yet verified in PainPath's code map: confirm the mapping`
    : null;
}
