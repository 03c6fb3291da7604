/**
 * The drugs PainPath knows by name: the CDC 2022 opioids of the MME table (mme.ts) and the non-opioid
 * analgesics, adjuvants and relaxants the FHIR import classifies (fhir/code-maps/medications.json).
 * A trial stores the catalogue id; screens show the generic name. Typed text finds a drug by its id,
 * generic name or a US brand name, in any case.
 *
 * Brands are single-ingredient US products only, from the FDA's Orange Book and Drugs@FDA
 * (https://www.accessdata.fda.gov/scripts/cder/daf/). Combination products (Percocet, Norco, Tylenol #3)
 * are left out on purpose: the trial would then record one ingredient under the product's name.
 */
import type { TherapyModality } from "~/generated/prisma/enums";
import { OPIOIDS, type OpioidId } from "./mme";

export interface CatalogueDrug {
  id: string;
  /** The generic name, as every screen shows it. */
  name: string;
  brands: readonly string[];
  /** The kinds of therapy trial the drug is recorded under, so the rules and the MME see it. */
  modalities: readonly TherapyModality[];
  /** Its row in the MME table, for an opioid. */
  opioid: OpioidId | null;
}

const OPIOID_BRANDS: Record<OpioidId, readonly string[]> = {
  codeine: [],
  "fentanyl-transdermal": ["Duragesic"],
  hydrocodone: ["Hysingla ER", "Zohydro ER"],
  hydromorphone: ["Dilaudid"],
  methadone: ["Dolophine", "Methadose"],
  morphine: ["MS Contin", "Kadian"],
  oxycodone: ["OxyContin", "Roxicodone", "Xtampza ER"],
  oxymorphone: ["Opana"],
  tapentadol: ["Nucynta", "Nucynta ER"],
  tramadol: ["Ultram", "ConZip"],
  buprenorphine: [],
  "buprenorphine-transdermal": ["Butrans"],
};

const other = (id: string, name: string, modalities: readonly TherapyModality[], brands: readonly string[] = []) => ({
  id,
  name,
  brands,
  modalities,
  opioid: null,
});

export const DRUG_CATALOGUE: readonly CatalogueDrug[] = [
  ...(Object.keys(OPIOIDS) as OpioidId[]).map((id) => ({
    id,
    name: OPIOIDS[id].name,
    brands: OPIOID_BRANDS[id],
    modalities: ["OPIOID"] as const,
    opioid: id,
  })),
  other("acetaminophen", "Acetaminophen", ["OTC_ANALGESIC"], ["Tylenol"]),
  other("ibuprofen", "Ibuprofen", ["NSAID"], ["Advil", "Motrin"]),
  other("naproxen", "Naproxen", ["NSAID"], ["Naprosyn", "Aleve"]),
  other("meloxicam", "Meloxicam", ["NSAID"], ["Mobic"]),
  other("celecoxib", "Celecoxib", ["NSAID"], ["Celebrex"]),
  other("diclofenac", "Diclofenac", ["NSAID", "TOPICAL"], ["Voltaren", "Flector"]),
  other("lidocaine", "Lidocaine", ["TOPICAL"], ["Lidoderm"]),
  other("capsaicin", "Capsaicin", ["TOPICAL"], ["Zostrix", "Qutenza"]),
  other("gabapentin", "Gabapentin", ["NEUROPATHIC_AGENT"], ["Neurontin", "Gralise"]),
  other("pregabalin", "Pregabalin", ["NEUROPATHIC_AGENT"], ["Lyrica"]),
  other("duloxetine", "Duloxetine", ["NEUROPATHIC_AGENT"], ["Cymbalta"]),
  other("amitriptyline", "Amitriptyline", ["NEUROPATHIC_AGENT"], ["Elavil"]),
  other("nortriptyline", "Nortriptyline", ["NEUROPATHIC_AGENT"], ["Pamelor"]),
  other("cyclobenzaprine", "Cyclobenzaprine", ["MUSCLE_RELAXANT"], ["Flexeril", "Amrix"]),
  other("methocarbamol", "Methocarbamol", ["MUSCLE_RELAXANT"], ["Robaxin"]),
  other("tizanidine", "Tizanidine", ["MUSCLE_RELAXANT"], ["Zanaflex"]),
  other("baclofen", "Baclofen", ["MUSCLE_RELAXANT"]),
];

/** "Oxycodone — OxyContin, Roxicodone, Xtampza ER": what the drug list offers. */
export function drugOptionLabel(drug: CatalogueDrug): string {
  return drug.brands.length === 0 ? drug.name : `${drug.name} — ${drug.brands.join(", ")}`;
}

/** Case, spacing and punctuation do not matter: "FENTANYL-transdermal" and "Fentanyl (transdermal)" meet. */
function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const keyCache = new WeakMap<CatalogueDrug, readonly string[]>();
/** The normalised names a drug is found by, computed once per drug: the generator resolves every trial. */
function keysOf(drug: CatalogueDrug): readonly string[] {
  let keys = keyCache.get(drug);
  if (!keys) {
    keys = [drug.id, drug.name, ...drug.brands].map(normalise);
    keyCache.set(drug, keys);
  }
  return keys;
}

export type DrugMatch =
  | { drug: CatalogueDrug; reason: null; suggestions: [] }
  | { drug: null; reason: "unknown" | "ambiguous"; suggestions: CatalogueDrug[] };

const MAX_SUGGESTIONS = 3;
/** Typed text and a name share at least this much of their start to be suggested ("Oxycodon" → Oxycodone). */
const SUGGESTION_PREFIX = 4;

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The catalogue drug whose id, generic name or brand the text is, or null with the drugs it may have
 * meant: a text naming two drugs is ambiguous, and never resolved to either.
 */
export function resolveDrug(text: string, catalogue: readonly CatalogueDrug[] = DRUG_CATALOGUE): DrugMatch {
  const typed = normalise(text);
  if (typed === "") return { drug: null, reason: "unknown", suggestions: [] };
  const exact = catalogue.filter((drug) => keysOf(drug).includes(typed));
  const [only] = exact;
  if (only && exact.length === 1) return { drug: only, reason: null, suggestions: [] };
  if (exact.length > 1) return { drug: null, reason: "ambiguous", suggestions: exact.slice(0, MAX_SUGGESTIONS) };
  const needed = Math.min(SUGGESTION_PREFIX, typed.length);
  const suggestions = catalogue
    .map((drug) => ({ drug, shared: Math.max(...keysOf(drug).map((key) => commonPrefix(key, typed))) }))
    .filter(({ shared }) => shared >= needed)
    .sort((a, b) => b.shared - a.shared || a.drug.name.localeCompare(b.drug.name))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ drug }) => drug);
  return { drug: null, reason: "unknown", suggestions };
}

/** Opioid-like text shares this much of its start with an opioid's name ("Oxycodone ER", "Hydrocodone/APAP"). */
const OPIOID_LIKE_PREFIX = 6;

/**
 * The catalogue opioid that text not in the catalogue seems to name, or null. Such text is never kept
 * as typed: under another kind of therapy its MME would go uncounted.
 */
export function opioidLike(text: string, catalogue: readonly CatalogueDrug[] = DRUG_CATALOGUE): CatalogueDrug | null {
  const typed = normalise(text);
  if (typed.length < OPIOID_LIKE_PREFIX) return null;
  return (
    catalogue.find(
      (drug) => drug.opioid && keysOf(drug).some((key) => commonPrefix(key, typed) >= OPIOID_LIKE_PREFIX),
    ) ?? null
  );
}

function orList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** Why typed text names no single drug, and what it may have meant, for the message next to the field. */
export function unresolvedDrugMessage(text: string, match: Extract<DrugMatch, { drug: null }>): string {
  const names = orList(match.suggestions.map((drug) => drug.name));
  const typed = text.trim();
  if (match.reason === "ambiguous") return `'${typed}' names more than one drug: choose ${names} from the list.`;
  return match.suggestions.length > 0
    ? `No drug called '${typed}'. Did you mean ${names}?`
    : `No drug called '${typed}' in the list.`;
}

/** What a trial stores for a drug name: the catalogue id of the drug it names, else the name as given. */
export function storedDrug(name: string): string {
  return resolveDrug(name).drug?.id ?? name;
}

/** The drug as clinicians read it: a catalogue id, or a generic or brand name, becomes its generic name. */
export function drugName(stored: string): string {
  return resolveDrug(stored).drug?.name ?? stored;
}
