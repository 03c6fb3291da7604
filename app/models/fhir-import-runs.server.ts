import { getDb } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { removeUpload } from "~/server/fhir-upload.server";
import type { ImportReport, ImportRequest } from "./fhir-import.server";
import { createImportRun, runImport } from "./fhir-import.server";

export function listImportRuns(take = 50) {
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
