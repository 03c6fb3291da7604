// `npm run import:fhir -- <file-or-folder> --as <admin email> [--physician <email>] [--dry-run]`:
// imports FHIR R4 Bundles (.json) and Bulk Data NDJSON (.ndjson) into DATABASE_URL (or the embedded
// database), as the administrator named by --as (the audit trail records who ran it). New patients
// are assigned to --physician. Prints a progress bar, then the report's totals; the whole report is
// kept with the run (ImportRun) and, with --report FILE, written as JSON.
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { ImportInputError, type ImportReport, runImport } from "../app/models/fhir-import.server";
import { openDatabase } from "../app/server/database.server";
import { getDb } from "../app/server/db.server";
import { getEnv } from "../app/server/env.server";
import { closePool } from "../app/server/fhir-validation-pool.server";
import { pendingMigrations } from "../app/server/migrations.server";

const USAGE =
  "Usage: npm run import:fhir -- <file-or-folder> --as ADMIN_EMAIL [--physician EMAIL] [--dry-run] " +
  "[--source-system NAME] [--mrn-system URI] [--report FILE]";

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [path] = positionals;
  if (!path || positionals.length > 1 || !values.as) {
    console.error(USAGE);
    return 2;
  }
  const database = await openDatabase(getEnv());
  process.env.DATABASE_URL = database.url;
  try {
    const pending = await pendingMigrations(database.url, "prisma/migrations");
    if (pending.length > 0) {
      console.error(`The database lacks ${pending.length} migration(s): run npm run db:migrate first.`);
      return 1;
    }
    const db = getDb();
    const actor = await db.user.findFirst({ where: { email: values.as.toLowerCase(), active: true, role: "ADMIN" } });
    if (!actor) {
      console.error(`--as: no active administrator ${values.as}.`);
      return 2;
    }
    const physician = values.physician
      ? await db.user.findFirst({ where: { email: values.physician.toLowerCase(), active: true, role: "PHYSICIAN" } })
      : null;
    if (values.physician && !physician) {
      console.error(`--physician: no active physician ${values.physician}.`);
      return 2;
    }
    const dryRun = values["dry-run"] ?? false;
    const bar = progressBar();
    const started = performance.now();
    const report = await runImport({
      path,
      sourceLabel: basename(path),
      sourceSystem: values["source-system"] ?? "ehr",
      dryRun,
      actor: { id: actor.id, role: "ADMIN" },
      physicianId: physician?.id ?? null,
      context: { requestId: randomUUID(), clientAddress: "command line", cspNonce: "", state: {} },
      mrnSystems: values["mrn-system"] ? [values["mrn-system"]] : undefined,
      onProgress: bar,
    });
    bar.done();
    printReport(report);
    // maxRSS is in kilobytes: the process's peak resident memory, database excluded.
    const peak = process.resourceUsage().maxRSS / 1024;
    console.log(`Took ${((performance.now() - started) / 1000).toFixed(1)} s; peak memory ${peak.toFixed(0)} MB`);
    if (values.report) await writeFile(values.report, JSON.stringify(report, null, 1));
    return report.inputErrors.length > 0 || report.totals.patientsFailed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ImportInputError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      console.error(`No such file or folder: ${path}`);
      return 2;
    }
    throw error;
  } finally {
    await closePool();
    await getDb().$disconnect();
    await database.embedded?.stop();
  }
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      as: { type: "string" },
      physician: { type: "string" },
      "dry-run": { type: "boolean" },
      "source-system": { type: "string" },
      "mrn-system": { type: "string" },
      report: { type: "string" },
    },
  });
}

/** A bar on a terminal; a line every 10 % elsewhere (a log stays readable). */
function progressBar() {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  const started = performance.now();
  let readFor: number | null = null;
  const update = (done: number, total: number, phase: "reading" | "importing") => {
    if (phase === "importing") readFor ??= performance.now() - started;
    if (phase === "reading") {
      if (tty) process.stderr.write(`\rReading: ${done.toLocaleString("en")} resources staged`);
      return;
    }
    const fraction = total === 0 ? 1 : done / total;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${done}/${total} patients`,
      );
    } else if (Math.floor(fraction * 10) > lastTenth) {
      lastTenth = Math.floor(fraction * 10);
      console.error(`${lastTenth * 10}% (${done}/${total} patients)`);
    }
  };
  return Object.assign(update, {
    done: () => {
      if (tty) process.stderr.write("\n");
      if (readFor !== null) console.log(`Read, validated and staged in ${(readFor / 1000).toFixed(1)} s`);
    },
  });
}

function printReport(report: ImportReport) {
  const t = report.totals;
  console.log(`${report.dryRun ? "Dry run (nothing written)" : "Import"} ${report.runId}`);
  console.log(`Patients: ${t.patients} (${t.patientsImported} ok, ${t.patientsFailed} failed)`);
  console.log(
    `Rows: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.skipped} skipped, ` +
      `${t.needsReview} need review, ${t.conflicts} conflicts with corrections`,
  );
  for (const [reason, count] of Object.entries(report.skippedByReason)) console.log(`  skipped ${count}: ${reason}`);
  if (report.unknownCodes > 0) console.log(`Codes sent to the review list: ${report.unknownCodes}`);
  for (const patient of report.patients.filter((p) => p.status === "failed").slice(0, 50))
    console.error(`Patient failed: ${patient.error}`);
  for (const error of report.inputErrors.slice(0, 50))
    console.error(`${error.file} ${error.location}: ${error.message}`);
  if (report.inputErrors.length > 50) console.error(`… and ${report.inputErrors.length - 50} more input errors`);
}

process.exitCode = await main();
