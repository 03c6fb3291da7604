import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

/** The upload page's path: the only request allowed a body beyond MAX_BODY_BYTES (http-app.ts). */
export const FHIR_UPLOAD_PATH = "/admin/imports/upload";
/** An NDJSON export is streamed to disk, never held: this bounds the disk it may take. */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export class UploadRefusedError extends Error {}

/** The file name as stored: its last part, safe characters only, and a .json or .ndjson extension. */
export function uploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const safe = base.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100);
  if (!/\.(ndjson|json)$/i.test(safe))
    throw new UploadRefusedError("Upload a FHIR Bundle (.json) or an NDJSON file (.ndjson).");
  return safe;
}

/**
 * Streams a request body to a new private folder and returns the folder (the import reads it like
 * a Bulk Data folder). Refused past MAX_UPLOAD_BYTES, counting what arrives, not what is declared.
 */
export async function saveUpload(body: ReadableStream<Uint8Array>, name: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "painpath-import-"));
  await mkdir(folder, { recursive: true, mode: 0o700 });
  let received = 0;
  const counted = Readable.fromWeb(body as NodeReadableStream<Uint8Array>).map((chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_UPLOAD_BYTES)
      throw new UploadRefusedError(`The file is over ${MAX_UPLOAD_BYTES / 1024 ** 3} GB.`);
    return chunk;
  });
  try {
    await pipeline(counted, createWriteStream(join(folder, name), { mode: 0o600 }));
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  if (received === 0) {
    await rm(folder, { recursive: true, force: true });
    throw new UploadRefusedError("The file is empty.");
  }
  return folder;
}

export function removeUpload(folder: string) {
  return rm(folder, { recursive: true, force: true });
}
