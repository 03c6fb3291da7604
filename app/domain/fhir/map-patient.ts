/**
 * One patient's FHIR R4 resources → PainPath's pathway draft, with one outcome per resource.
 * Pure: references are already `ResourceType/id` (the readers resolve `urn:uuid:` ones), and
 * nothing is looked up outside the input and the code maps.
 */
import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  ImagingStudy,
  Medication,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Procedure,
  Reference,
  Resource,
} from "@medplum/fhirtypes";
import { type AntithromboticDrug, TherapyModality, type TherapyStatus } from "~/generated/prisma/enums";
import { isMedicationModality, normalizeIcd10 } from "../pathway-vocabulary";
import {
  ALLERGY_CAUTIONS,
  CONDITIONS,
  codeKey,
  INGREDIENTS_BY_RXCUI,
  OBSERVATIONS,
  PROCEDURES,
  PRODUCTS,
  SYSTEMS,
  verificationNote,
} from "./code-maps";
import { storedDrug } from "../clinical/drugs";
import { classifyIngredient, classifyProduct, parseRxNormName, type ProductClass, readDosage } from "./medication";
import { dayOf } from "./fhir-date";
import {
  cautionsOf,
  conditionDetail,
  conservativeTherapyOf,
  imagingOf,
  interventionalDetail,
  readAssessments,
  stopReasonOf,
} from "./own-codes";
import { painpathExtensionCode, painpathSystem } from "./painpath-codes";
import type {
  CodeDecision,
  DraftDiagnosis,
  DraftImaging,
  DraftPatient,
  DraftProcedure,
  DraftScore,
  DraftTherapy,
  MappingOptions,
  PatientCautionFlag,
  PatientMapping,
  ResourceOutcome,
  SourceRef,
  UnknownCode,
} from "./types";

const MR_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0203";

export function resourceKey(resource: Resource): string {
  return `${resource.resourceType}/${resource.id ?? ""}`;
}

/**
 * The medication fields of a therapy that is not a medication. Key order matters: the import
 * hashes the draft as JSON to see whether the source changed it.
 */
const NO_MEDICATION = {
  drug: null,
  product: null,
  rxnormCode: null,
  extendedRelease: false,
  dose: null,
  doseUnit: null,
  frequency: null,
  maxDosesPerDay: null,
  route: null,
} as const;

function sourceOf(resource: Resource): SourceRef {
  return { resource: resourceKey(resource), version: resource.meta?.versionId ?? resource.meta?.lastUpdated ?? null };
}

/**
 * Maps one patient. `resources` are the patient's own resources (their subject is the patient), plus
 * any Medication resources they reference.
 */
export function mapPatient(
  patient: Patient,
  resources: readonly Resource[],
  options: MappingOptions = {},
): PatientMapping {
  const patientKey = resourceKey(patient);
  const outcomes: ResourceOutcome[] = [];
  const read = readPatient(patient, options);
  if (typeof read === "string") {
    return { draft: null, error: read, outcomes: [{ resource: patientKey, status: "skipped", reason: read }] };
  }
  outcomes.push({ resource: patientKey, status: "mapped", as: "patient", notes: [] });
  const context = new MappingContext(read, resources, options, outcomes);
  const observations = resources.filter((resource): resource is Observation => resource.resourceType === "Observation");
  const { assessments, used } = readAssessments(
    observations,
    resourceKey,
    (observation) => sourceOf(observation).version,
  );

  // Diagnoses first: therapies and procedures link to them.
  for (const resource of resources) if (resource.resourceType === "Condition") context.condition(resource);
  for (const resource of resources) {
    switch (resource.resourceType) {
      case "Condition":
      case "Medication":
        break;
      case "MedicationRequest":
      case "MedicationStatement":
        context.medication(resource);
        break;
      case "Observation": {
        const assessment = used.get(resourceKey(resource));
        if (assessment)
          outcomes.push({
            resource: resourceKey(resource),
            status: "mapped",
            as: `part of assessment ${assessment}`,
            notes: [],
          });
        else context.observation(resource);
        break;
      }
      case "Procedure":
        context.procedure(resource);
        break;
      case "AllergyIntolerance":
        context.allergy(resource);
        break;
      case "ImagingStudy":
        context.imagingStudy(resource);
        break;
      default:
        outcomes.push({
          resource: resourceKey(resource),
          status: "skipped",
          reason: `${resource.resourceType} is not a resource PainPath imports`,
        });
    }
  }
  context.sessionTherapies();
  return { draft: { ...context.draft(), assessments }, error: null, outcomes };
}

function readPatient(patient: Patient, options: MappingOptions): DraftPatient | string {
  const configured = new Set(options.mrnSystems ?? []);
  const identifiers = patient.identifier ?? [];
  const bySystem = identifiers.filter((identifier) => identifier.system && configured.has(identifier.system));
  const byType = identifiers.filter((identifier) =>
    identifier.type?.coding?.some(
      (coding) => coding.code === "MR" && (!coding.system || coding.system === MR_TYPE_SYSTEM),
    ),
  );
  const candidates = [
    ...new Set((bySystem.length > 0 ? bySystem : byType).map((identifier) => identifier.value?.trim())),
  ];
  if (candidates.length === 0 || !candidates[0])
    return "no medical record number (an identifier of type MR, or of a configured MRN system)";
  if (candidates.length > 1)
    return `several medical record numbers (${candidates.length}): cannot tell which one is the MRN`;
  const mrn = candidates[0];
  if (mrn.length > 64) return "the medical record number is longer than 64 characters";

  const name = patient.name?.find((candidate) => candidate.use === "official") ?? patient.name?.[0];
  const givenName = (name?.given ?? []).join(" ").trim();
  const familyName = (name?.family ?? "").trim();
  if (!givenName || !familyName) return "no given and family name";
  const birthDate = dayOf(patient.birthDate);
  if (!birthDate) return "no full birth date";
  const sex = { female: "FEMALE", male: "MALE", other: "OTHER", unknown: "UNKNOWN" } as const;
  return {
    source: sourceOf(patient),
    mrn,
    givenName: givenName.slice(0, 200),
    familyName: familyName.slice(0, 200),
    birthDate,
    sex: patient.gender ? sex[patient.gender] : "UNKNOWN",
    cautions: [],
    antithrombotics: [],
    allergyNotes: [],
  };
}

class MappingContext {
  private readonly diagnoses: DraftDiagnosis[] = [];
  private readonly therapies: DraftTherapy[] = [];
  private readonly scores: DraftScore[] = [];
  private readonly procedures: DraftProcedure[] = [];
  private readonly imaging: DraftImaging[] = [];
  private readonly cautions = new Set<PatientCautionFlag>();
  private readonly antithrombotics = new Set<AntithromboticDrug>();
  private readonly allergyNotes: string[] = [];
  private stated: Pick<DraftPatient, "psychEvaluation" | "naloxoneOfferedOn"> = {};
  private readonly sessions = new Map<
    string,
    { modality: TherapyModality; diagnosisSource: string | null; dates: string[]; sources: string[] }
  >();
  private readonly byKey: ReadonlyMap<string, Resource>;

  constructor(
    private readonly patient: DraftPatient,
    resources: readonly Resource[],
    private readonly options: MappingOptions,
    private readonly outcomes: ResourceOutcome[],
  ) {
    this.byKey = new Map(resources.map((resource) => [resourceKey(resource), resource]));
  }

  draft() {
    return {
      patient: {
        ...this.patient,
        cautions: [...this.cautions].sort(),
        antithrombotics: [...this.antithrombotics].sort(),
        allergyNotes: this.allergyNotes,
        ...this.stated,
      },
      diagnoses: this.diagnoses,
      therapies: this.therapies,
      scores: this.scores,
      imaging: this.imaging,
      procedures: this.procedures,
    };
  }

  private skip(resource: Resource, reason: string) {
    this.outcomes.push({ resource: resourceKey(resource), status: "skipped", reason });
  }

  private decision(system: string, code: string): CodeDecision | undefined {
    return this.options.decisions?.get(codeKey(system, code));
  }

  condition(condition: Condition) {
    const status = condition.verificationStatus?.coding?.[0]?.code;
    if (status === "entered-in-error" || status === "refuted")
      return this.skip(condition, `verification status ${status}`);
    const clinical = condition.clinicalStatus?.coding?.[0]?.code;
    if (
      clinical === "inactive" ||
      clinical === "resolved" ||
      clinical === "remission" ||
      condition.abatementDateTime ||
      condition.abatementPeriod
    )
      return this.skip(condition, `resolved (${clinical ?? "abatement recorded"}): PainPath tracks current pain`);

    const codings = condition.code?.coding ?? [];
    // ICD-10-CM first: it is what PainPath's diagnoses and the LCDs use; SNOMED CT when it is all there is.
    const ordered = [
      ...codings.filter((c) => c.system === SYSTEMS.icd10cm),
      ...codings.filter((c) => c.system === SYSTEMS.snomed),
    ];
    let mapped: Omit<DraftDiagnosis, "source" | "onsetDate"> | null = null;
    const notes: string[] = [];
    for (const coding of ordered) {
      const code = coding.system === SYSTEMS.icd10cm ? normalizeIcd10(coding.code ?? "") : (coding.code ?? "");
      const decision = this.decision(coding.system as string, code);
      if (decision?.action === "ignore") return this.skip(condition, `code ${code} is ignored (review list decision)`);
      if (decision?.action === "diagnosis") {
        mapped = { ...decision, mappedFrom: `${systemLabel(coding.system)} ${code} (review list decision)` };
        break;
      }
      const entry = CONDITIONS.get(codeKey(coding.system as string, code));
      if (entry) {
        mapped = {
          icd10Code: entry.icd10Code ?? entry.code,
          label: coding.display ?? condition.code?.text ?? entry.display,
          bodyRegion: entry.bodyRegion,
          painType: entry.painType,
          mappedFrom: `${systemLabel(coding.system)} ${code}`,
        };
        for (const note of [entry.review, verificationNote(entry)]) if (note) notes.push(note);
        break;
      }
    }
    if (!mapped) {
      // Skipped, and its code listed once on the review list, where it can be mapped or ignored for good.
      const first = ordered[0] ?? codings[0];
      const reason = `not a pain condition PainPath maps (${describe(condition.code)})`;
      if (!first?.code || !first.system) return this.skip(condition, reason);
      const unknownCode: UnknownCode = {
        kind: "condition",
        system: first.system,
        code: first.code,
        display: first.display ?? condition.code?.text ?? "",
      };
      return this.outcomes.push({ resource: resourceKey(condition), status: "skipped", reason, unknownCode });
    }
    const onset = dayOf(condition.onsetDateTime) ?? dayOf(condition.onsetPeriod?.start);
    const recorded = dayOf(condition.recordedDate);
    if (!onset && !recorded) return this.skip(condition, "no onset or recorded date: pain duration cannot be known");
    if (!onset) notes.push("no onset date: the recorded date is used, so the pain may be older than shown");
    // PainPath's own export states region and pain type; they outrank the code map's defaults.
    const { bodyRegion, painType, ...stated } = conditionDetail(condition);
    this.diagnoses.push({
      source: sourceOf(condition),
      onsetDate: (onset ?? recorded) as string,
      ...mapped,
      ...(bodyRegion ? { bodyRegion } : {}),
      ...(painType ? { painType } : {}),
      ...stated,
    });
    this.result(condition, "diagnosis", notes);
  }

  private result(resource: Resource, as: string, notes: string[]) {
    if (notes.length > 0)
      this.outcomes.push({ resource: resourceKey(resource), status: "needs-review", as, reason: notes.join("; ") });
    else this.outcomes.push({ resource: resourceKey(resource), status: "mapped", as, notes: [] });
  }

  private diagnosisFor(
    reasons: readonly Reference[] | undefined,
    reasonCodes: readonly CodeableConcept[] | undefined,
  ): { source: string | null; note: string | null } {
    for (const reason of reasons ?? []) {
      const found = this.diagnoses.find((diagnosis) => diagnosis.source.resource === reason.reference);
      if (found) return { source: found.source.resource, note: null };
    }
    for (const concept of reasonCodes ?? []) {
      for (const coding of concept.coding ?? []) {
        const found = this.diagnoses.find(
          (diagnosis) => diagnosis.mappedFrom.endsWith(` ${coding.code}`) || diagnosis.icd10Code === coding.code,
        );
        if (found) return { source: found.source.resource, note: null };
      }
    }
    if (this.diagnoses.length === 1)
      return { source: (this.diagnoses[0] as DraftDiagnosis).source.resource, note: null };
    return {
      source: null,
      note:
        this.diagnoses.length === 0
          ? "the patient has no imported pain diagnosis to attach it to"
          : "the record does not say which pain diagnosis it treats: choose one",
    };
  }

  medication(resource: MedicationRequest | MedicationStatement) {
    const status = resource.status;
    const statusMap: Record<string, TherapyStatus | null> = {
      active: "ACTIVE",
      "on-hold": "ACTIVE",
      completed: "COMPLETED",
      stopped: "STOPPED",
    };
    const therapyStatus = status ? statusMap[status] : undefined;
    if (!therapyStatus) return this.skip(resource, `status ${status ?? "missing"}: not a medication the patient took`);
    if (
      resource.resourceType === "MedicationRequest" &&
      resource.intent &&
      !["order", "original-order", "reflex-order", "filler-order", "instance-order"].includes(resource.intent)
    )
      return this.skip(resource, `intent ${resource.intent} is not an order`);

    const concept = this.medicationConcept(resource);
    if (!concept) return this.skip(resource, "no medication code");
    const rxnorm = concept.coding?.find((coding) => coding.system === SYSTEMS.rxnorm);
    const product = rxnorm?.code ? PRODUCTS.get(codeKey(SYSTEMS.rxnorm, rxnorm.code)) : undefined;
    const ingredient =
      !product && rxnorm?.code ? INGREDIENTS_BY_RXCUI.get(codeKey(SYSTEMS.rxnorm, rxnorm.code)) : undefined;
    // PainPath's own export names the modality; a drug it knows only by name travels as text.
    const ownModality = painpathExtensionCode(resource.extension, "therapy-modality", TherapyModality);
    const name = product?.name ?? rxnorm?.display ?? concept.text ?? "";
    const unknownCode: UnknownCode = {
      kind: "medication",
      system: rxnorm?.system ?? concept.coding?.[0]?.system ?? "",
      code: rxnorm?.code ?? concept.coding?.[0]?.code ?? "",
      display: name,
    };
    const decision = unknownCode.code ? this.decision(unknownCode.system, unknownCode.code) : undefined;
    if (decision?.action === "ignore")
      return this.skip(resource, `code ${unknownCode.code} is ignored (review list decision)`);

    const parsed = !ingredient && name ? parseRxNormName(name) : null;
    let classified: ProductClass = ingredient
      ? classifyIngredient(ingredient)
      : parsed
        ? classifyProduct(parsed)
        : ownModality && isMedicationModality(ownModality) && name
          ? { kind: "therapy", modality: ownModality, drug: storedDrug(name), opioid: null, combination: false }
          : { kind: "unknown", reason: "name is not an RxNorm normalised name" };
    if (classified.kind === "therapy" && ownModality && isMedicationModality(ownModality))
      classified = { ...classified, modality: ownModality };
    if (decision?.action === "therapy")
      classified = {
        kind: "therapy",
        modality: decision.modality,
        drug: decision.drug ?? name,
        opioid: null,
        combination: false,
      };
    if (classified.kind === "unknown") {
      return this.outcomes.push({
        resource: resourceKey(resource),
        status: "needs-review",
        as: null,
        reason: `medication not recognised: ${name || describe(concept)} (${classified.reason})`,
        ...(unknownCode.code ? { unknownCode } : {}),
      });
    }

    const { start, end } = medicationDates(resource);
    if (classified.kind === "caution") {
      if (therapyStatus !== "ACTIVE") return this.skip(resource, `${classified.drug} is not current (${status})`);
      if (classified.antithrombotic) {
        this.antithrombotics.add(classified.antithrombotic);
        return this.result(resource, `antithrombotic ${classified.antithrombotic}`, []);
      }
      this.cautions.add(classified.caution);
      return this.result(resource, `caution ${classified.caution}`, []);
    }
    if (!start) return this.skip(resource, "no start date (authoredOn, effective or bounds period)");

    const notes: string[] = [];
    for (const entry of [product, ingredient]) {
      const note = entry
        ? verificationNote({ code: rxnorm?.code ?? "", verification: entry.verification ?? "unverified" })
        : null;
      if (note) notes.push(note);
    }
    if (status === "on-hold") notes.push("on hold in the source: confirm whether it continues");
    if (therapyStatus !== "ACTIVE" && !end) notes.push(`${status} without an end date: record when it ended`);
    const countable = parsed ? /tablet|capsule|transdermal system|patch|lozenge/i.test(parsed.form) : false;
    const dosage =
      resource.resourceType === "MedicationRequest" ? resource.dosageInstruction?.[0] : resource.dosage?.[0];
    const reading = readDosage(classified, countable, dosage);
    if (reading.mme.status === "cannot-compute") notes.push(reading.mme.reason);
    const reasons = resource.resourceType === "MedicationRequest" ? resource.reasonReference : resource.reasonReference;
    const link = this.diagnosisFor(reasons, resource.reasonCode);
    if (link.note) notes.push(link.note);

    const stop = resource.resourceType === "MedicationStatement" ? stopReasonOf(resource.statusReason?.[0]) : {};
    this.therapies.push({
      ...stop,
      source: sourceOf(resource),
      diagnosisSource: link.source,
      modality: classified.modality,
      drug: classified.drug,
      product: name || null,
      rxnormCode: rxnorm?.code ?? null,
      extendedRelease: parsed?.extendedRelease ?? false,
      dose: reading.dose,
      doseUnit: reading.dose === null ? null : reading.doseUnit,
      frequency: reading.frequency,
      maxDosesPerDay: reading.maxDosesPerDay,
      route:
        parsed?.route ??
        dosage?.route?.coding?.find((coding) => coding.system === painpathSystem("route"))?.code?.slice(0, 50) ??
        null,
      startDate: start,
      endDate: end,
      status: therapyStatus,
      sessionsAttended: null,
      mme: reading.mme,
    });
    this.result(resource, `therapy ${classified.modality}`, notes);
  }

  private medicationConcept(resource: MedicationRequest | MedicationStatement): CodeableConcept | undefined {
    if (resource.medicationCodeableConcept) return resource.medicationCodeableConcept;
    const reference = resource.medicationReference?.reference;
    const medication = reference ? (this.byKey.get(reference) as Medication | undefined) : undefined;
    return medication?.code;
  }

  observation(observation: Observation) {
    const own = cautionsOf(observation);
    if (own) return this.ownCautions(observation, own);
    const coding = observation.code?.coding?.find(
      (c) => c.system === SYSTEMS.loinc && c.code && OBSERVATIONS.has(codeKey(SYSTEMS.loinc, c.code)),
    );
    const entry = coding?.code ? OBSERVATIONS.get(codeKey(SYSTEMS.loinc, coding.code)) : undefined;
    if (!entry)
      return this.skip(observation, `not a pain or function score PainPath imports (${describe(observation.code)})`);
    if (entry.score !== "painNow" && entry.score !== "pegScore")
      return this.skip(observation, `${entry.display}: read only as part of a complete assessment`);
    if (!["final", "amended", "corrected"].includes(observation.status))
      return this.skip(observation, `status ${observation.status}: not a final result`);
    const value = observation.valueQuantity?.value ?? observation.valueInteger;
    if (typeof value !== "number") return this.skip(observation, `${entry.display}: no numeric value`);
    if (value < entry.min || value > entry.max)
      return this.skip(observation, `${entry.display}: value ${value} outside ${entry.min}–${entry.max}`);
    const date =
      dayOf(observation.effectiveDateTime) ?? dayOf(observation.effectivePeriod?.start) ?? dayOf(observation.issued);
    if (!date) return this.skip(observation, `${entry.display}: no date`);
    this.scores.push({
      source: sourceOf(observation),
      date,
      painNow: entry.score === "painNow" ? value : null,
      pegScore: entry.score === "pegScore" ? value : null,
    });
    const note = verificationNote(entry);
    this.result(observation, `score ${entry.score}`, note ? [note] : []);
  }

  private ownCautions(observation: Observation, own: NonNullable<ReturnType<typeof cautionsOf>>) {
    if (observation.status !== "final" && observation.status !== "amended" && observation.status !== "corrected")
      return this.skip(observation, `status ${observation.status}: not a final result`);
    // Like a medication's caution, the record adds what it states and never removes one.
    for (const caution of own.cautions) this.cautions.add(caution);
    for (const drug of own.antithrombotics) this.antithrombotics.add(drug);
    this.stated = {
      ...(own.psychEvaluation ? { psychEvaluation: own.psychEvaluation } : {}),
      ...(own.naloxoneOfferedOn ? { naloxoneOfferedOn: own.naloxoneOfferedOn } : {}),
    };
    this.result(observation, "clinical cautions", []);
  }

  imagingStudy(study: ImagingStudy) {
    const read = imagingOf(study);
    if (typeof read === "string") return this.skip(study, read);
    const link = this.diagnosisFor(study.reasonReference, undefined);
    this.imaging.push({ source: sourceOf(study), diagnosisSource: link.source, ...read });
    this.result(study, `imaging ${read.modality}`, link.note ? [link.note] : []);
  }

  /** A PainPath conservative-therapy Procedure is one trial, as exported (not a session to group). */
  private ownTherapy(
    procedure: Procedure,
    therapy: NonNullable<Exclude<ReturnType<typeof conservativeTherapyOf>, string>>,
  ) {
    const link = this.diagnosisFor(procedure.reasonReference, procedure.reasonCode);
    this.therapies.push({
      source: sourceOf(procedure),
      diagnosisSource: link.source,
      ...NO_MEDICATION,
      mme: { status: "not-an-opioid" },
      ...therapy,
    });
    this.result(procedure, `therapy ${therapy.modality}`, link.note ? [link.note] : []);
  }

  procedure(procedure: Procedure) {
    const therapy = conservativeTherapyOf(procedure);
    if (typeof therapy === "string") return this.skip(procedure, therapy);
    if (therapy) return this.ownTherapy(procedure, therapy);
    const own = interventionalDetail(procedure);
    const codings = procedure.code?.coding ?? [];
    const found = codings
      .map((coding) => (coding.system && coding.code ? PROCEDURES.get(codeKey(coding.system, coding.code)) : undefined))
      .find((entry) => entry !== undefined);
    if (!found && !own?.type)
      return this.skip(procedure, `not a procedure PainPath records (${describe(procedure.code)})`);
    if (procedure.status !== "completed")
      return this.skip(procedure, `status ${procedure.status}: not a completed procedure`);
    const performedOn = dayOf(procedure.performedDateTime) ?? dayOf(procedure.performedPeriod?.start);
    if (!performedOn) return this.skip(procedure, "no performed date");
    const link = this.diagnosisFor(procedure.reasonReference, procedure.reasonCode);
    const notes = own?.type
      ? []
      : [found?.review, found ? verificationNote(found) : null].filter((note): note is string => Boolean(note));

    if (found?.therapy && !own?.type) {
      const key = `${found.therapy}|${link.source ?? ""}`;
      const group = this.sessions.get(key) ?? {
        modality: found.therapy,
        diagnosisSource: link.source,
        dates: [],
        sources: [],
      };
      group.dates.push(performedOn);
      group.sources.push(resourceKey(procedure));
      this.sessions.set(key, group);
      return this.result(procedure, `session of ${found.therapy}`, notes);
    }
    if (link.note && this.diagnoses.length > 1) notes.push(link.note);
    // PainPath's own procedure type, region and approach are what it recorded; a CPT code may be coarser.
    const type = own?.type ?? found?.procedure ?? "OTHER";
    this.procedures.push({
      source: sourceOf(procedure),
      diagnosisSource: link.source,
      type,
      region: own?.region ?? found?.region ?? "OTHER",
      approach: own?.type ? own.approach : (found?.approach ?? null),
      performedOn,
      mappedFrom: own?.type ? `PainPath ${type}` : `${found?.system.toUpperCase()} ${found?.code}`,
      ...(own?.type ? { detail: own.detail } : {}),
    });
    this.result(procedure, `procedure ${type}`, notes);
  }

  /** Sessions of one kind of therapy for one diagnosis become one trial: first to last session. */
  sessionTherapies() {
    for (const group of this.sessions.values()) {
      const dates = [...group.dates].sort();
      const sources = [...group.sources].sort();
      this.therapies.push({
        // The group's key is stable across exports: the therapy kind and the diagnosis it treats.
        source: {
          resource: `sessions/${group.modality}/${group.diagnosisSource ?? "none"}`,
          version: `${dates.length}:${dates.at(-1)}:${sources.join(",")}`,
        },
        diagnosisSource: group.diagnosisSource,
        modality: group.modality,
        ...NO_MEDICATION,
        startDate: dates[0] as string,
        endDate: dates.at(-1) as string,
        status: "COMPLETED",
        sessionsAttended: dates.length,
        mme: { status: "not-an-opioid" },
      });
    }
  }

  allergy(allergy: AllergyIntolerance) {
    const verification = allergy.verificationStatus?.coding?.[0]?.code;
    if (verification === "refuted" || verification === "entered-in-error")
      return this.skip(allergy, `verification status ${verification}`);
    const clinical = allergy.clinicalStatus?.coding?.[0]?.code;
    if (clinical === "inactive" || clinical === "resolved") return this.skip(allergy, `clinical status ${clinical}`);
    const words = [allergy.code?.text, ...(allergy.code?.coding ?? []).map((coding) => coding.display)]
      .filter((text): text is string => Boolean(text))
      .join(" ")
      .toLowerCase();
    if (!words) return this.skip(allergy, "allergy without a name");
    const caution = ALLERGY_CAUTIONS.find((entry) => entry.words.some((word) => words.includes(word)));
    if (caution) {
      this.cautions.add(caution.caution);
      return this.result(allergy, `caution ${caution.caution}`, []);
    }
    this.allergyNotes.push((allergy.code?.text ?? allergy.code?.coding?.[0]?.display ?? words).slice(0, 200));
    this.result(allergy, "allergy note", []);
  }
}

function medicationDates(resource: MedicationRequest | MedicationStatement): {
  start: string | null;
  end: string | null;
} {
  if (resource.resourceType === "MedicationStatement") {
    return {
      start: dayOf(resource.effectivePeriod?.start) ?? dayOf(resource.effectiveDateTime),
      end: dayOf(resource.effectivePeriod?.end),
    };
  }
  const bounds = resource.dosageInstruction?.[0]?.timing?.repeat?.boundsPeriod;
  const validity = resource.dispenseRequest?.validityPeriod;
  return {
    start: dayOf(bounds?.start) ?? dayOf(resource.authoredOn) ?? dayOf(validity?.start),
    end: dayOf(bounds?.end) ?? dayOf(validity?.end),
  };
}

function systemLabel(system: string | undefined): string {
  if (system === SYSTEMS.icd10cm) return "ICD-10-CM";
  if (system === SYSTEMS.snomed) return "SNOMED CT";
  return system ?? "unknown system";
}

function describe(concept: CodeableConcept | undefined): string {
  const coding = concept?.coding?.[0];
  return [coding?.code, coding?.display ?? concept?.text].filter(Boolean).join(" ") || "no code";
}
