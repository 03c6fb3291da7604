/**
 * The FHIR R4 import (issue 16): stage the input, then import each patient in its own transaction
 * (all of a patient or nothing), matched by the source's resource ids, with provenance on every row.
 * A dry run plans the same way and writes nothing but its report. Decision 011 explains the design.
 */
import { createHash, randomUUID } from "node:crypto";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import type { AppLoadContext } from "@remix-run/node";
import type { Medication, Patient, Resource } from "@medplum/fhirtypes";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import {
  type CodeDecision,
  mapPatient,
  type PathwayDraft,
  type ResourceOutcome,
  type UnknownCode,
} from "~/domain/fhir";
import { codeKey } from "~/domain/fhir";
import { fromIsoDate } from "~/domain/iso-date";
import type { Prisma } from "~/generated/prisma/client";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb, type Tx } from "~/server/db.server";
import { type InputError, patientKeyOf, readInput } from "~/server/fhir-input.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { reevaluatePatients } from "./evaluation.server";
import { lockPatients } from "./patient-lock.server";
import { refreshPathwaySummary } from "./pathway-summary.server";
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
  const runId = request.runId ?? (await createImportRun(request));
  const db = getDb();
  await db.importRun.update({ where: { id: runId }, data: { status: "RUNNING" } });
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
  try {
    await stage(runId, request, report);
    await checkReferences(runId, report);
    const patientKeys = (
      await db.$queryRaw<Array<{ patientKey: string }>>`
        SELECT "patientKey" FROM "ImportStaging" WHERE "runId" = ${runId}::uuid AND "resourceType" = 'Patient' ORDER BY id`
    ).map((row) => row.patientKey);
    report.totals.patients = patientKeys.length;
    await db.importRun.update({ where: { id: runId }, data: { patientsTotal: patientKeys.length } });
    const medications = await loadMedications(runId);
    const decisions = await loadDecisions();
    const unknown = new Map<string, UnknownCode & { count: number }>();

    for (const [index, patientKey] of patientKeys.entries()) {
      const patientReport = await importOnePatient(runId, patientKey, medications, decisions, unknown, request);
      report.patients.push(patientReport);
      addCounts(report, patientReport);
      if ((index + 1) % 25 === 0 || index + 1 === patientKeys.length) {
        request.onProgress?.(index + 1, patientKeys.length, "importing");
        await db.importRun.update({ where: { id: runId }, data: { patientsDone: index + 1 } });
      }
    }
    report.unknownCodes = unknown.size;
    if (!request.dryRun) await rememberUnknownCodes([...unknown.values()]);
    await finish(request, runId, report, null);
    return report;
  } catch (error) {
    await finish(request, runId, report, error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    await db.$executeRaw`DELETE FROM "ImportStaging" WHERE "runId" = ${runId}::uuid`;
  }
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
// Staging: every resource into ImportStaging by COPY, keyed by its patient.

async function stage(runId: string, request: ImportRequest, report: ImportReport) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const copy = client.query(
      copyFrom(`COPY "ImportStaging" ("runId", "patientKey", "resourceType", file, line, body) FROM STDIN`),
    );
    let staged = 0;
    for await (const item of readInput(request.path)) {
      if (item.kind === "error") {
        if (report.inputErrors.length < MAX_INPUT_ERRORS) report.inputErrors.push(item);
        continue;
      }
      const { resource } = item;
      const key =
        patientKeyOf(resource) ?? (resource.resourceType === "Medication" ? `Medication/${resource.id ?? ""}` : "");
      const row = [
        runId,
        key,
        resource.resourceType,
        `${item.file} ${item.location}`,
        String(item.line),
        JSON.stringify(resource),
      ]
        .map(copyText)
        .join("\t");
      if (!copy.write(`${row}\n`)) await once(copy, "drain");
      if (++staged % 10_000 === 0) request.onProgress?.(staged, 0, "reading");
    }
    copy.end();
    await finished(copy);
  } finally {
    await client.end();
  }
}

/** COPY's text format: backslash, tab and line breaks escaped (https://www.postgresql.org/docs/current/sql-copy.html). */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/** Resources without a subject, or whose patient is not in the input, are errors with their place. */
async function checkReferences(runId: string, report: ImportReport) {
  const db = getDb();
  const orphans = await db.$queryRaw<Array<{ patientKey: string; resourceType: string; file: string }>>`
    SELECT s."patientKey", s."resourceType", s.file
      FROM "ImportStaging" s
     WHERE s."runId" = ${runId}::uuid AND s."patientKey" LIKE 'Patient/%' AND s."resourceType" <> 'Patient'
       AND NOT EXISTS (SELECT 1 FROM "ImportStaging" p
                        WHERE p."runId" = s."runId" AND p."patientKey" = s."patientKey" AND p."resourceType" = 'Patient')
     ORDER BY s.id LIMIT ${MAX_INPUT_ERRORS}`;
  for (const orphan of orphans) {
    pushError(report, orphan.file, `${orphan.resourceType} refers to ${orphan.patientKey}, who is not in the input`);
  }
  const noSubject = await db.$queryRaw<Array<{ resourceType: string; file: string }>>`
    SELECT "resourceType", file FROM "ImportStaging"
     WHERE "runId" = ${runId}::uuid AND "patientKey" = '' AND "resourceType" = ANY(${[...IMPORTED_TYPES]}::text[])
     ORDER BY id LIMIT ${MAX_INPUT_ERRORS}`;
  for (const row of noSubject) pushError(report, row.file, `${row.resourceType} without a subject (patient)`);
  const ignored = await db.$queryRaw<Array<{ resourceType: string; n: number }>>`
    SELECT "resourceType", count(*)::int AS n FROM "ImportStaging"
     WHERE "runId" = ${runId}::uuid AND "patientKey" = '' AND NOT ("resourceType" = ANY(${[...IMPORTED_TYPES]}::text[]))
     GROUP BY "resourceType"`;
  for (const row of ignored) {
    const reason = `${row.resourceType} is not a resource PainPath imports`;
    report.skippedByReason[reason] = (report.skippedByReason[reason] ?? 0) + row.n;
  }
}

function pushError(report: ImportReport, place: string, message: string) {
  if (report.inputErrors.length >= MAX_INPUT_ERRORS) return;
  const [file = "", ...location] = place.split(" ");
  report.inputErrors.push({ kind: "error", file, location: location.join(" "), message });
}

async function loadMedications(runId: string): Promise<Medication[]> {
  const rows = await getDb().$queryRaw<Array<{ body: Medication }>>`
    SELECT body FROM "ImportStaging" WHERE "runId" = ${runId}::uuid AND "resourceType" = 'Medication'`;
  return rows.map((row) => row.body);
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
// One patient

class PatientImportError extends Error {}

async function importOnePatient(
  runId: string,
  patientKey: string,
  medications: readonly Medication[],
  decisions: ReadonlyMap<string, CodeDecision>,
  unknown: Map<string, UnknownCode & { count: number }>,
  request: ImportRequest,
): Promise<PatientReport> {
  const rows = await getDb().$queryRaw<Array<{ body: Resource; file: string }>>`
    SELECT body, file FROM "ImportStaging" WHERE "runId" = ${runId}::uuid AND "patientKey" = ${patientKey} ORDER BY id`;
  const patientRow = rows.find((row) => row.body.resourceType === "Patient");
  const patient = patientRow?.body as Patient;
  const resources = [...rows.filter((row) => row !== patientRow).map((row) => row.body), ...medications];
  const mapping = mapPatient(patient, resources, { decisions, mrnSystems: request.mrnSystems });
  const report: PatientReport = {
    source: patientKey,
    location: patientRow?.file ?? "",
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
  if (!mapping.draft) {
    report.error = `${report.location}: ${mapping.error}`;
    return report;
  }
  const draft = mapping.draft;
  try {
    if (request.dryRun) {
      await planAndWrite(getDb() as unknown as Tx, draft, report, runId, request, false);
      report.status = "would-import";
    } else {
      await getDb().$transaction(async (tx) => planAndWrite(tx, draft, report, runId, request, true), {
        timeout: 120_000,
      });
      report.status = report.counts.created + report.counts.updated > 0 ? "imported" : "unchanged";
    }
  } catch (error) {
    if (!(error instanceof PatientImportError)) throw error;
    report.status = "failed";
    report.error = `${report.location}: ${error.message}`;
    report.counts = { ...zero(), skipped: report.counts.skipped };
  }
  return report;
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

interface Existing {
  id: string;
  entityId: string;
  entityVersion: number;
  contentHash: string;
  sourceResource: string;
}

function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** Everything a row's import compares: the mapped values without the source's version stamp. */
function contentOf<T extends { source: { resource: string } }>(entity: T) {
  return { ...entity, source: entity.source.resource };
}

async function planAndWrite(
  tx: Tx,
  draft: PathwayDraft,
  report: PatientReport,
  runId: string,
  request: ImportRequest,
  write: boolean,
) {
  const { sourceSystem, actor } = request;
  const keys = [
    draft.patient.source.resource,
    ...draft.diagnoses.map((d) => d.source.resource),
    ...draft.therapies.map((t) => t.source.resource),
    ...draft.procedures.map((p) => p.source.resource),
    ...draft.scores.map((s) => s.source.resource),
    ...draft.assessments.map((a) => a.source.resource),
    ...draft.imaging.map((i) => i.source.resource),
  ];
  const existing = new Map(
    (
      await tx.importedRecord.findMany({
        where: { sourceSystem, sourceResource: { in: keys } },
        select: { id: true, entityId: true, entityVersion: true, contentHash: true, sourceResource: true },
      })
    ).map((record) => [record.sourceResource, record as Existing]),
  );
  const counts = report.counts;
  const newRecords: NewRecord[] = [];
  const record = (
    sourceResource: string,
    sourceVersion: string | null,
    hash: string,
    entityType: string,
    entityId: string,
    patientId: string,
    sourceDisplay: string | null = null,
  ) =>
    newRecords.push({
      sourceResource,
      sourceVersion,
      sourceDisplay,
      contentHash: hash,
      entityType,
      entityId,
      entityVersion: 1,
    });

  // The patient: by its import record, else by MRN (a hand-entered patient is linked only when name
  // and birth date agree), else new.
  const patientHash = hashOf(contentOf(draft.patient));
  const patientRecord = existing.get(draft.patient.source.resource);
  let patientId = patientRecord?.entityId ?? null;
  const byMrn = await tx.patient.findUnique({
    where: { mrn: draft.patient.mrn },
    select: { id: true, familyName: true, birthDate: true, version: true },
  });
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
      await lockPatients(tx, [patientId]);
      await applyCautions(tx, patientId, draft);
      record(draft.patient.source.resource, draft.patient.source.version, patientHash, "Patient", patientId, patientId);
      (newRecords.at(-1) as NewRecord).entityVersion = byMrn.version;
    }
    counts.updated++;
  } else if (!patientId) {
    patientId = randomUUID();
    counts.created++;
    if (write) {
      await tx.patient.create({
        data: {
          id: patientId,
          ...patientData(draft),
          assignedPhysicianId: request.physicianId as string,
          createdById: actor.id,
        },
      });
      record(draft.patient.source.resource, draft.patient.source.version, patientHash, "Patient", patientId, patientId);
    }
  } else {
    if (write) await lockPatients(tx, [patientId]);
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

  // Diagnoses, then what links to them.
  const diagnosisIds = new Map<string, string>();
  for (const diagnosis of draft.diagnoses) {
    const key = diagnosis.source.resource;
    const hash = hashOf(contentOf(diagnosis));
    const known = existing.get(key);
    if (known) {
      diagnosisIds.set(key, known.entityId);
      if (known.contentHash === hash) counts.unchanged++;
      else
        await changed(tx, "PainDiagnosis", known, hash, contentOf(diagnosis), patientId, report, runId, request, write);
      continue;
    }
    const id = randomUUID();
    diagnosisIds.set(key, id);
    counts.created++;
    if (write) {
      await tx.painDiagnosis.create({ data: { id, patientId, ...diagnosisData(diagnosis), createdById: actor.id } });
      record(key, diagnosis.source.version, hash, "PainDiagnosis", id, patientId, diagnosis.mappedFrom);
    }
  }
  const diagnosisOf = async (source: string | null): Promise<string | null> => {
    if (!source) return null;
    const id = diagnosisIds.get(source);
    if (id) return id;
    // A diagnosis imported earlier but not in this export.
    const known = await tx.importedRecord.findUnique({
      where: { sourceSystem_sourceResource: { sourceSystem, sourceResource: source } },
      select: { entityId: true },
    });
    return known?.entityId ?? null;
  };

  const therapyIds = new Map<string, string>();
  for (const therapy of draft.therapies) {
    const key = therapy.source.resource;
    const diagnosisId = await diagnosisOf(therapy.diagnosisSource);
    if (!diagnosisId) continue; // Already counted as needs review: PainPath trials belong to a diagnosis.
    const hash = hashOf(contentOf(therapy));
    const known = existing.get(key);
    if (known) therapyIds.set(key, known.entityId);
    if (known) {
      if (known.contentHash === hash) counts.unchanged++;
      else
        await changed(
          tx,
          "TherapyTrial",
          known,
          hash,
          { ...contentOf(therapy), diagnosisId },
          patientId,
          report,
          runId,
          request,
          write,
        );
      continue;
    }
    const id = randomUUID();
    therapyIds.set(key, id);
    counts.created++;
    if (write) {
      await tx.therapyTrial.create({
        data: { id, patientId, diagnosisId, ...therapyData(therapy), createdById: actor.id },
      });
      record(key, therapy.source.version, hash, "TherapyTrial", id, patientId, therapy.product);
    }
  }

  for (const procedure of draft.procedures) {
    const key = procedure.source.resource;
    const hash = hashOf(contentOf(procedure));
    const known = existing.get(key);
    const diagnosisId = await diagnosisOf(procedure.diagnosisSource);
    if (known) {
      if (known.contentHash === hash) counts.unchanged++;
      else
        await changed(
          tx,
          "ProcedureRecord",
          known,
          hash,
          { ...contentOf(procedure), diagnosisId },
          patientId,
          report,
          runId,
          request,
          write,
        );
      continue;
    }
    const id = randomUUID();
    counts.created++;
    if (write) {
      await tx.procedureRecord.create({
        data: { id, patientId, diagnosisId, ...procedureData(procedure), createdById: actor.id },
      });
      record(key, procedure.source.version, hash, "ProcedureRecord", id, patientId, procedure.mappedFrom);
    }
  }

  for (const study of draft.imaging) {
    const key = study.source.resource;
    const diagnosisId = await diagnosisOf(study.diagnosisSource);
    if (!diagnosisId) continue; // Already counted as needs review: a study belongs to a diagnosis.
    const hash = hashOf(contentOf(study));
    const known = existing.get(key);
    if (known) {
      if (known.contentHash === hash) counts.unchanged++;
      else
        await changed(
          tx,
          "ImagingStudy",
          known,
          hash,
          { ...contentOf(study), diagnosisId },
          patientId,
          report,
          runId,
          request,
          write,
        );
      continue;
    }
    const id = randomUUID();
    counts.created++;
    if (write) {
      await tx.imagingStudy.create({
        data: { id, patientId, diagnosisId, ...imagingData(study), createdById: actor.id },
      });
      record(key, study.source.version, hash, "ImagingStudy", id, patientId);
    }
  }

  for (const assessment of draft.assessments) {
    const key = assessment.source.resource;
    const hash = hashOf(contentOf(assessment));
    const known = existing.get(key);
    if (known) {
      if (known.contentHash === hash) counts.unchanged++;
      else
        await changed(
          tx,
          "OutcomeAssessment",
          known,
          hash,
          contentOf(assessment),
          patientId,
          report,
          runId,
          request,
          write,
        );
      continue;
    }
    const id = randomUUID();
    counts.created++;
    if (write) {
      const sideEffects = assessment.sideEffects.flatMap(({ therapySource, severity, kinds }) => {
        const therapyTrialId = therapyIds.get(therapySource);
        return therapyTrialId ? [{ therapyTrialId, severity, kinds }] : [];
      });
      await tx.outcomeAssessment.create({
        data: {
          id,
          patientId,
          ...assessmentData(assessment),
          recordedById: actor.id,
          sideEffects: { create: sideEffects },
        },
      });
      record(key, assessment.source.version, hash, "OutcomeAssessment", id, patientId);
    }
  }

  const newScores: NewScore[] = [];
  for (const score of draft.scores) {
    const key = score.source.resource;
    const hash = hashOf(contentOf(score));
    const known = existing.get(key);
    if (known) {
      if (known.contentHash === hash) counts.unchanged++;
      else await changed(tx, "ImportedScore", known, hash, contentOf(score), patientId, report, runId, request, write);
      continue;
    }
    const id = randomUUID();
    counts.created++;
    if (write) {
      newScores.push({ id, ...scoreData(score) });
      record(key, score.source.version, hash, "ImportedScore", id, patientId);
    }
  }
  if (!write) return;
  await insertScores(tx, newScores, patientId, actor.id);
  await insertRecords(tx, newRecords, { sourceSystem, patientId, runId });
  if (counts.created + counts.updated > 0) {
    await refreshPathwaySummary(tx, patientId);
    await reevaluatePatients(tx, [patientId], {
      ruleSet: await getActiveRuleSet(tx),
      now: new Date(),
      today: clinicToday(),
    });
  }
  await recordAudit(
    request.context,
    {
      action: "fhir_import.patient",
      actor,
      entityType: "Patient",
      entityId: patientId,
      patientId,
      detail: { runId, source: draft.patient.source.resource, ...counts },
    },
    tx,
  );
}

interface NewScore {
  id: string;
  observedOn: Date;
  scale: "PAIN_NRS" | "PEG_MEAN";
  value: number;
}

interface NewRecord {
  sourceResource: string;
  sourceVersion: string | null;
  sourceDisplay: string | null;
  contentHash: string;
  entityType: string;
  entityId: string;
  entityVersion: number;
}

// One statement per table whatever the number of rows: a patient brings about 150 scores, and
// Prisma's createMany cost about 1 ms a row here.
async function insertScores(tx: Tx, scores: NewScore[], patientId: string, createdById: string) {
  if (scores.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "ImportedScore" (id, "patientId", "observedOn", scale, value, "createdById")
    SELECT s.id, ${patientId}::uuid, s.day, s.scale::"ImportedScoreScale", s.value, ${createdById}::uuid
      FROM unnest(${scores.map((s) => s.id)}::uuid[], ${scores.map((s) => s.observedOn)}::date[],
                  ${scores.map((s) => s.scale)}::text[], ${scores.map((s) => s.value)}::float8[])
           AS s(id, day, scale, value)`;
}

async function insertRecords(
  tx: Tx,
  records: NewRecord[],
  run: { sourceSystem: string; patientId: string; runId: string },
) {
  if (records.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "ImportedRecord" (id, "sourceSystem", "sourceResource", "sourceVersion", "sourceDisplay", "contentHash",
                                  "entityType", "entityId", "entityVersion", "patientId", "firstImportRunId",
                                  "lastImportRunId", "updatedAt")
    SELECT gen_random_uuid(), ${run.sourceSystem}, r.resource, r.version, r.display, r.hash, r.type, r.entity,
           r.entity_version, ${run.patientId}::uuid, ${run.runId}::uuid, ${run.runId}::uuid, now()
      FROM unnest(${records.map((r) => r.sourceResource)}::text[], ${records.map((r) => r.sourceVersion)}::text[],
                  ${records.map((r) => r.sourceDisplay)}::text[], ${records.map((r) => r.contentHash)}::text[],
                  ${records.map((r) => r.entityType)}::text[], ${records.map((r) => r.entityId)}::uuid[],
                  ${records.map((r) => r.entityVersion)}::int[])
           AS r(resource, version, display, hash, type, entity, entity_version)`;
}

/**
 * The source changed a row since the last import. Applied (with a revision) when nobody corrected
 * the row in PainPath since; otherwise kept as a conflict for review, and the row is left alone.
 */
async function changed(
  tx: Tx,
  entity:
    | "Patient"
    | "PainDiagnosis"
    | "TherapyTrial"
    | "ProcedureRecord"
    | "OutcomeAssessment"
    | "ImagingStudy"
    | "ImportedScore",
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
