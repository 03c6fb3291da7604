/**
 * Reads an import's input: Bundle JSON files (transaction, batch, collection, searchset) and Bulk
 * Data NDJSON files (https://hl7.org/fhir/uv/bulkdata/export.html#file-format), one file or a folder.
 * Yields one item per resource (its JSON text, checked against R4 on the validation threads) with
 * where it came from, or one error naming the file, the line or entry, and the reason. NDJSON is read
 * line by line and a few batches are in flight at a time: memory stays bounded whatever the file size.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Bundle } from "@medplum/fhirtypes";
import { checkTexts } from "./fhir-validation-pool.server";

/** A Bundle is parsed whole: beyond this, the export should be Bulk NDJSON. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;
/** One NDJSON line (one resource); longer lines are refused without being held. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface InputResource {
  kind: "resource";
  /** The resource as JSON text, valid R4. */
  text: string;
  resourceType: string;
  id: string | null;
  /** "Patient/id" of the patient it belongs to, when it names one. */
  patientKey: string | null;
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

/** A resource's text before validation. */
interface RawResource {
  kind: "text";
  text: string;
  file: string;
  location: string;
  line: number;
}

const BATCH = 500;
/** Batches handed to the validation threads ahead of the one being consumed. */
const IN_FLIGHT = 4;

const BUNDLE_TYPES = new Set(["transaction", "batch", "collection", "searchset"]);

export async function listInputFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const names = (await readdir(path)).filter((name) => /\.(ndjson|json)$/i.test(name)).sort();
  return names.map((name) => join(path, name));
}

export async function* readInput(path: string): AsyncGenerator<InputItem> {
  const pending: Array<Promise<InputItem[]>> = [];
  let batch: Array<RawResource | InputError> = [];
  const send = () => {
    const items = batch;
    batch = [];
    const raw = items.filter((item): item is RawResource => item.kind === "text");
    pending.push(
      checkTexts(raw.map((item) => item.text)).then((checks) => {
        let next = 0;
        return items.map((item): InputItem => {
          if (item.kind === "error") return item;
          const check = checks[next++];
          if (!check) throw new Error("the validation thread answered fewer resources than it was sent");
          if (!check.ok)
            return {
              kind: "error",
              file: item.file,
              location: check.resource ? `${item.location} (${check.resource})` : item.location,
              message: check.message,
            };
          return { ...item, ...check, kind: "resource" };
        });
      }),
    );
  };
  for (const file of await listInputFiles(path)) {
    for await (const item of /\.ndjson$/i.test(file) ? readNdjson(file) : readBundleFile(file)) {
      batch.push(item);
      if (batch.length < BATCH) continue;
      send();
      if (pending.length >= IN_FLIGHT) yield* (await pending.shift()) as InputItem[];
    }
  }
  if (batch.length > 0) send();
  while (pending.length > 0) yield* (await pending.shift()) as InputItem[];
}

async function* readBundleFile(file: string): AsyncGenerator<RawResource | InputError> {
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
function* bundleResources(parsed: unknown, file: string): Generator<RawResource | InputError> {
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
    yield { kind: "text", text: JSON.stringify(resource), file, location, line: index };
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

async function* readNdjson(file: string): AsyncGenerator<RawResource | InputError> {
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
    yield { kind: "text", text: line, file: name, location, line: lineNumber };
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
