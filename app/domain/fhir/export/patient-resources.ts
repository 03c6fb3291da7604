import type {
  AllergyIntolerance,
  Annotation,
  Bundle,
  CodeableConcept,
  Condition,
  Dosage,
  Extension,
  ImagingStudy,
  MedicationStatement,
  Observation,
  ObservationComponent,
  Patient,
  Procedure,
  Quantity,
  Reference,
  Resource,
  RiskAssessment,
  ServiceRequest,
  Timing,
} from "@medplum/fhirtypes";
import { ANTITHROMBOTIC_DRUGS } from "~/domain/clinical/antithrombotics";
import { ALLERGY_LABELS, type CodedAllergy } from "../../allergies";
import { OPIOIDS, SCHEDULED_DOSES_PER_DAY, type OpioidId } from "../../clinical/mme";
import { drugName } from "../../clinical/drugs";
import { therapyLabel } from "../../pathway-overview";
import {
  BODY_REGION_LABELS,
  isMedicationModality,
  LIMITATION_LABELS,
  PROCEDURE_TYPE_LABELS,
  PSYCH_EVALUATION_STATUS_LABELS,
  SIDE_EFFECT_KIND_LABELS,
  SIDE_EFFECT_SEVERITY_LABELS,
  STOP_REASON_LABELS,
  THERAPY_MODALITY_LABELS,
  ADHERENCE_LABELS,
} from "../../pathway-vocabulary";
import type { Evidence } from "../../referral/types";
import type { FhirExportRecord } from "./record";
import {
  concept,
  LOINC,
  loincCoding,
  painpathCoding,
  painpathExtension,
  painpathSystem,
  procedureCodingsFor,
  snomedCodingsFor,
  SYSTEMS,
} from "./vocabulary";

export interface FhirExportOptions {
  /** The facility's MRN identifier system (FHIR_MRN_SYSTEM). */
  mrnSystem: string;
}

export type PainPathResource =
  | Patient
  | Condition
  | MedicationStatement
  | Observation
  | Procedure
  | ImagingStudy
  | ServiceRequest
  | AllergyIntolerance
  | RiskAssessment;

/** A relative reference (`Type/id`), as Bulk Data NDJSON and a searchset both resolve. */
const ref = <T extends Resource = never>(type: string, id: string): Reference<T> => ({ reference: `${type}/${id}` });

/**
 * One patient's pathway as FHIR R4 resources, in a fixed order and with PainPath's ids, so the
 * same record always exports the same bytes. Pure: `options` carries what the site configures.
 *
 * Entered-in-error rows are kept, with status entered-in-error (R4: "the resource should not be
 * treated as valid", https://hl7.org/fhir/R4/observation-definitions.html#Observation.status), so
 * a system that received an earlier export learns of the correction: docs/decisions/015.
 */
export function patientResources(record: FhirExportRecord, options: FhirExportOptions): PainPathResource[] {
  const subject = ref<Patient>("Patient", record.patient.id);
  const therapyTypes = new Map(
    record.therapies.map((therapy) => [
      therapy.id,
      isMedicationModality(therapy.modality) ? "MedicationStatement" : "Procedure",
    ]),
  );
  return [
    patientResource(record, options),
    ...allergyResources(record, subject),
    cautionsObservation(record, subject),
    ...record.diagnoses.map((diagnosis) => conditionResource(diagnosis, subject)),
    ...record.therapies.map((therapy) =>
      isMedicationModality(therapy.modality)
        ? medicationStatement(therapy, subject)
        : conservativeTherapyProcedure(therapy, subject),
    ),
    ...record.assessments.flatMap((assessment) => assessmentObservations(assessment, subject)),
    ...record.imaging.map((study) => imagingStudy(study, subject)),
    ...record.procedures.map((procedure) => interventionalProcedure(procedure, subject)),
    ...record.referrals.map((referral) => serviceRequest(referral, subject)),
    ...record.evaluations.map((evaluation) => riskAssessment(evaluation, subject, therapyTypes)),
  ];
}

function patientResource(record: FhirExportRecord, options: FhirExportOptions): Patient {
  const { patient } = record;
  return {
    resourceType: "Patient",
    id: patient.id,
    identifier: [
      {
        use: "usual",
        type: concept([{ system: SYSTEMS.identifierType, code: "MR", display: "Medical record number" }]),
        system: options.mrnSystem,
        value: patient.mrn,
      },
    ],
    active: patient.status === "ACTIVE",
    name: [{ use: "official", family: patient.familyName, given: [patient.givenName] }],
    gender: ({ FEMALE: "female", MALE: "male", OTHER: "other", UNKNOWN: "unknown" } as const)[patient.sex],
    birthDate: patient.birthDate,
    generalPractitioner: [{ display: patient.physicianName }],
  };
}

const ALLERGY_IDS: Record<CodedAllergy, string> = {
  contrastAllergy: "contrast",
  latexAllergy: "latex",
  localAnaestheticAllergy: "local-anaesthetic",
  corticosteroidAllergy: "corticosteroid",
};

function allergyResources(record: FhirExportRecord, patient: Reference<Patient>): AllergyIntolerance[] {
  const base = (id: string, code: CodeableConcept): AllergyIntolerance => ({
    resourceType: "AllergyIntolerance",
    id: `${record.patient.id}-allergy-${id}`,
    clinicalStatus: concept([{ system: SYSTEMS.allergyClinical, code: "active" }]),
    verificationStatus: concept([{ system: SYSTEMS.allergyVerification, code: "confirmed" }]),
    code,
    patient,
  });
  const coded = (Object.keys(ALLERGY_LABELS) as CodedAllergy[])
    .filter((allergy) => record.patient.cautions[allergy])
    .map((allergy) =>
      base(
        ALLERGY_IDS[allergy],
        concept([painpathCoding("allergy", allergy, ALLERGY_LABELS[allergy])], ALLERGY_LABELS[allergy]),
      ),
    );
  const notes = record.patient.allergyNotes?.trim();
  return notes ? [...coded, base("notes", { text: notes })] : coded;
}

/**
 * The patient's clinical cautions, psychological evaluation and naloxone offer, which the referral
 * rules read: no standard resource holds them all, so one Observation with one component each.
 */
function cautionsObservation(record: FhirExportRecord, subject: Reference<Patient>): Observation {
  const { patient } = record;
  const flags = Object.entries(patient.cautions)
    .filter(([name]) => !(name in ALLERGY_LABELS))
    .map(([name, value]): ObservationComponent => ({
      code: concept([painpathCoding("caution", name)]),
      valueBoolean: value,
    }));
  const psych: ObservationComponent = {
    code: concept([painpathCoding("caution", "psychEvaluationStatus")]),
    valueCodeableConcept: concept(
      [painpathCoding("psych-evaluation-status", patient.psychEvaluationStatus)],
      PSYCH_EVALUATION_STATUS_LABELS[patient.psychEvaluationStatus],
    ),
  };
  const antithrombotics = patient.antithrombotics.map((drug): ObservationComponent => ({
    code: concept([painpathCoding("caution", "antithrombotic")]),
    valueCodeableConcept: concept(
      [painpathCoding("antithrombotic", drug, ANTITHROMBOTIC_DRUGS[drug].name)],
      ANTITHROMBOTIC_DRUGS[drug].name,
    ),
  }));
  const dated = (name: string, date: string | null): ObservationComponent[] =>
    date ? [{ code: concept([painpathCoding("caution", name)]), valueDateTime: date }] : [];
  return {
    resourceType: "Observation",
    id: `${patient.id}-cautions`,
    status: "final",
    code: concept([painpathCoding("observation", "clinical-cautions", "Clinical cautions")], "Clinical cautions"),
    subject,
    issued: patient.updatedAt,
    component: [
      ...flags,
      ...antithrombotics,
      psych,
      ...dated("psychEvaluationDate", patient.psychEvaluationDate),
      ...dated("naloxoneOfferedOn", patient.naloxoneOfferedOn),
    ],
  };
}

type Diagnosis = FhirExportRecord["diagnoses"][number];

function conditionResource(diagnosis: Diagnosis, subject: Reference<Patient>): Condition {
  const verification = diagnosis.enteredInError ? "entered-in-error" : "confirmed";
  return {
    resourceType: "Condition",
    id: diagnosis.id,
    extension: [
      painpathExtension("pain-type", diagnosis.painType),
      painpathExtension("surgical-status", diagnosis.surgicalStatus),
      ...diagnosis.redFlags.map((flag) => painpathExtension("red-flag", flag)),
      ...(diagnosis.radicularSigns ?? []).map((sign) => painpathExtension("radicular-sign", sign)),
    ],
    // con-5: no clinical status on a condition entered in error.
    ...(diagnosis.enteredInError
      ? {}
      : { clinicalStatus: concept([{ system: SYSTEMS.conditionClinical, code: "active" }]) }),
    verificationStatus: concept([{ system: SYSTEMS.conditionVerification, code: verification }]),
    category: [concept([{ system: SYSTEMS.conditionCategory, code: "problem-list-item" }])],
    code: concept(
      [
        { system: SYSTEMS.icd10cm, code: diagnosis.icd10Code, display: diagnosis.label },
        ...snomedCodingsFor(diagnosis.icd10Code),
      ],
      diagnosis.label,
    ),
    bodySite: [
      concept(
        [painpathCoding("body-region", diagnosis.bodyRegion, BODY_REGION_LABELS[diagnosis.bodyRegion])],
        BODY_REGION_LABELS[diagnosis.bodyRegion],
      ),
    ],
    subject,
    onsetDateTime: diagnosis.onsetDate,
    recordedDate: diagnosis.recordedAt,
    ...notes(diagnosis),
  };
}

/** A row's free-text note and, when it was entered in error, why: as `note`, or nothing. */
function notes(
  row: { enteredInError: boolean; enteredInErrorReason: string | null },
  text: string | null = null,
): { note?: Annotation[] } {
  const note = [
    ...(text ? [{ text }] : []),
    ...(row.enteredInError && row.enteredInErrorReason
      ? [{ text: `Entered in error: ${row.enteredInErrorReason}` }]
      : []),
  ];
  return note.length ? { note } : {};
}

type Therapy = FhirExportRecord["therapies"][number];

const STATUS_OF_TRIAL = { ACTIVE: "active", COMPLETED: "completed", STOPPED: "stopped" } as const;
const STATUS_OF_NON_DRUG_TRIAL = { ACTIVE: "in-progress", COMPLETED: "completed", STOPPED: "stopped" } as const;

function stopReasonConcept(therapy: Therapy): CodeableConcept | undefined {
  if (!therapy.stopReason) return undefined;
  const label = STOP_REASON_LABELS[therapy.stopReason];
  return concept(
    [painpathCoding("stop-reason", therapy.stopReason, label)],
    therapy.stopNote ? `${label}: ${therapy.stopNote}` : label,
  );
}

const modalityExtension = (therapy: Therapy): Extension => painpathExtension("therapy-modality", therapy.modality);

/**
 * RxNorm where PainPath knows the code: the MME table's ingredient RxCUIs. PainPath records an
 * ingredient and a dose, not a product (form, release), so no clinical-drug (SCD) code is claimed.
 */
function medicationStatement(therapy: Therapy, subject: Reference<Patient>): MedicationStatement {
  const stopReason = stopReasonConcept(therapy);
  const name = therapy.drug ? drugName(therapy.drug) : THERAPY_MODALITY_LABELS[therapy.modality];
  const rxnorm = therapy.drug ? opioidIngredient(therapy.drug) : undefined;
  return {
    resourceType: "MedicationStatement",
    id: therapy.id,
    extension: [modalityExtension(therapy)],
    status: therapy.enteredInError ? "entered-in-error" : STATUS_OF_TRIAL[therapy.status],
    ...(stopReason ? { statusReason: [stopReason] } : {}),
    medicationCodeableConcept: rxnorm ? concept([rxnorm], name) : { text: name },
    subject,
    effectivePeriod: { start: therapy.startDate, ...(therapy.endDate ? { end: therapy.endDate } : {}) },
    reasonReference: [ref("Condition", therapy.diagnosisId)],
    dosage: [dosage(therapy)],
    ...notes(therapy),
  };
}

function opioidIngredient(drug: string) {
  const ingredient = drug in OPIOIDS ? (OPIOIDS[drug as OpioidId] as { rxnormIngredient?: string }) : undefined;
  return ingredient?.rxnormIngredient
    ? { system: SYSTEMS.rxnorm, code: ingredient.rxnormIngredient, display: drugName(drug) }
    : undefined;
}

const UCUM_UNITS: Record<string, string> = { mg: "mg", mcg: "ug", g: "g", mL: "mL", "%": "%", "mcg/hr": "ug/h" };

/** Dose, route and frequency as recorded; an unknown dose stays absent, never guessed. */
function dosage(therapy: Therapy): Dosage {
  const doseQuantity: Quantity | undefined =
    therapy.dose === null
      ? undefined
      : {
          value: therapy.dose,
          ...(therapy.doseUnit ? { unit: therapy.doseUnit } : {}),
          ...(therapy.doseUnit && UCUM_UNITS[therapy.doseUnit]
            ? { system: SYSTEMS.ucum, code: UCUM_UNITS[therapy.doseUnit] }
            : {}),
        };
  const timing = timingOf(therapy);
  return {
    text: therapyLabel(therapy),
    ...(timing ? { timing } : {}),
    ...(therapy.frequency === "as-needed" ? { asNeededBoolean: true } : {}),
    ...(therapy.route ? { route: concept([painpathCoding("route", therapy.route)], therapy.route) } : {}),
    ...(doseQuantity ? { doseAndRate: [{ doseQuantity }] } : {}),
    ...(therapy.maxDosesPerDay !== null
      ? {
          maxDosePerPeriod: {
            numerator: { value: therapy.maxDosesPerDay, unit: "doses" },
            denominator: { value: 1, unit: "d", system: SYSTEMS.ucum, code: "d" },
          },
        }
      : {}),
  };
}

const HOURLY: Record<string, number> = {
  "every-4-hours": 4,
  "every-6-hours": 6,
  "every-8-hours": 8,
  "every-12-hours": 12,
};

function timingOf(therapy: Therapy): Timing | undefined {
  const frequency = therapy.frequency;
  if (!frequency) return undefined;
  const code = concept([painpathCoding("frequency", frequency)]);
  const hours = HOURLY[frequency];
  if (hours) return { code, repeat: { frequency: 1, period: hours, periodUnit: "h" } };
  if (frequency in SCHEDULED_DOSES_PER_DAY) {
    const perDay = SCHEDULED_DOSES_PER_DAY[frequency as keyof typeof SCHEDULED_DOSES_PER_DAY];
    return { code, repeat: { frequency: perDay, period: 1, periodUnit: "d" } };
  }
  return { code };
}

/** Physical, psychological and exercise therapy are care given, not drugs: a Procedure each. */
function conservativeTherapyProcedure(therapy: Therapy, subject: Reference<Patient>): Procedure {
  const stopReason = stopReasonConcept(therapy);
  const label = THERAPY_MODALITY_LABELS[therapy.modality];
  return {
    resourceType: "Procedure",
    id: therapy.id,
    extension: [
      modalityExtension(therapy),
      ...(therapy.sessionsPlanned !== null ? [painpathExtension("sessions-planned", therapy.sessionsPlanned)] : []),
      ...(therapy.sessionsAttended !== null ? [painpathExtension("sessions-attended", therapy.sessionsAttended)] : []),
    ],
    status: therapy.enteredInError ? "entered-in-error" : STATUS_OF_NON_DRUG_TRIAL[therapy.status],
    ...(stopReason ? { statusReason: stopReason } : {}),
    category: concept([painpathCoding("procedure-category", "conservative-therapy", "Conservative therapy")]),
    code: concept([painpathCoding("therapy-modality", therapy.modality, label)], label),
    subject,
    performedPeriod: { start: therapy.startDate, ...(therapy.endDate ? { end: therapy.endDate } : {}) },
    reasonReference: [ref("Condition", therapy.diagnosisId)],
    ...notes(therapy),
  };
}

type Assessment = FhirExportRecord["assessments"][number];

const score = (value: number, unit = "{score}"): Quantity => ({
  value,
  unit: unit === "%" ? "%" : "score",
  system: SYSTEMS.ucum,
  code: unit,
});

const SURVEY = [concept([{ system: SYSTEMS.observationCategory, code: "survey", display: "Survey" }])];

/** One outcome assessment: pain (LOINC 72514-3), PEG, ODI, NDI, limitation, and each side effect. */
function assessmentObservations(assessment: Assessment, subject: Reference<Patient>): Observation[] {
  const common = {
    resourceType: "Observation" as const,
    status: assessment.enteredInError ? ("entered-in-error" as const) : ("final" as const),
    category: SURVEY,
    subject,
    effectiveDateTime: assessment.date,
    issued: assessment.recordedAt,
  };
  const observations: Observation[] = [
    {
      ...common,
      id: `${assessment.id}-pain`,
      code: concept([loincCoding(LOINC.painSeverity)], "Pain now (0-10)"),
      valueQuantity: score(assessment.painNow),
      component: [
        {
          code: concept([painpathCoding("assessment", "pain-average", "Pain on average (0-10)")]),
          valueQuantity: score(assessment.painAverage),
        },
        {
          code: concept([painpathCoding("assessment", "pain-worst", "Pain at worst (0-10)")]),
          valueQuantity: score(assessment.painWorst),
        },
      ],
      ...notes(assessment, assessment.note),
    },
    {
      ...common,
      id: `${assessment.id}-peg`,
      code: concept([loincCoding(LOINC.pegMean)], "PEG score"),
      valueQuantity: score(assessment.pegScore),
      component: [
        { code: concept([loincCoding(LOINC.pegPain)]), valueQuantity: score(assessment.pegPain) },
        { code: concept([loincCoding(LOINC.pegEnjoyment)]), valueQuantity: score(assessment.pegEnjoyment) },
        { code: concept([loincCoding(LOINC.pegActivity)]), valueQuantity: score(assessment.pegActivity) },
      ],
    },
  ];
  if (assessment.odiPercent !== null) {
    observations.push({
      ...common,
      id: `${assessment.id}-odi`,
      code: concept([loincCoding(LOINC.odiScore)], "Oswestry Disability Index"),
      valueQuantity: score(assessment.odiPercent, "%"),
    });
  }
  if (assessment.ndiPercent !== null) {
    observations.push({
      ...common,
      id: `${assessment.id}-ndi`,
      code: concept([loincCoding(LOINC.ndiTotal)], "Neck Disability Index"),
      valueQuantity: score(assessment.ndiPercent, "%"),
    });
  }
  observations.push({
    ...common,
    id: `${assessment.id}-function`,
    code: concept([painpathCoding("assessment", "limitation", "Limitation of daily life by pain")]),
    valueCodeableConcept: concept(
      [painpathCoding("limitation", assessment.limitation)],
      LIMITATION_LABELS[assessment.limitation],
    ),
    ...(assessment.adherence
      ? {
          component: [
            {
              code: concept([painpathCoding("assessment", "adherence", "Adherence to the current therapies")]),
              valueCodeableConcept: concept(
                [painpathCoding("adherence", assessment.adherence)],
                ADHERENCE_LABELS[assessment.adherence],
              ),
            },
          ],
        }
      : {}),
  });
  for (const effect of assessment.sideEffects) {
    observations.push({
      ...common,
      id: effect.id,
      code: concept([painpathCoding("assessment", "side-effect", "Side effect of a medication")]),
      focus: [ref("MedicationStatement", effect.therapyTrialId)],
      valueCodeableConcept: concept(
        [painpathCoding("side-effect-severity", effect.severity)],
        SIDE_EFFECT_SEVERITY_LABELS[effect.severity],
      ),
      ...((effect.kinds ?? []).length
        ? {
            component: (effect.kinds ?? []).map((kind) => ({
              code: concept([painpathCoding("assessment", "side-effect-kind")]),
              valueCodeableConcept: concept([painpathCoding("side-effect-kind", kind)], SIDE_EFFECT_KIND_LABELS[kind]),
            })),
          }
        : {}),
    });
  }
  return observations;
}

type Imaging = FhirExportRecord["imaging"][number];

/** DICOM modality codes (https://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_29.html). */
const DICOM_MODALITY = { MRI: "MR", CT: "CT", CT_MYELOGRAM: "CT", XRAY: "DX", ULTRASOUND: "US" } as const;

/**
 * A study PainPath recorded for a diagnosis: its modality (DICOM, with PainPath's own code, which
 * tells a CT myelogram from a CT), date, the finding, and whether it was judged concordant with the
 * clinical picture, which the ESI rule reads and no standard element carries.
 */
function imagingStudy(study: Imaging, subject: Reference<Patient>): ImagingStudy {
  return {
    resourceType: "ImagingStudy",
    id: study.id,
    extension: [
      painpathExtension("imaging-modality", study.modality),
      painpathExtension("imaging-concordance", study.concordance),
    ],
    status: study.enteredInError ? "entered-in-error" : "available",
    modality: [{ system: SYSTEMS.dicom, code: DICOM_MODALITY[study.modality] }],
    subject,
    started: study.performedOn,
    reasonReference: [ref("Condition", study.diagnosisId)],
    description: study.finding,
    ...notes(study),
  };
}

type ProcedureRow = FhirExportRecord["procedures"][number];

function interventionalProcedure(procedure: ProcedureRow, subject: Reference<Patient>): Procedure {
  const label = PROCEDURE_TYPE_LABELS[procedure.type];
  const region = BODY_REGION_LABELS[procedure.region];
  const numbers: Array<[string, number | null]> = [
    ["pain-before", procedure.painBefore],
    ["pain-after", procedure.painAfter],
    ["relief-percent", procedure.reliefPercent],
    ["relief-duration-days", procedure.reliefDurationDays],
  ];
  const relief =
    procedure.reliefPercent !== null
      ? `${procedure.reliefPercent} % relief` +
        (procedure.reliefDurationDays !== null ? ` for ${procedure.reliefDurationDays} days` : "")
      : undefined;
  return {
    resourceType: "Procedure",
    id: procedure.id,
    extension: [
      painpathExtension("pain-scale", procedure.scaleName, "string"),
      ...numbers.flatMap(([name, value]) => (value === null ? [] : [painpathExtension(name, value)])),
      ...(procedure.level ? [painpathExtension("level", procedure.level, "string")] : []),
      ...(procedure.approach ? [painpathExtension("esi-approach", procedure.approach)] : []),
      ...(procedure.injectate ? [painpathExtension("injectate", procedure.injectate, "string")] : []),
    ],
    ...(procedure.referralId ? { basedOn: [ref("ServiceRequest", procedure.referralId)] } : {}),
    status: procedure.enteredInError ? "entered-in-error" : "completed",
    category: concept([painpathCoding("procedure-category", "interventional", "Interventional pain procedure")]),
    code: concept([...procedureCodingsFor(procedure), painpathCoding("procedure-type", procedure.type, label)], label),
    subject,
    performedDateTime: procedure.performedOn,
    bodySite: [
      concept(
        [painpathCoding("body-region", procedure.region, region)],
        procedure.level ? `${region} ${procedure.level}` : region,
      ),
    ],
    ...(procedure.diagnosisId ? { reasonReference: [ref("Condition", procedure.diagnosisId)] } : {}),
    ...(relief ? { outcome: { text: relief } } : {}),
    ...notes(procedure, procedure.note),
  };
}

type Referral = FhirExportRecord["referrals"][number];

/** Pending and scheduled are both "active" in R4; the exact PainPath status rides in an extension. */
const REQUEST_STATUS = {
  PENDING: "active",
  SCHEDULED: "active",
  COMPLETED: "completed",
  CANCELLED: "revoked",
} as const;
const REQUEST_PRIORITY = { ROUTINE: "routine", SOON: "urgent", URGENT: "asap" } as const;

function serviceRequest(referral: Referral, subject: Reference<Patient>): ServiceRequest {
  const label = PROCEDURE_TYPE_LABELS[referral.procedure];
  const outcome = [
    referral.procedureDate ? `Procedure on ${referral.procedureDate}` : null,
    referral.reliefPercent !== null
      ? `${referral.reliefPercent} % relief` +
        (referral.reliefDurationDays !== null ? ` for ${referral.reliefDurationDays} days` : "")
      : null,
    referral.cancelReason ? `Cancelled: ${referral.cancelReason}` : null,
  ].filter((line): line is string => line !== null);
  return {
    resourceType: "ServiceRequest",
    id: referral.id,
    extension: [
      painpathExtension("referral-status", referral.status),
      painpathExtension("conservative-care-continues", referral.conservativeCareContinues),
    ],
    status: REQUEST_STATUS[referral.status],
    intent: "order",
    priority: REQUEST_PRIORITY[referral.urgency],
    code: concept([painpathCoding("procedure-type", referral.procedure, label)], label),
    subject,
    ...(referral.scheduledFor ? { occurrenceDateTime: referral.scheduledFor } : {}),
    authoredOn: referral.createdAt,
    performer: [{ display: referral.receivingClinic }],
    reasonCode: [{ text: referral.reason }],
    reasonReference: [ref("Condition", referral.diagnosisId)],
    ...(referral.evaluationId ? { supportingInfo: [ref("RiskAssessment", referral.evaluationId)] } : {}),
    ...(outcome.length ? { note: outcome.map((text) => ({ text })) } : {}),
  };
}

type StoredEvaluation = FhirExportRecord["evaluations"][number];

const EVIDENCE_TYPES: Partial<Record<Evidence["kind"], string>> = {
  diagnosis: "Condition",
  procedure: "Procedure",
  imaging: "ImagingStudy",
  patient: "Patient",
};

/**
 * The diagnosis's current evaluation. `basis` names each criterion met (the rule as an identifier,
 * its explanation and source as the display), then the records those criteria used. No
 * `prediction`: PainPath gives no probability, and without one the base validator's ras-2 check
 * fails.
 */
function riskAssessment(
  { id, evaluatedAt, evaluation }: StoredEvaluation,
  subject: Reference<Patient>,
  therapyTypes: ReadonlyMap<string, string>,
): RiskAssessment {
  const met = evaluation.criteria.filter((criterion) => criterion.status === "met");
  const criteria: Reference[] = [
    ...(evaluation.urgent
      ? [
          {
            identifier: { system: painpathSystem("rule"), value: evaluation.urgent.ruleId ?? "RED-FLAG" },
            display: `Red flag, evaluate now: ${evaluation.urgent.explanation}${
              evaluation.urgent.source ? ` Source: ${evaluation.urgent.source}` : ""
            }`,
          },
        ]
      : []),
    ...met.map((criterion) => ({
      identifier: { system: painpathSystem("rule"), value: criterion.ruleId },
      display: `${criterion.ruleId} v${criterion.ruleVersion} met: ${criterion.explanation} Source: ${criterion.source}`,
    })),
  ];
  const records = new Map<string, Reference>();
  for (const evidence of met.flatMap((criterion) => criterion.evidence)) {
    const target = evidenceReference(evidence.kind, evidence.id, therapyTypes);
    if (target && !records.has(target)) records.set(target, { reference: target, display: evidence.summary });
  }
  const basis = [...criteria, ...records.values()];
  return {
    resourceType: "RiskAssessment",
    id,
    status: "final",
    method: concept(
      [painpathCoding("rule-set", evaluation.ruleSetVersion)],
      `PainPath rule set ${evaluation.ruleSetVersion}`,
    ),
    code: concept([painpathCoding("observation", "interventional-referral", "Consider interventional referral")]),
    subject,
    occurrenceDateTime: evaluatedAt,
    condition: ref("Condition", evaluation.diagnosisId),
    ...(basis.length ? { basis } : {}),
    note: [
      { text: evaluation.summary },
      ...evaluation.suggestions.map((suggestion) => ({
        text: `Suggested: ${PROCEDURE_TYPE_LABELS[suggestion.procedure]} (${suggestion.ruleId})`,
      })),
      { text: evaluation.disclaimer },
    ],
  };
}

function evidenceReference(
  kind: Evidence["kind"],
  id: string | undefined,
  therapyTypes: ReadonlyMap<string, string>,
): string | null {
  if (!id) return null;
  // An assessment is several Observations: its pain score stands for it.
  if (kind === "assessment") return `Observation/${id}-pain`;
  const type = kind === "therapy" ? therapyTypes.get(id) : EVIDENCE_TYPES[kind];
  return type ? `${type}/${id}` : null;
}

/** The `$everything` answer: a searchset with the patient as the match and the rest included. */
export function everythingBundle(resources: PainPathResource[], baseUrl: string, timestamp: string): Bundle {
  return {
    resourceType: "Bundle",
    type: "searchset",
    timestamp,
    total: 1,
    entry: resources.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: resource.resourceType === "Patient" ? "match" : "include" },
    })),
  };
}
