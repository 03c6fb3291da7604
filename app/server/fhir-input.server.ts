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
import type { Bundle, BundleEntry } from "@medplum/fhirtypes";
import { checkTexts } from "./fhir-validation-pool.server";

/** One NDJSON line or Bundle entry (one resource); longer ones are refused without being held. */
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

/**
 * A Bundle file, read twice in chunks and never held whole: the first pass checks its JSON and
 * collects each entry's fullUrl (so `urn:uuid:` references resolve, https://hl7.org/fhir/R4/bundle.html#references),
 * the second yields the entries' resources with those references rewritten to `Type/id`. A file
 * that is not valid JSON yields only its error, so nothing of a broken Bundle is imported.
 */
async function* readBundleFile(file: string): AsyncGenerator<RawResource | InputError> {
  const name = basename(file);
  const aliases = new Map<string, string>();
  let shell = "";
  for await (const part of scanBundle(file)) {
    if (part.kind === "error") {
      yield { kind: "error", file: name, location: `line ${part.line}`, message: `invalid JSON: ${part.message}` };
      return;
    }
    if (part.kind === "shell") {
      shell = part.text;
      continue;
    }
    let entry: BundleEntry;
    try {
      entry = JSON.parse(part.text) as BundleEntry;
    } catch (error) {
      yield {
        kind: "error",
        file: name,
        location: `line ${part.line}`,
        message: `invalid JSON: ${(error as Error).message}`,
      };
      return;
    }
    const resource = entry.resource;
    if (resource && entry.fullUrl)
      aliases.set(entry.fullUrl, `${resource.resourceType}/${resource.id ?? entry.fullUrl.replace(/^urn:uuid:/, "")}`);
  }
  const bundle = JSON.parse(shell) as Bundle;
  if (!bundle || typeof bundle !== "object" || bundle.resourceType !== "Bundle") {
    yield { kind: "error", file: name, location: "file", message: 'not a FHIR Bundle (resourceType is not "Bundle")' };
    return;
  }
  if (!bundle.type || !BUNDLE_TYPES.has(bundle.type)) {
    yield {
      kind: "error",
      file: name,
      location: "file",
      message: `Bundle type "${bundle.type}" is not imported (transaction, batch, collection or searchset)`,
    };
    return;
  }
  for await (const part of scanBundle(file)) {
    if (part.kind !== "entry") continue;
    const location = `entry ${part.index}`;
    const entry = JSON.parse(part.text) as BundleEntry;
    const resource = entry.resource;
    if (!resource) {
      yield { kind: "error", file: name, location, message: "entry without a resource" };
      continue;
    }
    if (entry.search?.mode === "outcome" || resource.resourceType === "OperationOutcome") continue;
    if (!resource.id && entry.fullUrl) resource.id = entry.fullUrl.replace(/^urn:uuid:/, "");
    rewriteReferences(resource, aliases);
    yield { kind: "text", text: JSON.stringify(resource), file: name, location, line: part.index };
  }
}

type BundlePart =
  | { kind: "entry"; index: number; line: number; text: string }
  | { kind: "shell"; text: string }
  | { kind: "error"; line: number; message: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const COLON = 0x3a;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Splits a Bundle's JSON into the texts of its `entry` array's elements and the rest (the "shell",
 * with an empty entry array), scanning bytes: JSON's structural characters are ASCII, which never
 * occur inside a multi-byte UTF-8 character. Checks nesting and the array's separators; each part
 * is then checked by JSON.parse.
 */
async function* scanBundle(file: string): AsyncGenerator<BundlePart> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let key = ""; // the last string read at depth 1, while it may be a member's name
  let keyParts: Buffer[] | null = null;
  let entryKey = false; // the member being read is "entry"
  // "shell": outside the entry array; "between": in it, between elements; "entry": inside an element.
  let mode: "shell" | "between" | "entry" = "shell";
  let expectEntry = true; // in "between": an element may come next (after "[" or ",")
  let index = 0;
  let entryLine = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  const shellParts: Buffer[] = [];
  let shellBytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0; // where the bytes not yet kept begin, in this chunk
    // At a chunk's end the kept bytes are copied: a subarray would pin the whole 1 MB chunk.
    const keep = (end: number, copy = false) => {
      if (end <= start) return;
      const part = copy ? Buffer.from(chunk.subarray(start, end)) : chunk.subarray(start, end);
      if (mode === "entry") {
        parts.push(part);
        partBytes += part.length;
      } else if (mode === "shell") {
        shellParts.push(part);
        shellBytes += part.length;
      }
      start = end;
    };
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (byte === NEWLINE) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) {
          inString = false;
          if (keyParts) {
            keyParts.push(chunk.subarray(start, i));
            key = Buffer.concat(keyParts).toString("utf8");
            keyParts = null;
          }
        }
        continue;
      }
      if (mode === "between") {
        if (WHITESPACE.has(byte)) {
          start = i + 1;
          continue;
        }
        if (byte === 0x7b && expectEntry) {
          mode = "entry";
          start = i;
          entryLine = line;
          depth++;
          continue;
        }
        if (byte === COMMA && !expectEntry) {
          expectEntry = true;
          start = i + 1;
          continue;
        }
        if (byte === 0x5d && (!expectEntry || index === 0)) {
          mode = "shell";
          start = i;
          depth--;
          continue;
        }
        yield { kind: "error", line, message: `unexpected character in the entry array` };
        return;
      }
      if (byte === QUOTE) {
        inString = true;
        if (mode === "shell" && depth === 1) {
          keep(i + 1);
          keyParts = [];
        }
        continue;
      }
      if (byte === 0x7b || byte === 0x5b) {
        if (mode === "shell" && depth === 1 && byte === 0x5b && entryKey) {
          keep(i + 1);
          mode = "between";
          expectEntry = true;
          depth++;
          continue;
        }
        depth++;
      } else if (byte === 0x7d || byte === 0x5d) {
        depth--;
        if (depth < 0) {
          yield { kind: "error", line, message: "unbalanced brackets" };
          return;
        }
        if (mode === "entry" && depth === 2) {
          keep(i + 1);
          if (partBytes > MAX_LINE_BYTES) {
            yield {
              kind: "error",
              line: entryLine,
              message: `entry ${index} is over ${MAX_LINE_BYTES / 1024 ** 2} MB`,
            };
            return;
          }
          yield { kind: "entry", index: index++, line: entryLine, text: Buffer.concat(parts).toString("utf8") };
          parts = [];
          partBytes = 0;
          mode = "between";
          expectEntry = false;
          start = i + 1;
        }
      } else if (mode === "shell" && depth === 1) {
        if (byte === COLON) entryKey = key === "entry";
        else if (byte === COMMA) entryKey = false;
      }
      if (partBytes + (i - start) > MAX_LINE_BYTES && mode === "entry") {
        yield { kind: "error", line: entryLine, message: `entry ${index} is over ${MAX_LINE_BYTES / 1024 ** 2} MB` };
        return;
      }
      if (shellBytes + (i - start) > MAX_LINE_BYTES && mode === "shell") {
        yield {
          kind: "error",
          line,
          message: `the Bundle outside its entries is over ${MAX_LINE_BYTES / 1024 ** 2} MB`,
        };
        return;
      }
    }
    keyParts?.push(Buffer.from(chunk.subarray(start)));
    keep(chunk.length, true);
  }
  if (depth !== 0 || inString || mode !== "shell") {
    yield { kind: "error", line, message: "unexpected end of the file" };
    return;
  }
  yield { kind: "shell", text: Buffer.concat(shellParts).toString("utf8") };
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
