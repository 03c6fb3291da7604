/**
 * The vocabulary the synthetic dataset draws from: names, diagnosis mix, regimens and procedures.
 * Weights are plausible for a tertiary pain clinic (low back and radicular pain dominate, then neck,
 * knee osteoarthritis and neuropathy); they are not registry statistics.
 */
import type { BodyRegion, PainType, ProcedureType, SideEffectKind, TherapyModality } from "~/generated/prisma/enums";
import {
  dailyMme,
  OPIOIDS,
  SCHEDULED_DOSES_PER_DAY,
  type DoseFrequency,
  type OpioidId,
  type ScheduledFrequency,
} from "~/domain/clinical/mme";
import { COMMON_PAIN_CODES, type MedicationFrequency, type MedicationRoute } from "~/domain/pathway-vocabulary";
import { type Random, Weighted } from "./random";

// ---------------------------------------------------------------------------------------------------
// People

// prettier-ignore
export const FEMALE_GIVEN_NAMES = [
  "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen", "Lisa",
  "Nancy", "Sandra", "Betty", "Ashley", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah",
  "Stephanie", "Rebecca", "Laura", "Sharon", "Cynthia", "Kathleen", "Amy", "Angela", "Shirley", "Brenda", "Emma",
  "Anna", "Pamela", "Nicole", "Samantha", "Katherine", "Christine", "Debra", "Rachel", "Carolyn", "Janet", "Maria",
  "Olivia", "Heather", "Helen", "Catherine", "Diane", "Julie", "Victoria", "Joyce", "Lauren", "Kelly", "Christina",
  "Joan", "Evelyn", "Judith", "Andrea", "Hannah", "Megan", "Cheryl", "Jacqueline", "Martha", "Madison", "Teresa",
  "Gloria", "Sara", "Janice", "Ann", "Aisha", "Fatima", "Mei", "Yuki", "Priya", "Ananya", "Sofía", "Lucía",
  "Guadalupe", "Ngozi", "Chiamaka", "Leilani", "Siobhán", "Zoë", "Renée", "Ingrid", "Astrid", "Malia", "Thi", "Hana",
] as const;

// prettier-ignore
export const MALE_GIVEN_NAMES = [
  "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Christopher", "Charles",
  "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Andrew", "Paul", "Joshua", "Kenneth", "Kevin", "Brian",
  "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric",
  "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory", "Alexander",
  "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Adam", "Nathan", "Henry",
  "Zachary", "Douglas", "Peter", "Kyle", "Noah", "Ethan", "Jeremy", "Walter", "Christian", "Keith", "Roger", "Terry",
  "Austin", "Sean", "Mohammed", "Ahmed", "Wei", "Hiroshi", "Arjun", "Rahul", "José", "Luis", "Juan", "Chinedu",
  "Oluwaseun", "Kai", "Seán", "Björn", "Lars", "Mateo", "Tariq", "Duc", "Minh", "Dmitri",
] as const;

// prettier-ignore
export const FAMILY_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
  "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez",
  "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen",
  "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
  "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
  "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez",
  "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward",
  "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
  "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell",
  "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher",
  "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin",
  "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar",
  "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez", "McDonald", "Woods",
  "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb", "Tucker", "Guzman", "Burns",
  "Crawford", "Olson", "Simpson", "Porter", "Hunter", "O'Brien", "O'Connor", "D'Angelo", "García-López", "Müller",
  "Schröder", "Øberg", "Nakamura", "Tanaka", "Yamamoto", "Wang", "Zhang", "Liu", "Singh", "Kumar", "Sharma", "Okafor",
  "Adeyemi", "Mensah", "Haddad", "Khalil", "Cohen", "Levi", "Novak", "Kowalski", "Nowak", "Ivanova", "Petrov",
  "Papadopoulos", "Rossi", "Russo", "Ferrari", "Dubois", "Lefèvre", "Jansen", "de Vries", "Van der Berg", "Lindqvist",
  "Nielsen", "Kealoha",
] as const;

// ---------------------------------------------------------------------------------------------------
// Diagnoses

/** Relative frequency of each COMMON_PAIN_CODES entry as a patient's condition. */
// prettier-ignore
const CODE_WEIGHTS: Record<string, number> = {
  "M54.50": 10, "M54.51": 1, "M54.59": 3, "M54.2": 6, "M54.6": 2, "M54.12": 3, "M54.13": 0.3, "M54.14": 0.5,
  "M54.15": 0.3, "M54.16": 8, "M54.17": 4, "M51.16": 4, "M51.17": 3, "M47.812": 3, "M47.814": 0.5, "M47.816": 5,
  "M47.817": 2, "M47.818": 1, "M48.02": 1, "M48.061": 3, "M48.062": 2, "M96.1": 3, "M46.1": 3, "M53.3": 1,
  "M43.28": 0.3, "G90.50": 0.6, "G90.59": 0.3, "M17.0": 3, "M17.11": 2, "M17.12": 2, "M17.9": 2, "E11.42": 3,
  "E11.40": 1, "E10.42": 0.5, "G62.9": 1.5, "B02.23": 0.5, "B02.29": 0.3, "G50.0": 0.5, "G89.29": 2, "G89.4": 2,
  "G89.21": 0.7, "G89.28": 1,
};

/** Region and pain type for the codes the vocabulary leaves open (the clinician picks them in the form). */
const CODE_DEFAULTS: Record<string, { bodyRegion?: BodyRegion[]; painType?: PainType[] }> = {
  "M54.13": { bodyRegion: ["CERVICAL", "THORACIC"] },
  "M54.15": { bodyRegion: ["THORACIC", "LUMBAR"] },
  "M47.818": { painType: ["AXIAL", "JOINT"] },
  "M48.02": { painType: ["RADICULAR", "AXIAL"] },
  "M48.061": { painType: ["AXIAL", "RADICULAR"] },
  "M48.062": { painType: ["RADICULAR"] },
  "M96.1": { bodyRegion: ["LUMBAR", "LUMBAR", "LUMBAR", "CERVICAL"], painType: ["RADICULAR", "AXIAL", "NEUROPATHIC"] },
  "M46.1": { painType: ["JOINT"] },
  "M53.3": { painType: ["JOINT", "AXIAL"] },
  "M43.28": { painType: ["JOINT", "AXIAL"] },
  "G90.50": { bodyRegion: ["OTHER", "KNEE", "SHOULDER"], painType: ["NEUROPATHIC"] },
  "G90.59": { bodyRegion: ["OTHER", "KNEE", "SHOULDER", "HIP"], painType: ["NEUROPATHIC"] },
  "E11.42": { bodyRegion: ["OTHER"] },
  "E11.40": { bodyRegion: ["OTHER"] },
  "E10.42": { bodyRegion: ["OTHER"] },
  "G62.9": { bodyRegion: ["OTHER"] },
  "B02.23": { bodyRegion: ["THORACIC", "OTHER"] },
  "B02.29": { bodyRegion: ["OTHER", "THORACIC"] },
  "G89.29": { bodyRegion: ["LUMBAR", "OTHER", "SHOULDER", "HIP"], painType: ["MYOFASCIAL", "AXIAL", "JOINT"] },
  "G89.4": { bodyRegion: ["OTHER"], painType: ["WIDESPREAD", "WIDESPREAD", "MYOFASCIAL"] },
  "G89.21": { bodyRegion: ["LUMBAR", "CERVICAL", "SHOULDER", "KNEE", "OTHER"], painType: ["MYOFASCIAL", "JOINT"] },
  "G89.28": { bodyRegion: ["LUMBAR", "KNEE", "SHOULDER", "HIP", "OTHER"], painType: ["NEUROPATHIC", "MYOFASCIAL"] },
};

export interface DiagnosisChoice {
  code: string;
  label: string;
  bodyRegion: BodyRegion;
  painType: PainType;
}

const DIAGNOSIS_CODES = new Weighted(COMMON_PAIN_CODES.map((entry) => [entry, CODE_WEIGHTS[entry.code] ?? 0.5]));

export function pickDiagnosis(random: Random): DiagnosisChoice {
  const entry = DIAGNOSIS_CODES.pick(random);
  const defaults = CODE_DEFAULTS[entry.code];
  return {
    code: entry.code,
    label: entry.label,
    bodyRegion: entry.bodyRegion ?? random.pick(defaults?.bodyRegion ?? ["OTHER"]),
    painType: entry.painType ?? random.pick(defaults?.painType ?? ["MYOFASCIAL"]),
  };
}

/** True for the diabetic neuropathy codes, whose patients more often have poorly controlled diabetes. */
export function isDiabeticNeuropathy(code: string): boolean {
  return code.startsWith("E10.") || code.startsWith("E11.");
}

// ---------------------------------------------------------------------------------------------------
// Therapies

type ModalityWeights = Partial<Record<TherapyModality, number>>;

/** What a clinician tries first for each pain type, roughly following stepped care. */
const FIRST_LINE: Record<PainType, ModalityWeights> = {
  AXIAL: {
    PHYSICAL_THERAPY: 30,
    NSAID: 25,
    HOME_EXERCISE: 15,
    OTC_ANALGESIC: 10,
    MUSCLE_RELAXANT: 10,
    LIFESTYLE: 5,
    TOPICAL: 5,
  },
  RADICULAR: {
    PHYSICAL_THERAPY: 30,
    NEUROPATHIC_AGENT: 25,
    NSAID: 20,
    HOME_EXERCISE: 10,
    OTC_ANALGESIC: 5,
    MUSCLE_RELAXANT: 5,
    LIFESTYLE: 5,
  },
  NEUROPATHIC: {
    NEUROPATHIC_AGENT: 50,
    TOPICAL: 20,
    PHYSICAL_THERAPY: 10,
    LIFESTYLE: 10,
    OTC_ANALGESIC: 5,
    PSYCHOLOGICAL_THERAPY: 5,
  },
  JOINT: { PHYSICAL_THERAPY: 30, NSAID: 25, TOPICAL: 15, HOME_EXERCISE: 15, OTC_ANALGESIC: 10, LIFESTYLE: 5 },
  MYOFASCIAL: {
    PHYSICAL_THERAPY: 35,
    MUSCLE_RELAXANT: 20,
    NSAID: 15,
    HOME_EXERCISE: 15,
    TOPICAL: 5,
    PSYCHOLOGICAL_THERAPY: 5,
    LIFESTYLE: 5,
  },
  WIDESPREAD: {
    NEUROPATHIC_AGENT: 25,
    PSYCHOLOGICAL_THERAPY: 20,
    PHYSICAL_THERAPY: 15,
    HOME_EXERCISE: 15,
    LIFESTYLE: 15,
    OTHER_MEDICATION: 5,
    OTC_ANALGESIC: 5,
  },
};

/** Added from the third trial of a diagnosis on: opioids, psychology and other agents come later. */
const LATER_LINE: Record<PainType, ModalityWeights> = {
  AXIAL: { OPIOID: 14, PSYCHOLOGICAL_THERAPY: 12, NEUROPATHIC_AGENT: 6, OTHER_MEDICATION: 3 },
  RADICULAR: { OPIOID: 14, PSYCHOLOGICAL_THERAPY: 10, TOPICAL: 4, OTHER_MEDICATION: 3 },
  NEUROPATHIC: { OPIOID: 8, NEUROPATHIC_AGENT: 20, PSYCHOLOGICAL_THERAPY: 12, OTHER_MEDICATION: 5 },
  JOINT: { OPIOID: 12, PSYCHOLOGICAL_THERAPY: 6, NEUROPATHIC_AGENT: 4, OTHER_MEDICATION: 3 },
  MYOFASCIAL: { OPIOID: 6, PSYCHOLOGICAL_THERAPY: 15, NEUROPATHIC_AGENT: 8, OTHER_MEDICATION: 4 },
  WIDESPREAD: { OPIOID: 5, PSYCHOLOGICAL_THERAPY: 15, OTHER_MEDICATION: 10, NEUROPATHIC_AGENT: 10 },
};

function modalityTable(painType: PainType, later: boolean): Weighted<TherapyModality> {
  const merged: ModalityWeights = { ...FIRST_LINE[painType] };
  if (later) {
    for (const [modality, weight] of Object.entries(LATER_LINE[painType]) as Array<[TherapyModality, number]>) {
      merged[modality] = (merged[modality] ?? 0) * 0.6 + weight;
    }
  }
  return new Weighted(Object.entries(merged) as Array<[TherapyModality, number]>);
}

const MODALITY_TABLES = new Map<string, Weighted<TherapyModality>>();

export function pickModality(random: Random, painType: PainType, trialNumber: number): TherapyModality {
  const later = trialNumber >= 2;
  const key = `${painType}:${later}`;
  let table = MODALITY_TABLES.get(key);
  if (!table) {
    table = modalityTable(painType, later);
    MODALITY_TABLES.set(key, table);
  }
  return table.pick(random);
}

/** The side effects each drug class typically causes, recorded with any reported severity (not a pharmacology table). */
const SIDE_EFFECT_KINDS: Partial<Record<TherapyModality, readonly SideEffectKind[]>> = {
  OPIOID: ["CONSTIPATION", "SEDATION"],
  NEUROPATHIC_AGENT: ["DIZZINESS", "SEDATION"],
  MUSCLE_RELAXANT: ["SEDATION"],
  OTC_ANALGESIC: ["NAUSEA"],
};

export function sideEffectKinds(modality: TherapyModality): SideEffectKind[] {
  return [...(SIDE_EFFECT_KINDS[modality] ?? ["OTHER"])];
}

export interface Prescription {
  drug: string;
  dose: number;
  doseUnit: string;
  frequency: MedicationFrequency;
  maxDosesPerDay: number | null;
  route: MedicationRoute;
  /** Daily MME for opioids with a CDC factor; null otherwise. */
  mme: number | null;
}

interface Regimen {
  drug: string;
  doses: readonly number[];
  unit: string;
  frequencies: readonly MedicationFrequency[];
  route: MedicationRoute;
}

type NonOpioidModality = Exclude<
  TherapyModality,
  "OPIOID" | "PHYSICAL_THERAPY" | "HOME_EXERCISE" | "LIFESTYLE" | "PSYCHOLOGICAL_THERAPY"
>;

const REGIMENS: Record<NonOpioidModality, readonly Regimen[]> = {
  OTC_ANALGESIC: [
    {
      drug: "Acetaminophen",
      doses: [500, 650, 1000],
      unit: "mg",
      frequencies: ["three-times-daily", "four-times-daily", "every-6-hours", "as-needed"],
      route: "oral",
    },
  ],
  NSAID: [
    {
      drug: "Ibuprofen",
      doses: [400, 600, 800],
      unit: "mg",
      frequencies: ["three-times-daily", "as-needed"],
      route: "oral",
    },
    { drug: "Naproxen", doses: [250, 500], unit: "mg", frequencies: ["twice-daily"], route: "oral" },
    { drug: "Meloxicam", doses: [7.5, 15], unit: "mg", frequencies: ["once-daily"], route: "oral" },
    { drug: "Celecoxib", doses: [100, 200], unit: "mg", frequencies: ["once-daily", "twice-daily"], route: "oral" },
    {
      drug: "Diclofenac",
      doses: [50, 75],
      unit: "mg",
      frequencies: ["twice-daily", "three-times-daily"],
      route: "oral",
    },
  ],
  MUSCLE_RELAXANT: [
    {
      drug: "Cyclobenzaprine",
      doses: [5, 10],
      unit: "mg",
      frequencies: ["once-daily", "three-times-daily"],
      route: "oral",
    },
    { drug: "Tizanidine", doses: [2, 4], unit: "mg", frequencies: ["three-times-daily", "as-needed"], route: "oral" },
    { drug: "Methocarbamol", doses: [500, 750], unit: "mg", frequencies: ["four-times-daily"], route: "oral" },
    { drug: "Baclofen", doses: [5, 10], unit: "mg", frequencies: ["three-times-daily"], route: "oral" },
  ],
  NEUROPATHIC_AGENT: [
    { drug: "Gabapentin", doses: [100, 300, 600, 800], unit: "mg", frequencies: ["three-times-daily"], route: "oral" },
    { drug: "Pregabalin", doses: [75, 150], unit: "mg", frequencies: ["twice-daily"], route: "oral" },
    { drug: "Duloxetine", doses: [30, 60], unit: "mg", frequencies: ["once-daily"], route: "oral" },
    { drug: "Amitriptyline", doses: [10, 25], unit: "mg", frequencies: ["once-daily"], route: "oral" },
    { drug: "Nortriptyline", doses: [10, 25], unit: "mg", frequencies: ["once-daily"], route: "oral" },
  ],
  TOPICAL: [
    { drug: "Lidocaine 5% patch", doses: [1, 2], unit: "patch", frequencies: ["once-daily"], route: "topical" },
    { drug: "Diclofenac 1% gel", doses: [2, 4], unit: "g", frequencies: ["four-times-daily"], route: "topical" },
    {
      drug: "Capsaicin cream",
      doses: [0.025, 0.075],
      unit: "%",
      frequencies: ["three-times-daily", "four-times-daily"],
      route: "topical",
    },
  ],
  OTHER_MEDICATION: [
    { drug: "Prednisone", doses: [5, 10, 20], unit: "mg", frequencies: ["once-daily"], route: "oral" },
    { drug: "Topiramate", doses: [25, 50], unit: "mg", frequencies: ["twice-daily"], route: "oral" },
    { drug: "Venlafaxine", doses: [37.5, 75], unit: "mg", frequencies: ["once-daily"], route: "oral" },
    { drug: "Naltrexone (low dose)", doses: [1.5, 4.5], unit: "mg", frequencies: ["once-daily"], route: "oral" },
  ],
};

/** How opioid regimens are written: strengths, schedules and PRN maxima by drug. */
const OPIOID_REGIMENS: Record<
  OpioidId,
  {
    weight: number;
    doses: readonly number[];
    frequencies: readonly (ScheduledFrequency | "as-needed" | "continuous")[];
    route: MedicationRoute;
  }
> = {
  oxycodone: {
    weight: 30,
    doses: [5, 10, 15, 20, 30],
    frequencies: ["every-4-hours", "every-6-hours", "every-12-hours", "as-needed"],
    route: "oral",
  },
  hydrocodone: {
    weight: 24,
    doses: [5, 7.5, 10],
    frequencies: ["every-4-hours", "every-6-hours", "as-needed"],
    route: "oral",
  },
  tramadol: { weight: 15, doses: [50, 100], frequencies: ["every-6-hours", "twice-daily", "as-needed"], route: "oral" },
  morphine: {
    weight: 10,
    doses: [15, 30, 60],
    frequencies: ["every-12-hours", "every-4-hours", "every-8-hours"],
    route: "oral",
  },
  tapentadol: { weight: 4, doses: [50, 75, 100], frequencies: ["every-6-hours", "every-12-hours"], route: "oral" },
  hydromorphone: {
    weight: 4,
    doses: [2, 4, 8],
    frequencies: ["every-4-hours", "every-6-hours", "as-needed"],
    route: "oral",
  },
  "fentanyl-transdermal": { weight: 4, doses: [12, 25, 37, 50, 75], frequencies: ["continuous"], route: "transdermal" },
  methadone: { weight: 3, doses: [2.5, 5, 10], frequencies: ["every-8-hours", "twice-daily"], route: "oral" },
  codeine: {
    weight: 2,
    doses: [15, 30, 60],
    frequencies: ["every-4-hours", "every-6-hours", "as-needed"],
    route: "oral",
  },
  oxymorphone: { weight: 1, doses: [5, 10, 20], frequencies: ["every-12-hours", "every-6-hours"], route: "oral" },
  "buprenorphine-transdermal": { weight: 2, doses: [5, 10, 15, 20], frequencies: ["continuous"], route: "transdermal" },
  buprenorphine: { weight: 1, doses: [2, 4, 8], frequencies: ["once-daily", "twice-daily"], route: "sublingual" },
};

function frequencyOf(frequency: MedicationFrequency, maxDosesPerDay: number | null): DoseFrequency {
  if (frequency === "continuous") return { kind: "continuous" };
  if (frequency === "as-needed") return { kind: "as-needed", maxDosesPerDay: maxDosesPerDay ?? 4 };
  return { kind: "scheduled", schedule: frequency };
}

/** Every opioid prescription the catalogue can write, with its daily MME (null without a CDC factor). */
const OPIOID_PRESCRIPTIONS: ReadonlyMap<OpioidId, readonly Prescription[]> = new Map(
  (Object.keys(OPIOID_REGIMENS) as OpioidId[]).map((drug) => {
    const regimen = OPIOID_REGIMENS[drug];
    const prescriptions = regimen.doses.flatMap((dose) =>
      regimen.frequencies.flatMap((frequency) =>
        (frequency === "as-needed" ? [4, 6] : [null]).map((maxDosesPerDay): Prescription => {
          const result = dailyMme({
            drug,
            dose,
            unit: OPIOIDS[drug].unit,
            frequency: frequencyOf(frequency, maxDosesPerDay),
          });
          return {
            drug,
            dose,
            doseUnit: OPIOIDS[drug].unit,
            frequency,
            maxDosesPerDay,
            route: regimen.route,
            mme: result.mme,
          };
        }),
      ),
    );
    return [drug, prescriptions] as const;
  }),
);

const OPIOID_DRUGS = new Weighted(
  (Object.keys(OPIOID_REGIMENS) as OpioidId[]).map((drug) => [drug, OPIOID_REGIMENS[drug].weight]),
);

/**
 * Target daily MME: most prescriptions stay below 50, a large share sits around the CDC thresholds
 * of 50 (reassess) and 90 (avoid or justify), and a tail goes above. The prescription written is the
 * drug's regimen closest to the target, so doses stay realistic strengths.
 */
function targetMme(random: Random): number {
  const band = random.next();
  if (band < 0.4) return random.between(10, 45);
  if (band < 0.7) return random.normal(50, 8);
  if (band < 0.92) return random.normal(90, 12);
  return random.between(110, 200);
}

export function pickOpioid(random: Random): Prescription {
  const drug = OPIOID_DRUGS.pick(random);
  const options = OPIOID_PRESCRIPTIONS.get(drug) as readonly Prescription[];
  const target = targetMme(random);
  let best: Prescription[] = [];
  let bestDistance = Infinity;
  for (const option of options) {
    // Buprenorphine has no CDC factor: every regimen is equally close.
    const distance = option.mme === null ? 0 : Math.abs(option.mme - target);
    if (distance < bestDistance - 1e-9) {
      best = [option];
      bestDistance = distance;
    } else if (Math.abs(distance - bestDistance) <= 1e-9) best.push(option);
  }
  return random.pick(best);
}

export function pickPrescription(random: Random, modality: TherapyModality): Prescription | null {
  if (modality === "OPIOID") return pickOpioid(random);
  const regimens = REGIMENS[modality as NonOpioidModality] as readonly Regimen[] | undefined;
  if (!regimens) return null;
  const regimen = random.pick(regimens);
  const frequency = random.pick(regimen.frequencies);
  return {
    drug: regimen.drug,
    dose: random.pick(regimen.doses),
    doseUnit: regimen.unit,
    frequency,
    maxDosesPerDay: frequency === "as-needed" ? random.pick([3, 4]) : null,
    route: regimen.route,
    mme: null,
  };
}

/** Scheduled doses per day, for checks; null for PRN and patches. */
export function scheduledDosesPerDay(frequency: MedicationFrequency): number | null {
  return frequency in SCHEDULED_DOSES_PER_DAY ? SCHEDULED_DOSES_PER_DAY[frequency as ScheduledFrequency] : null;
}

// ---------------------------------------------------------------------------------------------------
// Procedures

export interface ProcedureChoice {
  type: ProcedureType;
  level: string | null;
  /** Typical relief duration in days when it helps: [min, max]; null when not reported. */
  reliefDays: readonly [number, number] | null;
}

const SPINE_LEVELS: Partial<Record<BodyRegion, readonly string[]>> = {
  LUMBAR: ["L3-L4", "L4-L5", "L5-S1", "L4-L5", "L5-S1"],
  CERVICAL: ["C5-C6", "C6-C7", "C4-C5", "C7-T1"],
  THORACIC: ["T8-T9", "T10-T11", "T11-T12"],
};
const MEDIAL_BRANCH_LEVELS: Partial<Record<BodyRegion, readonly string[]>> = {
  LUMBAR: ["L3-L5 medial branches", "L4-S1 medial branches", "L2-L4 medial branches"],
  CERVICAL: ["C4-C6 medial branches", "C5-C7 medial branches"],
  THORACIC: ["T9-T11 medial branches"],
};
const SIDES = ["Right", "Left", "Bilateral"] as const;

/** A procedure that fits the diagnosis, as a pain clinic would have offered it. */
export function pickProcedure(
  random: Random,
  region: BodyRegion,
  painType: PainType,
  psychCleared: boolean,
): ProcedureChoice {
  const spine = region === "LUMBAR" || region === "CERVICAL" || region === "THORACIC";
  if (spine && (painType === "RADICULAR" || painType === "NEUROPATHIC")) {
    if (psychCleared && region !== "CERVICAL" && random.chance(0.25)) {
      return { type: "SPINAL_CORD_STIMULATOR_TRIAL", level: "T8-T10 leads", reliefDays: [5, 10] };
    }
    return {
      type: "EPIDURAL_STEROID_INJECTION",
      level: random.pick(SPINE_LEVELS[region] ?? ["L4-L5"]),
      reliefDays: [14, 120],
    };
  }
  if (spine) {
    const roll = random.next();
    const level = random.pick(MEDIAL_BRANCH_LEVELS[region] ?? ["L4-S1 medial branches"]);
    if (roll < 0.5) return { type: "MEDIAL_BRANCH_BLOCK", level, reliefDays: [0, 1] };
    if (roll < 0.8) return { type: "RADIOFREQUENCY_ABLATION", level, reliefDays: [90, 365] };
    return {
      type: "FACET_JOINT_INJECTION",
      level: random.pick(SPINE_LEVELS[region] ?? ["L4-L5"]),
      reliefDays: [14, 90],
    };
  }
  switch (region) {
    case "SACROILIAC":
      return { type: "SACROILIAC_JOINT_INJECTION", level: `${random.pick(SIDES)} SI joint`, reliefDays: [14, 120] };
    case "KNEE":
      return random.chance(0.6)
        ? { type: "GENICULAR_NERVE_BLOCK", level: `${random.pick(SIDES)} knee`, reliefDays: [0, 2] }
        : { type: "RADIOFREQUENCY_ABLATION", level: `${random.pick(SIDES)} genicular nerves`, reliefDays: [90, 365] };
    case "HIP":
    case "SHOULDER":
      return {
        type: "OTHER",
        level: `${random.pick(SIDES)} ${region.toLowerCase()} intra-articular`,
        reliefDays: [14, 90],
      };
    default:
      return { type: "PERIPHERAL_NERVE_BLOCK", level: null, reliefDays: [1, 60] };
  }
}

// ---------------------------------------------------------------------------------------------------
/** Where the dataset's physicians refer for interventional procedures. */
export const RECEIVING_CLINICS = [
  "Riverside Interventional Pain Clinic",
  "Northside Spine Centre",
  "University Hospital Pain Service",
  "Lakeview Neuromodulation Unit",
] as const;

export const REFERRAL_CANCEL_REASONS = [
  "Patient improved with physical therapy",
  "Patient declined the procedure",
  "Anticoagulation could not be paused",
  "Referred elsewhere by the patient's insurer",
] as const;

// Free text (never patient-identifying: the dataset's notes are generic clinical phrases)

export const ASSESSMENT_NOTES = [
  "Telephone follow-up.",
  "Reports better sleep.",
  "Flare after increased activity; settling.",
  "Missed last PT session, rebooked.",
  "Pain worse in the mornings.",
  "Walking further before needing to rest.",
  "Back at work on modified duties.",
  "Asked about injection options.",
] as const;

export const STOP_NOTES = [
  "No meaningful change after an adequate trial.",
  "Nausea and dizziness.",
  "Drowsiness affecting work.",
  "Course completed; continuing home programme.",
  "Not covered by insurance.",
  "Prefers to stop.",
] as const;

export const ENTERED_IN_ERROR_REASONS = [
  "Duplicate entry.",
  "Recorded against the wrong date.",
  "Entered on the wrong patient's record.",
  "Wrong drug selected.",
] as const;
