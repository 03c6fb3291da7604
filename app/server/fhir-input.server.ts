/**
 * Reads an import's input: Bundle JSON files (transaction, batch, collection, searchset) and Bulk
 * Data NDJSON files (https://hl7.org/fhir/uv/bulkdata/export.html#file-format), one file or a folder.
 * Yields one item per resource with where it came from, or one error naming the file, the line or
 * entry, and the reason. NDJSON is read line by line: memory stays bounded whatever the file size.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Bundle, Resource } from "@medplum/fhirtypes";
import { validateR4 } from "./fhir-validation.server";

/** A Bundle is parsed whole: beyond this, the export should be Bulk NDJSON. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;
/** One NDJSON line (one resource); longer lines are refused without being held. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface InputResource {
  kind: "resource";
  resource: Resource;
  file: string;
  /** "line 12" or "entry 3". */
  location: string;
  line: number;
}

export interface InputError {
  kind: "error";
  file: string;
  location: string;
  message: string;
}

export type InputItem = InputResource | InputError;

const BUNDLE_TYPES = new Set(["transaction", "batch", "collection", "searchset"]);

export async function listInputFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const names = (await readdir(path)).filter((name) => /\.(ndjson|json)$/i.test(name)).sort();
  return names.map((name) => join(path, name));
}

export async function* readInput(path: string): AsyncGenerator<InputItem> {
  for (const file of await listInputFiles(path)) {
    if (/\.ndjson$/i.test(file)) yield* readNdjson(file);
    else yield* readBundleFile(file);
  }
}

async function* readBundleFile(file: string): AsyncGenerator<InputItem> {
  const name = basename(file);
  const size = (await stat(file)).size;
  if (size > MAX_BUNDLE_BYTES) {
    yield {
      kind: "error",
      file: name,
      location: "file",
      message: `the Bundle is ${(size / 1024 ** 3).toFixed(1)} GB, over the ${MAX_BUNDLE_BYTES / 1024 ** 2} MB a Bundle may have: export it as Bulk Data NDJSON, which is read line by line`,
    };
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file)) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    yield {
      kind: "error",
      file: name,
      location: jsonErrorLocation(text, error),
      message: `invalid JSON: ${(error as Error).message}`,
    };
    return;
  }
  yield* bundleResources(parsed, name);
}

/** The resources of a Bundle, with `urn:uuid:` references rewritten to `Type/id`. */
export function* bundleResources(parsed: unknown, file: string): Generator<InputItem> {
  const bundle = parsed as Bundle;
  if (!bundle || typeof bundle !== "object" || bundle.resourceType !== "Bundle") {
    yield { kind: "error", file, location: "file", message: 'not a FHIR Bundle (resourceType is not "Bundle")' };
    return;
  }
  if (!bundle.type || !BUNDLE_TYPES.has(bundle.type)) {
    yield {
      kind: "error",
      file,
      location: "file",
      message: `Bundle type "${bundle.type}" is not imported (transaction, batch, collection or searchset)`,
    };
    return;
  }
  const entries = bundle.entry ?? [];
  // fullUrl → Type/id, so references inside the Bundle resolve (https://hl7.org/fhir/R4/bundle.html#references).
  const aliases = new Map<string, string>();
  for (const entry of entries) {
    const resource = entry.resource;
    if (!resource || !entry.fullUrl) continue;
    const id = resource.id ?? entry.fullUrl.replace(/^urn:uuid:/, "");
    aliases.set(entry.fullUrl, `${resource.resourceType}/${id}`);
  }
  for (const [index, entry] of entries.entries()) {
    const location = `entry ${index}`;
    const resource = entry.resource;
    if (!resource) {
      yield { kind: "error", file, location, message: "entry without a resource" };
      continue;
    }
    if (entry.search?.mode === "outcome" || resource.resourceType === "OperationOutcome") continue;
    if (!resource.id && entry.fullUrl) resource.id = entry.fullUrl.replace(/^urn:uuid:/, "");
    rewriteReferences(resource, aliases);
    const problem = validateR4(resource);
    if (problem)
      yield {
        kind: "error",
        file,
        location: `${location} (${resource.resourceType}/${resource.id ?? "?"})`,
        message: problem,
      };
    else yield { kind: "resource", resource, file, location, line: index };
  }
}

function rewriteReferences(value: unknown, aliases: ReadonlyMap<string, string>) {
  if (Array.isArray(value)) {
    for (const item of value) rewriteReferences(item, aliases);
  } else if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (key === "reference" && typeof child === "string") record[key] = aliases.get(child) ?? child;
      else if (typeof child === "object") rewriteReferences(child, aliases);
    }
  }
}

async function* readNdjson(file: string): AsyncGenerator<InputItem> {
  const name = basename(file);
  let lineNumber = 0;
  for await (const line of boundedLines(file)) {
    lineNumber++;
    const location = `line ${lineNumber}`;
    if (line === null) {
      yield { kind: "error", file: name, location, message: `line longer than ${MAX_LINE_BYTES / 1024 ** 2} MB` };
      continue;
    }
    if (line.trim() === "") continue;
    let resource: Resource;
    try {
      resource = JSON.parse(line) as Resource;
    } catch (error) {
      yield { kind: "error", file: name, location, message: `invalid JSON: ${(error as Error).message}` };
      continue;
    }
    if (!resource || typeof resource !== "object" || typeof resource.resourceType !== "string") {
      yield { kind: "error", file: name, location, message: "not a FHIR resource (no resourceType)" };
      continue;
    }
    const problem = validateR4(resource);
    if (problem)
      yield {
        kind: "error",
        file: name,
        location: `${location} (${resource.resourceType}/${resource.id ?? "?"})`,
        message: problem,
      };
    else yield { kind: "resource", resource, file: name, location, line: lineNumber };
  }
}

/** Lines of a file as strings, or null for a line over MAX_LINE_BYTES (skipped without being kept). */
async function* boundedLines(file: string): AsyncGenerator<string | null> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      if (overlong) yield null;
      else {
        pending.push(chunk.subarray(start, newline));
        yield Buffer.concat(pending).toString("utf8");
      }
      pending = [];
      pendingBytes = 0;
      overlong = false;
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (!overlong && pendingBytes + rest.length > MAX_LINE_BYTES) {
      overlong = true;
      pending = [];
    }
    if (!overlong && rest.length > 0) {
      // Copied: the stream reuses nothing, but a subarray would pin the whole 1 MB chunk.
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  }
  if (overlong) yield null;
  else if (pendingBytes > 0) yield Buffer.concat(pending).toString("utf8");
}

function jsonErrorLocation(text: string, error: unknown): string {
  const position = /position (\d+)/.exec((error as Error).message)?.[1];
  if (position === undefined) return "file";
  const line = text.slice(0, Number(position)).split("\n").length;
  return `line ${line}`;
}

/** The patient a resource belongs to (`Patient/id`), or null when it names none. */
export function patientKeyOf(resource: Resource): string | null {
  if (resource.resourceType === "Patient") return `Patient/${resource.id ?? ""}`;
  const record = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  const reference = record.subject?.reference ?? record.patient?.reference;
  return reference?.startsWith("Patient/") ? reference : null;
}
