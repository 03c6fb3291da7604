/**
 * Dataset rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, backslash escapes),
 * and a fingerprint over exactly that text, so "the same dataset" means the same bytes loaded.
 */
import { createHash, type Hash } from "node:crypto";
import { generateDataset } from "./generate";
import { DATASET_COLUMNS, DATASET_TABLES, type DatasetOptions, type DatasetRow, type DatasetTable } from "./tables";

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  switch (typeof value) {
    case "string":
      return NEEDS_ESCAPE.test(value)
        ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
        : value;
    case "number":
      if (!Number.isFinite(value)) throw new RangeError(`Cannot COPY the number ${value}.`);
      return String(value);
    case "boolean":
      return value ? "t" : "f";
    default:
      // Only enum arrays (redFlags) reach here: their values need no quoting inside {}.
      if (Array.isArray(value)) return `{${value.join(",")}}`;
      throw new TypeError(`Cannot COPY a value of type ${typeof value}.`);
  }
}

/** One row as a COPY text line, newline included, in DATASET_COLUMNS order. */
export function copyLine({ table, row }: DatasetRow): string {
  const values = row as unknown as Record<string, unknown>;
  let line = "";
  for (const column of DATASET_COLUMNS[table] as readonly string[]) {
    line += (line === "" ? "" : "\t") + copyValue(values[column]);
  }
  return line + "\n";
}

/** SHA-256 per table over its COPY text, then over the per-table digests in load order. */
export class DatasetFingerprint {
  private readonly hashes = new Map<DatasetTable, Hash>(DATASET_TABLES.map((table) => [table, createHash("sha256")]));

  add(table: DatasetTable, text: string) {
    this.hashes.get(table)?.update(text);
  }

  digest(): string {
    const combined = createHash("sha256");
    for (const table of DATASET_TABLES) combined.update(`${table}:${this.hashes.get(table)?.digest("hex")}\n`);
    return combined.digest("hex");
  }
}

/** The fingerprint of a dataset without loading it; equals the one loadDataset reports. */
export function datasetFingerprint(options: DatasetOptions): string {
  const fingerprint = new DatasetFingerprint();
  for (const row of generateDataset(options)) fingerprint.add(row.table, copyLine(row));
  return fingerprint.digest();
}
