/**
 * Reading PainPath's own codes back (decision 023): what the export (export/) writes under
 * `https://painpath.org/fhir/` for what no standard code carries. A resource without them maps as
 * any EHR's does; with them, a PainPath export re-imports to the same pathway.
 */
import type {
  CodeableConcept,
  Condition,
  ImagingStudy,
  Observation,
  ObservationComponent,
  Procedure,
} from "@medplum/fhirtypes";
import {
  Adherence,
  AntithromboticDrug,
  BodyRegion,
  EsiApproach,
  ImagingConcordance,
  ImagingModality,
  Limitation,
  PainType,
  ProcedureType,
  PsychEvaluationStatus,
  RadicularSign,
  RedFlag,
  SideEffectKind,
  SideEffectSeverity,
  StopReason,
  SurgicalStatus,
  TherapyModality,
  type TherapyStatus,
} from "~/generated/prisma/enums";
import type { IsoDate } from "../iso-date";
import { STOP_REASON_LABELS } from "../pathway-vocabulary";
import { OBSERVATIONS, SYSTEMS, codeKey } from "./code-maps";
import { dayOf as day } from "./fhir-date";
import {
  painpathCode,
  painpathExtensionCode,
  painpathExtensionNumber,
  painpathExtensions,
  painpathExtensionString,
  painpathSystem,
} from "./painpath-codes";
import type {
  DraftAssessment,
  DraftImaging,
  DraftPatient,
  DraftProcedure,
  DraftTherapy,
  PatientCautionFlag,
} from "./types";

/** The stop reason (and the note after "Label: ") of PainPath's `stop-reason` coding. */
export function stopReasonOf(concept: CodeableConcept | undefined): Pick<DraftTherapy, "stopReason" | "stopNote"> {
  const stopReason = painpathCode(concept, "stop-reason", StopReason);
  if (!stopReason) return {};
  const prefix = `${STOP_REASON_LABELS[stopReason]}: `;
  const note = concept?.text?.startsWith(prefix) ? concept.text.slice(prefix.length).trim() : "";
  return note ? { stopReason, stopNote: note } : { stopReason };
}

/** Body region, pain type, surgical status and red flags of a PainPath Condition. */
export function conditionDetail(condition: Condition) {
  const redFlags = painpathExtensions(condition.extension, "red-flag").filter(
    (flag): flag is RedFlag => typeof flag === "string" && Object.hasOwn(RedFlag, flag),
  );
  const bodyRegion = condition.bodySite
    ?.map((site) => painpathCode(site, "body-region", BodyRegion))
    .find((region) => region !== null);
  const radicularSigns = painpathExtensions(condition.extension, "radicular-sign").filter(
    (sign): sign is RadicularSign => typeof sign === "string" && Object.hasOwn(RadicularSign, sign),
  );
  const surgicalStatus = painpathExtensionCode(condition.extension, "surgical-status", SurgicalStatus);
  return {
    bodyRegion: bodyRegion ?? null,
    painType: painpathExtensionCode(condition.extension, "pain-type", PainType),
    ...(surgicalStatus ? { surgicalStatus } : {}),
    ...(redFlags.length > 0 ? { redFlags: [...new Set(redFlags)].sort() } : {}),
    ...(radicularSigns.length > 0 ? { radicularSigns: [...new Set(radicularSigns)].sort() } : {}),
  };
}

/**
 * A study PainPath exported (its own modality and concordance extensions), or a reason to skip it.
 * An EHR's ImagingStudy says nothing of concordance with the clinical picture, which is what the
 * ESI rule reads, so it is not imported: the rule's reminder to confirm imaging stands instead.
 */
export function imagingOf(
  study: ImagingStudy,
): Pick<DraftImaging, "modality" | "performedOn" | "concordance" | "finding"> | string {
  const modality = painpathExtensionCode(study.extension, "imaging-modality", ImagingModality);
  const concordance = painpathExtensionCode(study.extension, "imaging-concordance", ImagingConcordance);
  if (!modality || !concordance) return "imaging without PainPath's concordance judgement: not imported";
  if (study.status !== "available") return `status ${study.status}: not an available study`;
  const performedOn = day(study.started);
  if (!performedOn) return "no study date";
  return { modality, concordance, performedOn, finding: (study.description ?? "").slice(0, 2000) };
}

const has = (concept: CodeableConcept | undefined, system: string, code: string) =>
  concept?.coding?.some((coding) => coding.system === painpathSystem(system) && coding.code === code) ?? false;

const BOOLEAN_CAUTIONS: ReadonlySet<PatientCautionFlag> = new Set<PatientCautionFlag>([
  "onAnticoagulant",
  "onAntiplatelet",
  "bleedingDisorder",
  "pregnant",
  "poorlyControlledDiabetes",
  "implantedCardiacDevice",
  "activeInfection",
  "onBenzodiazepine",
]);

export interface OwnCautions {
  cautions: PatientCautionFlag[];
  antithrombotics: AntithromboticDrug[];
  psychEvaluation?: NonNullable<DraftPatient["psychEvaluation"]>;
  naloxoneOfferedOn?: IsoDate;
}

/** PainPath's clinical-cautions Observation, or null when the Observation is not one. */
export function cautionsOf(observation: Observation): OwnCautions | null {
  if (!has(observation.code, "observation", "clinical-cautions")) return null;
  const result: OwnCautions = { cautions: [], antithrombotics: [] };
  let psychStatus: PsychEvaluationStatus | null = null;
  let psychDate: IsoDate | null = null;
  for (const component of observation.component ?? []) {
    const name = component.code.coding?.find((coding) => coding.system === painpathSystem("caution"))?.code;
    if (!name) continue;
    if (BOOLEAN_CAUTIONS.has(name as PatientCautionFlag) && component.valueBoolean === true)
      result.cautions.push(name as PatientCautionFlag);
    else if (name === "antithrombotic") {
      const drug = painpathCode(component.valueCodeableConcept, "antithrombotic", AntithromboticDrug);
      if (drug) result.antithrombotics.push(drug);
    } else if (name === "psychEvaluationStatus")
      psychStatus = painpathCode(component.valueCodeableConcept, "psych-evaluation-status", PsychEvaluationStatus);
    else if (name === "psychEvaluationDate") psychDate = day(component.valueDateTime);
    else if (name === "naloxoneOfferedOn") {
      const date = day(component.valueDateTime);
      if (date) result.naloxoneOfferedOn = date;
    }
  }
  if (psychStatus) result.psychEvaluation = { status: psychStatus, date: psychDate };
  return result;
}

const NON_DRUG_STATUS: Record<string, TherapyStatus> = {
  "in-progress": "ACTIVE",
  completed: "COMPLETED",
  stopped: "STOPPED",
};

/** A PainPath conservative-therapy Procedure (physical, psychological, exercise therapy) as a trial, or null. */
export function conservativeTherapyOf(
  procedure: Procedure,
):
  | (Pick<DraftTherapy, "modality" | "status" | "startDate" | "endDate" | "sessionsAttended"> &
      Pick<DraftTherapy, "sessionsPlanned" | "stopReason" | "stopNote">)
  | null
  | string {
  if (!has(procedure.category, "procedure-category", "conservative-therapy")) return null;
  const modality = painpathCode(procedure.code, "therapy-modality", TherapyModality);
  if (!modality) return "conservative therapy without a PainPath modality";
  const status = NON_DRUG_STATUS[procedure.status];
  if (!status) return `status ${procedure.status}: not a therapy the patient had`;
  const startDate = day(procedure.performedPeriod?.start);
  if (!startDate) return "no start date";
  const planned = painpathExtensionNumber(procedure.extension, "sessions-planned");
  return {
    modality,
    status,
    startDate,
    endDate: day(procedure.performedPeriod?.end),
    sessionsAttended: painpathExtensionNumber(procedure.extension, "sessions-attended"),
    ...(planned !== null ? { sessionsPlanned: planned } : {}),
    ...stopReasonOf(procedure.statusReason),
  };
}

/** Type, region and approach from PainPath's own codes, and the relief its extensions carry. */
export function interventionalDetail(procedure: Procedure) {
  if (!has(procedure.category, "procedure-category", "interventional")) return null;
  const type = painpathCode(procedure.code, "procedure-type", ProcedureType);
  const region = procedure.bodySite
    ?.map((site) => painpathCode(site, "body-region", BodyRegion))
    .find((candidate) => candidate !== null);
  const number = (name: string) => painpathExtensionNumber(procedure.extension, name);
  const detail: NonNullable<DraftProcedure["detail"]> = {
    level: painpathExtensionString(procedure.extension, "level"),
    injectate: painpathExtensionString(procedure.extension, "injectate"),
    scaleName: painpathExtensionString(procedure.extension, "pain-scale") ?? "NRS",
    painBefore: number("pain-before"),
    painAfter: number("pain-after"),
    reliefPercent: number("relief-percent"),
    reliefDurationDays: number("relief-duration-days"),
    note: procedure.note?.[0]?.text ?? null,
  };
  return {
    type,
    region: region ?? null,
    approach: painpathExtensionCode(procedure.extension, "esi-approach", EsiApproach),
    detail,
  };
}

// ---------------------------------------------------------------------------------------------------
// Assessments: PainPath writes one outcome assessment as several Observations of one day and one
// `issued` time (pain with average and worst, PEG with its items, ODI, NDI, function, side effects).

type Part =
  | { kind: "pain"; now: number; average: number | null; worst: number | null; note: string | null }
  | { kind: "peg"; mean: number; pain: number | null; enjoyment: number | null; activity: number | null }
  | { kind: "odi"; value: number }
  | { kind: "ndi"; value: number }
  | { kind: "function"; limitation: Limitation | null; adherence: Adherence | null }
  | { kind: "side-effect"; effect: DraftAssessment["sideEffects"][number] };

const loincScore = (coding: { system?: string; code?: string }) =>
  coding.system === SYSTEMS.loinc && coding.code ? OBSERVATIONS.get(codeKey(SYSTEMS.loinc, coding.code)) : undefined;

function scoreOf(concept: CodeableConcept | undefined): string | null {
  for (const coding of concept?.coding ?? []) {
    const entry = loincScore(coding);
    if (entry) return entry.score;
    if (coding.system === painpathSystem("assessment") && coding.code) return coding.code;
  }
  return null;
}

function inRange(value: unknown, min: number, max: number, integer = true): number | null {
  return typeof value === "number" && value >= min && value <= max && (!integer || Number.isInteger(value))
    ? value
    : null;
}

function component(components: readonly ObservationComponent[] | undefined, score: string) {
  return components?.find((candidate) => scoreOf(candidate.code) === score);
}

function partOf(observation: Observation): Part | null {
  const score = scoreOf(observation.code);
  const value = observation.valueQuantity?.value;
  const parts = observation.component;
  switch (score) {
    case "painNow": {
      const now = inRange(value, 0, 10);
      return now === null
        ? null
        : {
            kind: "pain",
            now,
            average: inRange(component(parts, "pain-average")?.valueQuantity?.value, 0, 10),
            worst: inRange(component(parts, "pain-worst")?.valueQuantity?.value, 0, 10),
            note: observation.note?.[0]?.text ?? null,
          };
    }
    case "pegScore": {
      const mean = inRange(value, 0, 10, false);
      return mean === null
        ? null
        : {
            kind: "peg",
            mean,
            pain: inRange(component(parts, "pegPain")?.valueQuantity?.value, 0, 10),
            enjoyment: inRange(component(parts, "pegEnjoyment")?.valueQuantity?.value, 0, 10),
            activity: inRange(component(parts, "pegActivity")?.valueQuantity?.value, 0, 10),
          };
    }
    case "odiPercent":
    case "ndiPercent": {
      const percent = inRange(value, 0, 100);
      if (percent === null) return null;
      return score === "odiPercent" ? { kind: "odi", value: percent } : { kind: "ndi", value: percent };
    }
    case "limitation":
      return {
        kind: "function",
        limitation: painpathCode(observation.valueCodeableConcept, "limitation", Limitation),
        adherence: painpathCode(component(parts, "adherence")?.valueCodeableConcept, "adherence", Adherence),
      };
    case "side-effect": {
      const therapySource = observation.focus?.[0]?.reference;
      const severity = painpathCode(observation.valueCodeableConcept, "side-effect-severity", SideEffectSeverity);
      if (!therapySource || !severity) return null;
      const kinds = (parts ?? [])
        .map((part) => painpathCode(part.valueCodeableConcept, "side-effect-kind", SideEffectKind))
        .filter((kind): kind is SideEffectKind => kind !== null);
      return { kind: "side-effect", effect: { therapySource, severity, kinds } };
    }
    default:
      return null;
  }
}

export interface AssessmentReading {
  assessments: DraftAssessment[];
  /** Observations that became part of an assessment, by resource key. */
  used: ReadonlyMap<string, string>;
}

/**
 * Complete assessments from the patient's final Observations: those of one day and one `issued`
 * time that together hold pain now, average and worst, the PEG mean and its items, and the
 * limitation. The pain Observation names the assessment (its key is the source). A group that
 * lacks any of these makes no assessment: its pain and PEG stay scores (decision 010).
 */
export function readAssessments(
  observations: readonly Observation[],
  keyOf: (observation: Observation) => string,
  versionOf: (observation: Observation) => string | null,
): AssessmentReading {
  const groups = new Map<string, Array<{ observation: Observation; part: Part }>>();
  for (const observation of observations) {
    if (!["final", "amended", "corrected"].includes(observation.status)) continue;
    const date = day(observation.effectiveDateTime);
    const part = date ? partOf(observation) : null;
    if (!date || !part) continue;
    const key = `${date}|${observation.issued ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), { observation, part }]);
  }
  const assessments: DraftAssessment[] = [];
  const used = new Map<string, string>();
  for (const [key, members] of groups) {
    const find = <K extends Part["kind"]>(kind: K) =>
      members.filter((member) => member.part.kind === kind) as Array<{
        observation: Observation;
        part: Extract<Part, { kind: K }>;
      }>;
    const [pain, ...morePain] = find("pain");
    const [peg, ...morePeg] = find("peg");
    const [fn, ...moreFn] = find("function");
    if (!pain || !peg || !fn || morePain.length + morePeg.length + moreFn.length > 0) continue;
    const { average, worst } = pain.part;
    const { pain: pegPain, enjoyment, activity } = peg.part;
    const { limitation } = fn.part;
    if (average === null || worst === null || pegPain === null || enjoyment === null || activity === null) continue;
    if (limitation === null) continue;
    const [odi] = find("odi");
    const [ndi] = find("ndi");
    const source = keyOf(pain.observation);
    assessments.push({
      source: { resource: source, version: versionOf(pain.observation) },
      date: key.slice(0, 10),
      painNow: pain.part.now,
      painAverage: average,
      painWorst: worst,
      pegPain,
      pegEnjoyment: enjoyment,
      pegActivity: activity,
      pegScore: peg.part.mean,
      odiPercent: odi?.part.value ?? null,
      ndiPercent: ndi?.part.value ?? null,
      limitation,
      adherence: fn.part.adherence,
      note: pain.part.note,
      recordedAt: pain.observation.issued ?? null,
      sideEffects: find("side-effect").map((member) => member.part.effect),
    });
    for (const member of members) used.set(keyOf(member.observation), source);
  }
  return { assessments, used };
}
