import type { CodeableConcept, Coding, Extension } from "@medplum/fhirtypes";
import type { BodyRegion, EsiApproach, ProcedureType } from "~/generated/prisma/enums";
import { CONDITIONS, PROCEDURES, SYSTEMS as CODE_MAP_SYSTEMS } from "../code-maps";
import { painpathExtensionUrl, painpathSystem } from "../painpath-codes";

/** Code systems named by HL7 (https://hl7.org/fhir/R4/terminologies-systems.html). */
export const SYSTEMS = {
  ...CODE_MAP_SYSTEMS,
  ucum: "http://unitsofmeasure.org",
  dicom: "http://dicom.nema.org/resources/ontology/DCM",
  identifierType: "http://terminology.hl7.org/CodeSystem/v2-0203",
  conditionClinical: "http://terminology.hl7.org/CodeSystem/condition-clinical",
  conditionVerification: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  conditionCategory: "http://terminology.hl7.org/CodeSystem/condition-category",
  observationCategory: "http://terminology.hl7.org/CodeSystem/observation-category",
  allergyClinical: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
  allergyVerification: "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
} as const;

export { PAINPATH_FHIR_BASE, painpathExtensionUrl, painpathSystem } from "../painpath-codes";

export function painpathCoding(system: string, code: string, display?: string): Coding {
  return display === undefined
    ? { system: painpathSystem(system), code }
    : { system: painpathSystem(system), code, display };
}

export function concept(codings: Coding[], text?: string): CodeableConcept {
  return text === undefined ? { coding: codings } : { coding: codings, text };
}

type ExtensionValue = string | number | boolean;

/** A PainPath extension; codes are strings, counts integers, flags booleans. */
export function painpathExtension(name: string, value: ExtensionValue, kind: "code" | "string" = "code"): Extension {
  const url = painpathExtensionUrl(name);
  if (typeof value === "boolean") return { url, valueBoolean: value };
  if (typeof value === "number") return { url, valueInteger: value };
  return kind === "code" ? { url, valueCode: value } : { url, valueString: value };
}

/**
 * LOINC codes of the scales PainPath records. 72514-3 is the code US Core and the CDC opioid CDS IG
 * use for pain severity. The PEG panel (91148-7), its mean (91147-9) and items (75893-8, 91145-3,
 * 91146-1), the ODI score (97909-6) and the NDI total (82237-9) were found in public FHIR content
 * (HL7 PACIO sample data, AHRQ CDS Connect pain-management CQL), not checked against a LOINC
 * release here: docs/decisions/015-fhir-export.md. Pain on average and at worst have no code here,
 * so they travel under PainPath's `assessment` system.
 */
export const LOINC = {
  painSeverity: { code: "72514-3", display: "Pain severity - 0-10 verbal numeric rating [Score] - Reported" },
  pegMean: { code: "91147-9", display: "Mean score [PEG]" },
  pegPain: { code: "75893-8", display: "Pain average in the past week" },
  pegEnjoyment: { code: "91145-3", display: "Pain interference with enjoyment of life in the past week" },
  pegActivity: { code: "91146-1", display: "Pain interference with general activity in the past week" },
  odiScore: { code: "97909-6", display: "Oswestry disability index score ODI" },
  ndiTotal: { code: "82237-9", display: "Total score [NDI]" },
} as const;

export function loincCoding(entry: { code: string; display: string }): Coding {
  return { system: SYSTEMS.loinc, code: entry.code, display: entry.display };
}

/**
 * SNOMED CT concepts the import's code map sends to this ICD-10-CM code: the same table read the
 * other way. Entries marked unverified there are not exported.
 */
export function snomedCodingsFor(icd10Code: string): Coding[] {
  return SNOMED_BY_ICD10.get(icd10Code) ?? [];
}

const SNOMED_BY_ICD10 = new Map<string, Coding[]>();
for (const entry of CONDITIONS.values()) {
  if (entry.system !== "snomed" || !entry.icd10Code || entry.verification === "unverified") continue;
  const codings = SNOMED_BY_ICD10.get(entry.icd10Code) ?? [];
  codings.push({ system: CODE_MAP_SYSTEMS.snomed, code: entry.code, display: entry.display });
  SNOMED_BY_ICD10.set(entry.icd10Code, codings);
}

/**
 * CPT or SNOMED CT codes the import's procedure map reads as this procedure: the same type and
 * region, and the same approach where the code names one. Unverified entries are not exported.
 */
export function procedureCodingsFor(procedure: {
  type: ProcedureType;
  region: BodyRegion;
  approach?: EsiApproach | null;
}): Coding[] {
  return [...PROCEDURES.values()]
    .filter(
      (entry) =>
        entry.verification !== "unverified" &&
        entry.procedure === procedure.type &&
        entry.region === procedure.region &&
        (entry.approach === undefined || entry.approach === procedure.approach),
    )
    .map((entry) => ({ system: CODE_MAP_SYSTEMS[entry.system], code: entry.code, display: entry.display }));
}
