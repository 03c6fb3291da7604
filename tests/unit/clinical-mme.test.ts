import { describe, expect, it } from "vitest";
import {
  dailyMme,
  type DoseFrequency,
  MME_AVOID_OR_JUSTIFY_THRESHOLD,
  MME_CAVEATS,
  MME_FACTOR_TABLE,
  MME_REASSESS_THRESHOLD,
  mmeCaution,
  NO_CONVERSION_FACTOR_MESSAGE,
  type OpioidId,
  type OpioidMedication,
  OPIOIDS,
  totalDailyMme,
} from "~/domain/clinical/mme";

const scheduled = (schedule: Extract<DoseFrequency, { kind: "scheduled" }>["schedule"]): DoseFrequency => ({
  kind: "scheduled",
  schedule,
});
const asNeeded = (maxDosesPerDay: number): DoseFrequency => ({ kind: "as-needed", maxDosesPerDay });
const continuous: DoseFrequency = { kind: "continuous" };

const mg = (drug: OpioidId, dose: number, frequency: DoseFrequency): OpioidMedication => ({
  drug,
  dose,
  unit: "mg",
  frequency,
});
const patch = (drug: OpioidId, dose: number): OpioidMedication => ({
  drug,
  dose,
  unit: "mcg/hr",
  frequency: continuous,
});

describe("OPIOIDS (CDC 2022 MME factors, Dowell et al. MMWR 2022; docs/clinical-sources.md §7)", () => {
  it.each<{ drug: OpioidId; factor: number | null; rxnorm: string | undefined }>([
    { drug: "codeine", factor: 0.15, rxnorm: "2670" },
    { drug: "fentanyl-transdermal", factor: 2.4, rxnorm: "4337" },
    { drug: "hydrocodone", factor: 1, rxnorm: "5489" },
    { drug: "hydromorphone", factor: 5, rxnorm: "3423" },
    { drug: "methadone", factor: 4.7, rxnorm: "6813" },
    { drug: "morphine", factor: 1, rxnorm: "7052" },
    { drug: "oxycodone", factor: 1.5, rxnorm: "7804" },
    { drug: "oxymorphone", factor: 3, rxnorm: "7814" },
    { drug: "tapentadol", factor: 0.4, rxnorm: "787390" },
    { drug: "tramadol", factor: 0.2, rxnorm: "10689" },
    { drug: "buprenorphine", factor: null, rxnorm: undefined },
    { drug: "buprenorphine-transdermal", factor: null, rxnorm: undefined },
  ])("$drug: factor $factor, RxNorm $rxnorm", ({ drug, factor, rxnorm }) => {
    const definition: { factor: number | null; rxnormIngredient?: string } = OPIOIDS[drug];
    expect(definition.factor).toBe(factor);
    expect(definition.rxnormIngredient).toBe(rxnorm);
  });

  it("covers exactly the drugs in the table", () => {
    expect(Object.keys(OPIOIDS)).toHaveLength(12);
  });
});

describe("dailyMme", () => {
  it.each([
    { case: "CDC example", medication: mg("oxycodone", 10, scheduled("twice-daily")), dailyDose: 20, mme: 30 },
    { case: "codeine", medication: mg("codeine", 30, scheduled("every-6-hours")), dailyDose: 120, mme: 18 },
    { case: "one decimal", medication: mg("codeine", 15, scheduled("once-daily")), dailyDose: 15, mme: 2.3 },
    { case: "hydrocodone", medication: mg("hydrocodone", 5, scheduled("every-4-hours")), dailyDose: 30, mme: 30 },
    { case: "hydromorphone", medication: mg("hydromorphone", 2, scheduled("every-4-hours")), dailyDose: 12, mme: 60 },
    { case: "methadone", medication: mg("methadone", 10, scheduled("three-times-daily")), dailyDose: 30, mme: 141 },
    { case: "morphine", medication: mg("morphine", 15, scheduled("every-8-hours")), dailyDose: 45, mme: 45 },
    { case: "half tablets", medication: mg("morphine", 7.5, scheduled("four-times-daily")), dailyDose: 30, mme: 30 },
    { case: "oxymorphone", medication: mg("oxymorphone", 5, scheduled("every-12-hours")), dailyDose: 10, mme: 30 },
    { case: "tapentadol", medication: mg("tapentadol", 100, scheduled("four-times-daily")), dailyDose: 400, mme: 160 },
    { case: "tramadol PRN at its maximum", medication: mg("tramadol", 50, asNeeded(8)), dailyDose: 400, mme: 80 },
    { case: "oxycodone PRN at its maximum", medication: mg("oxycodone", 5, asNeeded(6)), dailyDose: 30, mme: 45 },
    { case: "float noise", medication: mg("oxycodone", 2.2, scheduled("three-times-daily")), dailyDose: 6.6, mme: 9.9 },
    { case: "fentanyl patch", medication: patch("fentanyl-transdermal", 25), dailyDose: 25, mme: 60 },
    { case: "fentanyl patch", medication: patch("fentanyl-transdermal", 12), dailyDose: 12, mme: 28.8 },
  ])("$case = $mme MME/day", ({ medication, dailyDose, mme }) => {
    const result = dailyMme(medication);
    expect(result).toMatchObject({
      status: "calculated",
      drug: medication.drug,
      dailyDose,
      factor: OPIOIDS[medication.drug].factor,
      tableVersion: MME_FACTOR_TABLE.version,
      mme,
    });
  });

  it.each([
    {
      medication: mg("oxycodone", 10, scheduled("twice-daily")),
      working: "Oxycodone 10 mg twice daily = 20 mg/day × 1.5 = 30 MME/day",
    },
    {
      medication: mg("oxycodone", 5, asNeeded(6)),
      working: "Oxycodone 5 mg as needed, max 6 doses/day = 30 mg/day × 1.5 = 45 MME/day",
    },
    {
      medication: patch("fentanyl-transdermal", 25),
      working: "Fentanyl (transdermal patch) 25 mcg/hr × 2.4 = 60 MME/day",
    },
    {
      medication: mg("buprenorphine", 8, scheduled("twice-daily")),
      working: `Buprenorphine 8 mg twice daily = 16 mg/day — ${NO_CONVERSION_FACTOR_MESSAGE}`,
    },
  ])("shows the working: $working", ({ medication, working }) => {
    expect(dailyMme(medication).working).toBe(working);
  });

  it.each<{ medication: OpioidMedication; caveat: string | null }>([
    { medication: mg("methadone", 5, scheduled("twice-daily")), caveat: MME_CAVEATS.methadone },
    { medication: patch("fentanyl-transdermal", 25), caveat: MME_CAVEATS.fentanylTransdermal },
    { medication: mg("tramadol", 50, scheduled("twice-daily")), caveat: MME_CAVEATS.nonOpioidMechanism },
    { medication: mg("tapentadol", 50, scheduled("twice-daily")), caveat: MME_CAVEATS.nonOpioidMechanism },
    { medication: mg("oxycodone", 5, scheduled("twice-daily")), caveat: null },
  ])("$medication.drug carries caveat: $caveat", ({ medication, caveat }) => {
    expect(dailyMme(medication).caveat).toBe(caveat);
  });

  it("says plainly when there is no factor", () => {
    expect(NO_CONVERSION_FACTOR_MESSAGE).toMatch(/^No CDC conversion factor/);
  });

  it.each([
    {
      case: "buprenorphine",
      medication: mg("buprenorphine", 8, scheduled("twice-daily")),
      dailyDose: 16,
      unit: "mg/day",
    },
    { case: "buprenorphine patch", medication: patch("buprenorphine-transdermal", 10), dailyDose: 10, unit: "mcg/hr" },
  ])("$case has no CDC conversion factor instead of a number", ({ medication, dailyDose, unit }) => {
    expect(dailyMme(medication)).toMatchObject({
      status: "no-conversion-factor",
      dailyDose,
      dailyDoseUnit: unit,
      factor: null,
      mme: null,
      message: NO_CONVERSION_FACTOR_MESSAGE,
    });
  });

  it.each<{ case: string; medication: OpioidMedication }>([
    { case: "zero dose", medication: mg("oxycodone", 0, scheduled("twice-daily")) },
    { case: "negative dose", medication: mg("oxycodone", -5, scheduled("twice-daily")) },
    { case: "NaN dose", medication: mg("oxycodone", Number.NaN, scheduled("twice-daily")) },
    { case: "oral drug in mcg/hr", medication: { drug: "oxycodone", dose: 10, unit: "mcg/hr", frequency: continuous } },
    {
      case: "fentanyl patch in mg",
      medication: { drug: "fentanyl-transdermal", dose: 25, unit: "mg", frequency: scheduled("once-daily") },
    },
    { case: "oral drug given continuously", medication: mg("oxycodone", 10, continuous) },
    {
      case: "patch on a schedule",
      medication: { drug: "fentanyl-transdermal", dose: 25, unit: "mcg/hr", frequency: scheduled("once-daily") },
    },
    { case: "PRN with no doses a day", medication: mg("oxycodone", 5, asNeeded(0)) },
    { case: "PRN with a fractional maximum", medication: mg("oxycodone", 5, asNeeded(2.5)) },
  ])("rejects $case", ({ medication }) => {
    expect(() => dailyMme(medication)).toThrow(RangeError);
  });
});

describe("totalDailyMme", () => {
  it.each<{ case: string; medications: OpioidMedication[]; total: number; excluded: OpioidId[]; caveats: string[] }>([
    { case: "no opioids", medications: [], total: 0, excluded: [], caveats: [MME_CAVEATS.notForConversion] },
    {
      case: "two oral opioids",
      medications: [mg("oxycodone", 10, scheduled("twice-daily")), mg("morphine", 10, scheduled("every-6-hours"))],
      total: 70,
      excluded: [],
      caveats: [MME_CAVEATS.notForConversion],
    },
    {
      case: "buprenorphine is reported, not counted as 0",
      medications: [mg("oxycodone", 10, scheduled("twice-daily")), mg("buprenorphine", 8, scheduled("once-daily"))],
      total: 30,
      excluded: ["buprenorphine"],
      caveats: [MME_CAVEATS.notForConversion],
    },
    {
      case: "methadone and a fentanyl patch",
      medications: [mg("methadone", 10, scheduled("three-times-daily")), patch("fentanyl-transdermal", 25)],
      total: 201,
      excluded: [],
      caveats: [MME_CAVEATS.notForConversion, MME_CAVEATS.methadone, MME_CAVEATS.fentanylTransdermal],
    },
    {
      case: "tramadol and tapentadol share one caveat",
      medications: [mg("tramadol", 50, scheduled("twice-daily")), mg("tapentadol", 50, scheduled("twice-daily"))],
      total: 60,
      excluded: [],
      caveats: [MME_CAVEATS.notForConversion, MME_CAVEATS.nonOpioidMechanism],
    },
    {
      case: "the total adds the displayed one-decimal values",
      medications: [mg("codeine", 15, scheduled("once-daily")), mg("codeine", 15, scheduled("once-daily"))],
      total: 4.6,
      excluded: [],
      caveats: [MME_CAVEATS.notForConversion],
    },
  ])("$case: $total MME/day", ({ medications, total, excluded, caveats }) => {
    const result = totalDailyMme(medications);
    expect(result.totalMme).toBe(total);
    expect(result.caution).toBe(mmeCaution(total));
    expect(result.medications).toHaveLength(medications.length);
    expect(result.excluded.map((medication) => medication.drug)).toEqual(excluded);
    expect(result.tableVersion).toBe(MME_FACTOR_TABLE.version);
    expect(result.caveats).toEqual(caveats);
  });

  it("rejects the whole total when one medication is impossible", () => {
    expect(() =>
      totalDailyMme([mg("oxycodone", 10, scheduled("twice-daily")), mg("morphine", -1, asNeeded(4))]),
    ).toThrow(RangeError);
  });
});

describe("mmeCaution", () => {
  it("uses the CDC thresholds", () => {
    expect([MME_REASSESS_THRESHOLD, MME_AVOID_OR_JUSTIFY_THRESHOLD]).toEqual([50, 90]);
  });

  it.each([
    { total: 0, caution: "below-thresholds" },
    { total: 49.9, caution: "below-thresholds" },
    { total: 50, caution: "reassess" },
    { total: 50.1, caution: "reassess" },
    { total: 89.9, caution: "reassess" },
    { total: 90, caution: "avoid-or-justify" },
    { total: 90.1, caution: "avoid-or-justify" },
    { total: 400, caution: "avoid-or-justify" },
  ])("$total MME/day → $caution", ({ total, caution }) => {
    expect(mmeCaution(total)).toBe(caution);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("rejects %s", (total) => {
    expect(() => mmeCaution(total)).toThrow(RangeError);
  });
});
