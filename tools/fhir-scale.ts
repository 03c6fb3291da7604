// `npm run import:fhir:scale -- [--patients 10000] [--out DIR] [--keep]`: writes the synthetic data set
// (tools/dataset) as Bulk Data NDJSON, about 150 pain scores per patient, then imports it with
// `npm run import:fhir` into a throwaway PostgreSQL and prints the time and peak memory of the
// import alone. The figures go to docs/benchmarks.md.
//
// The simulation records a full assessment at each visit; its "pain now" becomes a LOINC 72514-3
// score, and weekly scores between visits are drawn around the visit scores until there are about
// 150 (synthetic data: a real export carries one per encounter).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../app/server/migrations.server";
import { startThrowawayPostgres } from "../app/server/embedded-postgres.server";
import { addDays } from "../app/domain/clinical/duration";
import { generateDataset } from "./dataset/generate";
import { Random } from "./dataset/random";

const { values } = parseArgs({
  options: {
    patients: { type: "string", default: "10000" },
    out: { type: "string", default: join(tmpdir(), "painpath-fhir-scale") },
    keep: { type: "boolean", default: false },
    "cpu-prof": { type: "string" },
  },
});
const patients = Number(values.patients);
const out = values.out;
const today = "2026-12-01";
const SCORES_PER_PATIENT = 150;

const CPT: Partial<Record<string, string>> = {
  EPIDURAL_STEROID_INJECTION: "64483",
  MEDIAL_BRANCH_BLOCK: "64493",
  FACET_JOINT_INJECTION: "64493",
  RADIOFREQUENCY_ABLATION: "64635",
  SACROILIAC_JOINT_INJECTION: "27096",
};
const OPIOID_NAMES: Record<string, string> = {
  oxycodone: "Oxycodone Hydrochloride",
  hydrocodone: "Hydrocodone Bitartrate",
  morphine: "Morphine Sulfate",
  tramadol: "tramadol hydrochloride",
  tapentadol: "tapentadol",
  hydromorphone: "Hydromorphone Hydrochloride",
  codeine: "Codeine Phosphate",
  methadone: "Methadone Hydrochloride",
};
const TIMING: Record<string, { frequency: number; period: number; periodUnit: string }> = {
  "once-daily": { frequency: 1, period: 1, periodUnit: "d" },
  "twice-daily": { frequency: 2, period: 1, periodUnit: "d" },
  "three-times-daily": { frequency: 3, period: 1, periodUnit: "d" },
  "four-times-daily": { frequency: 4, period: 1, periodUnit: "d" },
  "every-4-hours": { frequency: 1, period: 4, periodUnit: "h" },
  "every-6-hours": { frequency: 1, period: 6, periodUnit: "h" },
  "every-8-hours": { frequency: 1, period: 8, periodUnit: "h" },
  "every-12-hours": { frequency: 1, period: 12, periodUnit: "h" },
};

async function write(stream: WriteStream, resource: object) {
  if (!stream.write(`${JSON.stringify(resource)}\n`)) await once(stream, "drain");
}

async function writeNdjson() {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const files = Object.fromEntries(
    ["Patient", "Condition", "MedicationRequest", "Observation", "Procedure"].map((type) => [
      type,
      createWriteStream(join(out, `${type}.ndjson`)),
    ]),
  ) as Record<string, WriteStream>;
  const counts: Record<string, number> = {};
  const emit = async (type: string, resource: object) => {
    counts[type] = (counts[type] ?? 0) + 1;
    await write(files[type] as WriteStream, resource);
  };
  let visits: Array<{ date: string; pain: number }> = [];
  let current = "";
  const flushScores = async () => {
    if (!current || visits.length === 0) return;
    const random = new Random(7, 99, Number.parseInt(current.slice(0, 8), 16));
    const scores = [...visits];
    for (let i = 0; scores.length < SCORES_PER_PATIENT && i < SCORES_PER_PATIENT * 2; i++) {
      const anchor = visits[i % visits.length] as { date: string; pain: number };
      const date = addDays(anchor.date, -7 * (1 + Math.floor(i / visits.length)));
      scores.push({ date, pain: Math.max(0, Math.min(10, anchor.pain + random.int(-1, 1))) });
    }
    for (const [n, score] of scores.entries())
      await emit("Observation", {
        resourceType: "Observation",
        id: `${current}-s${n}`,
        status: "final",
        code: { coding: [{ system: "http://loinc.org", code: "72514-3" }] },
        subject: { reference: `Patient/${current}` },
        effectiveDateTime: score.date,
        valueQuantity: { value: score.pain, unit: "{score}", system: "http://unitsofmeasure.org", code: "{score}" },
      });
    visits = [];
  };
  for (const { table, row } of generateDataset({ patients, seed: 1, today })) {
    if (table === "Patient") {
      await flushScores();
      current = row.id;
      await emit("Patient", {
        resourceType: "Patient",
        id: row.id,
        identifier: [
          {
            type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR" }] },
            value: row.mrn,
          },
        ],
        name: [{ family: row.familyName, given: [row.givenName] }],
        gender: row.sex.toLowerCase(),
        birthDate: row.birthDate,
      });
    } else if (table === "PainDiagnosis") {
      await emit("Condition", {
        resourceType: "Condition",
        id: row.id,
        clinicalStatus: {
          coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }],
        },
        code: { coding: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: row.icd10Code, display: row.label }] },
        subject: { reference: `Patient/${row.patientId}` },
        onsetDateTime: row.onsetDate,
      });
    } else if (table === "TherapyTrial" && row.drug && row.dose !== null) {
      const opioid = OPIOID_NAMES[row.drug];
      const name = opioid ? `${opioid} ${row.dose} MG Oral Tablet` : `${row.drug} ${row.dose} MG Oral Tablet`;
      const timing = row.frequency ? TIMING[row.frequency] : undefined;
      await emit("MedicationRequest", {
        resourceType: "MedicationRequest",
        id: row.id,
        status: row.status === "ACTIVE" ? "active" : row.status === "COMPLETED" ? "completed" : "stopped",
        intent: "order",
        medicationCodeableConcept: { text: name },
        subject: { reference: `Patient/${row.patientId}` },
        reasonReference: [{ reference: `Condition/${row.diagnosisId}` }],
        authoredOn: row.startDate,
        dosageInstruction: [
          {
            timing: {
              repeat: {
                ...(timing ?? {}),
                boundsPeriod: { start: row.startDate, ...(row.endDate ? { end: row.endDate } : {}) },
              },
            },
            ...(row.frequency === "as-needed"
              ? {
                  asNeededBoolean: true,
                  maxDosePerPeriod: {
                    numerator: { value: row.maxDosesPerDay ?? 1 },
                    denominator: { value: 1, unit: "d", code: "d" },
                  },
                }
              : {}),
            doseAndRate: [
              { doseQuantity: { value: 1, unit: "tablet", code: "{tbl}", system: "http://unitsofmeasure.org" } },
            ],
          },
        ],
      });
    } else if (table === "ProcedureRecord" && CPT[row.type]) {
      await emit("Procedure", {
        resourceType: "Procedure",
        id: row.id,
        status: "completed",
        code: { coding: [{ system: "http://www.ama-assn.org/go/cpt", code: CPT[row.type] }] },
        subject: { reference: `Patient/${row.patientId}` },
        ...(row.diagnosisId ? { reasonReference: [{ reference: `Condition/${row.diagnosisId}` }] } : {}),
        performedDateTime: row.performedOn,
      });
    } else if (table === "OutcomeAssessment" && !row.enteredInErrorAt) {
      visits.push({ date: row.assessedOn, pain: row.painNow });
    }
  }
  await flushScores();
  for (const stream of Object.values(files)) {
    stream.end();
    await once(stream, "finish");
  }
  return counts;
}

const started = performance.now();
const counts = await writeNdjson();
console.log(`Wrote ${JSON.stringify(counts)} to ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const database = await startThrowawayPostgres("painpath");
try {
  await applyMigrations(database.url, "prisma/migrations");
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const admin = randomUUID();
  const physician = randomUUID();
  await client.query(
    `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt") VALUES
       ($1, 'scale-admin@painpath.test', 'Scale admin', 'ADMIN', 'x', now()),
       ($2, 'scale-physician@painpath.test', 'Scale physician', 'PHYSICIAN', 'x', now())`,
    [admin, physician],
  );
  await client.end();
  const importStarted = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        ...(values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", values["cpu-prof"]] : []),
        // As `npm run import:fhir` runs it (package.json).
        "--max-semi-space-size=16",
        "--max-old-space-size=256",
        "--import",
        "tsx",
        "tools/import-fhir.ts",
        out,
        "--as",
        "scale-admin@painpath.test",
        "--physician",
        "scale-physician@painpath.test",
      ],
      { stdio: "inherit", env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" } },
    );
    child.on("exit", (exitCode) => resolve(exitCode ?? 1));
  });
  console.log(
    `Import exited ${code} after ${((performance.now() - importStarted) / 1000).toFixed(1)} s (wall, with process start)`,
  );
} finally {
  await database.stop();
  if (!values.keep) await rm(out, { recursive: true, force: true });
}
