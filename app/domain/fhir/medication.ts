/**
 * Medications: the RxNorm product (by code, else by its normalised name), then dose and frequency
 * from `dosageInstruction`, and the daily MME exactly as for a drug entered by hand
 * (`dailyMme`). A dose or frequency that is not structured is never guessed: the MME is then
 * "cannot compute", with the reason.
 */
import type { Dosage, Quantity } from "@medplum/fhirtypes";
import type { AntithromboticDrug, TherapyModality } from "~/generated/prisma/enums";
import { dailyMme, type DoseFrequency, OPIOIDS, type OpioidId, type ScheduledFrequency } from "../clinical/mme";
import type { MedicationFrequency } from "../pathway-vocabulary";
import { INGREDIENTS, type IngredientEntry } from "./code-maps";
import type { DraftMme, PatientCautionFlag } from "./types";

export interface ParsedProduct {
  name: string;
  ingredients: Array<{ entry: IngredientEntry | null; name: string; strength: number; unit: string }>;
  form: string;
  route: string | null;
  extendedRelease: boolean;
}

// RxNorm normalised names: "<ingredient> <strength> <UNIT>" parts joined by " / ", the last followed by
// the dose form (https://www.nlm.nih.gov/research/umls/rxnorm/docs/appendix5.html); a brand ends in [Brand].
const PART =
  /^(?<name>[A-Za-z][A-Za-z ,-]*?) (?<strength>\d+(?:\.\d+)?) (?<unit>MG\/HR|MCG\/HR|MG\/ML|MCG|MG|%)(?: (?<form>.+))?$/i;
const PREFIX = /^(?:Abuse-Deterrent |\d+ HR )+/i;

const ROUTES: ReadonlyArray<[RegExp, string]> = [
  [/transdermal/i, "transdermal"],
  [/sublingual/i, "sublingual"],
  [/buccal/i, "buccal"],
  [/nasal/i, "intranasal"],
  [/rectal/i, "rectal"],
  [/topical|cream|gel|ointment/i, "topical"],
  [/inject/i, "intravenous"],
  [/oral/i, "oral"],
];

/** The product read from its RxNorm name, or null when the name is not in RxNorm's normalised form. */
export function parseRxNormName(rawName: string): ParsedProduct | null {
  const name = rawName.replace(/\s*\[[^\]]+\]\s*$/, "").trim();
  const extendedRelease = /extended release|\b\d+ HR\b/i.test(name);
  const parts = name.replace(PREFIX, "").split(" / ");
  const ingredients: ParsedProduct["ingredients"] = [];
  let form = "";
  for (const [i, part] of parts.entries()) {
    const match = PART.exec(part.trim());
    if (!match?.groups) return null;
    const { name: ingredient = "", strength = "", unit = "", form: partForm } = match.groups;
    if (partForm && i < parts.length - 1) return null;
    if (partForm) form = partForm;
    ingredients.push({ entry: null, name: ingredient.trim(), strength: Number(strength), unit: unit.toUpperCase() });
  }
  if (!form) return null;
  const route = ROUTES.find(([pattern]) => pattern.test(form))?.[1] ?? null;
  for (const ingredient of ingredients) ingredient.entry = ingredientEntry(ingredient.name, route);
  return { name: rawName, ingredients, form, route, extendedRelease };
}

function ingredientEntry(name: string, route: string | null): IngredientEntry | null {
  const lower = name.toLowerCase();
  return (
    INGREDIENTS.find(
      (entry) => lower.startsWith(entry.name) && (!entry.forms || (route !== null && entry.forms.includes(route))),
    ) ?? null
  );
}

export type ProductClass =
  | {
      kind: "therapy";
      modality: TherapyModality;
      drug: string;
      /** `strength` is null for a drug coded by ingredient: no product, so no strength per unit. */
      opioid: { id: OpioidId; strength: number | null } | null;
      /** True when other active ingredients share the product (only the opioid counts for MME). */
      combination: boolean;
    }
  | { kind: "caution"; caution: PatientCautionFlag; drug: string; antithrombotic: AntithromboticDrug | null }
  | { kind: "unknown"; reason: string };

/** What PainPath does with a product: a therapy (its opioid part for MME), a caution, or review. */
export function classifyProduct(product: ParsedProduct): ProductClass {
  const active = product.ingredients.filter((ingredient) => !ingredient.entry?.ignoreInCombination);
  const unknown = active.filter((ingredient) => !ingredient.entry);
  if (unknown.length > 0)
    return {
      kind: "unknown",
      reason: `ingredient not in PainPath's drug catalogue: ${unknown.map((u) => u.name).join(", ")}`,
    };
  const opioids = active.filter((ingredient) => ingredient.entry?.opioid);
  if (opioids.length > 1) return { kind: "unknown", reason: "more than one opioid in one product" };
  const [opioid] = opioids;
  if (opioid?.entry?.opioid) {
    const id = opioid.entry.opioid;
    const strength = strengthIn(OPIOIDS[id].unit, opioid.strength, opioid.unit);
    if (strength === null)
      return { kind: "unknown", reason: `strength ${opioid.strength} ${opioid.unit} of ${opioid.name} cannot be read` };
    return { kind: "therapy", modality: "OPIOID", drug: id, opioid: { id, strength }, combination: active.length > 1 };
  }
  const caution = active.find((ingredient) => ingredient.entry?.caution);
  const cautionEntry = caution?.entry;
  if (cautionEntry?.caution) {
    const { caution: flag, name, antithrombotic } = cautionEntry;
    return { kind: "caution", caution: flag, drug: name, antithrombotic: antithrombotic ?? null };
  }
  const [first] = active;
  const entry = first?.entry;
  if (!entry?.modality) return { kind: "unknown", reason: "no therapy ingredient" };
  const modality = product.route === "topical" && entry.topicalModality ? entry.topicalModality : entry.modality;
  return { kind: "therapy", modality, drug: entry.name, opioid: null, combination: active.length > 1 };
}

/** A medication coded by its ingredient (RxNorm TTY IN): the drug and modality, never a strength. */
export function classifyIngredient(entry: IngredientEntry): ProductClass {
  if (entry.opioid)
    return {
      kind: "therapy",
      modality: "OPIOID",
      drug: entry.opioid,
      opioid: { id: entry.opioid, strength: null },
      combination: false,
    };
  if (entry.caution)
    return { kind: "caution", caution: entry.caution, drug: entry.name, antithrombotic: entry.antithrombotic ?? null };
  if (!entry.modality) return { kind: "unknown", reason: "no therapy ingredient" };
  return { kind: "therapy", modality: entry.modality, drug: entry.name, opioid: null, combination: false };
}

function strengthIn(unit: "mg" | "mcg/hr", strength: number, given: string): number | null {
  if (unit === "mg") return given === "MG" ? strength : given === "MCG" ? strength / 1000 : null;
  return given === "MCG/HR" ? strength : given === "MG/HR" ? Number((strength * 1000).toFixed(3)) : null;
}

export interface DoseReading {
  dose: number | null;
  doseUnit: string | null;
  frequency: MedicationFrequency | null;
  maxDosesPerDay: number | null;
  mme: DraftMme;
}

// UCUM annotations and plain words for a count of dose units; "1" is UCUM's unity (a count).
const COUNT_UNITS = new Set([
  "1",
  "{tbl}",
  "{tablet}",
  "tablet",
  "tab",
  "{capsule}",
  "capsule",
  "cap",
  "{patch}",
  "patch",
  "system",
]);
const SCHEDULES: Record<string, ScheduledFrequency> = {
  "1/1d": "once-daily",
  "2/1d": "twice-daily",
  "3/1d": "three-times-daily",
  "4/1d": "four-times-daily",
  "1/4h": "every-4-hours",
  "1/6h": "every-6-hours",
  "1/8h": "every-8-hours",
  "1/12h": "every-12-hours",
  "1/24h": "once-daily",
};
const SCHEDULED_PER_DAY: Record<ScheduledFrequency, number> = {
  "once-daily": 1,
  "twice-daily": 2,
  "three-times-daily": 3,
  "four-times-daily": 4,
  "every-4-hours": 6,
  "every-6-hours": 4,
  "every-8-hours": 3,
  "every-12-hours": 2,
};

/** Dose, frequency and MME of one product from the first structured dosage instruction. */
export function readDosage(
  product: Extract<ProductClass, { kind: "therapy" }>,
  countable: boolean,
  dosage: Dosage | undefined,
): DoseReading {
  const opioid = product.opioid;
  const unit = opioid ? OPIOIDS[opioid.id].unit : null;
  const none = (reason: string): DoseReading => ({
    dose: null,
    doseUnit: unit,
    frequency: null,
    maxDosesPerDay: null,
    mme: opioid ? { status: "cannot-compute", reason } : { status: "not-an-opioid" },
  });
  if (!dosage) return none("no dosage instruction: dose unknown, MME cannot be computed");
  const quantity = dosage.doseAndRate?.[0]?.doseQuantity;
  if (!quantity || typeof quantity.value !== "number")
    return none(
      dosage.text
        ? `dose given only as text ("${dosage.text.slice(0, 80)}"): MME cannot be computed`
        : "no structured dose: MME cannot be computed",
    );
  if (!opioid) {
    const frequency = readFrequency(dosage, false);
    return {
      ...none(""),
      ...nonOpioidDose(quantity),
      ...(typeof frequency === "string" ? {} : storedFrequency(frequency)),
      mme: { status: "not-an-opioid" },
    };
  }

  const dose = opioidDose(quantity, opioid.strength, unit as "mg" | "mcg/hr", product.combination, countable);
  if (typeof dose === "string") return none(dose);
  const frequency = readFrequency(dosage, unit === "mcg/hr");
  if (typeof frequency === "string") return { ...none(frequency), dose, doseUnit: unit };
  const stored = storedFrequency(frequency);
  try {
    const result = dailyMme({ drug: opioid.id, dose, unit: unit as "mg" | "mcg/hr", frequency });
    return { dose, doseUnit: unit, ...stored, mme: { status: "calculated", result } };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { dose, doseUnit: unit, ...stored, mme: { status: "cannot-compute", reason: error.message } };
  }
}

/** UCUM codes of the units PainPath records a non-opioid dose in (https://ucum.org/ucum). */
const NON_OPIOID_UNITS: Record<string, string> = { mg: "mg", ug: "mcg", mcg: "mcg", g: "g", ml: "mL", "%": "%" };

function nonOpioidDose(quantity: Quantity): Pick<DoseReading, "dose" | "doseUnit"> {
  const unit = NON_OPIOID_UNITS[(quantity.code ?? quantity.unit ?? "").toLowerCase()];
  return unit ? { dose: quantity.value ?? null, doseUnit: unit } : { dose: null, doseUnit: null };
}

function opioidDose(
  quantity: Quantity,
  strength: number | null,
  unit: "mg" | "mcg/hr",
  combination: boolean,
  countable: boolean,
): number | string {
  const value = quantity.value as number;
  if (!(value > 0)) return `dose ${value} is not a positive number`;
  const given = (quantity.code ?? quantity.unit ?? "1").toLowerCase();
  if (COUNT_UNITS.has(given)) {
    if (strength === null)
      return `a dose of ${value} units of a drug coded by ingredient (no product strength): MME cannot be computed`;
    if (!countable)
      return `a dose of ${value} units of a product that is not a tablet, capsule or patch: MME cannot be computed`;
    return Number((value * strength).toFixed(3));
  }
  if (unit === "mg" && given === "mg") {
    // In a combination product "mg" does not say of which ingredient.
    return combination ? "dose in mg of a combination product (which ingredient?): MME cannot be computed" : value;
  }
  if (unit === "mcg/hr" && (given === "ug/h" || given === "mcg/h" || given === "mcg/hr")) return value;
  return `dose unit "${given}" cannot be converted: MME cannot be computed`;
}

function readFrequency(dosage: Dosage, patch: boolean): DoseFrequency | string {
  // A patch delivers a rate: how often it is changed does not alter the daily amount.
  if (patch) return { kind: "continuous" };
  const repeat = dosage.timing?.repeat;
  const asNeeded = dosage.asNeededBoolean === true || dosage.asNeededCodeableConcept !== undefined;
  const perDay = repeat ? dosesPerDay(repeat.frequency ?? 1, repeat.period, repeat.periodUnit) : null;
  if (asNeeded) {
    const max = maxPerDay(dosage) ?? (perDay !== null && Number.isInteger(perDay) ? perDay : null);
    return max !== null && max >= 1
      ? { kind: "as-needed", maxDosesPerDay: max }
      : "as needed without a maximum per day: MME cannot be computed";
  }
  if (!repeat) return "no timing: frequency unknown, MME cannot be computed";
  const key = `${repeat.frequency ?? 1}/${repeat.period ?? "?"}${repeat.periodUnit ?? "?"}`;
  const schedule = SCHEDULES[key] ?? (repeat.periodUnit === "d" && perDay !== null ? scheduleFor(perDay) : undefined);
  return schedule
    ? { kind: "scheduled", schedule }
    : `frequency ${key} is not one PainPath records: MME cannot be computed`;
}

function scheduleFor(perDay: number): ScheduledFrequency | undefined {
  return (Object.keys(SCHEDULED_PER_DAY) as ScheduledFrequency[]).find(
    (schedule) => SCHEDULED_PER_DAY[schedule] === perDay && !schedule.startsWith("every"),
  );
}

function dosesPerDay(frequency: number, period: number | undefined, unit: string | undefined): number | null {
  if (!period || period <= 0) return null;
  if (unit === "h") return (frequency * 24) / period;
  if (unit === "d") return frequency / period;
  return null;
}

function maxPerDay(dosage: Dosage): number | null {
  const max = dosage.maxDosePerPeriod;
  const count = max?.numerator?.value;
  const per = max?.denominator;
  if (typeof count !== "number" || !per || per.value === undefined) return null;
  const days =
    per.code === "d" || per.unit === "d" || per.unit === "day" ? per.value : per.code === "h" ? per.value / 24 : null;
  if (!days) return null;
  const perDay = count / days;
  return Number.isInteger(perDay) ? perDay : null;
}

function storedFrequency(frequency: DoseFrequency): Pick<DoseReading, "frequency" | "maxDosesPerDay"> {
  if (frequency.kind === "scheduled") return { frequency: frequency.schedule, maxDosesPerDay: null };
  if (frequency.kind === "as-needed") return { frequency: "as-needed", maxDosesPerDay: frequency.maxDosesPerDay };
  return { frequency: "continuous", maxDosesPerDay: null };
}
