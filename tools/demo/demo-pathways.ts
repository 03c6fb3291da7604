import { randomUUID } from "node:crypto";
import { addDays, daysBetween, type IsoDate } from "~/domain/clinical/duration";
import { OPIOIDS, type OpioidId } from "~/domain/clinical/mme";
import { pegScore } from "~/domain/clinical/scores";
import { fromIsoDate } from "~/domain/iso-date";
import { COMMON_PAIN_CODES, isMedicationModality, type MedicationFrequency } from "~/domain/pathway-vocabulary";
import type {
  AntithromboticDrug,
  ImagingConcordance,
  ImagingModality,
  RadicularSign,
  Adherence,
  BodyRegion,
  Limitation,
  PainType,
  PatientStatus,
  ProcedureType,
  PsychEvaluationStatus,
  RedFlag,
  Sex,
  SideEffectKind,
  SideEffectSeverity,
  StopReason,
  SurgicalStatus,
  TherapyModality,
  TherapyStatus,
} from "~/generated/prisma/enums";
import { refreshPathwaySummary } from "~/models/pathway-summary.server";
import { createReferral } from "~/models/referral.server";
import { loadCurrentEvaluation } from "~/models/referral-state.server";
import type { Db, Tx } from "~/server/db.server";

/**
 * Demo patients with varied, realistic pathways. `buildDemoPathways` is pure and seeded, so the demo
 * is the same on every machine; every date is an offset from `today`, so the demo always looks current.
 */

export const DEMO_MRN_PREFIX = "DEMO-";
const DEMO_SEED = 20_240_917;

// ---------------------------------------------------------------------------------------------------
// Therapies, conditions and archetypes

interface TherapyDefinition {
  modality: TherapyModality;
  drug?: string;
  dose?: number;
  doseUnit?: string;
  frequency?: MedicationFrequency;
  maxDosesPerDay?: number;
  route?: string;
  sessionsPlanned?: number;
  /** What the patient reports when the trial is stopped for side effects. */
  sideEffects?: string;
}

const oral = (
  modality: TherapyModality,
  drug: string,
  dose: number,
  frequency: MedicationFrequency,
  sideEffects: string,
) => ({ modality, drug, dose, doseUnit: "mg", frequency, route: "oral", sideEffects }) satisfies TherapyDefinition;

// The unit comes from the MME table, so every opioid trial's MME can be calculated.
const opioid = (
  drug: OpioidId,
  dose: number,
  frequency: MedicationFrequency,
  sideEffects: string,
  maxDosesPerDay?: number,
) =>
  ({
    modality: "OPIOID",
    drug,
    dose,
    doseUnit: OPIOIDS[drug].unit,
    frequency,
    maxDosesPerDay,
    route: OPIOIDS[drug].unit === "mcg/hr" ? "transdermal" : "oral",
    sideEffects,
  }) satisfies TherapyDefinition;

const THERAPIES = {
  acetaminophen: oral("OTC_ANALGESIC", "Acetaminophen", 1000, "three-times-daily", "nausea"),
  ibuprofen: oral("NSAID", "Ibuprofen", 400, "three-times-daily", "dyspepsia"),
  naproxen: oral("NSAID", "Naproxen", 500, "twice-daily", "heartburn and dyspepsia"),
  meloxicam: oral("NSAID", "Meloxicam", 15, "once-daily", "ankle swelling"),
  cyclobenzaprine: oral("MUSCLE_RELAXANT", "Cyclobenzaprine", 5, "three-times-daily", "daytime drowsiness"),
  tizanidine: oral("MUSCLE_RELAXANT", "Tizanidine", 2, "three-times-daily", "dizziness and dry mouth"),
  gabapentin: oral("NEUROPATHIC_AGENT", "Gabapentin", 300, "three-times-daily", "dizziness and sedation"),
  pregabalin: oral("NEUROPATHIC_AGENT", "Pregabalin", 75, "twice-daily", "dizziness and weight gain"),
  duloxetine: oral("NEUROPATHIC_AGENT", "Duloxetine", 60, "once-daily", "nausea and insomnia"),
  amitriptyline: oral("NEUROPATHIC_AGENT", "Amitriptyline", 25, "once-daily", "dry mouth and morning grogginess"),
  lidocainePatch: {
    ...oral("TOPICAL", "Lidocaine 5 % patch", 1, "once-daily", "skin irritation"),
    doseUnit: "patch",
    route: "topical",
  },
  diclofenacGel: {
    ...oral("TOPICAL", "Diclofenac 1 % gel", 4, "four-times-daily", "skin rash"),
    doseUnit: "g",
    route: "topical",
  },
  tramadol: opioid("tramadol", 50, "four-times-daily", "nausea and dizziness"), // 40 MME
  hydrocodonePrn: opioid("hydrocodone", 10, "as-needed", "constipation and drowsiness", 4), // 40 MME
  oxycodone10: opioid("oxycodone", 10, "twice-daily", "constipation"), // 30 MME
  oxycodone20: opioid("oxycodone", 20, "three-times-daily", "constipation and sedation"), // 90 MME
  morphine15: opioid("morphine", 15, "every-6-hours", "constipation and itching"), // 60 MME
  methadone5: opioid("methadone", 5, "three-times-daily", "sweating and constipation"), // 70.5 MME
  fentanylPatch25: opioid("fentanyl-transdermal", 25, "continuous", "drowsiness"), // 60 MME
  buprenorphinePatch10: opioid("buprenorphine-transdermal", 10, "continuous", "patch-site itching"), // no factor
  physicalTherapy: { modality: "PHYSICAL_THERAPY", sessionsPlanned: 12 },
  homeExercise: { modality: "HOME_EXERCISE" },
  cbt: { modality: "PSYCHOLOGICAL_THERAPY", sessionsPlanned: 8 },
} satisfies Record<string, TherapyDefinition>;
type TherapyKey = keyof typeof THERAPIES;

interface Condition {
  /** From COMMON_PAIN_CODES; region and pain type agree with its suggested defaults. */
  codes: readonly string[];
  bodyRegion: BodyRegion;
  painType: PainType;
  disability?: "odi" | "ndi";
  ages: readonly [number, number];
  /** Medication trials in the order a clinician would usually try them. */
  medications: readonly TherapyKey[];
}

const CONDITIONS = {
  lumbarRadiculopathy: {
    codes: ["M54.16", "M54.17", "M51.16", "M51.17"],
    bodyRegion: "LUMBAR",
    painType: "RADICULAR",
    disability: "odi",
    ages: [28, 72],
    medications: ["naproxen", "gabapentin", "duloxetine", "pregabalin", "cyclobenzaprine"],
  },
  lumbarFacet: {
    codes: ["M47.816", "M47.817"],
    bodyRegion: "LUMBAR",
    painType: "AXIAL",
    disability: "odi",
    ages: [45, 82],
    medications: ["naproxen", "cyclobenzaprine", "duloxetine", "meloxicam", "acetaminophen"],
  },
  lowBackPain: {
    codes: ["M54.50", "M54.59"],
    bodyRegion: "LUMBAR",
    painType: "AXIAL",
    disability: "odi",
    ages: [24, 66],
    medications: ["ibuprofen", "cyclobenzaprine", "duloxetine", "acetaminophen"],
  },
  lumbarStenosis: {
    codes: ["M48.062"],
    bodyRegion: "LUMBAR",
    painType: "RADICULAR",
    disability: "odi",
    ages: [60, 86],
    medications: ["acetaminophen", "gabapentin", "meloxicam", "duloxetine"],
  },
  postLaminectomy: {
    codes: ["M96.1"],
    bodyRegion: "LUMBAR",
    painType: "RADICULAR",
    disability: "odi",
    ages: [42, 70],
    medications: ["gabapentin", "duloxetine", "pregabalin", "naproxen"],
  },
  cervicalRadiculopathy: {
    codes: ["M54.12"],
    bodyRegion: "CERVICAL",
    painType: "RADICULAR",
    disability: "ndi",
    ages: [30, 68],
    medications: ["ibuprofen", "gabapentin", "pregabalin", "duloxetine"],
  },
  cervicalAxial: {
    codes: ["M47.812", "M54.2"],
    bodyRegion: "CERVICAL",
    painType: "AXIAL",
    disability: "ndi",
    ages: [35, 78],
    medications: ["naproxen", "tizanidine", "duloxetine", "acetaminophen"],
  },
  kneeOsteoarthritis: {
    codes: ["M17.0", "M17.11", "M17.12"],
    bodyRegion: "KNEE",
    painType: "JOINT",
    ages: [55, 86],
    medications: ["acetaminophen", "diclofenacGel", "naproxen", "duloxetine"],
  },
  sacroiliac: {
    codes: ["M46.1"],
    bodyRegion: "SACROILIAC",
    painType: "JOINT",
    disability: "odi",
    ages: [30, 70],
    medications: ["naproxen", "cyclobenzaprine", "meloxicam", "duloxetine"],
  },
  diabeticNeuropathy: {
    codes: ["E11.42", "E11.40"],
    bodyRegion: "OTHER",
    painType: "NEUROPATHIC",
    ages: [48, 82],
    medications: ["gabapentin", "duloxetine", "pregabalin", "lidocainePatch", "amitriptyline"],
  },
  crps: {
    codes: ["G90.50", "G90.59"],
    bodyRegion: "OTHER",
    painType: "NEUROPATHIC",
    ages: [24, 60],
    medications: ["gabapentin", "amitriptyline", "pregabalin", "duloxetine"],
  },
} as const satisfies Record<string, Condition>;
type ConditionKey = keyof typeof CONDITIONS;

/** How pain moves once a trial has started: the share of the pain left when it has taken full effect. */
type Outcome = "helps" | "partial" | "ineffective" | "side-effects" | "worse";
const PAIN_FACTOR: Record<Outcome, readonly [number, number]> = {
  helps: [0.35, 0.55],
  partial: [0.75, 0.88],
  ineffective: [0.95, 1.05],
  "side-effects": [0.95, 1.05],
  worse: [1.15, 1.25],
};

type Caution =
  | "onAnticoagulant"
  | "onAntiplatelet"
  | "bleedingDisorder"
  | "contrastAllergy"
  | "poorlyControlledDiabetes"
  | "implantedCardiacDevice"
  | "onBenzodiazepine"
  | "latexAllergy"
  | "localAnaestheticAllergy";
type ProcedureHistory = "mbb-pair" | "esi-good" | "esi-brief" | "knee-intra-articular";

/** One imaging study of the case's main diagnosis. */
interface DemoImagingSpec {
  modality: ImagingModality;
  concordance: ImagingConcordance;
  finding: string;
  daysAgo: number;
}

interface CaseSpec {
  condition: ConditionKey;
  /** A second pathway, with one ongoing first-line medication of its own. */
  also?: ConditionKey;
  /** Replaces the first medication of the condition's usual order. */
  firstDrug?: TherapyKey;
  /** Days ago naloxone was offered (CDC 2022 Rec 8). */
  naloxoneOfferedDaysAgo?: number;
  /** The current (last) medication, for the opioid archetype. */
  opioid?: TherapyKey;
  /** Last assessed more than 14 days ago while a therapy is active: on the follow-up list. */
  overdue?: boolean;
  cautions?: Caution[];
  antithrombotics?: AntithromboticDrug[];
  surgicalStatus?: SurgicalStatus;
  redFlags?: RedFlag[];
  radicularSigns?: RadicularSign[];
  imaging?: DemoImagingSpec;
  procedures?: ProcedureHistory;
  psych?: PsychEvaluationStatus;
  lastNote?: string;
  /** Referred from the flag once evaluated, so the demo shows a referral packet. */
  referred?: boolean;
}

interface Archetype {
  key: string;
  description: string;
  /** Pain and PEG fall ≥ 30 % from the first assessment to the last. */
  improving: boolean;
  /** Medication trials in order; the last is ongoing unless the patient is discharged. */
  steps: readonly Outcome[];
  /** Extra ineffective trials tried before `steps`. */
  extraFailures?: readonly [number, number];
  rehab: "helps" | "ineffective" | "none";
  psychologicalTherapy?: boolean;
  discharged?: boolean;
  historyDays: readonly [number, number];
  baselinePain: readonly [number, number];
  /** Pain never reported below this (refractory patients stay ≥ 6). */
  painFloor?: number;
  /** Assessments after the last trial started, so its effect shows. */
  minFollowUps: number;
  cases: ReadonlyArray<ConditionKey | CaseSpec>;
}

export const DEMO_ARCHETYPES: readonly Archetype[] = [
  {
    key: "responder",
    description: "Improves on the first medication with physical therapy, then a home exercise programme",
    improving: true,
    steps: ["helps"],
    rehab: "helps",
    historyDays: [180, 540],
    baselinePain: [6, 8],
    minFollowUps: 4,
    cases: [
      "lumbarRadiculopathy",
      "kneeOsteoarthritis",
      { condition: "lowBackPain", overdue: true },
      "cervicalRadiculopathy",
      "sacroiliac",
      { condition: "lumbarRadiculopathy", also: "kneeOsteoarthritis" },
      { condition: "lumbarFacet", cautions: ["contrastAllergy"] },
      { condition: "diabeticNeuropathy", antithrombotics: ["CLOPIDOGREL"] },
      { condition: "cervicalAxial", overdue: true },
      { condition: "lumbarStenosis", antithrombotics: ["APIXABAN"] },
      "kneeOsteoarthritis",
      "lowBackPain",
    ],
  },
  {
    key: "stepped-care",
    description: "First medication ineffective, the second works",
    improving: true,
    steps: ["ineffective", "helps"],
    rehab: "helps",
    historyDays: [270, 600],
    baselinePain: [6, 8],
    minFollowUps: 4,
    cases: [
      "lumbarRadiculopathy",
      { condition: "kneeOsteoarthritis", overdue: true, also: "lowBackPain" },
      "cervicalRadiculopathy",
      { condition: "diabeticNeuropathy", cautions: ["poorlyControlledDiabetes"] },
    ],
  },
  {
    key: "side-effects",
    description: "First medication stopped for moderate or severe side effects, the next one works",
    improving: true,
    steps: ["side-effects", "helps"],
    rehab: "helps",
    historyDays: [240, 540],
    baselinePain: [6, 8],
    minFollowUps: 4,
    cases: [
      "diabeticNeuropathy",
      {
        condition: "kneeOsteoarthritis",
        firstDrug: "tramadol",
        cautions: ["onAnticoagulant"],
        procedures: "knee-intra-articular",
        imaging: {
          modality: "XRAY",
          concordance: "CONCORDANT",
          finding: "Medial joint-space narrowing and osteophytes (Kellgren-Lawrence grade 3)",
          daysAgo: 300,
        },
      },
      { condition: "lumbarFacet", firstDrug: "hydrocodonePrn", overdue: true },
      { condition: "cervicalRadiculopathy", firstDrug: "duloxetine" },
    ],
  },
  {
    key: "refractory",
    description: "Physical therapy and 1–3 medications stopped as ineffective; pain persists ≥ 6",
    improving: false,
    steps: ["ineffective", "ineffective"],
    extraFailures: [0, 2],
    rehab: "ineffective",
    psychologicalTherapy: true,
    historyDays: [400, 720],
    baselinePain: [7, 9],
    painFloor: 6,
    minFollowUps: 2,
    cases: [
      { condition: "lumbarFacet", surgicalStatus: "NOT_A_CANDIDATE", procedures: "mbb-pair" },
      {
        condition: "lumbarRadiculopathy",
        surgicalStatus: "DECLINED_BY_PATIENT",
        procedures: "esi-good",
        overdue: true,
        cautions: ["contrastAllergy"],
        antithrombotics: ["WARFARIN"],
        radicularSigns: ["PAIN_BELOW_KNEE_OR_ELBOW", "DERMATOMAL_DISTRIBUTION", "POSITIVE_NEURAL_TENSION_SIGN"],
        imaging: {
          modality: "MRI",
          concordance: "CONCORDANT",
          finding: "L5-S1 left paracentral protrusion contacting the traversing S1 root",
          daysAgo: 400,
        },
        referred: true,
      },
      { condition: "crps", psych: "CLEARED", antithrombotics: ["RIVAROXABAN", "ASPIRIN_SECONDARY_PREVENTION"] },
      { condition: "sacroiliac", cautions: ["contrastAllergy", "latexAllergy"] },
      {
        condition: "cervicalRadiculopathy",
        surgicalStatus: "DECLINED_BY_PATIENT",
        cautions: ["poorlyControlledDiabetes"],
      },
      { condition: "kneeOsteoarthritis", surgicalStatus: "NOT_A_CANDIDATE", cautions: ["implantedCardiacDevice"] },
    ],
  },
  {
    key: "opioid",
    description:
      "Non-opioid medications ineffective; partial relief on an opioid (30–90 MME/day, one with no CDC factor)",
    improving: false,
    steps: ["ineffective", "partial"],
    extraFailures: [0, 1],
    rehab: "helps",
    psychologicalTherapy: true,
    historyDays: [360, 720],
    baselinePain: [7, 9],
    minFollowUps: 3,
    cases: [
      { condition: "lumbarRadiculopathy", opioid: "oxycodone10" },
      { condition: "lumbarFacet", opioid: "morphine15", overdue: true },
      {
        condition: "diabeticNeuropathy",
        opioid: "fentanylPatch25",
        cautions: ["poorlyControlledDiabetes", "onAntiplatelet"],
      },
      {
        condition: "postLaminectomy",
        opioid: "oxycodone20",
        surgicalStatus: "NOT_A_CANDIDATE",
        psych: "REFERRED",
        cautions: ["onBenzodiazepine"],
        naloxoneOfferedDaysAgo: 14,
      },
      {
        condition: "kneeOsteoarthritis",
        opioid: "buprenorphinePatch10",
        surgicalStatus: "DECLINED_BY_PATIENT",
        cautions: ["bleedingDisorder"],
      },
      {
        condition: "cervicalRadiculopathy",
        opioid: "methadone5",
        procedures: "esi-brief",
        cautions: ["contrastAllergy"],
      },
    ],
  },
  {
    key: "discharged",
    description: "Improved, every therapy completed, discharged to primary care",
    improving: true,
    steps: ["helps"],
    rehab: "helps",
    discharged: true,
    historyDays: [240, 480],
    baselinePain: [6, 7],
    minFollowUps: 4,
    cases: ["kneeOsteoarthritis", "lowBackPain", "cervicalAxial"],
  },
  {
    key: "red-flag",
    description: "New cauda equina symptoms: routed out of the pathway for urgent evaluation",
    improving: false,
    steps: ["worse"],
    rehab: "none",
    historyDays: [14, 28],
    baselinePain: [6, 7],
    minFollowUps: 1,
    cases: [
      {
        condition: "lumbarRadiculopathy",
        redFlags: ["CAUDA_EQUINA"],
        lastNote: "New saddle numbness and difficulty passing urine: sent for same-day MRI and surgical review.",
      },
    ],
  },
];

const names = (list: string) => list.split(", ");
const GIVEN_NAMES: ReadonlyArray<readonly [string, Sex]> = [
  ...names("Amara, Beatriz, Dagny, Esperanza, Fatima, Greta, Hana, Ingrid, Josephine, Keisha, Leilani, Marisol")
    .concat(names("Noor, Olga, Priyanka, Rosalind, Siobhan, Tamsin, Yetunde, Zofia"))
    .map((name) => [name, "FEMALE"] as const),
  ...names("Abdi, Bartholomew, Cedric, Dmitri, Emeka, Farid, Gustavo, Hiroshi, Ignatius, Jomo, Kwame, Lars")
    .concat(names("Mateo, Nikolai, Orrin, Pavel, Rafael, Tariq, Viktor, Wendell"))
    .map((name) => [name, "MALE"] as const),
  ["Robin", "OTHER"],
  ["Sasha", "UNKNOWN"],
];
const FAMILY_NAMES = names(
  "O'Brien, D'Souza, O'Connell, Abernathy, Achterberg, Adeyemi, Bergström, Castellanos, Delacroix, Esposito, " +
    "Fairweather, Gallagher, Haddad, Ishikawa, Jankowski, Kowalczyk, Lindgren, MacLeod, Mensah, Nakamura, Nwosu, " +
    "Oyelaran, Petrakis, Quispe, Rahman, Sandoval, Takahashi, Underwood, Valdés, Wójcik, Yilmaz, Zhang, Ferreira, " +
    "Halvorsen, Moreau, Osei, Papadopoulos, Tremblay, van der Meer, Whitlock",
);

// ---------------------------------------------------------------------------------------------------
// The plain data the seed inserts

export interface DemoPatient {
  archetype: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: IsoDate;
  sex: Sex;
  status: PatientStatus;
  /** Index into the physicians the seed is given, round-robin. */
  physicianSlot: number;
  cautions: Caution[];
  antithrombotics: AntithromboticDrug[];
  psychEvaluationStatus: PsychEvaluationStatus;
  psychEvaluationDate: IsoDate | null;
  naloxoneOfferedOn: IsoDate | null;
  referred: boolean;
  diagnoses: DemoDiagnosis[];
  therapies: DemoTherapy[];
  assessments: DemoAssessment[];
  procedures: DemoProcedure[];
  imaging: DemoImaging[];
}

export interface DemoImaging extends Omit<DemoImagingSpec, "daysAgo"> {
  diagnosis: number;
  performedOn: IsoDate;
}

export interface DemoDiagnosis {
  icd10Code: string;
  label: string;
  bodyRegion: BodyRegion;
  painType: PainType;
  onsetDate: IsoDate;
  surgicalStatus: SurgicalStatus;
  redFlags: RedFlag[];
  radicularSigns: RadicularSign[];
}

export interface DemoTherapy {
  /** Index into `diagnoses`. */
  diagnosis: number;
  modality: TherapyModality;
  startDate: IsoDate;
  endDate: IsoDate | null;
  status: TherapyStatus;
  stopReason: StopReason | null;
  stopNote: string | null;
  drug: string | null;
  dose: number | null;
  doseUnit: string | null;
  frequency: string | null;
  maxDosesPerDay: number | null;
  route: string | null;
  sessionsPlanned: number | null;
  sessionsAttended: number | null;
}

export interface DemoAssessment {
  assessedOn: IsoDate;
  painNow: number;
  painAverage: number;
  painWorst: number;
  pegPain: number;
  pegEnjoyment: number;
  pegActivity: number;
  pegScore: number;
  odiPercent: number | null;
  ndiPercent: number | null;
  adherence: Adherence | null;
  limitation: Limitation;
  note: string | null;
  /** Per medication trial running at the assessment; `therapy` indexes `therapies`. */
  sideEffects: Array<{ therapy: number; severity: SideEffectSeverity; kinds: SideEffectKind[] }>;
}

/** The side effects each drug class typically causes, for demo reports (not a pharmacology table). */
const DEMO_SIDE_EFFECT_KINDS: Partial<Record<TherapyModality, SideEffectKind[]>> = {
  OPIOID: ["CONSTIPATION", "SEDATION"],
  NEUROPATHIC_AGENT: ["DIZZINESS", "SEDATION"],
  MUSCLE_RELAXANT: ["SEDATION"],
  OTC_ANALGESIC: ["NAUSEA"],
  NSAID: ["OTHER"],
  TOPICAL: ["OTHER"],
};

export interface DemoProcedure {
  diagnosis: number;
  type: ProcedureType;
  region: BodyRegion;
  level: string;
  performedOn: IsoDate;
  scaleName: string;
  painBefore: number;
  painAfter: number;
  reliefPercent: number;
  reliefDurationDays: number | null;
  note: string | null;
}

// ---------------------------------------------------------------------------------------------------
// Generation

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`No item at index ${index}.`);
  return item;
}

/** mulberry32: a tiny seeded PRNG, so the same seed gives the same demo everywhere. */
function createRng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const rng = {
    float: (min: number, max: number) => min + (max - min) * next(),
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability: number) => next() < probability,
    pick: <T>(items: readonly T[]): T => at(items, Math.floor(next() * items.length)),
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [at(copy, j), at(copy, i)];
      }
      return copy;
    },
  };
  return rng;
}
type Rng = ReturnType<typeof createRng>;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const score = (value: number, min = 0) => clamp(Math.round(value), min, 10);

function diagnosisOf(rng: Rng, key: ConditionKey, onsetDate: IsoDate, spec: Partial<CaseSpec> = {}): DemoDiagnosis {
  const condition: Condition = CONDITIONS[key];
  const code = rng.pick(condition.codes);
  const entry = COMMON_PAIN_CODES.find((candidate) => candidate.code === code);
  if (!entry) throw new Error(`Demo code ${code} is not in COMMON_PAIN_CODES.`);
  return {
    icd10Code: code,
    label: entry.label,
    bodyRegion: condition.bodyRegion,
    painType: condition.painType,
    onsetDate,
    surgicalStatus: spec.surgicalStatus ?? "NOT_EVALUATED",
    redFlags: spec.redFlags ?? [],
    radicularSigns: spec.radicularSigns ?? [],
  };
}

function therapyOf(
  key: TherapyKey,
  diagnosis: number,
  startDate: IsoDate,
  end: { date: IsoDate; reason: StopReason; note?: string } | null,
): DemoTherapy {
  const definition: TherapyDefinition = THERAPIES[key];
  return {
    diagnosis,
    modality: definition.modality,
    startDate,
    endDate: end?.date ?? null,
    status: !end ? "ACTIVE" : end.reason === "COMPLETED_COURSE" ? "COMPLETED" : "STOPPED",
    stopReason: end?.reason ?? null,
    stopNote: end?.note ?? null,
    drug: definition.drug ?? null,
    dose: definition.dose ?? null,
    doseUnit: definition.doseUnit ?? null,
    frequency: definition.frequency ?? null,
    maxDosesPerDay: definition.maxDosesPerDay ?? null,
    route: definition.route ?? null,
    sessionsPlanned: definition.sessionsPlanned ?? null,
    sessionsAttended: null,
  };
}

const drugName = (drug: string) => (drug in OPIOIDS ? OPIOIDS[drug as OpioidId].name : drug);

/** The medication trials in order, and the assessment index each one starts at. */
interface TrialPlan {
  outcomes: Outcome[];
  stepStarts: number[];
  /** Assessment days, oldest first. */
  dates: IsoDate[];
}

function planTrials(rng: Rng, today: IsoDate, archetype: Archetype, spec: CaseSpec): TrialPlan {
  const outcomes = [
    ...Array<Outcome>(archetype.extraFailures ? rng.int(...archetype.extraFailures) : 0).fill("ineffective"),
    ...archetype.steps,
  ];
  // Each earlier trial runs for 2–3 assessments; the last one runs to the end.
  const stepStarts = [0];
  for (let k = 1; k < outcomes.length; k++) stepStarts.push(at(stepStarts, k - 1) + rng.int(2, 3));
  const visitsNeeded = at(stepStarts, outcomes.length - 1) + 1 + archetype.minFollowUps;

  // Built backwards from the latest assessment, 2–6 weeks apart, as offsets from today.
  const lastAgo = archetype.discharged ? rng.int(30, 150) : spec.overdue ? rng.int(18, 45) : rng.int(1, 12);
  const historyDays = rng.int(...archetype.historyDays);
  const offsets = [-lastAgo];
  while (offsets.length < visitsNeeded || -at(offsets, 0) - lastAgo < historyDays) {
    offsets.unshift(at(offsets, 0) - rng.int(14, 42));
  }
  return { outcomes, stepStarts, dates: offsets.map((offset) => addDays(today, offset)) };
}

type TrialEnd = { date: IsoDate; reason: StopReason; note?: string } | null;

/** Trials start and stop on assessment days, so every trial has a baseline on its start date. */
function therapiesFor(rng: Rng, archetype: Archetype, spec: CaseSpec, { outcomes, stepStarts, dates }: TrialPlan) {
  const condition: Condition = CONDITIONS[spec.condition];
  const last = dates.length - 1;
  const untilDischarge: TrialEnd = archetype.discharged ? { date: at(dates, last), reason: "COMPLETED_COURSE" } : null;
  const therapies: DemoTherapy[] = [];
  /** Trial index → what the patient reported, for trials stopped for side effects. */
  const sideEffectsOf = new Map<number, string>();

  // Earlier trials failed (ineffective or side effects); the last runs on, or ended at discharge.
  outcomes.forEach((outcome, k) => {
    const final = k === outcomes.length - 1;
    const key = (k === 0 && spec.firstDrug) || (final && spec.opioid) || at(condition.medications, k);
    const { sideEffects: reported = "side effects" }: TherapyDefinition = THERAPIES[key];
    const nextStart = stepStarts[k + 1];
    const end: TrialEnd =
      nextStart === undefined
        ? untilDischarge
        : outcome === "side-effects"
          ? { date: at(dates, nextStart), reason: "SIDE_EFFECTS", note: `Reported ${reported}.` }
          : { date: at(dates, nextStart), reason: "INEFFECTIVE" };
    if (outcome === "side-effects") sideEffectsOf.set(therapies.length, reported);
    therapies.push(therapyOf(key, 0, at(dates, at(stepStarts, k)), end));
  });

  if (archetype.rehab !== "none") {
    // Physical therapy from the first visit for about ten weeks, then a home exercise programme.
    const tenWeeks = dates.findIndex((date) => daysBetween(at(dates, 0), date) >= 70);
    const ptEnd = tenWeeks === -1 ? last : tenWeeks;
    const helped = archetype.rehab === "helps";
    const ptStop: TrialEnd = { date: at(dates, ptEnd), reason: helped ? "COMPLETED_COURSE" : "INEFFECTIVE" };
    therapies.push({
      ...therapyOf("physicalTherapy", 0, at(dates, 0), ptStop),
      sessionsAttended: helped ? rng.int(10, 12) : rng.int(8, 12),
    });
    therapies.push(therapyOf("homeExercise", 0, at(dates, ptEnd), untilDischarge));
  }
  if (archetype.psychologicalTherapy) {
    const start = stepStarts[1] ?? 1;
    const finished = start + 3 < last;
    const end: TrialEnd = finished ? { date: at(dates, start + 3), reason: "COMPLETED_COURSE" } : null;
    therapies.push({
      ...therapyOf("cbt", 0, at(dates, start), end),
      sessionsAttended: finished ? rng.int(6, 8) : rng.int(1, 4),
    });
  }
  if (spec.also) {
    therapies.push(therapyOf(at(CONDITIONS[spec.also].medications, 0), 1, at(dates, 0), untilDischarge));
  }
  return { therapies, sideEffectsOf };
}

/**
 * Pain drifts about half-way at each visit toward the level the trials started so far allow; the PEG
 * items and the disability index follow it. Side effects are recorded for every running medication.
 */
function assessmentsFor(
  rng: Rng,
  archetype: Archetype,
  spec: CaseSpec,
  { outcomes, stepStarts, dates }: TrialPlan,
  { therapies, sideEffectsOf }: ReturnType<typeof therapiesFor>,
): DemoAssessment[] {
  const { disability }: Condition = CONDITIONS[spec.condition];
  const factors = outcomes.map((outcome) => rng.float(...PAIN_FACTOR[outcome]));
  const baseline = rng.int(...archetype.baselinePain) + rng.float(-0.3, 0.3);
  const interference = [rng.float(0.8, 1.1), rng.float(0.85, 1.15)] as const;
  const floor = archetype.painFloor ?? 0;
  let level = baseline;

  return dates.map((assessedOn, i): DemoAssessment => {
    if (i > 0) {
      const target = outcomes.reduce((pain, _, k) => (at(stepStarts, k) < i ? pain * at(factors, k) : pain), baseline);
      level = clamp(level + (target - level) * 0.5 + rng.float(-0.4, 0.4), Math.max(floor, 0.5), 10);
    }
    const items = {
      averagePain: score(level, floor),
      enjoymentOfLife: score(level * interference[0] + rng.float(-0.7, 0.7)),
      generalActivity: score(level * interference[1] + rng.float(-0.7, 0.7)),
    };
    const sideEffects = therapies.flatMap((therapy, t) => {
      const running = therapy.startDate < assessedOn && (therapy.endDate === null || assessedOn <= therapy.endDate);
      if (!running || !isMedicationModality(therapy.modality)) return [];
      const severity: SideEffectSeverity = sideEffectsOf.has(t)
        ? rng.pick(assessedOn === therapy.endDate ? (["MODERATE", "SEVERE"] as const) : (["MILD", "MODERATE"] as const))
        : rng.chance(therapy.modality === "OPIOID" ? 0.35 : 0.12)
          ? "MILD"
          : "NONE";
      const kinds = severity === "NONE" ? [] : (DEMO_SIDE_EFFECT_KINDS[therapy.modality] ?? ["OTHER"]);
      return [{ therapy: t, severity, kinds }];
    });
    const stoppedToday = therapies.findIndex((therapy, t) => sideEffectsOf.has(t) && therapy.endDate === assessedOn);
    const troubled = sideEffects.some((effect) => effect.severity === "MODERATE" || effect.severity === "SEVERE");
    const note =
      stoppedToday !== -1
        ? `${drugName(at(therapies, stoppedToday).drug ?? "")} stopped: ${sideEffectsOf.get(stoppedToday)}.`
        : i === dates.length - 1
          ? (spec.lastNote ?? (archetype.discharged ? "Goals met: discharged to primary care." : null))
          : null;
    return {
      assessedOn,
      painNow: score(items.averagePain + rng.int(-1, 1)),
      painAverage: items.averagePain,
      painWorst: score(items.averagePain + rng.int(1, 2)),
      pegPain: items.averagePain,
      pegEnjoyment: items.enjoymentOfLife,
      pegActivity: items.generalActivity,
      pegScore: pegScore(items),
      odiPercent: disability === "odi" ? clamp(Math.round(level * 6 + rng.int(-4, 4)), 0, 100) : null,
      ndiPercent: disability === "ndi" ? clamp(Math.round(level * 5.5 + rng.int(-4, 4)), 0, 100) : null,
      adherence: i === 0 ? null : troubled || rng.chance(0.12) ? "PARTIAL" : "AS_PRESCRIBED",
      limitation: level >= 7 ? "SEVERE" : level >= 4.5 ? "MODERATE" : level >= 2 ? "MILD" : "NONE",
      note,
      sideEffects,
    };
  });
}

function procedureHistory(
  rng: Rng,
  history: ProcedureHistory,
  today: IsoDate,
  diagnosis: DemoDiagnosis,
): DemoProcedure[] {
  const record = (
    type: ProcedureType,
    level: string,
    offset: number,
    painBefore: number,
    painAfter: number,
    reliefDurationDays: number | null,
    note: string | null,
  ): DemoProcedure => ({
    diagnosis: 0,
    type,
    region: diagnosis.bodyRegion,
    level,
    performedOn: addDays(today, offset),
    scaleName: "NRS 0–10",
    painBefore,
    painAfter,
    reliefPercent: Math.round(((painBefore - painAfter) * 100) / painBefore),
    reliefDurationDays,
    note,
  });
  const cervical = diagnosis.bodyRegion === "CERVICAL";
  const esiLevel = cervical ? "C6–C7 interlaminar" : "L5–S1 transforaminal, left";
  switch (history) {
    case "mbb-pair": {
      // Two diagnostic blocks, the second 2–4 weeks after the first, both ≥ 80 % relief (facet LCD, §2).
      const first = -rng.int(50, 80);
      const note = "Bupivacaine 0.5 %; relief lasted about 6 hours, as expected for the anaesthetic.";
      return [
        record("MEDIAL_BRANCH_BLOCK", "L4–L5 and L5–S1, right", first, rng.int(7, 8), 1, null, note),
        record("MEDIAL_BRANCH_BLOCK", "L4–L5 and L5–S1, right", first + rng.int(14, 28), rng.int(7, 8), 1, null, note),
      ];
    }
    case "esi-good":
      return [record("EPIDURAL_STEROID_INJECTION", esiLevel, -rng.int(200, 320), 8, 3, rng.int(90, 120), null)];
    case "esi-brief":
      return [record("EPIDURAL_STEROID_INJECTION", esiLevel, -rng.int(200, 320), 7, 5, 21, "Short-lived benefit.")];
    case "knee-intra-articular":
      return [
        record(
          "INTRA_ARTICULAR_INJECTION",
          "Right knee",
          -rng.int(150, 250),
          7,
          6,
          21,
          "Triamcinolone 40 mg; brief benefit.",
        ),
      ];
  }
}

function pathwayOf(rng: Rng, today: IsoDate, archetype: Archetype, spec: CaseSpec) {
  const plan = planTrials(rng, today, archetype, spec);
  const firstVisit = at(plan.dates, 0);
  const diagnoses = [diagnosisOf(rng, spec.condition, addDays(firstVisit, -rng.int(60, 900)), spec)];
  if (spec.also) diagnoses.push(diagnosisOf(rng, spec.also, addDays(firstVisit, -rng.int(200, 1500))));
  const trials = therapiesFor(rng, archetype, spec, plan);
  return {
    diagnoses,
    therapies: trials.therapies,
    assessments: assessmentsFor(rng, archetype, spec, plan, trials),
    procedures: spec.procedures ? procedureHistory(rng, spec.procedures, today, at(diagnoses, 0)) : [],
    imaging: spec.imaging
      ? [
          {
            diagnosis: 0,
            modality: spec.imaging.modality,
            concordance: spec.imaging.concordance,
            finding: spec.imaging.finding,
            performedOn: addDays(today, -spec.imaging.daysAgo),
          },
        ]
      : [],
  };
}

/** Pure: the same inputs give the same patients, field for field. */
export function buildDemoPathways({ today, seed = DEMO_SEED }: { today: IsoDate; seed?: number }): DemoPatient[] {
  const rng = createRng(seed);
  // Interleaved, so the patient list does not read archetype by archetype.
  const cases = rng.shuffle(
    DEMO_ARCHETYPES.flatMap((archetype) =>
      archetype.cases.map((spec) => ({ archetype, spec: typeof spec === "string" ? { condition: spec } : spec })),
    ),
  );
  const givenNames = rng.shuffle(GIVEN_NAMES);
  const familyNames = rng.shuffle(FAMILY_NAMES);
  return cases.map(({ archetype, spec }, index): DemoPatient => {
    const [givenName, sex] = at(givenNames, index % givenNames.length);
    const condition: Condition = CONDITIONS[spec.condition];
    const age = rng.int(...condition.ages);
    const psych = spec.psych ?? "NOT_DONE";
    return {
      archetype: archetype.key,
      mrn: `${DEMO_MRN_PREFIX}${String(index + 1).padStart(4, "0")}`,
      givenName,
      familyName: at(familyNames, index % familyNames.length),
      birthDate: addDays(today, -(age * 365 + rng.int(0, 364))),
      sex,
      status: archetype.discharged ? "DISCHARGED" : "ACTIVE",
      physicianSlot: index % 3,
      cautions: spec.cautions ?? [],
      antithrombotics: spec.antithrombotics ?? [],
      psychEvaluationStatus: psych,
      psychEvaluationDate: psych === "NOT_DONE" ? null : addDays(today, -rng.int(30, 120)),
      naloxoneOfferedOn:
        spec.naloxoneOfferedDaysAgo === undefined ? null : addDays(today, -spec.naloxoneOfferedDaysAgo),
      referred: spec.referred ?? false,
      ...pathwayOf(rng, today, archetype, spec),
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// Insertion

export interface SeedDemoPathwaysOptions {
  today: IsoDate;
  /** Patients are shared among these, round-robin. */
  physicianIds: string[];
  /** Author of the patients, diagnoses, therapies and procedures. */
  createdById: string;
  /** The nurse who recorded the assessments. */
  nurseId: string;
}

/** Idempotent: inserts nothing when any demo patient exists. One transaction per patient. */
export async function seedDemoPathways(db: Db, options: SeedDemoPathwaysOptions): Promise<{ created: number }> {
  if (options.physicianIds.length === 0) throw new Error("Demo pathways need at least one physician.");
  const existing = await db.patient.count({ where: { mrn: { startsWith: DEMO_MRN_PREFIX } } });
  if (existing > 0) return { created: 0 };
  const patients = buildDemoPathways({ today: options.today });
  for (const patient of patients) {
    await db.$transaction((tx) => insertPatient(tx, patient, options));
  }
  return { created: patients.length };
}

/**
 * Refers each demo patient marked `referred` for the first procedure its current evaluation
 * suggests, as the physician would from the flag. Run after the evaluation.
 */
export async function referDemoPatients(db: Db, physicianId: string, today: IsoDate) {
  const mrns = buildDemoPathways({ today })
    .filter((patient) => patient.referred)
    .map((patient) => patient.mrn);
  for (const { id: patientId } of await db.patient.findMany({ where: { mrn: { in: mrns } }, select: { id: true } })) {
    const flag = await db.flag.findFirstOrThrow({ where: { patientId, status: "OPEN" } });
    const procedure = (await loadCurrentEvaluation(patientId, flag.diagnosisId))?.suggestions[0]?.procedure;
    if (!procedure) throw new Error(`Demo patient ${patientId} was expected to have a suggested procedure.`);
    await createReferral(
      {
        diagnosisId: flag.diagnosisId,
        flagId: flag.id,
        procedure,
        receivingClinic: "Riverside Interventional Pain Clinic",
        urgency: "ROUTINE",
        reason: "Radicular pain persists despite conservative care; an earlier ESI gave good relief.",
        conservativeCareContinues: true,
      },
      {
        patientId,
        actor: { id: physicianId, role: "PHYSICIAN" },
        context: { requestId: randomUUID(), clientAddress: "demo-seed", cspNonce: "", state: {} },
      },
    );
  }
}

async function insertPatient(tx: Tx, patient: DemoPatient, options: SeedDemoPathwaysOptions) {
  const { createdById } = options;
  const patientId = randomUUID();
  const diagnosisIds = patient.diagnoses.map(() => randomUUID());
  const therapyIds = patient.therapies.map(() => randomUUID());
  const assessmentIds = patient.assessments.map(() => randomUUID());
  const dateOrNull = (date: IsoDate | null) => (date ? fromIsoDate(date) : null);

  await tx.patient.create({
    data: {
      id: patientId,
      mrn: patient.mrn,
      givenName: patient.givenName,
      familyName: patient.familyName,
      birthDate: fromIsoDate(patient.birthDate),
      sex: patient.sex,
      status: patient.status,
      assignedPhysicianId: at(options.physicianIds, patient.physicianSlot % options.physicianIds.length),
      ...Object.fromEntries(patient.cautions.map((caution) => [caution, true])),
      antithrombotics: patient.antithrombotics,
      psychEvaluationStatus: patient.psychEvaluationStatus,
      psychEvaluationDate: dateOrNull(patient.psychEvaluationDate),
      naloxoneOfferedOn: dateOrNull(patient.naloxoneOfferedOn),
      createdById,
    },
  });
  await tx.painDiagnosis.createMany({
    data: patient.diagnoses.map((diagnosis, i) => ({
      ...diagnosis,
      id: at(diagnosisIds, i),
      patientId,
      onsetDate: fromIsoDate(diagnosis.onsetDate),
      createdById,
    })),
  });
  await tx.therapyTrial.createMany({
    data: patient.therapies.map(({ diagnosis, ...therapy }, i) => ({
      ...therapy,
      id: at(therapyIds, i),
      patientId,
      diagnosisId: at(diagnosisIds, diagnosis),
      startDate: fromIsoDate(therapy.startDate),
      endDate: dateOrNull(therapy.endDate),
      createdById,
    })),
  });
  await tx.outcomeAssessment.createMany({
    data: patient.assessments.map(({ sideEffects: _, ...assessment }, i) => ({
      ...assessment,
      id: at(assessmentIds, i),
      patientId,
      assessedOn: fromIsoDate(assessment.assessedOn),
      recordedById: options.nurseId,
    })),
  });
  await tx.assessmentSideEffect.createMany({
    data: patient.assessments.flatMap((assessment, i) =>
      assessment.sideEffects.map(({ therapy, severity, kinds }) => ({
        assessmentId: at(assessmentIds, i),
        therapyTrialId: at(therapyIds, therapy),
        severity,
        kinds,
      })),
    ),
  });
  await tx.procedureRecord.createMany({
    data: patient.procedures.map(({ diagnosis, ...procedure }) => ({
      ...procedure,
      patientId,
      diagnosisId: at(diagnosisIds, diagnosis),
      performedOn: fromIsoDate(procedure.performedOn),
      createdById,
    })),
  });
  await tx.imagingStudy.createMany({
    data: patient.imaging.map(({ diagnosis, ...study }) => ({
      ...study,
      patientId,
      diagnosisId: at(diagnosisIds, diagnosis),
      performedOn: fromIsoDate(study.performedOn),
      createdById,
    })),
  });
  await refreshPathwaySummary(tx, patientId);
}
