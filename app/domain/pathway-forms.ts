import * as z from "zod";
import {
  Adherence,
  AntithromboticDrug,
  BodyRegion,
  EsiApproach,
  ImagingConcordance,
  ImagingModality,
  Limitation,
  PainType,
  PatientStatus,
  ProcedureType,
  PsychEvaluationStatus,
  RadicularSign,
  RedFlag,
  Sex,
  SideEffectKind,
  SideEffectSeverity,
  StopReason,
  SurgicalStatus,
  TherapyModality,
} from "~/generated/prisma/enums";
import { opioidLike, resolveDrug, storedDrug, unresolvedDrugMessage } from "./clinical/drugs";
import { OPIOIDS } from "./clinical/mme";
import { isIsoDate, type IsoDate } from "./iso-date";
import { plainText, type TextLines } from "./plain-text";
import { schemaPerDay } from "./schema-per-day";
import {
  INTRA_ARTICULAR_REGIONS,
  isMedicationModality,
  THERAPY_MODALITY_LABELS,
  isValidIcd10Format,
  normalizeIcd10,
} from "./pathway-vocabulary";

/**
 * One zod schema per form, used for the browser's hints and the server's validation alike.
 * Schemas that check "not in the future" take today's date in the clinic's time zone.
 */

const TEXT_MAX = 200;
const NOTE_MAX = 2000;

function date(what: string) {
  return z
    .string({ error: `Enter the ${what}.` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${what} as YYYY-MM-DD.`)
    .refine(isIsoDate, `The ${what} is not a real calendar date.`)
    .refine((value) => value >= "1900-01-01", `The ${what} is too far in the past.`);
}

function pastDate(what: string, today: IsoDate) {
  return date(what).refine((value) => value <= today, `The ${what} cannot be in the future.`);
}

function text(what: string, max = TEXT_MAX, lines: TextLines = "single-line") {
  return z
    .string({ error: `Enter the ${what}.` })
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(max, `Use at most ${max} characters.`)
    .superRefine(plainText(lines));
}

/** An optional single-line value, such as a drug or a spinal level. */
function optionalLine(max: number) {
  return z.string().trim().max(max, `Use at most ${max} characters.`).superRefine(plainText("single-line")).optional();
}

function optionalNote(max = NOTE_MAX) {
  return z.string().trim().max(max, `Use at most ${max} characters.`).superRefine(plainText("multi-line")).optional();
}

function score(what: string, max = 10) {
  return z
    .number({ error: `Enter ${what} (0–${max}).` })
    .int(`Use a whole number from 0 to ${max}.`)
    .min(0, `Use a whole number from 0 to ${max}.`)
    .max(max, `Use a whole number from 0 to ${max}.`);
}

const version = z.number({ error: "The form is missing its version; reload the page." }).int().min(1);
const correctionReason = optionalNote(500);

export const patientSchema = schemaPerDay((today: IsoDate) =>
  z
    .object({
      mrn: text("medical record number", 32).regex(/^[A-Za-z0-9-]+$/, "Use letters, digits and hyphens only."),
      givenName: text("given name", 100),
      familyName: text("family name", 100),
      birthDate: pastDate("date of birth", today),
      sex: z.enum(Sex, { error: "Choose the sex." }),
      assignedPhysicianId: z.uuid({ error: "Choose the assigned physician." }),
      antithrombotics: z.array(z.enum(AntithromboticDrug)).default([]),
      onAnticoagulant: z.boolean().default(false),
      onAntiplatelet: z.boolean().default(false),
      bleedingDisorder: z.boolean().default(false),
      pregnant: z.boolean().default(false),
      contrastAllergy: z.boolean().default(false),
      poorlyControlledDiabetes: z.boolean().default(false),
      implantedCardiacDevice: z.boolean().default(false),
      activeInfection: z.boolean().default(false),
      onBenzodiazepine: z.boolean().default(false),
      latexAllergy: z.boolean().default(false),
      localAnaestheticAllergy: z.boolean().default(false),
      corticosteroidAllergy: z.boolean().default(false),
      allergyNotes: z.string().trim().max(500, "Use at most 500 characters.").optional(),
      naloxoneOfferedOn: pastDate("date naloxone was offered", today).optional(),
      psychEvaluationStatus: z.enum(PsychEvaluationStatus).default("NOT_DONE"),
      psychEvaluationDate: pastDate("psychological evaluation date", today).optional(),
    })
    .refine((patient) => patient.psychEvaluationStatus === "NOT_DONE" || patient.psychEvaluationDate, {
      path: ["psychEvaluationDate"],
      message: "Enter the date of the psychological evaluation.",
    }),
);
export type PatientInput = z.infer<ReturnType<typeof patientSchema>>;

export const patientEditSchema = schemaPerDay((today: IsoDate) =>
  z.intersection(patientSchema(today), z.object({ status: z.enum(PatientStatus), version, reason: correctionReason })),
);

export const diagnosisSchema = schemaPerDay((today: IsoDate) =>
  z.object({
    icd10Code: z
      .string({ error: "Enter the ICD-10-CM code." })
      .transform(normalizeIcd10)
      .refine(isValidIcd10Format, "This is not an ICD-10-CM code (e.g. M54.16)."),
    label: text("diagnosis"),
    bodyRegion: z.enum(BodyRegion, { error: "Choose the body region." }),
    painType: z.enum(PainType, { error: "Choose the pain type." }),
    onsetDate: pastDate("onset date", today),
    surgicalStatus: z.enum(SurgicalStatus).default("NOT_EVALUATED"),
    redFlags: z.array(z.enum(RedFlag)).default([]),
    radicularSigns: z.array(z.enum(RadicularSign)).default([]),
  }),
);
export type DiagnosisInput = z.infer<ReturnType<typeof diagnosisSchema>>;

export const diagnosisEditSchema = schemaPerDay((today: IsoDate) =>
  diagnosisSchema(today).extend({ version, reason: correctionReason }),
);

const positive = (what: string) =>
  z
    .number({ error: `Enter the ${what}.` })
    .positive(`The ${what} must be a positive number.`)
    .max(100_000, "Too large.");

/** Why the drug typed cannot be recorded for this kind of therapy and unit, or null. */
function drugProblem(typed: string, modality: TherapyModality, asTyped: boolean, doseUnit: string | undefined) {
  const match = resolveDrug(typed);
  if (match.drug === null) {
    const opioid = modality === "OPIOID" ? null : opioidLike(typed);
    if (opioid)
      return {
        field: "drug",
        message: `'${typed}' looks like ${opioid.name}, an opioid: choose it from the list, so its daily MME is known.`,
      };
    if (modality === "OPIOID")
      return {
        field: "drug",
        message: `${unresolvedDrugMessage(typed, match)} Opioids come from the list, so their daily MME is known.`,
      };
    if (asTyped) return null;
    return {
      field: "drug",
      message: `${unresolvedDrugMessage(typed, match)} Or tick “Not in the list” to keep the name as typed.`,
    };
  }
  const { name, modalities, opioid } = match.drug;
  if (!modalities.includes(modality)) {
    const kinds = modalities.map((kind) => `“${THERAPY_MODALITY_LABELS[kind]}”`).join(" or ");
    return { field: "drug", message: `${name} is recorded as ${kinds}: choose that therapy, or another drug.` };
  }
  if (opioid && doseUnit !== OPIOIDS[opioid].unit)
    return { field: "doseUnit", message: `${name} is dosed in ${OPIOIDS[opioid].unit}.` };
  return null;
}

export const therapySchema = schemaPerDay((today: IsoDate) =>
  z
    .object({
      diagnosisId: z.uuid({ error: "Choose the diagnosis this therapy treats." }),
      modality: z.enum(TherapyModality, { error: "Choose the kind of therapy." }),
      startDate: pastDate("start date", today),
      endDate: pastDate("end date", today).optional(),
      stopReason: z.enum(StopReason).optional(),
      // A name the list knows is stored as its catalogue id, so "OxyContin" and "oxycodone" are one drug.
      drug: optionalLine(100).transform((typed) => typed && storedDrug(typed)),
      /** Keep a drug the list does not have under the name typed (never for an opioid: no MME without it). */
      drugAsTyped: z.boolean().default(false),
      dose: positive("dose").optional(),
      doseUnit: optionalLine(20),
      frequency: optionalLine(40),
      maxDosesPerDay: z.number().int("Use a whole number.").min(1, "At least 1.").max(24, "At most 24.").optional(),
      route: optionalLine(40),
      sessionsPlanned: z.number().int("Use a whole number.").min(1, "At least 1.").max(200, "At most 200.").optional(),
      sessionsAttended: z.number().int("Use a whole number.").min(0, "Cannot be negative.").max(200).optional(),
    })
    .superRefine((therapy, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      if (therapy.endDate && therapy.endDate < therapy.startDate)
        issue("endDate", "The end date is before the start date.");
      if (therapy.endDate && !therapy.stopReason) issue("stopReason", "Say why the therapy ended.");
      if (!therapy.endDate && therapy.stopReason) issue("endDate", "Enter the end date, or leave the reason empty.");
      if (isMedicationModality(therapy.modality)) {
        if (!therapy.drug) issue("drug", "Enter the drug.");
        if (therapy.dose === undefined) issue("dose", "Enter the dose.");
        if (!therapy.doseUnit) issue("doseUnit", "Enter the dose unit.");
        if (!therapy.frequency) issue("frequency", "Enter how often it is taken.");
        if (!therapy.route) issue("route", "Enter the route.");
      }
      if (isMedicationModality(therapy.modality) && therapy.drug) {
        const problem = drugProblem(therapy.drug, therapy.modality, therapy.drugAsTyped, therapy.doseUnit);
        if (problem) issue(problem.field, problem.message);
      }
      if (therapy.frequency === "as-needed" && therapy.maxDosesPerDay === undefined) {
        issue("maxDosesPerDay", "Enter the most doses allowed per day.");
      }
      if (
        therapy.sessionsAttended !== undefined &&
        therapy.sessionsPlanned !== undefined &&
        therapy.sessionsAttended > therapy.sessionsPlanned
      ) {
        issue("sessionsAttended", "More sessions attended than planned.");
      }
    }),
);
export type TherapyInput = z.infer<ReturnType<typeof therapySchema>>;

export const stopTherapySchema = schemaPerDay((today: IsoDate) =>
  z.object({
    endDate: pastDate("end date", today),
    stopReason: z.enum(StopReason, { error: "Say why the therapy ended." }),
    stopNote: optionalNote(),
    sessionsAttended: z.number().int("Use a whole number.").min(0, "Cannot be negative.").max(200).optional(),
    version,
  }),
);
export type StopTherapyInput = z.infer<ReturnType<typeof stopTherapySchema>>;

export const assessmentSchema = schemaPerDay((today: IsoDate) =>
  z
    .object({
      assessedOn: pastDate("assessment date", today),
      painNow: score("pain now"),
      painAverage: score("average pain"),
      painWorst: score("worst pain"),
      pegPain: score("PEG pain (average pain in the past week)"),
      pegEnjoyment: score("PEG enjoyment of life"),
      pegActivity: score("PEG general activity"),
      odiPercent: score("the Oswestry Disability Index %", 100).optional(),
      ndiPercent: score("the Neck Disability Index %", 100).optional(),
      adherence: z.enum(Adherence).optional(),
      limitation: z.enum(Limitation, { error: "Choose how much pain limits mobility and daily life." }),
      sideEffects: z
        .array(
          z
            .object({
              therapyTrialId: z.uuid(),
              severity: z.enum(SideEffectSeverity).default("NONE"),
              kinds: z.array(z.enum(SideEffectKind)).max(8).default([]),
            })
            // IMMPACT 2008: an adverse event is recorded by type, not only by severity.
            .refine((effect) => effect.severity === "NONE" || effect.kinds.length > 0, {
              path: ["kinds"],
              message: "Say what the side effect was (e.g. constipation).",
            }),
        )
        .max(50)
        .default([]),
      note: optionalNote(),
    })
    .refine((assessment) => assessment.painWorst >= assessment.painAverage, {
      path: ["painWorst"],
      message: "Worst pain cannot be lower than average pain.",
    }),
);
export type AssessmentInput = z.infer<ReturnType<typeof assessmentSchema>>;

export const procedureSchema = schemaPerDay((today: IsoDate) =>
  z
    .object({
      type: z.enum(ProcedureType, { error: "Choose the procedure." }),
      region: z.enum(BodyRegion, { error: "Choose the region." }),
      level: optionalLine(40),
      approach: z.enum(EsiApproach).optional(),
      injectate: optionalLine(200),
      diagnosisId: z.uuid().optional(),
      performedOn: pastDate("procedure date", today),
      scaleName: text("pain scale", 60).default("NRS 0–10"),
      painBefore: score("the pain before").optional(),
      painAfter: score("the pain after").optional(),
      reliefPercent: score("the relief %", 100).optional(),
      reliefDurationDays: z.number().int("Use whole days.").min(0, "Cannot be negative.").max(3650).optional(),
      note: optionalNote(),
    })
    .refine((procedure) => (procedure.painBefore === undefined) === (procedure.painAfter === undefined), {
      path: ["painAfter"],
      message: "Enter both the pain before and after, on the same scale, or neither.",
    })
    // LCD L39240: a retry after a failed ESI changes the approach, level or drug, so each ESI records them.
    .refine((procedure) => procedure.type !== "EPIDURAL_STEROID_INJECTION" || procedure.approach !== undefined, {
      path: ["approach"],
      message: "Choose the approach of the epidural injection.",
    })
    .refine(
      (procedure) =>
        procedure.type !== "INTRA_ARTICULAR_INJECTION" || INTRA_ARTICULAR_REGIONS.includes(procedure.region),
      { path: ["region"], message: "Intra-articular injections are recorded for the knee, hip or shoulder." },
    ),
);
export type ProcedureInput = z.infer<ReturnType<typeof procedureSchema>>;

export const imagingSchema = schemaPerDay((today: IsoDate) =>
  z.object({
    diagnosisId: z.uuid({ error: "Choose the diagnosis the imaging is for." }),
    modality: z.enum(ImagingModality, { error: "Choose the kind of imaging." }),
    performedOn: pastDate("imaging date", today),
    concordance: z.enum(ImagingConcordance, { error: "Say whether the findings match the clinical picture." }),
    finding: text("finding (e.g. L5-S1 disc protrusion contacting the left S1 root)", 300),
  }),
);
export type ImagingInput = z.infer<ReturnType<typeof imagingSchema>>;

export const ENTERED_IN_ERROR_ENTITIES = [
  "PainDiagnosis",
  "TherapyTrial",
  "OutcomeAssessment",
  "ProcedureRecord",
  "ImagingStudy",
] as const;

export const enteredInErrorSchema = z.object({
  entity: z.enum(ENTERED_IN_ERROR_ENTITIES),
  id: z.uuid(),
  version,
  reason: text("reason the entry is wrong", 500, "multi-line").refine(
    (value) => value.length >= 3,
    "Say why the entry is wrong.",
  ),
});
export type EnteredInErrorInput = z.infer<typeof enteredInErrorSchema>;

/** Patient search needs this many characters: fewer would match most of the registry. */
export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_MAX_LENGTH = 100;

/** What is typed into the patient search: text like any other, never sent to the database unchecked. */
export const patientSearchSchema = z
  .string()
  .max(SEARCH_MAX_LENGTH, `Use at most ${SEARCH_MAX_LENGTH} characters.`)
  .superRefine(plainText("single-line"))
  .transform((value) => value.trim());
