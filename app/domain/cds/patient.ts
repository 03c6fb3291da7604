import { isIsoDate, type IsoDate } from "../iso-date";

/** http://hl7.org/fhir/R4/v2/0203/index.html: identifier type "MR", medical record number. */
const IDENTIFIER_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0203";

interface FhirIdentifier {
  system?: string;
  value?: string;
  type?: { coding?: Array<{ system?: string; code?: string }> };
}

export interface EhrPatientIdentity {
  /** Values of the Patient's identifiers of type MR (only those of `mrnSystem` when it is set). */
  mrns: string[];
  birthDate: IsoDate | null;
}

/**
 * What PainPath matches an EHR's Patient on: its MRNs and its birth date. Other identifiers (social
 * security, driver's licence, passport) are never read.
 */
export function ehrPatientIdentity(patient: unknown, mrnSystem: string | null): EhrPatientIdentity {
  const resource = patient as { resourceType?: unknown; identifier?: unknown; birthDate?: unknown } | null;
  if (resource?.resourceType !== "Patient") return { mrns: [], birthDate: null };
  const identifiers = Array.isArray(resource.identifier) ? (resource.identifier as FhirIdentifier[]) : [];
  const mrns = identifiers
    .filter(
      (identifier) =>
        identifier.type?.coding?.some((coding) => coding.system === IDENTIFIER_TYPE_SYSTEM && coding.code === "MR") &&
        (mrnSystem === null || identifier.system === mrnSystem) &&
        typeof identifier.value === "string" &&
        identifier.value.length > 0 &&
        identifier.value.length <= 64,
    )
    .map((identifier) => identifier.value as string);
  const birthDate =
    typeof resource.birthDate === "string" && isIsoDate(resource.birthDate) ? (resource.birthDate as IsoDate) : null;
  return { mrns: [...new Set(mrns)], birthDate };
}
