// Fills a database with a synthetic, clinically plausible PainPath population for scale work:
//
//   npm run db:generate-dataset -- [--patients 100000] [--seed 42] [--today YYYY-MM-DD] [--replace]
//
// Where it goes:
// - DATABASE_URL when set.
// - Otherwise the `painpath_bench` database on the embedded development PostgreSQL the app uses
//   (EMBEDDED_DATABASE_DIR, default .data/postgres; EMBEDDED_DATABASE_PORT, default 54329). A separate
//   database, so the demo data in `painpath` is never touched. Stop `npm run dev` first (the embedded
//   server cannot be started twice), or set DATABASE_URL to painpath_bench on the running server.
//   To browse the dataset, start the app with DATABASE_URL pointing at painpath_bench (same user
//   and password as the embedded `painpath` database).
//
// Safety: it refuses a database that holds any row (users, patients, the audit trail, anything) and
// says what it found. --replace drops the schema and migrates it afresh instead: the audit trail's
// append-only triggers refuse DELETE and TRUNCATE, so emptying tables is not an option. The report
// names host, port and database, never the password. Refused when NODE_ENV=production.
//
// What it makes (default size): 100,000 patients, ~150,000 diagnoses, ~590,000 therapy trials,
// ~1.6 million outcome assessments over six years up to yesterday, side effects, procedure history,
// ~15,000 referrals in every state, revisions and ~477,000 audit events (PainPath "went live" 90 days ago; older records are imported
// history without audit rows), ~335 users. See tools/dataset/generate.ts for the model.
// Every generated user signs in with the password in DATASET_PASSWORD (printed at the end).
//
// Reproducible: the same --patients, --seed and --today give the same loaded rows, byte for byte; the
// printed fingerprint proves it. --today defaults to today in CLINIC_TIME_ZONE, so without it the
// dates move with the calendar. The flags come after (tools/dataset/flag-work.ts): the
// engine raises them, on days of the last half year, and physicians work a seeded share today, the
// same flags and moves every time, but with fresh ids, as the app itself writes them.
//
// Speed: rows are streamed through PostgreSQL COPY into tables whose keys and indexes are rebuilt
// afterwards (tools/dataset/load.ts); 100,000 patients take about 33 s on two cores,
// and raising and working the flags about 170 s more.
import { parseArgs } from "node:util";
import { todayIn } from "../app/domain/iso-date";
import { DATASET_PASSWORD, generateDataset } from "../tools/dataset/generate";
import type { FlagWorkReport } from "../tools/dataset/flag-work";
import { generateDatasetInto, type LoadReport } from "../tools/dataset/load";
import { openDatabase, type OpenDatabase } from "../app/server/database.server";
import { getDb } from "../app/server/db.server";
import { getEnv } from "../app/server/env.server";

const BENCH_DATABASE = "painpath_bench";

const USAGE = `Usage: npm run db:generate-dataset -- [--patients N] [--seed N] [--today YYYY-MM-DD] [--replace]
  --patients  number of patients (default 100000)
  --seed      random seed (default 42)
  --today     the clinic's "today"; all dates fall before it (default: today in CLINIC_TIME_ZONE)
  --replace   drop and re-migrate a database that already holds data`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      patients: { type: "string", default: "100000" },
      seed: { type: "string", default: "42" },
      today: { type: "string" },
      replace: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const patients = Number(values.patients);
  const seed = Number(values.seed);
  const today = values.today ?? todayIn(getEnv().CLINIC_TIME_ZONE, new Date());
  const problems = [
    ...(Number.isInteger(patients) && patients >= 1 ? [] : [`--patients must be a whole number ≥ 1`]),
    ...(Number.isInteger(seed) ? [] : [`--seed must be a whole number`]),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(today) && !Number.isNaN(Date.parse(today)) ? [] : [`--today must be YYYY-MM-DD`]),
  ];
  if (problems.length > 0) {
    console.error(`${problems.join("\n")}\n\n${USAGE}`);
    process.exit(2);
  }
  return { patients, seed, today, replace: values.replace };
}

function printReport(report: LoadReport & { flags: FlagWorkReport }, seconds: number) {
  const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`\nLoaded ${report.target} in ${seconds.toFixed(1)} s (fingerprint ${report.fingerprint.slice(0, 16)})`);
  for (const { name, ms } of report.phases) console.log(`  ${name.padEnd(46)} ${(ms / 1000).toFixed(1).padStart(7)} s`);
  console.log(`\n  ${"table".padEnd(22)} ${"rows".padStart(10)} ${"total".padStart(11)} ${"indexes".padStart(11)}`);
  for (const size of report.sizes) {
    console.log(
      `  ${size.table.padEnd(22)} ${size.rows.toLocaleString("en-US").padStart(10)} ` +
        `${megabytes(size.totalBytes).padStart(11)} ${megabytes(size.indexBytes).padStart(11)}`,
    );
  }
  console.log(`\n  Derived follow-up fields set for ${report.summariesRefreshed.toLocaleString("en-US")} patients.`);
  const { flagsRaised, worked, skipped } = report.flags;
  console.log(
    `  The engine raised ${flagsRaised.toLocaleString("en-US")} flags; physicians worked ` +
      Object.entries(worked)
        .map(([action, n]) => `${n.toLocaleString("en-US")} (${action})`)
        .join(", ") +
      `; ${skipped} planned moves found the flag already closed; the rest are open.`,
  );
}

const options = parseOptions();
const started = performance.now();
let target: OpenDatabase | undefined;
try {
  target = await openDatabase(getEnv(), BENCH_DATABASE);
  // The engine and the flag actions at the end write through the application's own client.
  process.env.DATABASE_URL = target.url;
  console.log(
    `Generating ${options.patients.toLocaleString("en-US")} patients (seed ${options.seed}, today ${options.today}) ` +
      `into ${target.description}`,
  );
  const report = await generateDatasetInto(target.url, { ...options, log: (message) => console.log(`  ${message}`) });
  printReport(report, (performance.now() - started) / 1000);
  const first = generateDataset(options).next().value;
  const example = first?.table === "User" ? ` (e.g. ${first.row.email})` : "";
  console.log(`  Every generated user${example} signs in with the password: ${DATASET_PASSWORD}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (target) await getDb().$disconnect();
  await target?.embedded?.stop();
}
