import type { Patient, Resource } from "@medplum/fhirtypes";
import { draftToSnapshot, mapPatient } from "../fhir";
import type { IsoDate } from "../iso-date";
import { evaluatePatient } from "../referral/engine";
import type { RuleSet } from "../referral/rule-set";
import type { DiagnosisFinding } from "./cards";
import { ehrSignals } from "./ehr-signals";

/**
 * The EHR's own record of a patient, as a CDS Hooks prefetch (or what PainPath read for it):
 * matched to PainPath's patients, or evaluated by the same pure engine with the FHIR import's
 * mapping (app/domain/fhir). Nothing of it is stored.
 */

export interface EhrRecord {
  patient: unknown;
  /** The searchset Bundles of the other prefetch keys. */
  bundles: unknown[];
}

const NOT_READ_NAME = { family: "not read", given: ["not read"] };

export interface EhrIdentity {
  mrn: string;
  birthDate: IsoDate;
}

/**
 * The MRN and birth date PainPath matches an EHR Patient on, read as the FHIR import reads them
 * (an identifier of type MR, or of the EHR's MRN system). With a configured system, the MRN must be
 * of that system: an MRN of another facility may belong to another person. Null when there is none.
 */
export function ehrIdentity(patient: unknown, mrnSystem: string | null): EhrIdentity | null {
  if (!isResource(patient, "Patient")) return null;
  // Matching reads the MRN and the birth date only; the import's need of a name does not apply.
  const unnamed: Patient = { ...patient, name: [NOT_READ_NAME] };
  const mapping = safeMap(() => mapPatient(unnamed, [], { mrnSystems: mrnSystem ? [mrnSystem] : [] }));
  const read = mapping?.draft?.patient;
  if (!read) return null;
  if (mrnSystem && !patient.identifier?.some((id) => id.system === mrnSystem && id.value?.trim() === read.mrn)) {
    return null;
  }
  return { mrn: read.mrn, birthDate: read.birthDate as IsoDate };
}

/**
 * The engine's findings over the EHR's record. The import needs a name and an MRN to create a
 * patient; an evaluation creates nothing, so they are not asked of the EHR: only the birth date
 * and the clinical resources count. Resources whose subject names another patient are left out.
 * Null when the record cannot be read (no Patient, no full birth date, or a shape the mapping
 * cannot follow).
 */
export function evaluateEhrRecord(
  record: EhrRecord,
  context: { fhirPatientId: string; fhirServer?: string; today: IsoDate; ruleSet: RuleSet },
): DiagnosisFinding[] | null {
  if (!isResource(record.patient, "Patient")) return null;
  const patient: Patient = {
    ...record.patient,
    identifier: [{ type: { coding: [{ code: "MR" }] }, value: "cds-hooks-request" }],
    name: [NOT_READ_NAME],
  };
  const ownKey = `Patient/${record.patient.id ?? context.fhirPatientId}`;
  const resources = record.bundles
    .flatMap(searchsetResources)
    .map((resource) => relativeReferences(resource, context.fhirServer))
    .filter((resource) => subjectOf(resource) === null || subjectOf(resource) === ownKey);
  const mapping = safeMap(() => mapPatient(patient, resources));
  if (!mapping?.draft) return null;
  const snapshot = draftToSnapshot(mapping.draft, context.today);
  return evaluatePatient(snapshot, context.ruleSet).flatMap((evaluation) => {
    const diagnosis = snapshot.diagnoses.find((candidate) => candidate.id === evaluation.diagnosisId);
    const ehr = diagnosis ? ehrSignals(snapshot, diagnosis.id, context.ruleSet) : null;
    return diagnosis
      ? [
          {
            diagnosis: { id: diagnosis.id, label: diagnosis.label, icd10Code: diagnosis.icd10Code },
            evaluation,
            ...(ehr ? { ehr } : {}),
          },
        ]
      : [];
  });
}

function isResource<T extends Resource["resourceType"]>(
  value: unknown,
  type: T,
): value is Extract<Resource, { resourceType: T }> {
  return typeof value === "object" && value !== null && (value as { resourceType?: unknown }).resourceType === type;
}

/**
 * The mapping trusts its input's shapes (the import validates every resource against the R4
 * definitions first). A prefetch is not validated that way (see decision 013), so a malformed one
 * is caught here and read as unreadable.
 */
function safeMap<T>(map: () => T): T | null {
  try {
    return map();
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

function searchsetResources(bundle: unknown): Resource[] {
  if (!isResource(bundle, "Bundle") || !Array.isArray(bundle.entry)) return [];
  return bundle.entry.flatMap((entry) => {
    const resource = entry?.resource;
    if (typeof resource !== "object" || resource === null || typeof resource.resourceType !== "string") return [];
    if (entry.search?.mode === "outcome" || resource.resourceType === "OperationOutcome") return [];
    return typeof resource.id === "string" ? [resource] : [];
  });
}

/** `https://ehr.example/fhir/Condition/1` → `Condition/1` on the EHR's own server, as the mapping reads references. */
function relativeReferences(resource: Resource, fhirServer: string | undefined): Resource {
  if (!fhirServer) return resource;
  const base = fhirServer.endsWith("/") ? fhirServer : `${fhirServer}/`;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        key === "reference" && typeof item === "string" && item.startsWith(base)
          ? item.slice(base.length)
          : rewrite(item),
      ]),
    );
  };
  return rewrite(resource) as Resource;
}

function subjectOf(resource: Resource): string | null {
  const record = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  return record.subject?.reference ?? record.patient?.reference ?? null;
}
