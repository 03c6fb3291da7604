/**
 * The FHIR R4 import (issue 16): validate and stage the input by patient, then import patients in
 * batches, each patient all or nothing, matched by the source's resource ids, with provenance on
 * every row. A dry run plans the same way and writes nothing but its report. Decisions 011 and 022
 * explain the design.
 */
import { createHash, randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import type { AppLoadContext } from "@remix-run/node";
import type { Medication, Patient, Resource } from "@medplum/fhirtypes";
import {
  type CodeDecision,
  mapPatient,
  type PathwayDraft,
  type ResourceOutcome,
  type UnknownCode,
} from "~/domain/fhir";
import { codeKey } from "~/domain/fhir";
import { fromIsoDate } from "~/domain/iso-date";
import type {
  ImportedRecord,
  ImportRun as ImportRunRow,
  Patient as PatientRow,
  Prisma,
} from "~/generated/prisma/client";
import { insertRows, type InsertableRows } from "~/server/bulk-insert.server";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb, type Tx } from "~/server/db.server";
import { type InputError, listInputFiles, readInput } from "~/server/fhir-input.server";
import { holdPool } from "~/server/fhir-validation-pool.server";
import { removeStaging, type StagedResource, StagingBuckets } from "~/server/fhir-staging.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { reevaluatePatients } from "./evaluation.server";
import { lockPatients } from "./patient-lock.server";
import { refreshPathwaySummaries } from "./pathway-summary.server";
import { reviseRecord } from "./record-revision.server";
import { getActiveRuleSet } from "./rule-set.server";

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  needsReview: number;
  conflicts: number;
}

export interface PatientReport {
  source: string;
  /** Where the Patient resource is: "file line 3" or "file entry 0". */
  location: string;
  mrn: string | null;
  patientId: string | null;
  status: "imported" | "unchanged" | "would-import" | "failed";
  error: string | null;
  counts: Counts;
  /** Rows that need a clinician's look: the resource and why (at most 50 per patient). */
  review: Array<{ resource: string; reason: string }>;
}

export interface ImportReport {
  runId: string;
  dryRun: boolean;
  totals: Counts & { patients: number; patientsImported: number; patientsFailed: number };
  skippedByReason: Record<string, number>;
  inputErrors: Array<InputError>;
  /** Codes sent to the review list in this run. */
  unknownCodes: number;
  patients: PatientReport[];
}

export interface ImportRequest {
  /** A file or a folder on this server. */
  path: string;
  /** What the report and the audit show as the source (a file name, never content). */
  sourceLabel: string;
  sourceSystem: string;
  dryRun: boolean;
  actor: AuditActor;
  /** New patients are assigned to this physician; required unless dry run. */
  physicianId: string | null;
  context: AppLoadContext;
  mrnSystems?: string[];
  /** An ImportRun created beforehand (the upload page); otherwise one is created. */
  runId?: string;
  onProgress?: (done: number, total: number, phase: "reading" | "importing") => void;
}

export class ImportInputError extends Error {}

const IMPORTED_TYPES = new Set([
  "Condition",
  "MedicationRequest",
  "MedicationStatement",
  "Observation",
  "Procedure",
  "AllergyIntolerance",
]);
const MAX_INPUT_ERRORS = 1000;
const MAX_REVIEW_LINES = 50;

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, skipped: 0, needsReview: 0, conflicts: 0 });

export async function createImportRun(request: Omit<ImportRequest, "context" | "path" | "runId" | "onProgress">) {
  const run = await getDb().importRun.create({
    data: {
      source: request.sourceLabel.slice(0, 300),
      sourceSystem: request.sourceSystem,
      dryRun: request.dryRun,
      startedById: request.actor.id,
      physicianId: request.physicianId ?? request.actor.id,
    },
    select: { id: true },
  });
  return run.id;
}

export async function runImport(request: ImportRequest): Promise<ImportReport> {
  if (!request.dryRun && !request.physicianId)
    throw new ImportInputError("Choose the physician new patients are assigned to.");
  await markInterruptedRuns();
  const runId = request.runId ?? (await createImportRun(request));
  const db = getDb();
  await db.$executeRaw`UPDATE "ImportRun" SET status = 'RUNNING', "heartbeatAt" = now() WHERE id = ${runId}::uuid`;
  await recordAudit(request.context, {
    action: "fhir_import.start",
    actor: request.actor,
    entityType: "ImportRun",
    entityId: runId,
    detail: { source: request.sourceLabel, sourceSystem: request.sourceSystem, dryRun: request.dryRun },
  });
  const report: ImportReport = {
    runId,
    dryRun: request.dryRun,
    totals: { ...zero(), patients: 0, patientsImported: 0, patientsFailed: 0 },
    skippedByReason: {},
    inputErrors: [],
    unknownCodes: 0,
    patients: [],
  };
  const heartbeat = setInterval(() => void beat(runId), HEARTBEAT_MS);
  heartbeat.unref();
  const releasePool = holdPool();
  try {
    const staged = await stage(runId, request, report);
    report.totals.patients = staged.patients;
    await db.importRun.update({ where: { id: runId }, data: { patientsTotal: staged.patients } });
    const decisions = await loadDecisions();
    const unknown = new Map<string, UnknownCode & { count: number }>();
    const ordered: Array<{ seq: number; report: PatientReport }> = [];
    const ruleSet = request.dryRun ? null : await getActiveRuleSet(db);
    for (let bucket = 0; bucket < staged.buckets.count; bucket++) {
      const groups = await staged.buckets.read(bucket);
      const patients = patientsOf(groups, report);
      for (let i = 0; i < patients.length; i += BATCH_PATIENTS) {
        const slice = patients.slice(i, i + BATCH_PATIENTS);
        const prepared = slice.map((patient) => prepare(patient, staged.medications, decisions, unknown, request));
        await importBatch(prepared, runId, request, ruleSet);
        for (const [index, entry] of prepared.entries()) {
          ordered.push({ seq: (slice[index] as StagedPatient).seq, report: entry.report });
          addCounts(report, entry.report);
        }
        request.onProgress?.(ordered.length, staged.patients, "importing");
        await db.$executeRaw`
          UPDATE "ImportRun" SET "patientsDone" = ${ordered.length}, "heartbeatAt" = now() WHERE id = ${runId}::uuid`;
      }
    }
    report.patients = ordered.sort((a, b) => a.seq - b.seq).map((entry) => entry.report);
    report.unknownCodes = unknown.size;
    if (!request.dryRun) await rememberUnknownCodes([...unknown.values()]);
    await finish(request, runId, report, null);
    return report;
  } catch (error) {
    await finish(request, runId, report, error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    clearInterval(heartbeat);
    releasePool();
    await removeStaging(runId);
  }
}

/**
 * A run's process stamps its heartbeat (the database's clock) while it works; a run whose heartbeat
 * is older than STALE_AFTER_SECONDS was interrupted.
 */
const HEARTBEAT_MS = 15_000;
const STALE_AFTER_SECONDS = 120;
/** Patients written per transaction: each still all or nothing (decision 022). */
const BATCH_PATIENTS = 50;

async function beat(runId: string) {
  try {
    await getDb().$executeRaw`
      UPDATE "ImportRun" SET "heartbeatAt" = now() WHERE id = ${runId}::uuid AND status = 'RUNNING'`;
  } catch {
    // A missed beat only makes the run look stale sooner; the run itself reports its own errors.
  }
}

/**
 * Runs left queued or running by a process that stopped (a crash, a restart, a killed command) are
 * marked interrupted, with what they had done, and their staged files removed. The import is
 * idempotent, so running the same input again completes it: patients already imported are matched
 * and left unchanged. Called when a run starts and whenever runs are listed or shown.
 */
export async function markInterruptedRuns(staleAfterSeconds = STALE_AFTER_SECONDS): Promise<string[]> {
  const runs = await getDb().$queryRaw<
    Array<Pick<ImportRunRow, "id" | "startedById" | "patientsDone" | "patientsTotal" | "source">>
  >`
    UPDATE "ImportRun"
       SET status = 'INTERRUPTED', "finishedAt" = now(),
           error = 'Interrupted: the process running it stopped after ' || "patientsDone" || ' of ' || "patientsTotal" ||
                   ' patients. Each patient imported so far is complete and kept. Import the same file again: what is' ||
                   ' already imported is recognised and left unchanged.'
     WHERE status IN ('QUEUED', 'RUNNING') AND COALESCE("heartbeatAt", "createdAt") < now() - make_interval(secs => ${staleAfterSeconds})
    RETURNING id, "startedById", "patientsDone", "patientsTotal", source`;
  for (const run of runs) {
    await removeStaging(run.id);
    await recordAudit(
      { requestId: randomUUID(), clientAddress: "system", cspNonce: "", state: {} } as unknown as AppLoadContext,
      {
        action: "fhir_import.interrupted",
        outcome: "failure",
        entityType: "ImportRun",
        entityId: run.id,
        detail: {
          source: run.source,
          startedById: run.startedById,
          patientsDone: run.patientsDone,
          patientsTotal: run.patientsTotal,
        },
      },
    );
  }
  return runs.map((run) => run.id);
}

async function finish(request: ImportRequest, runId: string, report: ImportReport, error: string | null) {
  await getDb().importRun.update({
    where: { id: runId },
    data: {
      status: error ? "FAILED" : "SUCCEEDED",
      finishedAt: new Date(),
      report: report as unknown as Prisma.InputJsonValue,
      error,
      patientsDone: report.patients.length,
    },
  });
  await recordAudit(request.context, {
    action: "fhir_import.finish",
    actor: request.actor,
    outcome: error ? "failure" : "success",
    entityType: "ImportRun",
    entityId: runId,
    detail: {
      source: request.sourceLabel,
      dryRun: request.dryRun,
      totals: report.totals,
      inputErrors: report.inputErrors.length,
      ...(error ? { error: error.slice(0, 300) } : {}),
    } as unknown as Prisma.InputJsonValue,
  });
}

function addCounts(report: ImportReport, patient: PatientReport) {
  const totals = report.totals;
  for (const key of Object.keys(patient.counts) as Array<keyof Counts>) totals[key] += patient.counts[key];
  if (patient.status === "failed") totals.patientsFailed++;
  else totals.patientsImported++;
}

// ---------------------------------------------------------------------------------------------------
// Staging: every valid resource into the bucket of its patient (fhir-staging.server.ts).

interface Staged {
  buckets: StagingBuckets;
  patients: number;
  /** Medication resources, offered to every patient's mapping (referenced across the export). */
  medications: Medication[];
}

async function stage(runId: string, request: ImportRequest, report: ImportReport): Promise<Staged> {
  let inputBytes = 0;
  for (const file of await listInputFiles(request.path)) inputBytes += (await stat(file)).size;
  const buckets = await StagingBuckets.create(runId, inputBytes);
  const medications: Medication[] = [];
  let patients = 0;
  let seq = 0;
  try {
    for await (const item of readInput(request.path)) {
      if (item.kind === "error") {
        if (report.inputErrors.length < MAX_INPUT_ERRORS) report.inputErrors.push(item);
        continue;
      }
      if (++seq % 10_000 === 0) request.onProgress?.(seq, 0, "reading");
      const place = `${item.file} ${item.location}`;
      if (item.resourceType === "Medication") {
        medications.push(JSON.parse(item.text) as Medication);
      } else if (item.patientKey) {
        if (item.resourceType === "Patient") patients++;
        await buckets.add({
          patientKey: item.patientKey,
          resourceType: item.resourceType,
          place,
          seq,
          text: item.text,
        });
      } else if (IMPORTED_TYPES.has(item.resourceType)) {
        pushError(report, place, `${item.resourceType} without a subject (patient)`);
      } else {
        const reason = `${item.resourceType} is not a resource PainPath imports`;
        report.skippedByReason[reason] = (report.skippedByReason[reason] ?? 0) + 1;
      }
    }
  } finally {
    await buckets.close();
  }
  return { buckets, patients, medications };
}

function pushError(report: ImportReport, place: string, message: string) {
  if (report.inputErrors.length >= MAX_INPUT_ERRORS) return;
  const [file = "", ...location] = place.split(" ");
  report.inputErrors.push({ kind: "error", file, location: location.join(" "), message });
}

interface StagedPatient {
  key: string;
  seq: number;
  patient: StagedResource;
  resources: StagedResource[];
}

/** A bucket's patients in input order; resources whose patient is not in the input are errors with their place. */
function patientsOf(groups: Map<string, StagedResource[]>, report: ImportReport): StagedPatient[] {
  const patients: StagedPatient[] = [];
  for (const [key, resources] of groups) {
    const patient = resources.find((resource) => resource.resourceType === "Patient");
    if (!patient) {
      for (const orphan of resources)
        pushError(report, orphan.place, `${orphan.resourceType} refers to ${key}, who is not in the input`);
      continue;
    }
    patients.push({ key, seq: patient.seq, patient, resources: resources.filter((r) => r !== patient) });
  }
  return patients.sort((a, b) => a.seq - b.seq);
}

async function loadDecisions(): Promise<Map<string, CodeDecision>> {
  const rows = await getDb().importCodeReview.findMany({
    where: { status: { in: ["MAPPED", "IGNORED"] } },
    select: { system: true, code: true, decision: true },
  });
  return new Map(rows.map((row) => [codeKey(row.system, row.code), row.decision as unknown as CodeDecision]));
}

async function rememberUnknownCodes(codes: Array<UnknownCode & { count: number }>) {
  for (let i = 0; i < codes.length; i += 500) {
    const batch = codes.slice(i, i + 500);
    await getDb().$executeRaw`
      INSERT INTO "ImportCodeReview" (id, kind, system, code, display, occurrences)
      SELECT gen_random_uuid(), c.kind, c.system, c.code, c.display, c.n
        FROM unnest(${batch.map((c) => c.kind)}::text[], ${batch.map((c) => c.system)}::text[],
                    ${batch.map((c) => c.code)}::text[], ${batch.map((c) => c.display.slice(0, 300))}::text[],
                    ${batch.map((c) => c.count)}::int[]) AS c(kind, system, code, display, n)
      ON CONFLICT (kind, system, code) DO UPDATE
        SET occurrences = "ImportCodeReview".occurrences + EXCLUDED.occurrences, "lastSeenAt" = now()`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Patients, in batches

class PatientImportError extends Error {}

interface PreparedPatient {
  draft: PathwayDraft | null;
  /** The report before any write: mapping outcomes only; each write attempt starts from a copy. */
  base: PatientReport;
  report: PatientReport;
}

function prepare(
  staged: StagedPatient,
  medications: readonly Medication[],
  decisions: ReadonlyMap<string, CodeDecision>,
  unknown: Map<string, UnknownCode & { count: number }>,
  request: ImportRequest,
): PreparedPatient {
  const patient = JSON.parse(staged.patient.text) as Patient;
  const resources = [...staged.resources.map((row) => JSON.parse(row.text) as Resource), ...medications];
  const mapping = mapPatient(patient, resources, { decisions, mrnSystems: request.mrnSystems });
  const report: PatientReport = {
    source: staged.key,
    location: staged.patient.place,
    mrn: mapping.draft?.patient.mrn ?? null,
    patientId: null,
    status: "failed",
    error: null,
    counts: zero(),
    review: [],
  };
  // Medications are offered to every patient; only those a patient's resources used count.
  const outcomes = mapping.outcomes.filter((outcome) => !outcome.resource.startsWith("Medication/"));
  tally(outcomes, report, unknown);
  if (!mapping.draft) report.error = `${report.location}: ${mapping.error}`;
  return { draft: mapping.draft, base: report, report: copyReport(report) };
}

function copyReport(report: PatientReport): PatientReport {
  return { ...report, counts: { ...report.counts }, review: [...report.review] };
}

/**
 * Writes a batch of patients in one transaction (a dry run only plans). A patient refused by a
 * check (an MRN clash) fails alone before anything of it is written. If the batch's transaction
 * fails, each of its patients is retried in its own, so one bad patient never takes the others down.
 */
async function importBatch(
  batch: PreparedPatient[],
  runId: string,
  request: ImportRequest,
  ruleSet: Awaited<ReturnType<typeof getActiveRuleSet>> | null,
) {
  const mappable = batch.filter((entry) => entry.draft);
  if (mappable.length === 0) return;
  if (request.dryRun || !ruleSet) {
    await writeBatch(getDb() as unknown as Tx, mappable, runId, request, null);
    return;
  }
  try {
    await getDb().$transaction((tx) => writeBatch(tx, mappable, runId, request, ruleSet), { timeout: 300_000 });
  } catch (error) {
    if (mappable.length === 1) {
      const entry = mappable[0] as PreparedPatient;
      if (!isDataError(error)) throw error;
      entry.report = {
        ...copyReport(entry.base),
        error: `${entry.base.location}: could not be stored (${(error as Error).message.split("\n").pop()})`,
      };
      return;
    }
    for (const entry of mappable) await importBatch([entry], runId, request, ruleSet);
  }
}

/** A data or constraint error of PostgreSQL (SQLSTATE classes 22 and 23): this patient's data, not the import. */
function isDataError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : String(error);
  return /\b(2[23][0-9A-Z]{3})\b/.test(text) || /violates|invalid input|out of range|too long/i.test(text);
}

interface BatchRows {
  patients: InsertableRows<"Patient">;
  diagnoses: InsertableRows<"PainDiagnosis">;
  therapies: InsertableRows<"TherapyTrial">;
  procedures: InsertableRows<"ProcedureRecord">;
  imaging: InsertableRows<"ImagingStudy">;
  assessments: InsertableRows<"OutcomeAssessment">;
  sideEffects: InsertableRows<"AssessmentSideEffect">;
  scores: InsertableRows<"ImportedScore">;
  records: InsertableRows<"ImportedRecord">;
}

interface BatchContext {
  tx: Tx;
  runId: string;
  request: ImportRequest;
  write: boolean;
  now: Date;
  existing: Map<string, Existing>;
  byMrn: Map<string, Pick<PatientRow, "id" | "familyName" | "birthDate" | "version">>;
  rows: BatchRows;
}

async function writeBatch(
  tx: Tx,
  batch: PreparedPatient[],
  runId: string,
  request: ImportRequest,
  ruleSet: Awaited<ReturnType<typeof getActiveRuleSet>> | null,
) {
  const write = ruleSet !== null;
  const drafts = batch.map((entry) => entry.draft as PathwayDraft);
  const context: BatchContext = {
    tx,
    runId,
    request,
    write,
    now: new Date(),
    ...(await prefetch(tx, drafts, request.sourceSystem)),
    rows: {
      patients: [],
      diagnoses: [],
      therapies: [],
      procedures: [],
      imaging: [],
      assessments: [],
      sideEffects: [],
      scores: [],
      records: [],
    },
  };
  if (write) {
    // Patients already in PainPath are locked together, in id order (patient-lock.server.ts).
    const known = drafts.flatMap((draft) => {
      const id =
        context.existing.get(draft.patient.source.resource)?.entityId ?? context.byMrn.get(draft.patient.mrn)?.id;
      return id ? [id] : [];
    });
    if (known.length > 0) await lockPatients(tx, known);
  }
  const done: PreparedPatient[] = [];
  for (const entry of batch) {
    entry.report = copyReport(entry.base);
    try {
      await planPatient(context, entry.draft as PathwayDraft, entry.report);
      entry.report.status = !write
        ? "would-import"
        : entry.report.counts.created + entry.report.counts.updated > 0
          ? "imported"
          : "unchanged";
      done.push(entry);
    } catch (error) {
      if (!(error instanceof PatientImportError)) throw error;
      entry.report = { ...copyReport(entry.base), error: `${entry.base.location}: ${error.message}` };
    }
  }
  if (!write || !ruleSet) return;
  const { rows } = context;
  await insertRows(tx, "Patient", rows.patients);
  await insertRows(tx, "PainDiagnosis", rows.diagnoses);
  await insertRows(tx, "TherapyTrial", rows.therapies);
  await insertRows(tx, "ProcedureRecord", rows.procedures);
  await insertRows(tx, "ImagingStudy", rows.imaging);
  await insertRows(tx, "OutcomeAssessment", rows.assessments);
  await insertRows(tx, "AssessmentSideEffect", rows.sideEffects);
  await insertRows(tx, "ImportedScore", rows.scores);
  await insertRows(tx, "ImportedRecord", rows.records);
  const changed = done
    .filter((entry) => entry.report.counts.created + entry.report.counts.updated > 0)
    .map((entry) => entry.report.patientId as string);
  if (changed.length > 0) {
    await refreshPathwaySummaries(tx, changed);
    await reevaluatePatients(tx, changed, { ruleSet, now: context.now, today: clinicToday() });
  }
  for (const entry of done) {
    const patientId = entry.report.patientId as string;
    await recordAudit(
      request.context,
      {
        action: "fhir_import.patient",
        actor: request.actor,
        entityType: "Patient",
        entityId: patientId,
        patientId,
        detail: { runId, source: entry.report.source, ...entry.report.counts },
      },
      tx,
    );
  }
}

/** What the database already knows of a batch: import records by source id, patients by MRN. */
async function prefetch(tx: Tx, drafts: PathwayDraft[], sourceSystem: string) {
  const keys = drafts.flatMap((draft) => [
    draft.patient.source.resource,
    ...draft.diagnoses.map((d) => d.source.resource),
    ...draft.therapies.flatMap((t) => [t.source.resource, ...(t.diagnosisSource ? [t.diagnosisSource] : [])]),
    ...draft.procedures.flatMap((p) => [p.source.resource, ...(p.diagnosisSource ? [p.diagnosisSource] : [])]),
    ...draft.scores.map((s) => s.source.resource),
    ...draft.assessments.map((a) => a.source.resource),
    ...draft.imaging.flatMap((i) => [i.source.resource, ...(i.diagnosisSource ? [i.diagnosisSource] : [])]),
  ]);
  const [records, patients] = await Promise.all([
    tx.$queryRaw<Array<Pick<ImportedRecord, "id" | "entityId" | "entityVersion" | "contentHash" | "sourceResource">>>`
      SELECT id, "entityId", "entityVersion", "contentHash", "sourceResource" FROM "ImportedRecord"
       WHERE "sourceSystem" = ${sourceSystem} AND "sourceResource" = ANY(${[...new Set(keys)]}::text[])`,
    tx.$queryRaw<Array<Pick<PatientRow, "id" | "mrn" | "familyName" | "birthDate" | "version">>>`
      SELECT id, mrn, "familyName", "birthDate", version FROM "Patient"
       WHERE mrn = ANY(${drafts.map((draft) => draft.patient.mrn)}::text[])`,
  ]);
  return {
    existing: new Map(records.map((record) => [record.sourceResource, record])),
    byMrn: new Map(patients.map(({ mrn, ...patient }) => [mrn, patient])),
  };
}

function tally(
  outcomes: ResourceOutcome[],
  report: PatientReport,
  unknown: Map<string, UnknownCode & { count: number }>,
) {
  for (const outcome of outcomes) {
    if (outcome.status === "skipped") report.counts.skipped++;
    if (outcome.status === "needs-review") {
      report.counts.needsReview++;
      if (report.review.length < MAX_REVIEW_LINES)
        report.review.push({ resource: outcome.resource, reason: outcome.reason });
    }
    const code = outcome.status === "mapped" ? undefined : outcome.unknownCode;
    if (code) {
      const key = `${code.kind}|${codeKey(code.system, code.code)}`;
      const seen = unknown.get(key);
      if (seen) seen.count++;
      else unknown.set(key, { ...code, count: 1 });
    }
  }
}

type Existing = Pick<ImportedRecord, "id" | "entityId" | "entityVersion" | "contentHash" | "sourceResource">;

function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** Everything a row's import compares: the mapped values without the source's version stamp. */
function contentOf<T extends { source: { resource: string } }>(entity: T) {
  return { ...entity, source: entity.source.resource };
}

/**
 * Plans one patient against what the database holds: new rows go to the batch's inserts; a row the
 * source changed is revised (or becomes a conflict) at once. Refusals are thrown before any write.
 */
async function planPatient(context: BatchContext, draft: PathwayDraft, report: PatientReport) {
  const { tx, runId, request, write, existing, rows, now } = context;
  const { sourceSystem, actor } = request;
  const counts = report.counts;
  const record = (
    source: { resource: string; version: string | null },
    hash: string,
    entityType: string,
    entityId: string,
    patientId: string,
    sourceDisplay: string | null = null,
    entityVersion = 1,
  ) =>
    rows.records.push({
      id: randomUUID(),
      sourceSystem,
      sourceResource: source.resource,
      sourceVersion: source.version,
      sourceDisplay,
      contentHash: hash,
      entityType,
      entityId,
      entityVersion,
      patientId,
      firstImportRunId: runId,
      lastImportRunId: runId,
      updatedAt: now,
    });

  // The patient: by its import record, else by MRN (a hand-entered patient is linked only when name
  // and birth date agree), else new.
  const patientHash = hashOf(contentOf(draft.patient));
  const patientRecord = existing.get(draft.patient.source.resource);
  let patientId = patientRecord?.entityId ?? null;
  const byMrn = context.byMrn.get(draft.patient.mrn);
  if (byMrn && patientId && byMrn.id !== patientId)
    throw new PatientImportError(`MRN ${draft.patient.mrn} belongs to a different existing patient`);
  if (!patientId && byMrn) {
    const linked = await tx.importedRecord.findFirst({
      where: { sourceSystem, entityType: "Patient", entityId: byMrn.id },
      select: { sourceResource: true },
    });
    const samePerson =
      byMrn.familyName.toLowerCase() === draft.patient.familyName.toLowerCase() &&
      byMrn.birthDate.toISOString().slice(0, 10) === draft.patient.birthDate;
    if (linked || !samePerson)
      throw new PatientImportError(
        `MRN ${draft.patient.mrn} clashes with a different existing patient (${linked ? `imported from ${linked.sourceResource}` : "family name or birth date differ"}): nothing of this patient was imported`,
      );
    patientId = byMrn.id;
    if (write) {
      await applyCautions(tx, patientId, draft);
      record(draft.patient.source, patientHash, "Patient", patientId, patientId, null, byMrn.version);
    }
    counts.updated++;
  } else if (!patientId) {
    patientId = randomUUID();
    counts.created++;
    if (write) {
      rows.patients.push({
        id: patientId,
        ...patientData(draft),
        assignedPhysicianId: request.physicianId as string,
        createdById: actor.id,
        updatedAt: now,
      });
      record(draft.patient.source, patientHash, "Patient", patientId, patientId);
    }
  } else {
    if (patientRecord && patientRecord.contentHash === patientHash) counts.unchanged++;
    else if (patientRecord)
      await changed(
        tx,
        "Patient",
        patientRecord,
        patientHash,
        contentOf(draft.patient),
        patientId,
        report,
        runId,
        request,
        write,
      );
  }
  report.patientId = write || byMrn || patientRecord ? patientId : null;

  /**
   * One kind of row: each is counted, and revised (or kept as a conflict) when the source changed
   * it since the last import; a new one goes to the batch's inserts. `links` gives the ids the row
   * points to, or null to leave it out (already counted as needs review).
   */
  const planRows = async <R extends { source: { resource: string; version: string | null } }, L extends object>(
    entity: ImportedEntity,
    drafts: readonly R[],
    kind: {
      links: (row: R) => L | null;
      insert: (id: string, row: R, links: L) => void;
      display?: (row: R) => string | null;
      ids?: Map<string, string>;
    },
  ) => {
    for (const row of drafts) {
      const links = kind.links(row);
      if (!links) continue;
      const key = row.source.resource;
      const hash = hashOf(contentOf(row));
      const known = existing.get(key);
      if (known) {
        kind.ids?.set(key, known.entityId);
        if (known.contentHash === hash) counts.unchanged++;
        else
          await changed(
            tx,
            entity,
            known,
            hash,
            { ...contentOf(row), ...links },
            patientId,
            report,
            runId,
            request,
            write,
          );
        continue;
      }
      const id = randomUUID();
      kind.ids?.set(key, id);
      counts.created++;
      if (write) {
        kind.insert(id, row, links);
        record(row.source, hash, entity, id, patientId, kind.display?.(row) ?? null);
      }
    }
  };
  const noLinks = () => NO_LINKS;

  // Diagnoses, then what links to them.
  const diagnosisIds = new Map<string, string>();
  await planRows("PainDiagnosis", draft.diagnoses, {
    links: noLinks,
    insert: (id, diagnosis) =>
      rows.diagnoses.push({ id, patientId, ...diagnosisData(diagnosis), createdById: actor.id, updatedAt: now }),
    display: (diagnosis) => diagnosis.mappedFrom,
    ids: diagnosisIds,
  });
  // A diagnosis of this export, or one imported earlier but not in this export.
  const diagnosisOf = (source: string | null): string | null =>
    source ? (diagnosisIds.get(source) ?? existing.get(source)?.entityId ?? null) : null;
  // PainPath's trials and studies belong to a diagnosis; a procedure may stand alone.
  const diagnosisRequired = (row: { diagnosisSource: string | null }) => {
    const diagnosisId = diagnosisOf(row.diagnosisSource);
    return diagnosisId ? { diagnosisId } : null;
  };

  const therapyIds = new Map<string, string>();
  await planRows("TherapyTrial", draft.therapies, {
    links: diagnosisRequired,
    insert: (id, therapy, { diagnosisId }) =>
      rows.therapies.push({
        id,
        patientId,
        diagnosisId,
        ...therapyData(therapy),
        createdById: actor.id,
        updatedAt: now,
      }),
    display: (therapy) => therapy.product,
    ids: therapyIds,
  });

  await planRows("ProcedureRecord", draft.procedures, {
    links: (procedure) => ({ diagnosisId: diagnosisOf(procedure.diagnosisSource) }),
    insert: (id, procedure, { diagnosisId }) =>
      rows.procedures.push({
        id,
        patientId,
        diagnosisId,
        ...procedureData(procedure),
        createdById: actor.id,
        updatedAt: now,
      }),
    display: (procedure) => procedure.mappedFrom,
  });

  await planRows("ImagingStudy", draft.imaging, {
    links: diagnosisRequired,
    insert: (id, study, { diagnosisId }) =>
      rows.imaging.push({ id, patientId, diagnosisId, ...imagingData(study), createdById: actor.id, updatedAt: now }),
  });

  await planRows("OutcomeAssessment", draft.assessments, {
    links: noLinks,
    insert: (id, assessment) => {
      rows.assessments.push({ id, patientId, ...assessmentData(assessment), recordedById: actor.id, updatedAt: now });
      for (const { therapySource, severity, kinds } of assessment.sideEffects) {
        const therapyTrialId = therapyIds.get(therapySource);
        if (therapyTrialId)
          rows.sideEffects.push({ id: randomUUID(), assessmentId: id, therapyTrialId, severity, kinds });
      }
    },
  });

  await planRows("ImportedScore", draft.scores, {
    links: noLinks,
    insert: (id, score) => rows.scores.push({ id, patientId, ...scoreData(score), createdById: actor.id }),
  });
}

/** The links of a row that points to nothing else (shared, so no object per row). */
const NO_LINKS = Object.freeze({});

type ImportedEntity =
  | "Patient"
  | "PainDiagnosis"
  | "TherapyTrial"
  | "ProcedureRecord"
  | "OutcomeAssessment"
  | "ImagingStudy"
  | "ImportedScore";

/**
 * The source changed a row since the last import. Applied (with a revision) when nobody corrected
 * the row in PainPath since; otherwise kept as a conflict for review, and the row is left alone.
 */
async function changed(
  tx: Tx,
  entity: ImportedEntity,
  known: Existing,
  hash: string,
  incomingValues: object,
  patientId: string,
  report: PatientReport,
  runId: string,
  request: ImportRequest,
  write: boolean,
) {
  const incoming = incomingValues as Record<string, unknown>;
  const current = await currentVersion(tx, entity, known.entityId);
  const corrected = !current || current.version !== known.entityVersion || current.enteredInError;
  if (corrected) {
    report.counts.conflicts++;
    if (report.review.length < MAX_REVIEW_LINES)
      report.review.push({
        resource: known.sourceResource,
        reason: "changed in the source after a clinician corrected it in PainPath: see the conflicts list",
      });
    if (!write) return;
    const open = await tx.importConflict.findFirst({
      where: { entityId: known.entityId, status: "OPEN" },
      select: { id: true, incoming: true },
    });
    if (open && hashOf(open.incoming) === hashOf(incoming)) return;
    await tx.importConflict.create({
      data: {
        importRunId: runId,
        patientId,
        entityType: entity,
        entityId: known.entityId,
        sourceResource: known.sourceResource,
        incoming: incoming as Prisma.InputJsonValue,
      },
    });
    return;
  }
  report.counts.updated++;
  if (!write) return;
  const reason = `Changed in the source (${known.sourceResource}), FHIR import ${runId}`;
  if (entity === "ImportedScore") {
    const score = incoming as unknown as PathwayDraft["scores"][number];
    await tx.importedScore.update({
      where: { id: known.entityId },
      data: { ...scoreData(score), version: { increment: 1 } },
    });
  } else {
    await reviseRecord(tx, {
      entity,
      current: (await loadRow(tx, entity, known.entityId)) as { id: string; version: number } | null,
      expectedVersion: known.entityVersion,
      patientId,
      actorId: request.actor.id,
      reason,
      update: (where) => updateRow(tx, entity, where, incoming),
    });
  }
  await tx.importedRecord.update({
    where: { id: known.id },
    data: { contentHash: hash, entityVersion: known.entityVersion + 1, lastImportRunId: runId },
  });
}

async function currentVersion(tx: Tx, entity: string, id: string) {
  const rows = await tx.$queryRawUnsafe<Array<{ version: number; enteredInError: boolean }>>(
    `SELECT version, ${entity === "Patient" ? "false" : `"enteredInErrorAt" IS NOT NULL`} AS "enteredInError" FROM "${entity}" WHERE id = $1::uuid`,
    id,
  );
  return rows[0] ?? null;
}

function loadRow(tx: Tx, entity: string, id: string) {
  switch (entity) {
    case "Patient":
      return tx.patient.findUnique({ where: { id } });
    case "PainDiagnosis":
      return tx.painDiagnosis.findUnique({ where: { id } });
    case "TherapyTrial":
      return tx.therapyTrial.findUnique({ where: { id } });
    case "OutcomeAssessment":
      return tx.outcomeAssessment.findUnique({ where: { id } });
    case "ImagingStudy":
      return tx.imagingStudy.findUnique({ where: { id } });
    default:
      return tx.procedureRecord.findUnique({ where: { id } });
  }
}

function updateRow(tx: Tx, entity: string, where: { id: string; version: number }, incoming: Record<string, unknown>) {
  const version = { increment: 1 };
  switch (entity) {
    case "Patient":
      return tx.patient.updateMany({ where, data: { ...patientData(incoming as unknown as PathwayDraft), version } });
    case "PainDiagnosis":
      return tx.painDiagnosis.updateMany({ where, data: { ...diagnosisData(incoming as never), version } });
    case "TherapyTrial":
      return tx.therapyTrial.updateMany({
        where,
        data: { ...therapyData(incoming as never), diagnosisId: incoming.diagnosisId as string, version },
      });
    case "OutcomeAssessment":
      return tx.outcomeAssessment.updateMany({ where, data: { ...assessmentData(incoming as never), version } });
    case "ImagingStudy":
      return tx.imagingStudy.updateMany({
        where,
        data: { ...imagingData(incoming as never), diagnosisId: incoming.diagnosisId as string, version },
      });
    default:
      return tx.procedureRecord.updateMany({
        where,
        data: {
          ...procedureData(incoming as never),
          diagnosisId: (incoming.diagnosisId as string | null) ?? null,
          version,
        },
      });
  }
}

async function applyCautions(tx: Tx, patientId: string, draft: PathwayDraft) {
  if (draft.patient.cautions.length === 0 && draft.patient.antithrombotics.length === 0) return;
  // Like the flags, a drug the record proves is added, never removed: a clinician's entry stays.
  const { antithrombotics } = await tx.patient.findUniqueOrThrow({
    where: { id: patientId },
    select: { antithrombotics: true },
  });
  await tx.patient.update({
    where: { id: patientId },
    data: {
      ...Object.fromEntries(draft.patient.cautions.map((flag) => [flag, true])),
      antithrombotics: [...new Set([...antithrombotics, ...draft.patient.antithrombotics])].sort(),
      version: { increment: 1 },
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// Draft → row values

function patientData(draft: PathwayDraft | { patient?: undefined } | Record<string, unknown>) {
  // Called with a draft, or with the patient part as stored in a conflict (contentOf(draft.patient)).
  const patient = ("patient" in draft && draft.patient ? draft.patient : draft) as PathwayDraft["patient"];
  return {
    mrn: patient.mrn,
    givenName: patient.givenName,
    familyName: patient.familyName,
    birthDate: fromIsoDate(patient.birthDate),
    sex: patient.sex,
    ...Object.fromEntries(patient.cautions.map((flag) => [flag, true])),
    antithrombotics: patient.antithrombotics ?? [],
    allergyNotes: patient.allergyNotes.length > 0 ? patient.allergyNotes.join("; ").slice(0, 1000) : null,
    ...(patient.psychEvaluation
      ? {
          psychEvaluationStatus: patient.psychEvaluation.status,
          psychEvaluationDate: patient.psychEvaluation.date ? fromIsoDate(patient.psychEvaluation.date) : null,
        }
      : {}),
    ...(patient.naloxoneOfferedOn ? { naloxoneOfferedOn: fromIsoDate(patient.naloxoneOfferedOn) } : {}),
  };
}

function diagnosisData(diagnosis: PathwayDraft["diagnoses"][number]) {
  return {
    icd10Code: diagnosis.icd10Code,
    label: diagnosis.label.slice(0, 300),
    bodyRegion: diagnosis.bodyRegion,
    painType: diagnosis.painType,
    onsetDate: fromIsoDate(diagnosis.onsetDate),
    ...(diagnosis.surgicalStatus ? { surgicalStatus: diagnosis.surgicalStatus } : {}),
    ...(diagnosis.redFlags ? { redFlags: diagnosis.redFlags } : {}),
    ...(diagnosis.radicularSigns ? { radicularSigns: diagnosis.radicularSigns } : {}),
  };
}

function therapyData(therapy: PathwayDraft["therapies"][number]) {
  return {
    modality: therapy.modality,
    startDate: fromIsoDate(therapy.startDate),
    endDate: therapy.endDate ? fromIsoDate(therapy.endDate) : null,
    status: therapy.status,
    drug: therapy.drug,
    dose: therapy.dose,
    doseUnit: therapy.doseUnit,
    frequency: therapy.frequency,
    maxDosesPerDay: therapy.maxDosesPerDay,
    route: therapy.route,
    sessionsAttended: therapy.sessionsAttended,
    ...(therapy.sessionsPlanned !== undefined ? { sessionsPlanned: therapy.sessionsPlanned } : {}),
    ...(therapy.stopReason ? { stopReason: therapy.stopReason, stopNote: therapy.stopNote ?? null } : {}),
  };
}

function procedureData(procedure: PathwayDraft["procedures"][number]) {
  return {
    type: procedure.type,
    region: procedure.region,
    approach: procedure.approach,
    performedOn: fromIsoDate(procedure.performedOn),
    scaleName: "NRS",
    note: `Imported (${procedure.mappedFrom})`,
    ...(procedure.detail
      ? { ...procedure.detail, note: procedure.detail.note ?? `Imported (${procedure.mappedFrom})` }
      : {}),
  };
}

function imagingData(study: PathwayDraft["imaging"][number]) {
  return {
    modality: study.modality,
    performedOn: fromIsoDate(study.performedOn),
    concordance: study.concordance,
    finding: study.finding,
  };
}

/** Side effects are written with a new assessment; a later change of them alone is not applied. */
function assessmentData(assessment: PathwayDraft["assessments"][number]) {
  return {
    assessedOn: fromIsoDate(assessment.date),
    painNow: assessment.painNow,
    painAverage: assessment.painAverage,
    painWorst: assessment.painWorst,
    pegPain: assessment.pegPain,
    pegEnjoyment: assessment.pegEnjoyment,
    pegActivity: assessment.pegActivity,
    pegScore: assessment.pegScore,
    odiPercent: assessment.odiPercent,
    ndiPercent: assessment.ndiPercent,
    limitation: assessment.limitation,
    adherence: assessment.adherence,
    note: assessment.note,
    ...(assessment.recordedAt ? { recordedAt: new Date(assessment.recordedAt) } : {}),
  };
}

function scoreData(score: PathwayDraft["scores"][number]) {
  return {
    observedOn: fromIsoDate(score.date),
    scale: score.painNow !== null ? ("PAIN_NRS" as const) : ("PEG_MEAN" as const),
    value: (score.painNow ?? score.pegScore) as number,
  };
}
