import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { access, mkdtemp } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { listImportRuns } from "~/models/fhir-import-runs.server";
import { markInterruptedRuns, runImport } from "~/models/fhir-import.server";
import { getDb } from "~/server/db.server";
import { stagingFolder } from "~/server/fhir-staging.server";
import { createUser, makeContext } from "../helpers/fixtures";

const PATIENTS = 400;
const SCORES = 150;

/** A Bulk Data export of PATIENTS patients with SCORES pain scores each: enough for several batches. */
async function writeExport(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "fhir-interrupted-"));
  const write = async (type: string, resources: (n: number) => object[]) => {
    const stream = createWriteStream(path.join(folder, `${type}.ndjson`));
    for (let n = 0; n < PATIENTS; n++) {
      for (const resource of resources(n))
        if (!stream.write(`${JSON.stringify(resource)}\n`)) await once(stream, "drain");
    }
    stream.end();
    await once(stream, "finish");
  };
  await write("Patient", (n) => [
    {
      resourceType: "Patient",
      id: `p${n}`,
      identifier: [
        {
          type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR" }] },
          value: `INT-${n}`,
        },
      ],
      name: [{ family: `Family${n}`, given: ["Given"] }],
      gender: "female",
      birthDate: "1970-01-01",
    },
  ]);
  await write("Observation", (n) =>
    Array.from({ length: SCORES }, (_, s) => ({
      resourceType: "Observation",
      id: `p${n}-s${s}`,
      status: "final",
      code: { coding: [{ system: "http://loinc.org", code: "72514-3" }] },
      subject: { reference: `Patient/p${n}` },
      effectiveDateTime: `2025-${String((s % 12) + 1).padStart(2, "0")}-${String((s % 28) + 1).padStart(2, "0")}`,
      valueQuantity: { value: s % 11 },
    })),
  );
  return folder;
}

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("an import whose process is killed", () => {
  let admin: { id: string; email: string };
  let physician: { id: string; email: string };
  let folder: string;

  beforeAll(async () => {
    admin = await createUser("ADMIN");
    physician = await createUser("PHYSICIAN");
    folder = await writeExport();
  });

  it("is marked interrupted, keeps whole patients only, and completes when run again", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "tools/import-fhir.ts", folder, "--as", admin.email, "--physician", physician.email],
      { env: { ...process.env, LOG_LEVEL: "silent" }, stdio: "ignore" },
    );
    const exited = once(child, "exit");
    const run = await waitFor(
      () => getDb().importRun.findFirst({ where: { patientsDone: { gt: 0 } }, select: { id: true } }),
      90_000,
    );
    child.kill("SIGKILL");
    await exited;
    await access(stagingFolder(run.id)); // The killed process left its staged files.

    // A run still beating is left alone; the killed one once its heartbeat is stale.
    expect(await markInterruptedRuns()).toEqual([]);
    expect((await listImportRuns()).find((r) => r.id === run.id)?.status).toBe("RUNNING");
    expect(await markInterruptedRuns(0)).toEqual([run.id]);
    const interrupted = await getDb().importRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(interrupted.status).toBe("INTERRUPTED");
    expect(interrupted.error).toMatch(/Interrupted: .* after \d+ of 400 patients.*Import the same file again/);
    await expect(access(stagingFolder(run.id))).rejects.toThrow();
    expect(await getDb().auditEvent.count({ where: { action: "fhir_import.interrupted", entityId: run.id } })).toBe(1);

    // Each patient the killed run committed is complete: all or nothing.
    const imported = await getDb().patient.findMany({ select: { id: true } });
    const scores = await getDb().importedScore.groupBy({ by: ["patientId"], _count: { _all: true } });
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.length).toBeLessThan(PATIENTS);
    expect(scores).toHaveLength(imported.length);
    expect(scores.every((patient) => patient._count._all === SCORES)).toBe(true);

    const again = await runImport({
      path: folder,
      sourceLabel: "again",
      sourceSystem: "ehr",
      dryRun: false,
      actor: { id: admin.id, role: "ADMIN" },
      physicianId: physician.id,
      context: makeContext(),
    });
    expect(again.totals).toMatchObject({ patients: PATIENTS, patientsImported: PATIENTS, patientsFailed: 0 });
    expect(again.totals.unchanged).toBe(imported.length * (1 + SCORES));
    expect(await getDb().patient.count()).toBe(PATIENTS);
    expect(await getDb().importedScore.count()).toBe(PATIENTS * SCORES);
  }, 180_000);
});
