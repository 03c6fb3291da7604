/** The conversion-factor table every MME result names, so a stored result can be traced to its factors. */
export const MME_FACTOR_TABLE = {
  version: "CDC 2022",
  name: "CDC 2022 clinical practice guideline, MME conversion factors",
  source:
    "Dowell D et al. CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United States, 2022. " +
    "MMWR Recomm Rep 2022;71(3):1–95, doi:10.15585/mmwr.rr7103a1, MME conversion factor table; same values as the " +
    "CDC/ONC FHIR CodeSystem CDCMMEClinicalConversionFactors v3.0.0 (keyed by RxNorm ingredient).",
} as const;

/** Warnings the CDC 2022 guideline attaches to MME figures, shown with every result they apply to. */
export const MME_CAVEATS = {
  notForConversion:
    "MME conversion factors are estimates. Never use MME to convert one opioid to another: start a new opioid well " +
    "below the calculated equivalent dose.",
  methadone:
    "Methadone: special caution. Its half-life is long and variable, and respiratory depression peaks later than " +
    "pain relief.",
  fentanylTransdermal:
    "Transdermal fentanyl: special caution. It is dosed in mcg/hr and absorption varies, for example with heat.",
  nonOpioidMechanism: "Tramadol and tapentadol also act through non-opioid mechanisms that MME does not capture.",
} as const;

export const NO_CONVERSION_FACTOR_MESSAGE = "No CDC conversion factor: MME not calculated and left out of the total.";

/**
 * ≥ 50 MME/day: carefully reassess benefits and risks (CDC 2016 Rec 5; CDC 2022 Rec 4–5). CDC 2022
 * Rec 8 also suggests offering naloxone from here, and the CDC opioid CDS IG 2022.1.0 warns from it.
 */
export const MME_REASSESS_THRESHOLD = 50;
/** CDC 2016 Rec 5: avoid ≥ 90 MME/day or carefully justify it; CDC opioid CDS IG 2022.1.0 prompts "taper now" here. */
export const MME_AVOID_OR_JUSTIFY_THRESHOLD = 90;

export type DoseUnit = "mg" | "mcg/hr";

interface OpioidDefinition {
  name: string;
  /** RxNorm ingredient code, the key of CDCMMEClinicalConversionFactors. */
  rxnormIngredient?: string;
  unit: DoseUnit;
  /** MME per mg/day, or per mcg/hr for a patch; null when the CDC table has no factor. */
  factor: number | null;
  caveat?: string;
}

/** CDC 2022 factors, exactly as the guideline's table gives them. Buprenorphine is not in that table. */
export const OPIOIDS = {
  codeine: { name: "Codeine", rxnormIngredient: "2670", unit: "mg", factor: 0.15 },
  "fentanyl-transdermal": {
    name: "Fentanyl (transdermal patch)",
    rxnormIngredient: "4337",
    unit: "mcg/hr",
    factor: 2.4,
    caveat: MME_CAVEATS.fentanylTransdermal,
  },
  hydrocodone: { name: "Hydrocodone", rxnormIngredient: "5489", unit: "mg", factor: 1 },
  hydromorphone: { name: "Hydromorphone", rxnormIngredient: "3423", unit: "mg", factor: 5 },
  methadone: { name: "Methadone", rxnormIngredient: "6813", unit: "mg", factor: 4.7, caveat: MME_CAVEATS.methadone },
  morphine: { name: "Morphine", rxnormIngredient: "7052", unit: "mg", factor: 1 },
  oxycodone: { name: "Oxycodone", rxnormIngredient: "7804", unit: "mg", factor: 1.5 },
  oxymorphone: { name: "Oxymorphone", rxnormIngredient: "7814", unit: "mg", factor: 3 },
  tapentadol: {
    name: "Tapentadol",
    rxnormIngredient: "787390",
    unit: "mg",
    factor: 0.4,
    caveat: MME_CAVEATS.nonOpioidMechanism,
  },
  tramadol: {
    name: "Tramadol",
    rxnormIngredient: "10689",
    unit: "mg",
    factor: 0.2,
    caveat: MME_CAVEATS.nonOpioidMechanism,
  },
  buprenorphine: { name: "Buprenorphine", unit: "mg", factor: null },
  "buprenorphine-transdermal": { name: "Buprenorphine (transdermal patch)", unit: "mcg/hr", factor: null },
} satisfies Record<string, OpioidDefinition>;

export type OpioidId = keyof typeof OPIOIDS;

export const SCHEDULED_DOSES_PER_DAY = {
  "once-daily": 1,
  "twice-daily": 2,
  "three-times-daily": 3,
  "four-times-daily": 4,
  "every-4-hours": 6,
  "every-6-hours": 4,
  "every-8-hours": 3,
  "every-12-hours": 2,
} as const;

export type ScheduledFrequency = keyof typeof SCHEDULED_DOSES_PER_DAY;

export type DoseFrequency =
  | { kind: "scheduled"; schedule: ScheduledFrequency }
  // PRN counts at the prescribed maximum, as if every allowed dose were taken, so the total never
  // understates what the prescription allows.
  | { kind: "as-needed"; maxDosesPerDay: number }
  // A patch delivers a rate (mcg/hr); how often it is changed does not alter the daily amount.
  | { kind: "continuous" };

export interface OpioidMedication {
  drug: OpioidId;
  /** Amount per dose in mg, or the patch rate in mcg/hr. */
  dose: number;
  unit: DoseUnit;
  frequency: DoseFrequency;
}

interface MmeWorking {
  drug: OpioidId;
  drugName: string;
  /** mg/day, or the mcg/hr rate for a patch (the factor applies per mcg/hr). */
  dailyDose: number;
  dailyDoseUnit: "mg/day" | "mcg/hr";
  tableVersion: string;
  caveat: string | null;
  /** The calculation in one line, e.g. "Oxycodone 10 mg twice daily = 20 mg/day × 1.5 = 30 MME/day". */
  working: string;
}

export type MedicationMme =
  | (MmeWorking & { status: "calculated"; factor: number; mme: number })
  | (MmeWorking & { status: "no-conversion-factor"; factor: null; mme: null; message: string });

/** Daily MME of one medication, rounded to one decimal. Throws RangeError on an impossible prescription. */
export function dailyMme(medication: OpioidMedication): MedicationMme {
  const definition: OpioidDefinition = OPIOIDS[medication.drug];
  const { dailyDose, prescription } = dailyDoseOf(medication, definition);
  const base = {
    drug: medication.drug,
    drugName: definition.name,
    dailyDose,
    dailyDoseUnit: definition.unit === "mg" ? "mg/day" : "mcg/hr",
    tableVersion: MME_FACTOR_TABLE.version,
    caveat: definition.caveat ?? null,
  } as const;
  const described = `${definition.name} ${prescription}`;
  if (definition.factor === null) {
    return {
      ...base,
      status: "no-conversion-factor",
      factor: null,
      mme: null,
      message: NO_CONVERSION_FACTOR_MESSAGE,
      working: `${described} — ${NO_CONVERSION_FACTOR_MESSAGE}`,
    };
  }
  const mme = Number((dailyDose * definition.factor).toFixed(1));
  return {
    ...base,
    status: "calculated",
    factor: definition.factor,
    mme,
    working: `${described} × ${definition.factor} = ${mme} MME/day`,
  };
}

function dailyDoseOf(
  { drug, dose, unit, frequency }: OpioidMedication,
  definition: OpioidDefinition,
): { dailyDose: number; prescription: string } {
  if (!Number.isFinite(dose) || dose <= 0) throw new RangeError(`Dose must be a positive number, got ${dose}.`);
  if (unit !== definition.unit) throw new RangeError(`${definition.name} is dosed in ${definition.unit}, not ${unit}.`);
  if ((frequency.kind === "continuous") !== (unit === "mcg/hr")) {
    throw new RangeError(`A ${unit} dose of ${drug} cannot have a "${frequency.kind}" frequency.`);
  }
  switch (frequency.kind) {
    case "continuous":
      return { dailyDose: dose, prescription: `${dose} mcg/hr` };
    case "scheduled":
      return perDay(dose, SCHEDULED_DOSES_PER_DAY[frequency.schedule], frequency.schedule.replaceAll("-", " "));
    case "as-needed":
      if (!Number.isInteger(frequency.maxDosesPerDay) || frequency.maxDosesPerDay < 1) {
        throw new RangeError(`Maximum doses per day must be a whole number ≥ 1, got ${frequency.maxDosesPerDay}.`);
      }
      return perDay(dose, frequency.maxDosesPerDay, `as needed, max ${frequency.maxDosesPerDay} doses/day`);
  }
}

function perDay(dose: number, dosesPerDay: number, frequencyLabel: string) {
  // Three decimals keep sub-milligram doses exact while dropping floating-point noise (2.2 × 3).
  const dailyDose = Number((dose * dosesPerDay).toFixed(3));
  return { dailyDose, prescription: `${dose} mg ${frequencyLabel} = ${dailyDose} mg/day` };
}

export type MmeCaution = "below-thresholds" | "reassess" | "avoid-or-justify";

/** CDC 2022 still advises caution at any dose; "below-thresholds" only means no threshold is reached. */
export function mmeCaution(totalMme: number): MmeCaution {
  if (!Number.isFinite(totalMme) || totalMme < 0) throw new RangeError(`Total MME must be ≥ 0, got ${totalMme}.`);
  if (totalMme >= MME_AVOID_OR_JUSTIFY_THRESHOLD) return "avoid-or-justify";
  if (totalMme >= MME_REASSESS_THRESHOLD) return "reassess";
  return "below-thresholds";
}

export type CalculatedMedication = Extract<MedicationMme, { status: "calculated" }>;
export type ExcludedMedication = Extract<MedicationMme, { status: "no-conversion-factor" }>;

export interface TotalMme {
  /** Sum of the one-decimal MMEs shown, so the working adds up; a lower bound when `excluded` is not empty. */
  totalMme: number;
  caution: MmeCaution;
  medications: MedicationMme[];
  /** Medications left out of the total because the CDC table has no factor for them. */
  excluded: ExcludedMedication[];
  tableVersion: string;
  /** The "not for conversion" warning first, then each drug-specific caveat once. */
  caveats: string[];
}

export function totalDailyMme(medications: readonly OpioidMedication[]): TotalMme {
  const results = medications.map(dailyMme);
  const calculated = results.filter((result): result is CalculatedMedication => result.status === "calculated");
  const totalMme = Number(calculated.reduce((total, result) => total + result.mme, 0).toFixed(1));
  const drugCaveats = results.flatMap((result) => (result.caveat === null ? [] : [result.caveat]));
  return {
    totalMme,
    caution: mmeCaution(totalMme),
    medications: results,
    excluded: results.filter((result): result is ExcludedMedication => result.status === "no-conversion-factor"),
    tableVersion: MME_FACTOR_TABLE.version,
    caveats: [...new Set([MME_CAVEATS.notForConversion, ...drugCaveats])],
  };
}
