/**
 * The words clinicians see for the pathway record, shared by forms, lists and server validation.
 *
 * Browser-safe: `~/generated/prisma/enums` is plain constant objects with no imports, so it is bundled
 * without the Prisma runtime. Value lists follow the schema's order; each label map is a
 * `Record<Enum, string>`, so a new enum value without a label fails type-checking.
 *
 * ICD-10-CM codes below are from the FY2022+ code set (ICD-10-CM FY2022 addenda; LCDs L39240, L38801 and
 * L39462 for the codes they list), as docs/clinical-sources.md §9 gives them. The code set changes every
 * 1 October (e.g. M54.5 was deleted on 2021-10-01; M51.36/M51.37 became parent codes in FY2025): check this
 * list against the current fiscal-year release before each rule-set release.
 */
import {
  Adherence,
  BodyRegion,
  EsiApproach,
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
import type {
  DismissReason,
  ImagingConcordance,
  ImagingModality,
  RadicularSign,
  ReferralUrgency,
} from "~/generated/prisma/enums";
import { type DoseFrequency, SCHEDULED_DOSES_PER_DAY, type ScheduledFrequency } from "~/domain/clinical/mme";

// ---------------------------------------------------------------------------------------------------
// Patient

export const PATIENT_STATUSES: readonly PatientStatus[] = Object.values(PatientStatus);
export const PATIENT_STATUS_LABELS: Record<PatientStatus, string> = {
  ACTIVE: "Active",
  DISCHARGED: "Discharged",
};

export const SEXES: readonly Sex[] = Object.values(Sex);
export const SEX_LABELS: Record<Sex, string> = {
  FEMALE: "Female",
  MALE: "Male",
  OTHER: "Other",
  UNKNOWN: "Unknown",
};

/** The psychological evaluation spinal cord stimulation needs (NCD 160.7). */
export const PSYCH_EVALUATION_STATUSES: readonly PsychEvaluationStatus[] = Object.values(PsychEvaluationStatus);
export const PSYCH_EVALUATION_STATUS_LABELS: Record<PsychEvaluationStatus, string> = {
  NOT_DONE: "Not done",
  REFERRED: "Referred, awaiting result",
  CLEARED: "Cleared",
  NOT_CLEARED: "Not cleared",
};

// ---------------------------------------------------------------------------------------------------
// Pain diagnosis

export const BODY_REGIONS: readonly BodyRegion[] = Object.values(BodyRegion);
export const BODY_REGION_LABELS: Record<BodyRegion, string> = {
  LUMBAR: "Lumbar spine",
  CERVICAL: "Cervical spine",
  THORACIC: "Thoracic spine",
  SACROILIAC: "Sacroiliac joint",
  KNEE: "Knee",
  HIP: "Hip",
  SHOULDER: "Shoulder",
  OTHER: "Other region",
};

export const PAIN_TYPES: readonly PainType[] = Object.values(PainType);
export const PAIN_TYPE_LABELS: Record<PainType, string> = {
  AXIAL: "Axial (spine, not radiating)",
  RADICULAR: "Radicular (radiating along a nerve root)",
  NEUROPATHIC: "Neuropathic",
  JOINT: "Joint",
  MYOFASCIAL: "Myofascial",
  WIDESPREAD: "Widespread",
};

/** Entered by the clinician, never inferred: "declined" and "not a candidate" feed the rules (§0). */
export const SURGICAL_STATUSES: readonly SurgicalStatus[] = Object.values(SurgicalStatus);
export const SURGICAL_STATUS_LABELS: Record<SurgicalStatus, string> = {
  NOT_EVALUATED: "Not evaluated for surgery",
  CANDIDATE: "Surgical candidate",
  DECLINED_BY_PATIENT: "Surgery declined by patient",
  NOT_A_CANDIDATE: "Not a surgical candidate",
};

export interface RedFlagDefinition {
  label: string;
  /** What the flag covers, in one line, for the checkbox hint and the urgent banner. */
  description: string;
  source: string;
}

const AHCPR_1994 = "AHCPR Clinical Practice Guideline 14, Acute Low Back Problems in Adults (1994), red-flag table";
const CHOU_2007 = "Chou R et al. ACP/APS low back pain guideline, Ann Intern Med 2007;147:478–491";

/** Red flags take the diagnosis out of the pathway: urgent evaluation instead of a routine referral prompt. */
export const RED_FLAGS: readonly RedFlag[] = Object.values(RedFlag);
export const RED_FLAG_DEFINITIONS: Record<RedFlag, RedFlagDefinition> = {
  FRACTURE_RISK: {
    label: "Possible fracture",
    description:
      "Major trauma, or minor trauma or strenuous lifting in an older or osteoporotic patient or one on long-term steroids.",
    source: AHCPR_1994,
  },
  TUMOUR_OR_INFECTION: {
    label: "Possible tumour or infection",
    description:
      "Age over 50 or under 20, history of cancer, fever, chills or unexplained weight loss, recent bacterial " +
      "infection, IV drug use or immunosuppression, or pain worse lying down or severe at night.",
    source: `${AHCPR_1994}; ${CHOU_2007} (history of cancer LR+ ≈ 14.7, via secondary summaries)`,
  },
  CAUDA_EQUINA: {
    label: "Possible cauda equina syndrome",
    description:
      "Saddle anaesthesia, new bladder dysfunction (retention, frequency, overflow incontinence), lax anal sphincter " +
      "or perianal sensory loss.",
    source: `${AHCPR_1994}; ${CHOU_2007} (urinary retention ≈ 90 % sensitive, via secondary summaries)`,
  },
  PROGRESSIVE_NEURO_DEFICIT: {
    label: "Severe or progressive neurological deficit",
    description: "Severe or progressive lower-limb deficit, or major motor weakness (knee extension, foot drop).",
    source: AHCPR_1994,
  },
  CERVICAL_MYELOPATHY: {
    label: "Cervical myelopathy",
    description: "Signs of spinal cord compression in the neck: route out of the pathway for urgent evaluation.",
    source: `Route-out sign listed with ${CHOU_2007} (secondary summaries); not in the AHCPR 1994 table`,
  },
  SUSPECTED_AAA: {
    label: "Suspected abdominal aortic aneurysm",
    description: "Back pain that may come from an abdominal aortic aneurysm: route out for urgent evaluation.",
    source: `Route-out sign listed with ${CHOU_2007} (secondary summaries); not in the AHCPR 1994 table`,
  },
};

export const RED_FLAG_LABELS = Object.fromEntries(
  RED_FLAGS.map((flag) => [flag, RED_FLAG_DEFINITIONS[flag].label]),
) as Record<RedFlag, string>;

// ---------------------------------------------------------------------------------------------------
// ICD-10-CM

export interface CommonPainCode {
  /** Written in full, with its dot. */
  code: string;
  /** ICD-10-CM descriptor, lightly shortened. */
  label: string;
  /** The §9 row the code comes from, for grouping a picker. */
  group: string;
  /** Suggested defaults, only where the code makes them obvious; the clinician can change them. */
  bodyRegion?: BodyRegion;
  painType?: PainType;
}

/**
 * Common chronic-pain codes (ICD-10-CM FY2022+, docs/clinical-sources.md §9). Families §9 gives only as a pattern
 * (sciatica M54.3x, lumbago with sciatica M54.4x, cervical disc M50.1x, M47.89x, facet cyst M53.8x,
 * CRPS G90.51x/G90.52x, causalgia G56.4x/G57.7x) are left out rather than guessed: clinicians type them in.
 * M54.13–M54.15 fill the range §9 gives by its ends, M54.12 cervical to M54.16 lumbar.
 */
export const COMMON_PAIN_CODES: readonly CommonPainCode[] = [
  {
    code: "M54.50",
    label: "Low back pain, unspecified",
    group: "Low back pain",
    bodyRegion: "LUMBAR",
    painType: "AXIAL",
  },
  {
    code: "M54.51",
    label: "Vertebrogenic low back pain",
    group: "Low back pain",
    bodyRegion: "LUMBAR",
    painType: "AXIAL",
  },
  { code: "M54.59", label: "Other low back pain", group: "Low back pain", bodyRegion: "LUMBAR", painType: "AXIAL" },
  { code: "M54.2", label: "Cervicalgia", group: "Neck or thoracic pain", bodyRegion: "CERVICAL", painType: "AXIAL" },
  {
    code: "M54.6",
    label: "Pain in thoracic spine",
    group: "Neck or thoracic pain",
    bodyRegion: "THORACIC",
    painType: "AXIAL",
  },
  {
    code: "M54.12",
    label: "Radiculopathy, cervical region",
    group: "Radiculopathy",
    bodyRegion: "CERVICAL",
    painType: "RADICULAR",
  },
  { code: "M54.13", label: "Radiculopathy, cervicothoracic region", group: "Radiculopathy", painType: "RADICULAR" },
  {
    code: "M54.14",
    label: "Radiculopathy, thoracic region",
    group: "Radiculopathy",
    bodyRegion: "THORACIC",
    painType: "RADICULAR",
  },
  { code: "M54.15", label: "Radiculopathy, thoracolumbar region", group: "Radiculopathy", painType: "RADICULAR" },
  {
    code: "M54.16",
    label: "Radiculopathy, lumbar region",
    group: "Radiculopathy",
    bodyRegion: "LUMBAR",
    painType: "RADICULAR",
  },
  {
    code: "M54.17",
    label: "Radiculopathy, lumbosacral region",
    group: "Radiculopathy",
    bodyRegion: "LUMBAR",
    painType: "RADICULAR",
  },
  {
    code: "M51.16",
    label: "Intervertebral disc disorder with radiculopathy, lumbar region",
    group: "Disc disorder with radiculopathy",
    bodyRegion: "LUMBAR",
    painType: "RADICULAR",
  },
  {
    code: "M51.17",
    label: "Intervertebral disc disorder with radiculopathy, lumbosacral region",
    group: "Disc disorder with radiculopathy",
    bodyRegion: "LUMBAR",
    painType: "RADICULAR",
  },
  {
    code: "M47.812",
    label: "Spondylosis without myelopathy or radiculopathy, cervical region",
    group: "Spondylosis / facet arthropathy",
    bodyRegion: "CERVICAL",
    painType: "AXIAL",
  },
  {
    code: "M47.814",
    label: "Spondylosis without myelopathy or radiculopathy, thoracic region",
    group: "Spondylosis / facet arthropathy",
    bodyRegion: "THORACIC",
    painType: "AXIAL",
  },
  {
    code: "M47.816",
    label: "Spondylosis without myelopathy or radiculopathy, lumbar region",
    group: "Spondylosis / facet arthropathy",
    bodyRegion: "LUMBAR",
    painType: "AXIAL",
  },
  {
    code: "M47.817",
    label: "Spondylosis without myelopathy or radiculopathy, lumbosacral region",
    group: "Spondylosis / facet arthropathy",
    bodyRegion: "LUMBAR",
    painType: "AXIAL",
  },
  {
    // Also on the sacroiliac LCD's closed list (§9), hence the sacroiliac region.
    code: "M47.818",
    label: "Spondylosis without myelopathy or radiculopathy, sacral and sacrococcygeal region",
    group: "Spondylosis / facet arthropathy",
    bodyRegion: "SACROILIAC",
  },
  { code: "M48.02", label: "Spinal stenosis, cervical region", group: "Spinal stenosis", bodyRegion: "CERVICAL" },
  {
    code: "M48.061",
    label: "Spinal stenosis, lumbar region without neurogenic claudication",
    group: "Spinal stenosis",
    bodyRegion: "LUMBAR",
  },
  {
    code: "M48.062",
    label: "Spinal stenosis, lumbar region with neurogenic claudication",
    group: "Spinal stenosis",
    bodyRegion: "LUMBAR",
  },
  { code: "M96.1", label: "Postlaminectomy syndrome, not elsewhere classified", group: "Post-laminectomy syndrome" },
  {
    code: "M46.1",
    label: "Sacroiliitis, not elsewhere classified",
    group: "Sacroiliac joint",
    bodyRegion: "SACROILIAC",
  },
  {
    code: "M53.3",
    label: "Sacrococcygeal disorders, not elsewhere classified",
    group: "Sacroiliac joint",
    bodyRegion: "SACROILIAC",
  },
  {
    code: "M43.28",
    label: "Fusion of spine, sacral and sacrococcygeal region",
    group: "Sacroiliac joint",
    bodyRegion: "SACROILIAC",
  },
  { code: "G90.50", label: "Complex regional pain syndrome I, unspecified", group: "Complex regional pain syndrome" },
  {
    code: "G90.59",
    label: "Complex regional pain syndrome I of other specified site",
    group: "Complex regional pain syndrome",
  },
  {
    code: "M17.0",
    label: "Bilateral primary osteoarthritis of knee",
    group: "Knee osteoarthritis",
    bodyRegion: "KNEE",
    painType: "JOINT",
  },
  {
    code: "M17.11",
    label: "Unilateral primary osteoarthritis, right knee",
    group: "Knee osteoarthritis",
    bodyRegion: "KNEE",
    painType: "JOINT",
  },
  {
    code: "M17.12",
    label: "Unilateral primary osteoarthritis, left knee",
    group: "Knee osteoarthritis",
    bodyRegion: "KNEE",
    painType: "JOINT",
  },
  {
    code: "M17.9",
    label: "Osteoarthritis of knee, unspecified",
    group: "Knee osteoarthritis",
    bodyRegion: "KNEE",
    painType: "JOINT",
  },
  {
    code: "E11.42",
    label: "Type 2 diabetes mellitus with diabetic polyneuropathy",
    group: "Neuropathy",
    painType: "NEUROPATHIC",
  },
  {
    code: "E11.40",
    label: "Type 2 diabetes mellitus with diabetic neuropathy, unspecified",
    group: "Neuropathy",
    painType: "NEUROPATHIC",
  },
  {
    code: "E10.42",
    label: "Type 1 diabetes mellitus with diabetic polyneuropathy",
    group: "Neuropathy",
    painType: "NEUROPATHIC",
  },
  { code: "G62.9", label: "Polyneuropathy, unspecified", group: "Neuropathy", painType: "NEUROPATHIC" },
  { code: "B02.23", label: "Postherpetic polyneuropathy", group: "Neuropathy", painType: "NEUROPATHIC" },
  {
    code: "B02.29",
    label: "Other postherpetic nervous system involvement",
    group: "Neuropathy",
    painType: "NEUROPATHIC",
  },
  {
    code: "G50.0",
    label: "Trigeminal neuralgia",
    group: "Neuropathy",
    bodyRegion: "OTHER",
    painType: "NEUROPATHIC",
  },
  { code: "G89.29", label: "Other chronic pain", group: "Chronic pain" },
  // §9: only when the record documents chronic pain syndrome as such.
  { code: "G89.4", label: "Chronic pain syndrome", group: "Chronic pain" },
  { code: "G89.21", label: "Chronic pain due to trauma", group: "Chronic pain" },
  { code: "G89.28", label: "Other chronic postprocedural pain", group: "Chronic pain" },
];

// Letter, digit, alphanumeric; then optionally a dot and 1–4 alphanumerics (3–7 characters in all).
const ICD10_CM_FORMAT = /^[A-Z][0-9][A-Z0-9](?:\.[A-Z0-9]{1,4})?$/i;

/**
 * True when the code is shaped like an ICD-10-CM code. Codes outside COMMON_PAIN_CODES are allowed:
 * this rejects only badly formed input. Pass it the output of `normalizeIcd10` when checking user input.
 */
export function isValidIcd10Format(code: string): boolean {
  return ICD10_CM_FORMAT.test(code);
}

// A well-formed code typed without its dot.
const ICD10_CM_WITHOUT_DOT = /^[A-Z][0-9][A-Z0-9][A-Z0-9]{1,4}$/;

/**
 * Uppercase and trimmed, with the dot after the third character put in when it was left out
 * ("m5416" → "M54.16"). Anything else is only trimmed and uppercased, so a form echoes back what was typed.
 */
export function normalizeIcd10(code: string): string {
  const upper = code.trim().toUpperCase();
  return ICD10_CM_WITHOUT_DOT.test(upper) ? `${upper.slice(0, 3)}.${upper.slice(3)}` : upper;
}

/** The common-list entry for a code as typed, for pre-filling the label, region and pain type. */
export function findCommonPainCode(code: string): CommonPainCode | undefined {
  const normalized = normalizeIcd10(code);
  return COMMON_PAIN_CODES.find((entry) => entry.code === normalized);
}

// ---------------------------------------------------------------------------------------------------
// Therapy trials

export const THERAPY_MODALITIES: readonly TherapyModality[] = Object.values(TherapyModality);
export const THERAPY_MODALITY_LABELS: Record<TherapyModality, string> = {
  OTC_ANALGESIC: "Over-the-counter analgesic (e.g. acetaminophen)",
  NSAID: "NSAID (e.g. ibuprofen, naproxen)",
  MUSCLE_RELAXANT: "Muscle relaxant",
  NEUROPATHIC_AGENT: "Neuropathic agent (e.g. gabapentin, duloxetine)",
  OPIOID: "Opioid",
  TOPICAL: "Topical medication (e.g. lidocaine, diclofenac gel)",
  OTHER_MEDICATION: "Other medication",
  PHYSICAL_THERAPY: "Physical therapy",
  HOME_EXERCISE: "Home exercise programme",
  LIFESTYLE: "Lifestyle or activity modification",
  PSYCHOLOGICAL_THERAPY: "Psychological therapy (e.g. CBT)",
};

/** Medication trials record drug, dose, unit, frequency and route (and the daily MME for opioids). */
export const MEDICATION_MODALITIES = [
  "OTC_ANALGESIC",
  "NSAID",
  "MUSCLE_RELAXANT",
  "NEUROPATHIC_AGENT",
  "OPIOID",
  "TOPICAL",
  "OTHER_MEDICATION",
] as const satisfies readonly TherapyModality[];

export const NON_MEDICATION_MODALITIES = [
  "PHYSICAL_THERAPY",
  "HOME_EXERCISE",
  "LIFESTYLE",
  "PSYCHOLOGICAL_THERAPY",
] as const satisfies readonly TherapyModality[];

/** Session-based trials record sessions planned and attended. */
export const SESSION_MODALITIES = [
  "PHYSICAL_THERAPY",
  "PSYCHOLOGICAL_THERAPY",
] as const satisfies readonly (typeof NON_MEDICATION_MODALITIES)[number][];

export type MedicationModality = (typeof MEDICATION_MODALITIES)[number];
export type SessionModality = (typeof SESSION_MODALITIES)[number];

// Fails to compile when a modality is added to the schema but to neither group.
type Ungrouped = Exclude<TherapyModality, MedicationModality | (typeof NON_MEDICATION_MODALITIES)[number]>;
const _everyModalityGrouped: [Ungrouped] extends [never] ? true : Ungrouped = true;

/** For a grouped select: medication first, then the rest. */
export const THERAPY_MODALITY_GROUPS = [
  { label: "Medication", modalities: MEDICATION_MODALITIES },
  { label: "Non-medication", modalities: NON_MEDICATION_MODALITIES },
] as const;

export function isMedicationModality(modality: TherapyModality): modality is MedicationModality {
  return (MEDICATION_MODALITIES as readonly TherapyModality[]).includes(modality);
}

export function isSessionModality(modality: TherapyModality): modality is SessionModality {
  return (SESSION_MODALITIES as readonly TherapyModality[]).includes(modality);
}

export const THERAPY_STATUSES: readonly TherapyStatus[] = Object.values(TherapyStatus);
export const THERAPY_STATUS_LABELS: Record<TherapyStatus, string> = {
  ACTIVE: "Ongoing",
  COMPLETED: "Completed",
  STOPPED: "Stopped",
};

export const STOP_REASONS: readonly StopReason[] = Object.values(StopReason);
export const STOP_REASON_LABELS: Record<StopReason, string> = {
  INEFFECTIVE: "Not effective",
  SIDE_EFFECTS: "Side effects",
  COMPLETED_COURSE: "Course completed",
  PATIENT_CHOICE: "Patient's choice",
  ACCESS_OR_COST: "Access or cost",
  OTHER: "Other reason",
  NOT_ADHERENT: "Not taken as agreed",
};

export const MEDICATION_ROUTES = [
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
] as const;
export type MedicationRoute = (typeof MEDICATION_ROUTES)[number];

// Written out in full: abbreviations such as SC, SQ and IN are on ISMP's error-prone list.
export const MEDICATION_ROUTE_LABELS: Record<MedicationRoute, string> = {
  oral: "Oral",
  transdermal: "Transdermal (patch)",
  topical: "Topical",
  intramuscular: "Intramuscular (IM)",
  intravenous: "Intravenous (IV)",
  subcutaneous: "Subcutaneous",
  sublingual: "Sublingual",
  buccal: "Buccal",
  intranasal: "Intranasal",
  rectal: "Rectal",
};

/**
 * The frequency stored on a therapy trial: a scheduled frequency from the MME module, or the kind of an
 * unscheduled one ("as-needed" stores its maximum doses per day alongside; "continuous" is a patch rate).
 */
export type MedicationFrequency = ScheduledFrequency | Exclude<DoseFrequency["kind"], "scheduled">;

export const MEDICATION_FREQUENCIES: readonly MedicationFrequency[] = [
  ...(Object.keys(SCHEDULED_DOSES_PER_DAY) as ScheduledFrequency[]),
  "as-needed",
  "continuous",
];

export const MEDICATION_FREQUENCY_LABELS: Record<MedicationFrequency, string> = {
  "once-daily": "Once daily",
  "twice-daily": "Twice daily",
  "three-times-daily": "Three times daily",
  "four-times-daily": "Four times daily",
  "every-4-hours": "Every 4 hours",
  "every-6-hours": "Every 6 hours",
  "every-8-hours": "Every 8 hours",
  "every-12-hours": "Every 12 hours",
  "as-needed": "As needed (PRN), up to a daily maximum",
  continuous: "Continuous (patch)",
};

/**
 * Units for non-opioid doses. Opioid doses take their unit from the MME table (`OPIOIDS[drug].unit`:
 * mg, or mcg/hr for patches), so the MME calculation can check it.
 */
export const NON_OPIOID_DOSE_UNITS = ["mg", "mcg", "g", "mL", "%", "tablet", "capsule", "patch"] as const;
export type NonOpioidDoseUnit = (typeof NON_OPIOID_DOSE_UNITS)[number];

export const NON_OPIOID_DOSE_UNIT_LABELS: Record<NonOpioidDoseUnit, string> = {
  mg: "mg",
  mcg: "mcg",
  g: "g",
  mL: "mL",
  "%": "% (strength of a topical)",
  tablet: "tablet(s)",
  capsule: "capsule(s)",
  patch: "patch(es)",
};

// ---------------------------------------------------------------------------------------------------
// Outcome assessments

export const SIDE_EFFECT_SEVERITIES: readonly SideEffectSeverity[] = Object.values(SideEffectSeverity);
export const SIDE_EFFECT_SEVERITY_LABELS: Record<SideEffectSeverity, string> = {
  NONE: "None",
  MILD: "Mild",
  MODERATE: "Moderate",
  SEVERE: "Severe",
};

export const SIDE_EFFECT_KINDS: readonly SideEffectKind[] = Object.values(SideEffectKind);
export const SIDE_EFFECT_KIND_LABELS: Record<SideEffectKind, string> = {
  CONSTIPATION: "Constipation",
  SEDATION: "Sedation",
  NAUSEA: "Nausea",
  DIZZINESS: "Dizziness",
  COGNITIVE: "Cognitive effects",
  RESPIRATORY_DEPRESSION: "Respiratory depression",
  GI_BLEEDING: "GI bleeding",
  OTHER: "Other",
};

export const ADHERENCES: readonly Adherence[] = Object.values(Adherence);
export const ADHERENCE_LABELS: Record<Adherence, string> = {
  AS_PRESCRIBED: "As prescribed",
  PARTIAL: "Partly (some doses or sessions missed)",
  POOR: "Poorly (most doses or sessions missed)",
  NOT_TAKING: "Not taking or not attending",
};

/** How much the pain limits daily life. */
export const LIMITATIONS: readonly Limitation[] = Object.values(Limitation);
export const LIMITATION_LABELS: Record<Limitation, string> = {
  NONE: "None",
  MILD: "Mild",
  MODERATE: "Moderate",
  SEVERE: "Severe",
};

// ---------------------------------------------------------------------------------------------------
// Procedures

export const PROCEDURE_TYPES: readonly ProcedureType[] = Object.values(ProcedureType);
export const ESI_APPROACHES: readonly EsiApproach[] = Object.values(EsiApproach);
export const ESI_APPROACH_LABELS: Record<EsiApproach, string> = {
  INTERLAMINAR: "Interlaminar",
  TRANSFORAMINAL: "Transforaminal",
  CAUDAL: "Caudal",
};

export const PROCEDURE_TYPE_LABELS: Record<ProcedureType, string> = {
  EPIDURAL_STEROID_INJECTION: "Epidural steroid injection (ESI)",
  MEDIAL_BRANCH_BLOCK: "Medial branch block (MBB)",
  FACET_JOINT_INJECTION: "Facet joint injection",
  RADIOFREQUENCY_ABLATION: "Radiofrequency ablation (RFA)",
  SACROILIAC_JOINT_INJECTION: "Sacroiliac joint injection",
  GENICULAR_NERVE_BLOCK: "Genicular nerve block",
  PERIPHERAL_NERVE_BLOCK: "Peripheral nerve block",
  SPINAL_CORD_STIMULATOR_TRIAL: "Spinal cord stimulator (SCS) trial",
  SPINAL_CORD_STIMULATOR_IMPLANT: "Spinal cord stimulator (SCS) implant",
  INTRA_ARTICULAR_INJECTION: "Intra-articular joint injection (knee, hip, shoulder)",
  TRIGGER_POINT_INJECTION: "Trigger point injection",
  OTHER: "Other procedure",
};

/** A procedure as the record names it: "Epidural steroid injection (ESI), Lumbar spine L4–L5". */
export function procedureName({
  type,
  region,
  level,
}: {
  type: ProcedureType;
  region: BodyRegion;
  level: string | null;
}): string {
  return `${PROCEDURE_TYPE_LABELS[type]}, ${BODY_REGION_LABELS[region]}${level ? ` ${level}` : ""}`;
}

export const IMAGING_MODALITY_LABELS: Record<ImagingModality, string> = {
  MRI: "MRI",
  CT: "CT",
  CT_MYELOGRAM: "CT myelogram",
  XRAY: "X-ray",
  ULTRASOUND: "Ultrasound",
};

export const IMAGING_CONCORDANCE_LABELS: Record<ImagingConcordance, string> = {
  CONCORDANT: "Concordant with the clinical findings",
  NOT_CONCORDANT: "Not concordant",
  NOT_ASSESSED: "Concordance not assessed",
};

export const RADICULAR_SIGN_LABELS: Record<RadicularSign, string> = {
  PAIN_BELOW_KNEE_OR_ELBOW: "Pain radiates below the knee or elbow",
  DERMATOMAL_DISTRIBUTION: "Dermatomal distribution",
  POSITIVE_NEURAL_TENSION_SIGN: "Positive neural tension sign (straight-leg raise, Spurling)",
  MATCHING_NEUROLOGICAL_DEFICIT: "Sensory, motor or reflex deficit matching the level",
};
export const RADICULAR_SIGNS = Object.keys(RADICULAR_SIGN_LABELS) as RadicularSign[];

/** Joints where PainPath records an intra-articular injection. */
export const INTRA_ARTICULAR_REGIONS: readonly BodyRegion[] = ["KNEE", "HIP", "SHOULDER"];

export const REFERRAL_URGENCY_LABELS: Record<ReferralUrgency, string> = {
  ROUTINE: "Routine",
  SOON: "Soon (within weeks)",
  URGENT: "Urgent",
};

export const DISMISS_REASON_LABELS: Record<DismissReason, string> = {
  NOT_CLINICALLY_INDICATED: "Not clinically indicated",
  PATIENT_DECLINES: "Patient declines interventional care",
  ALREADY_UNDER_SPECIALIST: "Already under an interventional specialist",
  DATA_INCORRECT: "The record is incomplete or incorrect",
  CONTRAINDICATED: "Contraindicated",
  OTHER: "Other (see note)",
};

/** The cautions recorded as yes/no on the patient, as clinicians name them. */
export const CAUTION_LABELS = {
  onAnticoagulant: "Anticoagulant not in the list",
  onAntiplatelet: "Antiplatelet not in the list",
  bleedingDisorder: "Bleeding disorder",
  pregnant: "Pregnancy",
  poorlyControlledDiabetes: "Poorly controlled diabetes",
  implantedCardiacDevice: "Implanted cardiac device",
  activeInfection: "Active infection",
  onBenzodiazepine: "Benzodiazepine prescribed",
} as const;
