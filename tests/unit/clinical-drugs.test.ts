import { describe, expect, it } from "vitest";
import {
  type CatalogueDrug,
  DRUG_CATALOGUE,
  drugName,
  drugOptionLabel,
  resolveDrug,
  unresolvedDrugMessage,
} from "~/domain/clinical/drugs";
import { OPIOIDS } from "~/domain/clinical/mme";
import { INGREDIENTS } from "~/domain/fhir/code-maps";
import { decisionOf } from "~/domain/fhir/review-forms";
import { therapySchema } from "~/domain/pathway-forms";

describe("resolveDrug", () => {
  it.each([
    ["oxycodone", "oxycodone"],
    ["Oxycodone", "oxycodone"],
    ["OXYCONTIN", "oxycodone"],
    ["  Oxycodone  ", "oxycodone"],
    ["roxicodone", "oxycodone"],
    ["fentanyl-transdermal", "fentanyl-transdermal"],
    ["Fentanyl (transdermal patch)", "fentanyl-transdermal"],
    ["fentanyl   transdermal  PATCH", "fentanyl-transdermal"],
    ["Duragesic", "fentanyl-transdermal"],
    ["MS Contin", "morphine"],
    ["ms  contin", "morphine"],
    ["Nucynta ER", "tapentadol"],
    ["Ultram", "tramadol"],
    ["Butrans", "buprenorphine-transdermal"],
    ["buprenorphine", "buprenorphine"],
    ["Neurontin", "gabapentin"],
    ["gralise", "gabapentin"],
    ["Lyrica", "pregabalin"],
    ["Cymbalta", "duloxetine"],
    ["Celebrex", "celecoxib"],
    ["Mobic", "meloxicam"],
    ["Aleve", "naproxen"],
    ["Naprosyn", "naproxen"],
    ["Advil", "ibuprofen"],
    ["motrin", "ibuprofen"],
    ["Tylenol", "acetaminophen"],
    ["Flexeril", "cyclobenzaprine"],
    ["Zanaflex", "tizanidine"],
    ["Gabapentin", "gabapentin"],
  ])("%j is %s", (typed, id) => {
    expect(resolveDrug(typed)).toEqual({ drug: expect.objectContaining({ id }), reason: null, suggestions: [] });
  });

  it.each<[string, string[]]>([
    ["Oxycodon", ["Oxycodone"]],
    ["oxycodone 10 mg", ["Oxycodone"]],
    ["Hydrocodon", ["Hydrocodone", "Hydromorphone"]],
    ["Lyricaa", ["Pregabalin"]],
    ["fentanyl", ["Fentanyl (transdermal patch)"]],
    ["Percocet", []],
    ["kratom", []],
    ["", []],
    ["   ", []],
  ])("%j is unknown; suggests %j", (typed, suggestions) => {
    const match = resolveDrug(typed);
    expect(match.drug).toBeNull();
    expect(match.reason).toBe("unknown");
    expect(match.suggestions.map((drug) => drug.name)).toEqual(suggestions);
  });

  it("refuses to choose between two drugs that share a name, and offers both", () => {
    const drug = (id: string, brands: string[]): CatalogueDrug => ({
      id,
      name: id.charAt(0).toUpperCase() + id.slice(1),
      brands,
      modalities: ["NSAID"],
      opioid: null,
    });
    const catalogue = [drug("alpha", ["Shared"]), drug("beta", ["Shared", "Other"])];
    const match = resolveDrug("SHARED", catalogue);
    expect(match).toMatchObject({ drug: null, reason: "ambiguous" });
    expect(match.suggestions.map(({ id }) => id)).toEqual(["alpha", "beta"]);
    expect(resolveDrug("other", catalogue).drug?.id).toBe("beta");
  });

  it("finds at most three suggestions, closest first", () => {
    expect(resolveDrug("hydro").suggestions.map(({ id }) => id)).toEqual(["hydrocodone", "hydromorphone"]);
    expect(resolveDrug("m").suggestions).toHaveLength(3);
  });
});

describe("unresolvedDrugMessage", () => {
  it.each([
    ["Oxycodon", "No drug called 'Oxycodon'. Did you mean Oxycodone?"],
    ["Hydrocodon", "No drug called 'Hydrocodon'. Did you mean Hydrocodone or Hydromorphone?"],
    ["kratom ", "No drug called 'kratom' in the list."],
  ])("%j: %s", (typed, message) => {
    const match = resolveDrug(typed);
    if (match.drug) throw new Error("resolved");
    expect(unresolvedDrugMessage(typed, match)).toBe(message);
  });

  it("names every candidate of an ambiguous name", () => {
    const candidates = DRUG_CATALOGUE.slice(0, 3);
    expect(unresolvedDrugMessage("x", { drug: null, reason: "ambiguous", suggestions: candidates })).toBe(
      `'x' names more than one drug: choose ${candidates[0]?.name}, ${candidates[1]?.name} or ${candidates[2]?.name} from the list.`,
    );
  });
});

describe("the catalogue", () => {
  it("has one drug per id, generic name and brand: no typed name is ambiguous", () => {
    for (const drug of DRUG_CATALOGUE)
      for (const key of [drug.id, drug.name, ...drug.brands]) expect(resolveDrug(key).drug).toBe(drug);
  });

  it("holds every opioid of the MME table under its own name, with the factor untouched", () => {
    for (const [id, opioid] of Object.entries(OPIOIDS)) {
      const drug = DRUG_CATALOGUE.find((entry) => entry.id === id);
      expect(drug).toMatchObject({ name: opioid.name, opioid: id, modalities: ["OPIOID"] });
    }
  });

  it("matches the therapy ingredients the FHIR import classifies, kind for kind", () => {
    const imported = INGREDIENTS.filter((entry) => entry.modality).map((entry) => ({
      id: entry.opioid ?? entry.name,
      modalities: [entry.modality, entry.topicalModality].filter(Boolean).sort(),
    }));
    const catalogue = DRUG_CATALOGUE.map(({ id, modalities }) => ({ id, modalities: [...modalities].sort() }));
    expect(catalogue.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      imported.sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it("offers names with their brands, never an id", () => {
    const oxycodone = DRUG_CATALOGUE.find((drug) => drug.id === "oxycodone") as CatalogueDrug;
    expect(drugOptionLabel(oxycodone)).toBe("Oxycodone — OxyContin, Roxicodone, Xtampza ER");
    for (const drug of DRUG_CATALOGUE) expect(drugOptionLabel(drug)).not.toContain("-transdermal");
  });
});

describe("drugName", () => {
  it.each([
    ["fentanyl-transdermal", "Fentanyl (transdermal patch)"],
    ["oxycodone", "Oxycodone"],
    ["gabapentin", "Gabapentin"],
    ["Lyrica", "Pregabalin"],
    ["Lidocaine 5 % patch", "Lidocaine 5 % patch"],
  ])("%s reads %s", (stored, shown) => {
    expect(drugName(stored)).toBe(shown);
  });
});

describe("the therapy form's drug field", () => {
  const form = {
    diagnosisId: "00000000-0000-4000-8000-000000000001",
    startDate: "2026-01-05",
    dose: 10,
    doseUnit: "mg",
    frequency: "twice-daily",
    route: "oral",
  };
  const parse = (fields: Record<string, unknown>) => therapySchema("2026-01-10").safeParse({ ...form, ...fields });
  const drugErrors = (fields: Record<string, unknown>) => {
    const result = parse(fields);
    return result.success ? [] : result.error.issues.filter((issue) => issue.path[0] === "drug").map((i) => i.message);
  };

  it.each([
    ["OPIOID", " OXYCONTIN ", "oxycodone"],
    ["OPIOID", "oxycodone", "oxycodone"],
    ["NEUROPATHIC_AGENT", "Lyrica", "pregabalin"],
    ["NSAID", "Aleve", "naproxen"],
    ["TOPICAL", "voltaren", "diclofenac"],
  ])("%s %j is stored as %s", (modality, drug, id) => {
    const result = parse({ modality, drug });
    expect(result.success && result.data.drug).toBe(id);
  });

  it("keeps a drug the list lacks as typed only when asked, and never an opioid", () => {
    expect(drugErrors({ modality: "OTHER_MEDICATION", drug: "Prednisone" })).toEqual([
      "No drug called 'Prednisone' in the list. Or tick “Not in the list” to keep the name as typed.",
    ]);
    const kept = parse({ modality: "OTHER_MEDICATION", drug: " Prednisone ", drugAsTyped: true });
    expect(kept.success && kept.data).toMatchObject({ drug: "Prednisone" });
    expect(drugErrors({ modality: "OPIOID", drug: "Oxycodon", drugAsTyped: true })).toEqual([
      "No drug called 'Oxycodon'. Did you mean Oxycodone? Opioids come from the list, so their daily MME is known.",
    ]);
  });

  it.each([
    ["Oxycodone ER", "Oxycodone"],
    ["Hydrocodone/APAP", "Hydrocodone"],
    ["morphine sulfate", "Morphine"],
    ["Fentanyl buccal", "Fentanyl (transdermal patch)"],
  ])("never keeps %j as typed: it looks like %s", (drug, opioid) => {
    expect(drugErrors({ modality: "OTHER_MEDICATION", drug, drugAsTyped: true })).toEqual([
      `'${drug}' looks like ${opioid}, an opioid: choose it from the list, so its daily MME is known.`,
    ]);
  });

  it.each(["Methylprednisolone", "Methylnaltrexone", "Oxybutynin", "Medrol"])("keeps %j as typed", (drug) => {
    expect(drugErrors({ modality: "OTHER_MEDICATION", drug, drugAsTyped: true })).toEqual([]);
  });

  it("refuses a drug under another kind of therapy, so an opioid never escapes the MME", () => {
    expect(drugErrors({ modality: "NSAID", drug: "OxyContin" })).toEqual([
      "Oxycodone is recorded as “Opioid”: choose that therapy, or another drug.",
    ]);
    expect(drugErrors({ modality: "OPIOID", drug: "gabapentin" })).toHaveLength(1);
  });
});

describe("a review-list decision that maps a code to a therapy", () => {
  const decide = (drug: string) =>
    decisionOf({
      id: "00000000-0000-4000-8000-000000000001",
      version: 1,
      action: "therapy",
      modality: "NEUROPATHIC_AGENT",
      drug,
    });

  it("stores a catalogue drug typed by its brand as its id, and any other name as typed", () => {
    expect(decide("Lyrica")).toEqual({ action: "therapy", modality: "NEUROPATHIC_AGENT", drug: "pregabalin" });
    expect(decide("zorbexitol")).toMatchObject({ drug: "zorbexitol" });
    expect(decide("")).toMatchObject({ drug: null });
  });
});
