/**
 * CSV as RFC 4180 describes it (CRLF line ends, fields with a comma, quote or line break quoted,
 * quotes doubled), made safe to open in a spreadsheet: a text cell that a spreadsheet would run as
 * a formula gets a leading apostrophe (OWASP "CSV injection").
 */
export type CsvValue = string | number | null | undefined;

/**
 * What spreadsheets treat as the start of a formula (OWASP's list), plus the full-width forms that
 * some locales' spreadsheets turn into the ASCII ones.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field. Numbers are written as they are: a number cannot be a formula, and -3 stays a number. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ending with CRLF, so records can be streamed one after another. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** Whole CSV text: the first row is usually the header. */
export function toCsv(rows: ReadonlyArray<readonly CsvValue[]>): string {
  return rows.map(csvLine).join("");
}

const FILE_NAME_MAX = 120;

function fileNamePart(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
}

/**
 * A download's file name naming the filters that produced it, e.g.
 * `audit_action-patient.view_from-2026-01-01.csv`. Only ASCII letters, digits, dot, hyphen and
 * underscore survive, so the name is safe in a header and on any file system.
 */
export function csvFileName(prefix: string, filters: Record<string, CsvValue | boolean> = {}): string {
  const parts = [fileNamePart(prefix) || "export"];
  for (const [key, value] of Object.entries(filters)) {
    if (value === null || value === undefined || value === "" || value === false) continue;
    const part = fileNamePart(value === true ? key : `${key}-${String(value)}`);
    if (part) parts.push(part);
  }
  const name = parts
    .join("_")
    .slice(0, FILE_NAME_MAX)
    .replace(/[-._]+$/, "");
  return `${name}.csv`;
}

/**
 * Headers for a CSV download: an attachment under `fileName` (from csvFileName), never stored by
 * the browser or a proxy, since exports hold audit or patient data.
 */
export function csvResponseHeaders(fileName: string): Record<string, string> {
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  };
}

/** Lets Excel recognise UTF-8; other readers skip it. Put it before the first line of a download. */
export const UTF8_BOM = "\uFEFF";
