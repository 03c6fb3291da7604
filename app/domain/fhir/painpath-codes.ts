/**
 * PainPath's own code systems and extensions, for what no standard code carries (a modality, a
 * stop reason, a procedure type, the PEG's pain-now/average/worst split). One base URL, so a
 * receiving system can recognise them; it is not resolvable, as FHIR allows for a system URI.
 * The export writes them (export/); the import reads them back (own-codes.ts), so a PainPath
 * export re-imports to the same pathway.
 */
import type { CodeableConcept, Extension } from "@medplum/fhirtypes";

export const PAINPATH_FHIR_BASE = "https://painpath.org/fhir";
export const painpathSystem = (name: string) => `${PAINPATH_FHIR_BASE}/CodeSystem/${name}`;
export const painpathExtensionUrl = (name: string) => `${PAINPATH_FHIR_BASE}/StructureDefinition/${name}`;

/** The code of a PainPath coding of `system` in the concept, if it is one of `allowed`. */
export function painpathCode<T extends string>(
  concept: CodeableConcept | undefined,
  system: string,
  allowed: Readonly<Record<T, unknown>>,
): T | null {
  const code = concept?.coding?.find((coding) => coding.system === painpathSystem(system))?.code;
  return code !== undefined && Object.hasOwn(allowed, code) ? (code as T) : null;
}

/** Values of a PainPath extension on a resource, in order. */
export function painpathExtensions(
  extensions: readonly Extension[] | undefined,
  name: string,
): Array<string | number | boolean> {
  return (extensions ?? [])
    .filter((extension) => extension.url === painpathExtensionUrl(name))
    .flatMap((extension) => {
      const value = extension.valueCode ?? extension.valueString ?? extension.valueInteger ?? extension.valueBoolean;
      return value === undefined ? [] : [value];
    });
}

export function painpathExtensionNumber(extensions: readonly Extension[] | undefined, name: string): number | null {
  const [value] = painpathExtensions(extensions, name);
  return typeof value === "number" ? value : null;
}

export function painpathExtensionString(extensions: readonly Extension[] | undefined, name: string): string | null {
  const [value] = painpathExtensions(extensions, name);
  return typeof value === "string" ? value : null;
}

/** The enum value a PainPath extension holds, or null when absent or not one of `allowed`. */
export function painpathExtensionCode<T extends string>(
  extensions: readonly Extension[] | undefined,
  name: string,
  allowed: Readonly<Record<T, unknown>>,
): T | null {
  const value = painpathExtensionString(extensions, name);
  return value !== null && Object.hasOwn(allowed, value) ? (value as T) : null;
}
