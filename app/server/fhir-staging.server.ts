/**
 * Groups an import's resources by patient on disk, so no more than one bucket is ever in memory:
 * each resource goes to the bucket file its patient's key hashes to, in input order, and a bucket
 * is later read whole and split by patient. Bulk NDJSON keeps one resource type per file, so a
 * patient's resources are spread over every file of the export; this brings them together.
 * The folder is private to the process's user and removed when the run ends (or, after a crash,
 * when the run is found interrupted).
 */
import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";

/**
 * About this much input text per bucket. A bucket's text and its patients' parsed resources must fit
 * beside everything else in a capped heap (160 MB for the command, 128 MB for the server that runs
 * uploads): 24 MB buckets ran a 10,000-patient import out of heap. A 4 GB upload still gets 4 MB
 * buckets, at one open file each.
 */
const BUCKET_BYTES = 4 * 1024 * 1024;
const MAX_BUCKETS = 1024;
const FLUSH_BYTES = 64 * 1024;

export interface StagedResource {
  patientKey: string;
  resourceType: string;
  /** "file line 3" or "file entry 0". */
  place: string;
  /** Position in the input: the report lists patients in input order. */
  seq: number;
  text: string;
}

export function stagingFolder(runId: string): string {
  return join(tmpdir(), `painpath-import-${runId}`);
}

export function removeStaging(runId: string) {
  return rm(stagingFolder(runId), { recursive: true, force: true });
}

export class StagingBuckets {
  private readonly streams: WriteStream[];
  private readonly buffers: string[];

  private constructor(
    private readonly folder: string,
    readonly count: number,
  ) {
    this.streams = Array.from({ length: count }, (_, i) =>
      createWriteStream(join(folder, `${i}.staged`), { mode: 0o600 }),
    );
    this.buffers = Array.from({ length: count }, () => "");
  }

  /** Buckets for about `inputBytes` of input. */
  static async create(runId: string, inputBytes: number): Promise<StagingBuckets> {
    const folder = stagingFolder(runId);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true, mode: 0o700 });
    return new StagingBuckets(folder, Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(inputBytes / BUCKET_BYTES))));
  }

  async add(resource: StagedResource) {
    const bucket =
      this.count === 1 ? 0 : createHash("md5").update(resource.patientKey).digest().readUInt32BE(0) % this.count;
    // The header is JSON (no raw tab); the resource text follows the first tab, on one line.
    const header = JSON.stringify([resource.patientKey, resource.resourceType, resource.place, resource.seq]);
    this.buffers[bucket] += `${header}\t${resource.text}\n`;
    if ((this.buffers[bucket] as string).length >= FLUSH_BYTES) await this.flush(bucket);
  }

  private async flush(bucket: number) {
    const stream = this.streams[bucket] as WriteStream;
    const ok = stream.write(this.buffers[bucket]);
    this.buffers[bucket] = "";
    if (!ok) await once(stream, "drain");
  }

  async close() {
    for (let bucket = 0; bucket < this.count; bucket++) {
      await this.flush(bucket);
      const stream = this.streams[bucket] as WriteStream;
      stream.end();
      await once(stream, "finish");
    }
  }

  /** One bucket's resources, grouped by patient key in order of first appearance. */
  async read(bucket: number): Promise<Map<string, StagedResource[]>> {
    const text = await readFile(join(this.folder, `${bucket}.staged`), "utf8");
    const groups = new Map<string, StagedResource[]>();
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
      const tab = text.indexOf("\t", start);
      const [patientKey, resourceType, place, seq] = JSON.parse(text.slice(start, tab)) as [
        string,
        string,
        string,
        number,
      ];
      const resource = { patientKey, resourceType, place, seq, text: text.slice(tab + 1, end) };
      const group = groups.get(patientKey);
      if (group) group.push(resource);
      else groups.set(patientKey, [resource]);
      start = end + 1;
    }
    return groups;
  }
}
