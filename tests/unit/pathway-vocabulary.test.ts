import { describe, expect, it } from "vitest";
import { SCHEDULED_DOSES_PER_DAY } from "~/domain/clinical/mme";
import {
  ADHERENCE_LABELS,
  ADHERENCES,
  BODY_REGION_LABELS,
  BODY_REGIONS,
  COMMON_PAIN_CODES,
  findCommonPainCode,
  isMedicationModality,
  isSessionModality,
  isValidIcd10Format,
  LIMITATION_LABELS,
  LIMITATIONS,
  MEDICATION_FREQUENCIES,
  MEDICATION_FREQUENCY_LABELS,
  MEDICATION_MODALITIES,
  MEDICATION_ROUTE_LABELS,
  MEDICATION_ROUTES,
  NON_MEDICATION_MODALITIES,
  NON_OPIOID_DOSE_UNIT_LABELS,
  NON_OPIOID_DOSE_UNITS,
  normalizeIcd10,
  PAIN_TYPE_LABELS,
  PAIN_TYPES,
  PATIENT_STATUS_LABELS,
  PATIENT_STATUSES,
  PROCEDURE_TYPE_LABELS,
  PROCEDURE_TYPES,
  PSYCH_EVALUATION_STATUS_LABELS,
  PSYCH_EVALUATION_STATUSES,
  RED_FLAG_DEFINITIONS,
  RED_FLAG_LABELS,
  RED_FLAGS,
  SESSION_MODALITIES,
  SEX_LABELS,
  SEXES,
  SIDE_EFFECT_SEVERITIES,
  SIDE_EFFECT_SEVERITY_LABELS,
  STOP_REASON_LABELS,
  STOP_REASONS,
  SURGICAL_STATUS_LABELS,
  SURGICAL_STATUSES,
  THERAPY_MODALITIES,
  THERAPY_MODALITY_GROUPS,
  THERAPY_MODALITY_LABELS,
  THERAPY_STATUS_LABELS,
  THERAPY_STATUSES,
} from "~/domain/pathway-vocabulary";
import * as PrismaEnums from "~/generated/prisma/enums";

const sorted = (values: readonly string[]) => [...values].sort();

// Compared with the Prisma client's enum objects, so a schema value without a label fails here too.
describe.each([
  { name: "PatientStatus", prisma: PrismaEnums.PatientStatus, list: PATIENT_STATUSES, labels: PATIENT_STATUS_LABELS },
  { name: "Sex", prisma: PrismaEnums.Sex, list: SEXES, labels: SEX_LABELS },
  {
    name: "PsychEvaluationStatus",
    prisma: PrismaEnums.PsychEvaluationStatus,
    list: PSYCH_EVALUATION_STATUSES,
    labels: PSYCH_EVALUATION_STATUS_LABELS,
  },
  { name: "BodyRegion", prisma: PrismaEnums.BodyRegion, list: BODY_REGIONS, labels: BODY_REGION_LABELS },
  { name: "PainType", prisma: PrismaEnums.PainType, list: PAIN_TYPES, labels: PAIN_TYPE_LABELS },
  {
    name: "SurgicalStatus",
    prisma: PrismaEnums.SurgicalStatus,
    list: SURGICAL_STATUSES,
    labels: SURGICAL_STATUS_LABELS,
  },
  { name: "RedFlag", prisma: PrismaEnums.RedFlag, list: RED_FLAGS, labels: RED_FLAG_LABELS },
  {
    name: "TherapyModality",
    prisma: PrismaEnums.TherapyModality,
    list: THERAPY_MODALITIES,
    labels: THERAPY_MODALITY_LABELS,
  },
  { name: "TherapyStatus", prisma: PrismaEnums.TherapyStatus, list: THERAPY_STATUSES, labels: THERAPY_STATUS_LABELS },
  { name: "StopReason", prisma: PrismaEnums.StopReason, list: STOP_REASONS, labels: STOP_REASON_LABELS },
  {
    name: "SideEffectSeverity",
    prisma: PrismaEnums.SideEffectSeverity,
    list: SIDE_EFFECT_SEVERITIES,
    labels: SIDE_EFFECT_SEVERITY_LABELS,
  },
  { name: "Adherence", prisma: PrismaEnums.Adherence, list: ADHERENCES, labels: ADHERENCE_LABELS },
  { name: "Limitation", prisma: PrismaEnums.Limitation, list: LIMITATIONS, labels: LIMITATION_LABELS },
  { name: "ProcedureType", prisma: PrismaEnums.ProcedureType, list: PROCEDURE_TYPES, labels: PROCEDURE_TYPE_LABELS },
])("$name", ({ prisma, list, labels }) => {
  const prismaValues = Object.values(prisma) as string[];

  it("lists every Prisma value once, in schema order", () => {
    expect(list).toEqual(prismaValues);
  });

  it("has a non-empty label for every Prisma value and no label for anything else", () => {
    expect(sorted(Object.keys(labels))).toEqual(sorted(prismaValues));
    for (const value of prismaValues) expect((labels as Record<string, string>)[value]?.trim()).toBeTruthy();
  });

  it("has distinct labels, so a select never shows two identical options", () => {
    const values = Object.values(labels as Record<string, string>);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe("RED_FLAG_DEFINITIONS", () => {
  it.each(RED_FLAGS)("%s has a label, a one-line description and a source", (flag) => {
    const { label, description, source } = RED_FLAG_DEFINITIONS[flag];
    expect(label).toBe(RED_FLAG_LABELS[flag]);
    expect(description.length).toBeGreaterThan(20);
    expect(description).not.toContain("\n");
    expect(source).toMatch(/AHCPR|Chou R et al/);
  });

  it.each(["FRACTURE_RISK", "TUMOUR_OR_INFECTION", "CAUDA_EQUINA", "PROGRESSIVE_NEURO_DEFICIT"] as const)(
    "%s cites the AHCPR 1994 red-flag table",
    (flag) => {
      expect(RED_FLAG_DEFINITIONS[flag].source).toContain("AHCPR Clinical Practice Guideline 14");
    },
  );
});

describe("therapy modality groups", () => {
  it("splits every modality into exactly one of medication or non-medication", () => {
    expect(sorted([...MEDICATION_MODALITIES, ...NON_MEDICATION_MODALITIES])).toEqual(sorted(THERAPY_MODALITIES));
    expect(THERAPY_MODALITY_GROUPS.flatMap((group) => group.modalities)).toHaveLength(THERAPY_MODALITIES.length);
  });

  it.each([
    { modality: "OPIOID", medication: true, sessions: false },
    { modality: "NSAID", medication: true, sessions: false },
    { modality: "TOPICAL", medication: true, sessions: false },
    { modality: "OTC_ANALGESIC", medication: true, sessions: false },
    { modality: "PHYSICAL_THERAPY", medication: false, sessions: true },
    { modality: "PSYCHOLOGICAL_THERAPY", medication: false, sessions: true },
    { modality: "HOME_EXERCISE", medication: false, sessions: false },
    { modality: "LIFESTYLE", medication: false, sessions: false },
  ] as const)("$modality: medication $medication, sessions $sessions", ({ modality, medication, sessions }) => {
    expect(isMedicationModality(modality)).toBe(medication);
    expect(isSessionModality(modality)).toBe(sessions);
  });

  it("session modalities are never medication modalities", () => {
    for (const modality of SESSION_MODALITIES) expect(isMedicationModality(modality)).toBe(false);
  });
});

describe("medication form vocabularies", () => {
  it("reuses the MME module's scheduled frequencies, then as-needed and continuous", () => {
    expect(MEDICATION_FREQUENCIES).toEqual([...Object.keys(SCHEDULED_DOSES_PER_DAY), "as-needed", "continuous"]);
  });

  it.each([
    { name: "frequencies", list: MEDICATION_FREQUENCIES, labels: MEDICATION_FREQUENCY_LABELS },
    { name: "routes", list: MEDICATION_ROUTES, labels: MEDICATION_ROUTE_LABELS },
    { name: "non-opioid dose units", list: NON_OPIOID_DOSE_UNITS, labels: NON_OPIOID_DOSE_UNIT_LABELS },
  ])("$name: one distinct, non-empty label per value", ({ list, labels }) => {
    expect(sorted(Object.keys(labels))).toEqual(sorted(list));
    const values = Object.values(labels as Record<string, string>);
    expect(values.every((label) => label.trim().length > 0)).toBe(true);
    expect(new Set(values).size).toBe(values.length);
    expect(new Set(list).size).toBe(list.length);
  });

  it("has the ten routes the therapy form offers", () => {
    expect(MEDICATION_ROUTES).toEqual([
      "oral",
      "transdermal",
      "topical",
      "intramuscular",
      "intravenous",
      "subcutaneous",
      "sublingual",
      "buccal",
      "intranasal",
      "rectal",
    ]);
  });
});

describe("isValidIcd10Format", () => {
  it.each([
    { code: "M54.16", valid: true, why: "common code" },
    { code: "M54.2", valid: true, why: "one character after the dot" },
    { code: "M47.816", valid: true, why: "three characters after the dot" },
    { code: "S32.001A", valid: true, why: "seven characters, alphabetic 7th character" },
    { code: "T40.2X5A", valid: true, why: "placeholder X" },
    { code: "M54", valid: true, why: "category only" },
    { code: "M1A.0", valid: true, why: "alphanumeric third character" },
    { code: "m54.16", valid: true, why: "lowercase" },
    { code: "g89.4", valid: true, why: "lowercase" },
    { code: "Z99.99", valid: true, why: "code outside the common list is still well formed" },
    { code: "M5416", valid: false, why: "missing dot (normalise first)" },
    { code: "M54.16789", valid: false, why: "too long after the dot" },
    { code: "M54.", valid: false, why: "dot with nothing after it" },
    { code: "154.16", valid: false, why: "first character a digit" },
    { code: "MM4.16", valid: false, why: "second character a letter" },
    { code: "M5", valid: false, why: "too short" },
    { code: "M54..16", valid: false, why: "two dots" },
    { code: "M54-16", valid: false, why: "hyphen" },
    { code: " M54.16", valid: false, why: "leading space (normalise first)" },
    { code: "", valid: false, why: "empty" },
  ])("$code → $valid ($why)", ({ code, valid }) => {
    expect(isValidIcd10Format(code)).toBe(valid);
  });
});

describe("normalizeIcd10", () => {
  it.each([
    { input: "M54.16", output: "M54.16" },
    { input: "m54.16", output: "M54.16" },
    { input: "  m54.16 ", output: "M54.16" },
    { input: "M5416", output: "M54.16" },
    { input: "m47816", output: "M47.816" },
    { input: "s32001a", output: "S32.001A" },
    { input: "M542", output: "M54.2" },
    { input: "M54", output: "M54" },
    { input: "m54", output: "M54" },
    { input: "", output: "" },
    { input: "   ", output: "" },
    { input: "M541678901", output: "M541678901" },
    { input: "hello", output: "HELLO" },
  ])("'$input' → '$output'", ({ input, output }) => {
    expect(normalizeIcd10(input)).toBe(output);
  });

  it.each(["M5416", "m54.16", " g894 ", "e1142"])("makes '%s' pass the format check", (input) => {
    expect(isValidIcd10Format(normalizeIcd10(input))).toBe(true);
  });

  it.each(["", "154.16", "M541678901", "M54-16"])("does not rescue badly formed '%s'", (input) => {
    expect(isValidIcd10Format(normalizeIcd10(input))).toBe(false);
  });
});

describe("COMMON_PAIN_CODES", () => {
  it.each(COMMON_PAIN_CODES.map((entry) => [entry.code, entry] as const))(
    "%s is well formed, already normalised and labelled",
    (_code, entry) => {
      expect(isValidIcd10Format(entry.code)).toBe(true);
      expect(normalizeIcd10(entry.code)).toBe(entry.code);
      expect(entry.label.trim()).not.toBe("");
      expect(entry.group.trim()).not.toBe("");
      if (entry.bodyRegion !== undefined) expect(BODY_REGIONS).toContain(entry.bodyRegion);
      if (entry.painType !== undefined) expect(PAIN_TYPES).toContain(entry.painType);
    },
  );

  it("has unique codes", () => {
    const codes = COMMON_PAIN_CODES.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("leaves out the low back pain code deleted on 2021-10-01", () => {
    expect(findCommonPainCode("M54.5")).toBeUndefined();
  });

  it.each([
    { code: "M54.16", bodyRegion: "LUMBAR", painType: "RADICULAR" },
    { code: "M17.11", bodyRegion: "KNEE", painType: "JOINT" },
    { code: "M47.816", bodyRegion: "LUMBAR", painType: "AXIAL" },
    { code: "M54.2", bodyRegion: "CERVICAL", painType: "AXIAL" },
    { code: "G89.4", bodyRegion: undefined, painType: undefined },
  ])("$code suggests $bodyRegion / $painType", ({ code, bodyRegion, painType }) => {
    const entry = findCommonPainCode(code);
    expect(entry?.bodyRegion).toBe(bodyRegion);
    expect(entry?.painType).toBe(painType);
  });

  it("finds an entry from a code typed in lowercase without the dot", () => {
    expect(findCommonPainCode(" m5416 ")?.code).toBe("M54.16");
    expect(findCommonPainCode("Z99.99")).toBeUndefined();
  });
});
