// `npm run export:fhir -- --out <folder> --as <email> [--batch 250] [--database painpath]`: every patient's pathway as FHIR R4 NDJSON in
// the Bulk Data layout (https://hl7.org/fhir/uv/bulkdata/export.html): one file per resource type,
// one resource per line, and manifest.json shaped like the $export complete-status response.
// Patients are read by keyset in batches and each batch is written before the next is mapped, so
// memory is one batch's whatever the registry's size. `--as` names the physician or nurse who
// exports (only roles that may read clinical data may); one audit event records the export.
import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { patientResources, type PainPathResource } from "../app/domain/fhir/export/patient-resources";
import { can } from "../app/domain/permissions";
import { recordAudit } from "../app/models/audit.server";
import { fhirExportOptions, loadFhirExportRecords, patientIdBatches } from "../app/models/fhir-export.server";
import { openDatabase } from "../app/server/database.server";
import { getDb } from "../app/server/db.server";
import { getEnv } from "../app/server/env.server";

/** The files, in the manifest's order. */
const RESOURCE_TYPES: ReadonlyArray<PainPathResource["resourceType"]> = [
  "Patient",
  "AllergyIntolerance",
  "Condition",
  "MedicationStatement",
  "Observation",
  "ImagingStudy",
  "Procedure",
  "ServiceRequest",
  "RiskAssessment",
];

function usage(message: string): number {
  console.error(
    `${message}\nUsage: npm run export:fhir -- --out <empty or new folder> --as <physician or nurse email> [--batch <patients, 1-5000>] [--database <name>]`,
  );
  return 2;
}

/** Writes a line, waiting while the file's buffer is full: memory stays bounded whatever the disk's speed. */
async function writeLine(stream: WriteStream, line: string): Promise<void> {
  if (!stream.write(line)) await new Promise<void>((resolve) => stream.once("drain", resolve));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      as: { type: "string" },
      batch: { type: "string", default: "250" },
      // The embedded server's database when DATABASE_URL is unset (the benchmark's is painpath_bench).
      database: { type: "string", default: "painpath" },
    },
  });
  if (!values.out) return usage("Name the folder to write to with --out.");
  if (!values.as) return usage("Name the physician or nurse who exports with --as <email>.");
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) return usage("--batch must be 1 to 5000.");
  const folder = path.resolve(values.out);
  await mkdir(folder, { recursive: true });
  // Never mixed with an earlier export: a reader would take stale files for this one.
  if ((await readdir(folder)).length > 0) return usage(`${folder} is not empty.`);

  const env = getEnv();
  const database = await openDatabase(env, values.database);
  process.env.DATABASE_URL = database.url;
  const context = { requestId: randomUUID(), clientAddress: "command line", cspNonce: "", state: {} };
  const streams = new Map<PainPathResource["resourceType"], WriteStream>();
  try {
    const user = await getDb().user.findFirst({
      where: { email: values.as.toLowerCase(), active: true },
      select: { id: true, role: true },
    });
    if (!user || !can(user.role, "patients:view")) {
      if (user) {
        await recordAudit(context, {
          action: "access.denied",
          actor: user,
          outcome: "denied",
          detail: { command: "export:fhir", reason: "role" },
        });
      }
      console.error(`--as: ${values.as} is not an active physician or nurse, who alone may export clinical data.`);
      return 2;
    }
    for (const type of RESOURCE_TYPES) {
      streams.set(type, createWriteStream(path.join(folder, `${type}.ndjson`), { flags: "wx" }));
    }
    const counts = new Map(RESOURCE_TYPES.map((type) => [type, 0]));
    const transactionTime = new Date().toISOString();
    const [{ total }] = await getDb().$queryRaw<[{ total: number }]>`SELECT count(*)::int AS total FROM "Patient"`;
    // Recorded before any file is written, so an export that is stopped half-way is still on record.
    await recordAudit(context, {
      action: "fhir.bulk_export",
      actor: user,
      detail: { patients: total, scope: "all", folder, transactionTime },
    });
    console.log(`Exporting ${total} patients from ${database.description} to ${folder}`);
    const options = fhirExportOptions();
    const started = performance.now();
    let done = 0;
    const batches = patientIdBatches(batchSize);
    // The next batch is read from the database while this one is mapped and written.
    let next = batches.next().then((batch) => (batch.done ? null : loadFhirExportRecords(batch.value)));
    for (let records = await next; records; records = await next) {
      next = batches.next().then((batch) => (batch.done ? null : loadFhirExportRecords(batch.value)));
      for (const record of records) {
        for (const resource of patientResources(record, options)) {
          await writeLine(streams.get(resource.resourceType)!, `${JSON.stringify(resource)}\n`);
          counts.set(resource.resourceType, counts.get(resource.resourceType)! + 1);
        }
      }
      done += records.length;
      process.stdout.write(`\r${done} of ${total} patients`);
    }
    await Promise.all([...streams.values()].map((stream) => new Promise((resolve) => stream.end(resolve))));
    // The manifest lists only files with resources in them (Bulk Data: "one or more" per type).
    for (const type of RESOURCE_TYPES.filter((type) => counts.get(type) === 0)) {
      await rm(path.join(folder, `${type}.ndjson`));
    }
    const manifest = {
      transactionTime,
      request: `${env.APP_ORIGIN ?? "urn:painpath"}/fhir/$export`,
      requiresAccessToken: false,
      output: RESOURCE_TYPES.filter((type) => counts.get(type)! > 0).map((type) => ({
        type,
        url: pathToFileURL(path.join(folder, `${type}.ndjson`)).href,
        count: counts.get(type),
      })),
      error: [],
    };
    await writeFile(path.join(folder, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const seconds = (performance.now() - started) / 1000;
    const resources = [...counts.values()].reduce((sum, count) => sum + count, 0);
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    console.log(
      `\nWrote ${resources} resources for ${done} patients in ${seconds.toFixed(1)} s (peak RSS ${peakMiB.toFixed(0)} MiB).`,
    );
    return 0;
  } finally {
    for (const stream of streams.values()) stream.destroy();
    await getDb().$disconnect();
    await database.embedded?.stop();
  }
}

process.exitCode = await main();
