import { getDb } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { removeUpload } from "~/server/fhir-upload.server";
import type { ImportReport, ImportRequest } from "./fhir-import.server";
import { createImportRun, markInterruptedRuns, runImport } from "./fhir-import.server";

/** The latest runs; any whose process stopped is first marked interrupted, so none stays "running" forever. */
export async function listImportRuns(take = 50) {
  await markInterruptedRuns();
  return getDb().importRun.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      source: true,
      dryRun: true,
      status: true,
      createdAt: true,
      finishedAt: true,
      patientsTotal: true,
      patientsDone: true,
    },
  });
}

export async function loadImportRun(id: string) {
  await markInterruptedRuns();
  const run = await getDb().importRun.findUnique({ where: { id } });
  return run ? { ...run, report: run.report as unknown as ImportReport | null } : null;
}

/**
 * Starts an import of an uploaded folder in the background and returns its run id at once; the
 * run's row carries progress and, at the end, the report. The folder is removed afterwards.
 */
export async function startBackgroundImport(request: ImportRequest): Promise<string> {
  const runId = await createImportRun(request);
  void runImport({ ...request, runId })
    .catch((error: unknown) => logger.error({ runId, error: String(error) }, "FHIR import failed"))
    .finally(() => removeUpload(request.path));
  return runId;
}

export function listPhysicians() {
  return getDb().user.findMany({
    where: { role: "PHYSICIAN", active: true },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}

const ENTITY_LABELS: Record<string, string> = {
  Patient: "patient details",
  PainDiagnosis: "diagnoses",
  TherapyTrial: "therapy trials",
  ProcedureRecord: "procedures",
  ImportedScore: "pain scores",
};

/** Where a patient's imported rows came from and when, and their latest imported scores. */
export async function loadImportedHistory(patientId: string) {
  const db = getDb();
  const [groups, scores] = await Promise.all([
    db.importedRecord.groupBy({
      by: ["entityType", "sourceSystem"],
      where: { patientId },
      _count: { _all: true },
      _max: { updatedAt: true },
    }),
    db.importedScore.findMany({
      where: { patientId, enteredInErrorAt: null },
      orderBy: { observedOn: "desc" },
      take: 12,
      select: { id: true, observedOn: true, scale: true, value: true },
    }),
  ]);
  return {
    sources: groups.map((group) => ({
      what: ENTITY_LABELS[group.entityType] ?? group.entityType,
      sourceSystem: group.sourceSystem,
      count: group._count._all,
      lastImportedAt: group._max.updatedAt?.toISOString() ?? null,
    })),
    scores: scores.map((score) => ({ ...score, observedOn: score.observedOn.toISOString().slice(0, 10) })),
  };
}
