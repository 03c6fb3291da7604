/**
 * The demo: a curated preset of the one simulation (tools/dataset). About forty named patients,
 * each a story whose clinically decisive facts are fixed here (diagnoses, the trials tried and what
 * each did, procedures, imaging, cautions), so the referral engine's answer for each is known and
 * tested (`promise`). PatientSimulation renders the visits, assessments, side effects and rows, with
 * the dataset's seeded random generator; every date is an offset from `today`.
 */
import { addDays, type IsoDate } from "~/domain/clinical/duration";
import { OPIOIDS, type OpioidId } from "~/domain/clinical/mme";
import { COMMON_PAIN_CODES, type MedicationFrequency, type MedicationRoute } from "~/domain/pathway-vocabulary";
import type {
  AntithromboticDrug,
  BodyRegion,
  FlagStatus,
  ImagingConcordance,
  ImagingModality,
  PainType,
  ProcedureType,
  PsychEvaluationStatus,
  RadicularSign,
  RedFlag,
  Sex,
  SurgicalStatus,
  TherapyModality,
} from "~/generated/prisma/enums";
import { dayOf, isoDay, weekday } from "../dataset/calendar";
import { Random } from "../dataset/random";
import type { PatientStory, StoryImaging, StoryProcedure, StoryTherapy, TrialOutcome } from "../dataset/story";

export const DEMO_MRN_PREFIX = "DEMO-";
export const DEMO_SEED = 20_240_917;

/** The flag moves a story's physician makes, as flag-work.ts plans them for the data set. */
export type DemoFlagWork =
  { action: "acknowledge" | "snooze" | "dismiss" } | { action: "refer"; then: "schedule" | "cancel" | null };

/** What the engine and the physician leave on the story's main diagnosis. */
export interface DemoPromise {
  flag: FlagStatus | null;
  urgent?: boolean;
  /** The first procedure the engine suggests, where the story is about one. */
  suggests?: ProcedureType;
}

// ---------------------------------------------------------------------------------------------------
// Therapies, conditions and archetypes

interface TherapyDefinition {
  modality: TherapyModality;
  drug?: string;
  dose?: number;
  doseUnit?: string;
  frequency?: MedicationFrequency;
  maxDosesPerDay?: number;
  route?: MedicationRoute;
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
  ages: readonly [number, number];
  /** Medication trials in the order a clinician would usually try them. */
  medications: readonly TherapyKey[];
}

// prettier-ignore
const CONDITIONS = {
  lumbarRadiculopathy: { codes: ["M54.16", "M54.17", "M51.16", "M51.17"], bodyRegion: "LUMBAR", painType: "RADICULAR", ages: [28, 72], medications: ["naproxen", "gabapentin", "duloxetine", "pregabalin", "cyclobenzaprine"] },
  lumbarFacet: { codes: ["M47.816", "M47.817"], bodyRegion: "LUMBAR", painType: "AXIAL", ages: [45, 82], medications: ["naproxen", "cyclobenzaprine", "duloxetine", "meloxicam", "acetaminophen"] },
  lowBackPain: { codes: ["M54.50", "M54.59"], bodyRegion: "LUMBAR", painType: "AXIAL", ages: [24, 66], medications: ["ibuprofen", "cyclobenzaprine", "duloxetine", "acetaminophen"] },
  lumbarStenosis: { codes: ["M48.062"], bodyRegion: "LUMBAR", painType: "RADICULAR", ages: [60, 86], medications: ["acetaminophen", "gabapentin", "meloxicam", "duloxetine"] },
  postLaminectomy: { codes: ["M96.1"], bodyRegion: "LUMBAR", painType: "RADICULAR", ages: [42, 70], medications: ["gabapentin", "duloxetine", "pregabalin", "naproxen"] },
  cervicalRadiculopathy: { codes: ["M54.12"], bodyRegion: "CERVICAL", painType: "RADICULAR", ages: [30, 68], medications: ["ibuprofen", "gabapentin", "pregabalin", "duloxetine"] },
  cervicalAxial: { codes: ["M47.812", "M54.2"], bodyRegion: "CERVICAL", painType: "AXIAL", ages: [35, 78], medications: ["naproxen", "tizanidine", "duloxetine", "acetaminophen"] },
  kneeOsteoarthritis: { codes: ["M17.0", "M17.11", "M17.12"], bodyRegion: "KNEE", painType: "JOINT", ages: [55, 86], medications: ["acetaminophen", "diclofenacGel", "naproxen", "duloxetine"] },
  sacroiliac: { codes: ["M46.1"], bodyRegion: "SACROILIAC", painType: "JOINT", ages: [30, 70], medications: ["naproxen", "cyclobenzaprine", "meloxicam", "duloxetine"] },
  diabeticNeuropathy: { codes: ["E11.42", "E11.40"], bodyRegion: "OTHER", painType: "NEUROPATHIC", ages: [48, 82], medications: ["gabapentin", "duloxetine", "pregabalin", "lidocainePatch", "amitriptyline"] },
  crps: { codes: ["G90.50", "G90.59"], bodyRegion: "OTHER", painType: "NEUROPATHIC", ages: [24, 60], medications: ["gabapentin", "amitriptyline", "pregabalin", "duloxetine"] },
} as const satisfies Record<string, Condition>;
type ConditionKey = keyof typeof CONDITIONS;

type Outcome = TrialOutcome;

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
  /** The first procedure the engine suggests for this story. */
  suggests?: ProcedureType;
  /** What the physician did with the flag the engine raised (the flag functions the pages use). */
  flagWork?: DemoFlagWork;
  /** Referrals of the past year, made at a visit this many days ago. */
  pastReferrals?: ReadonlyArray<{ daysAgo: number; status: "COMPLETED" | "CANCELLED"; reliefPercent?: number }>;
}

/** How the story's care goes. */
interface Course {
  /** Pain and PEG fall ≥ 30 % from the first assessment to the last. */
  improving: boolean;
  /** Medication trials in order; the last is ongoing unless the patient is discharged. */
  steps: readonly Outcome[];
  /** Extra ineffective trials tried before `steps`. */
  extraFailures?: readonly [number, number];
  rehab: "helps" | "ineffective" | "none";
  /** Psychological therapy (CBT) alongside the medication trials. */
  cbt?: boolean;
  discharged?: boolean;
}

/** How long the story runs and how much it hurts. */
interface Timing {
  historyDays: readonly [number, number];
  baselinePain: readonly [number, number];
  /** Pain never reported below this (refractory patients stay ≥ 6, partial relief on an opioid ≥ 5). */
  painFloor?: number;
  /** Assessments after the last trial started, so its effect shows. */
  minFollowUps: number;
}

interface Archetype {
  key: string;
  description: string;
  course: Course;
  timing: Timing;
  cases: ReadonlyArray<ConditionKey | CaseSpec>;
}

export const DEMO_ARCHETYPES: readonly Archetype[] = [
  {
    key: "responder",
    description: "Improves on the first medication with physical therapy, then a home exercise programme",
    course: { improving: true, steps: ["helps"], rehab: "helps" },
    timing: { historyDays: [180, 540], baselinePain: [6, 8], minFollowUps: 4 },
    cases: [
      { condition: "lumbarRadiculopathy", pastReferrals: [{ daysAgo: 200, status: "COMPLETED", reliefPercent: 60 }] },
      "kneeOsteoarthritis",
      { condition: "lowBackPain", overdue: true },
      { condition: "cervicalRadiculopathy", pastReferrals: [{ daysAgo: 150, status: "CANCELLED" }] },
      { condition: "sacroiliac", pastReferrals: [{ daysAgo: 120, status: "COMPLETED", reliefPercent: 70 }] },
      { condition: "lumbarRadiculopathy", also: "kneeOsteoarthritis" },
      { condition: "lumbarFacet", cautions: ["contrastAllergy"] },
      { condition: "diabeticNeuropathy", antithrombotics: ["CLOPIDOGREL"] },
      { condition: "cervicalAxial", overdue: true },
      { condition: "lumbarStenosis", antithrombotics: ["APIXABAN"] },
      { condition: "kneeOsteoarthritis", pastReferrals: [{ daysAgo: 90, status: "CANCELLED" }] },
      "lowBackPain",
    ],
  },
  {
    key: "stepped-care",
    description: "First medication ineffective, the second works",
    course: { improving: true, steps: ["ineffective", "helps"], rehab: "helps" },
    timing: { historyDays: [270, 600], baselinePain: [6, 8], minFollowUps: 4 },
    cases: [
      { condition: "lumbarRadiculopathy", pastReferrals: [{ daysAgo: 300, status: "COMPLETED", reliefPercent: 40 }] },
      { condition: "kneeOsteoarthritis", overdue: true, also: "lowBackPain" },
      "cervicalRadiculopathy",
      { condition: "diabeticNeuropathy", cautions: ["poorlyControlledDiabetes"] },
    ],
  },
  {
    key: "side-effects",
    description: "First medication stopped for moderate or severe side effects, the next one works",
    course: { improving: true, steps: ["side-effects", "helps"], rehab: "helps" },
    timing: { historyDays: [240, 540], baselinePain: [6, 8], minFollowUps: 4 },
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
    course: {
      improving: false,
      steps: ["ineffective", "ineffective"],
      extraFailures: [0, 2],
      rehab: "ineffective",
      cbt: true,
    },
    timing: { historyDays: [400, 720], baselinePain: [7, 9], painFloor: 6, minFollowUps: 2 },
    cases: [
      {
        condition: "lumbarFacet",
        surgicalStatus: "NOT_A_CANDIDATE",
        procedures: "mbb-pair",
        suggests: "RADIOFREQUENCY_ABLATION",
      },
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
        flagWork: { action: "refer", then: null },
        suggests: "EPIDURAL_STEROID_INJECTION",
      },
      {
        condition: "crps",
        psych: "CLEARED",
        antithrombotics: ["RIVAROXABAN", "ASPIRIN_SECONDARY_PREVENTION"],
        suggests: "SPINAL_CORD_STIMULATOR_TRIAL",
      },
      { condition: "sacroiliac", cautions: ["contrastAllergy", "latexAllergy"] },
      {
        condition: "cervicalRadiculopathy",
        surgicalStatus: "DECLINED_BY_PATIENT",
        cautions: ["poorlyControlledDiabetes"],
        flagWork: { action: "refer", then: "schedule" },
        suggests: "EPIDURAL_STEROID_INJECTION",
      },
      {
        condition: "kneeOsteoarthritis",
        surgicalStatus: "NOT_A_CANDIDATE",
        cautions: ["implantedCardiacDevice"],
        suggests: "GENICULAR_NERVE_BLOCK",
      },
    ],
  },
  {
    key: "opioid",
    description:
      "Non-opioid medications ineffective; partial relief on an opioid (30–90 MME/day, one with no CDC factor)",
    course: { improving: false, steps: ["ineffective", "partial"], extraFailures: [0, 1], rehab: "helps", cbt: true },
    timing: { historyDays: [360, 720], baselinePain: [7, 9], painFloor: 5, minFollowUps: 3 },
    cases: [
      { condition: "lumbarRadiculopathy", opioid: "oxycodone10", suggests: "EPIDURAL_STEROID_INJECTION" },
      {
        condition: "lumbarFacet",
        opioid: "morphine15",
        overdue: true,
        flagWork: { action: "acknowledge" },
        suggests: "MEDIAL_BRANCH_BLOCK",
      },
      {
        condition: "diabeticNeuropathy",
        opioid: "fentanylPatch25",
        cautions: ["poorlyControlledDiabetes", "onAntiplatelet"],
        flagWork: { action: "snooze" },
      },
      {
        condition: "postLaminectomy",
        opioid: "oxycodone20",
        surgicalStatus: "NOT_A_CANDIDATE",
        psych: "REFERRED",
        cautions: ["onBenzodiazepine"],
        naloxoneOfferedDaysAgo: 14,
        suggests: "EPIDURAL_STEROID_INJECTION",
      },
      {
        condition: "kneeOsteoarthritis",
        opioid: "buprenorphinePatch10",
        surgicalStatus: "DECLINED_BY_PATIENT",
        cautions: ["bleedingDisorder"],
        flagWork: { action: "dismiss" },
      },
      {
        condition: "cervicalRadiculopathy",
        opioid: "methadone5",
        procedures: "esi-brief",
        cautions: ["contrastAllergy"],
        suggests: "EPIDURAL_STEROID_INJECTION",
      },
    ],
  },
  {
    key: "discharged",
    description: "Improved, every therapy completed, discharged to primary care",
    course: { improving: true, steps: ["helps"], rehab: "helps", discharged: true },
    timing: { historyDays: [240, 480], baselinePain: [6, 7], minFollowUps: 4 },
    cases: ["kneeOsteoarthritis", "lowBackPain", "cervicalAxial"],
  },
  {
    key: "red-flag",
    description: "New cauda equina symptoms: routed out of the pathway for urgent evaluation",
    course: { improving: false, steps: ["worse"], rehab: "none" },
    timing: { historyDays: [14, 28], baselinePain: [6, 7], minFollowUps: 1 },
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
// From the cases to stories

export interface DemoStory {
  archetype: string;
  /** Pain and PEG fall ≥ 30 % from the first assessment to the last. */
  improving: boolean;
  story: PatientStory;
  flagWork: DemoFlagWork | null;
  promise: DemoPromise;
}

/** Where a past referral of each region went. */
const PAST_REFERRAL: Partial<Record<BodyRegion, { procedure: ProcedureType; level: string }>> = {
  LUMBAR: { procedure: "EPIDURAL_STEROID_INJECTION", level: "L5-S1" },
  CERVICAL: { procedure: "EPIDURAL_STEROID_INJECTION", level: "C6-C7" },
  SACROILIAC: { procedure: "SACROILIAC_JOINT_INJECTION", level: "Right SI joint" },
  KNEE: { procedure: "GENICULAR_NERVE_BLOCK", level: "Right knee" },
};

const AFTER_WORK: Record<DemoFlagWork["action"], FlagStatus> = {
  acknowledge: "ACKNOWLEDGED",
  snooze: "SNOOZED",
  dismiss: "DISMISSED",
  refer: "REFERRED",
};

/** Pure: the same today and seed give the same stories, field for field. */
export function buildDemoStories({ today, seed = DEMO_SEED }: { today: IsoDate; seed?: number }): DemoStory[] {
  const random = new Random(seed);
  // Interleaved, so the patient list does not read archetype by archetype.
  const cases = random.shuffle(
    DEMO_ARCHETYPES.flatMap((archetype) =>
      archetype.cases.map((spec) => ({ archetype, spec: typeof spec === "string" ? { condition: spec } : spec })),
    ),
  );
  const givenNames = random.shuffle(GIVEN_NAMES);
  const familyNames = random.shuffle(FAMILY_NAMES);
  return cases.map(({ archetype, spec }, index): DemoStory => {
    const [givenName, sex] = at(givenNames, index % givenNames.length);
    const condition: Condition = CONDITIONS[spec.condition];
    const plan = planVisits(random, today, archetype, spec);
    const firstVisit = at(plan.dates, 0);
    const diagnoses = [diagnosisOf(random, spec.condition, addDays(firstVisit, -random.int(60, 900)), spec)];
    if (spec.also) diagnoses.push(diagnosisOf(random, spec.also, addDays(firstVisit, -random.int(200, 1500))));
    const psych = spec.psych ?? "NOT_DONE";
    const main = at(diagnoses, 0);
    const story: PatientStory = {
      mrn: `${DEMO_MRN_PREFIX}${String(index + 1).padStart(4, "0")}`,
      givenName,
      familyName: at(familyNames, index % familyNames.length),
      sex,
      ageYears: random.int(...condition.ages),
      status: archetype.course.discharged ? "DISCHARGED" : "ACTIVE",
      physician: index % 3,
      patient: {
        ...Object.fromEntries((spec.cautions ?? []).map((caution) => [caution, true])),
        antithrombotics: spec.antithrombotics ?? [],
        psychEvaluationStatus: psych,
        psychEvaluationDate: psych === "NOT_DONE" ? null : addDays(today, -random.int(30, 120)),
        naloxoneOfferedOn:
          spec.naloxoneOfferedDaysAgo === undefined ? null : addDays(today, -spec.naloxoneOfferedDaysAgo),
      },
      diagnoses,
      visits: plan.dates,
      baselinePain: random.int(...archetype.timing.baselinePain) + random.between(-0.3, 0.3),
      painFloor: archetype.timing.painFloor,
      therapies: therapiesFor(archetype, spec, plan),
      procedures: spec.procedures ? procedureHistory(random, spec.procedures, today, main.bodyRegion) : [],
      imaging: spec.imaging ? [imagingOf(spec.imaging, today)] : [],
      referrals: (spec.pastReferrals ?? []).map((referral) => {
        const target = addDays(today, -referral.daysAgo);
        const where = PAST_REFERRAL[main.bodyRegion] ?? { procedure: "PERIPHERAL_NERVE_BLOCK", level: null };
        return {
          ...referral,
          ...where,
          diagnosis: 0,
          visit: Math.max(
            0,
            plan.dates.findIndex((date) => date >= target),
          ),
          daysToProcedure: 21,
          reliefPercent: referral.reliefPercent ?? 0,
        };
      }),
      lastNote: spec.lastNote ?? (archetype.course.discharged ? "Goals met: discharged to primary care." : undefined),
    };
    const flagged = archetype.key === "refractory" || archetype.key === "opioid" || archetype.key === "red-flag";
    return {
      archetype: archetype.key,
      improving: archetype.course.improving,
      story,
      flagWork: spec.flagWork ?? null,
      promise: flagged
        ? {
            flag: spec.flagWork ? AFTER_WORK[spec.flagWork.action] : "OPEN",
            urgent: archetype.key === "red-flag",
            suggests: spec.suggests,
          }
        : { flag: null },
    };
  });
}

function imagingOf({ daysAgo, ...study }: DemoImagingSpec, today: IsoDate): StoryImaging {
  return { ...study, diagnosis: 0, performedOn: addDays(today, -daysAgo) };
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`No item at index ${index}.`);
  return item;
}

/** The clinic sees patients Monday to Friday: a weekend day moves back to the Friday. */
function weekdayOnOrBefore(date: IsoDate): IsoDate {
  const day = dayOf(date);
  const dow = weekday(day);
  return isoDay(dow === 6 ? day - 1 : dow === 0 ? day - 2 : day);
}

function diagnosisOf(random: Random, key: ConditionKey, onsetDate: IsoDate, spec: Partial<CaseSpec> = {}) {
  const condition: Condition = CONDITIONS[key];
  const code = random.pick(condition.codes);
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
  } satisfies PatientStory["diagnoses"][number];
}

/** The medication trials in order, the visit each one starts at, and the visit days. */
interface VisitPlan {
  outcomes: Outcome[];
  stepStarts: number[];
  /** Visit days, oldest first. */
  dates: IsoDate[];
}

function planVisits(random: Random, today: IsoDate, archetype: Archetype, spec: CaseSpec): VisitPlan {
  const outcomes = [
    ...Array<Outcome>(archetype.course.extraFailures ? random.int(...archetype.course.extraFailures) : 0).fill(
      "ineffective",
    ),
    ...archetype.course.steps,
  ];
  // Each earlier trial runs for 2–3 visits; the last one runs to the end.
  const stepStarts = [0];
  for (let k = 1; k < outcomes.length; k++) stepStarts.push(at(stepStarts, k - 1) + random.int(2, 3));
  const visitsNeeded = at(stepStarts, outcomes.length - 1) + 1 + archetype.timing.minFollowUps;
  // Built backwards from the latest visit, 3–7 weeks apart.
  const lastAgo = archetype.course.discharged
    ? random.int(30, 150)
    : spec.overdue
      ? random.int(18, 45)
      : random.int(1, 12);
  const historyDays = random.int(...archetype.timing.historyDays);
  const offsets = [-lastAgo];
  while (offsets.length < visitsNeeded || -at(offsets, 0) - lastAgo < historyDays) {
    offsets.unshift(at(offsets, 0) - random.int(21, 49));
  }
  return { outcomes, stepStarts, dates: offsets.map((offset) => weekdayOnOrBefore(addDays(today, offset))) };
}

function therapyOf(
  key: TherapyKey,
  diagnosis: number,
  startVisit: number,
  end: StoryTherapy["end"],
  outcome: Outcome,
): StoryTherapy {
  const definition: TherapyDefinition = THERAPIES[key];
  const { modality, drug, dose, doseUnit, frequency, route } = definition;
  return {
    diagnosis,
    modality,
    prescription:
      drug && dose && doseUnit && frequency && route
        ? { drug, dose, doseUnit, frequency, maxDosesPerDay: definition.maxDosesPerDay ?? null, route }
        : null,
    sessionsPlanned: definition.sessionsPlanned ?? null,
    startVisit,
    end,
    outcome,
  };
}

/** Trials start and stop at visits, so every trial has a baseline on its start date. */
function therapiesFor(archetype: Archetype, spec: CaseSpec, { outcomes, stepStarts, dates }: VisitPlan) {
  const condition: Condition = CONDITIONS[spec.condition];
  const last = dates.length - 1;
  const untilDischarge: StoryTherapy["end"] = archetype.course.discharged
    ? { visit: last, reason: "COMPLETED_COURSE" }
    : null;
  const therapies: StoryTherapy[] = [];
  // Earlier trials failed (ineffective or side effects); the last runs on, or ended at discharge.
  outcomes.forEach((outcome, k) => {
    const final = k === outcomes.length - 1;
    const key = (k === 0 && spec.firstDrug) || (final && spec.opioid) || at(condition.medications, k);
    const { sideEffects: reported = "side effects" }: TherapyDefinition = THERAPIES[key];
    const next = stepStarts[k + 1];
    const end: StoryTherapy["end"] =
      next === undefined
        ? untilDischarge
        : outcome === "side-effects"
          ? { visit: next, reason: "SIDE_EFFECTS", note: `Reported ${reported}.` }
          : { visit: next, reason: "INEFFECTIVE" };
    therapies.push(therapyOf(key, 0, at(stepStarts, k), end, outcome));
  });
  if (archetype.course.rehab !== "none") {
    // Physical therapy from the first visit for about ten weeks, then a home exercise programme.
    const tenWeeks = dates.findIndex((date) => dayOf(date) - dayOf(at(dates, 0)) >= 70);
    const ptEnd = tenWeeks === -1 ? last : tenWeeks;
    const reason = archetype.course.rehab === "helps" ? "COMPLETED_COURSE" : "INEFFECTIVE";
    therapies.push(
      therapyOf(
        "physicalTherapy",
        0,
        0,
        { visit: ptEnd, reason },
        archetype.course.improving ? "helps" : "ineffective",
      ),
      therapyOf("homeExercise", 0, ptEnd, untilDischarge, archetype.course.improving ? "partial" : "ineffective"),
    );
  }
  if (archetype.course.cbt) {
    const start = stepStarts[1] ?? 1;
    const end: StoryTherapy["end"] = start + 3 < last ? { visit: start + 3, reason: "COMPLETED_COURSE" } : null;
    therapies.push(therapyOf("cbt", 0, start, end, "ineffective"));
  }
  if (spec.also) therapies.push(therapyOf(at(CONDITIONS[spec.also].medications, 0), 1, 0, untilDischarge, "partial"));
  return therapies;
}

function procedureHistory(random: Random, history: ProcedureHistory, today: IsoDate, region: BodyRegion) {
  const record = (
    type: ProcedureType,
    level: string,
    daysAgo: number,
    painBefore: number,
    painAfter: number,
    reliefDurationDays: number | null,
    note: string | null,
  ): StoryProcedure => ({
    diagnosis: 0,
    type,
    level,
    performedOn: addDays(today, -daysAgo),
    painBefore,
    painAfter,
    reliefDurationDays,
    note,
  });
  const esiLevel = region === "CERVICAL" ? "C6–C7 interlaminar" : "L5–S1 transforaminal, left";
  switch (history) {
    case "mbb-pair": {
      // Two diagnostic blocks, the second 2–4 weeks after the first, both ≥ 80 % relief (CMS LCD L38801).
      const first = random.int(50, 80);
      const note = "Bupivacaine 0.5 %; relief lasted about 6 hours, as expected for the anaesthetic.";
      return [
        record("MEDIAL_BRANCH_BLOCK", "L4–L5 and L5–S1, right", first, random.int(7, 8), 1, null, note),
        record(
          "MEDIAL_BRANCH_BLOCK",
          "L4–L5 and L5–S1, right",
          first - random.int(14, 28),
          random.int(7, 8),
          1,
          null,
          note,
        ),
      ];
    }
    case "esi-good":
      return [record("EPIDURAL_STEROID_INJECTION", esiLevel, random.int(200, 320), 8, 3, random.int(90, 120), null)];
    case "esi-brief":
      return [record("EPIDURAL_STEROID_INJECTION", esiLevel, random.int(200, 320), 7, 5, 21, "Short-lived benefit.")];
    case "knee-intra-articular":
      return [
        record(
          "INTRA_ARTICULAR_INJECTION",
          "Right knee",
          random.int(150, 250),
          7,
          6,
          21,
          "Triamcinolone 40 mg; brief benefit.",
        ),
      ];
  }
}
