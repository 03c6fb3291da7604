// `npm run export:fhir`, run as an operator would against DATABASE_URL.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Resource } from "@medplum/fhirtypes";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { createPatient, createUser } from "../helpers/fixtures";
import { validationErrors } from "../helpers/fhir-validation";
import { referredPatientWithCautions } from "../helpers/packet-patient";

function exportCommand(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "export:fhir", "--", ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "development",
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        FHIR_MRN_SYSTEM: "urn:oid:2.16.840.1.113883.19.5",
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

let patientIds: string[];
let physician: { id: string; email: string };

beforeAll(async () => {
  physician = await createUser("PHYSICIAN");
  const referred = await referredPatientWithCautions(physician.id);
  const others = await Promise.all([1, 2, 3].map(() => createPatient(physician.id)));
  patientIds = [referred.patient.id, ...others.map(({ patient }) => patient.id)];
});

describe("npm run export:fhir", () => {
  it("writes one NDJSON file per resource type and a Bulk Data manifest that counts their lines", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "painpath-fhir-"));
    // Batches of two: the four patients take two batches and the cursor's end.
    const { code, output } = await exportCommand(["--out", folder, "--as", physician.email, "--batch", "2"]);
    expect(output).toContain("4 of 4 patients");
    expect(code).toBe(0);

    const manifest = JSON.parse(await readFile(path.join(folder, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ requiresAccessToken: false, error: [] });
    expect(Number.isNaN(Date.parse(manifest.transactionTime))).toBe(false);
    const types = manifest.output.map((entry: { type: string }) => entry.type);
    expect(types).toEqual([
      "Patient",
      "AllergyIntolerance",
      "Condition",
      "MedicationStatement",
      "Observation",
      "ImagingStudy",
      "Procedure",
      "ServiceRequest",
      "RiskAssessment",
    ]);
    expect((await readdir(folder)).sort()).toEqual(
      [...types.map((type: string) => `${type}.ndjson`), "manifest.json"].sort(),
    );

    const db = getDb();
    const expected: Record<string, number> = {
      Patient: 4,
      Condition: await db.painDiagnosis.count(),
      ImagingStudy: await db.imagingStudy.count(),
      ServiceRequest: await db.referral.count(),
      RiskAssessment: await db.evaluation.count({ where: { current: true } }),
    };
    for (const entry of manifest.output as Array<{ type: string; url: string; count: number }>) {
      const file = path.join(folder, `${entry.type}.ndjson`);
      expect(entry.url).toBe(pathToFileURL(file).href);
      const lines = (await readFile(file, "utf8")).split("\n");
      expect(lines.pop()).toBe("");
      expect(lines).toHaveLength(entry.count);
      if (entry.type in expected) expect(entry.count, entry.type).toBe(expected[entry.type]);
      const resources = lines.map((line) => JSON.parse(line) as Resource);
      expect(resources.every((resource) => resource.resourceType === entry.type)).toBe(true);
      expect(resources.flatMap((resource) => validationErrors(resource))).toEqual([]);
      if (entry.type === "Patient") {
        expect(resources.map((resource) => resource.id).sort()).toEqual([...patientIds].sort());
      }
    }

    const audits = await db.auditEvent.findMany({ where: { action: "fhir.bulk_export" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      userId: physician.id,
      userRole: "PHYSICIAN",
      clientAddress: "command line",
      outcome: "success",
      detail: { patients: 4, scope: "all", folder },
    });
  });

  it("refuses a folder that already holds files, and writes nothing", async () => {
    const folder = await mkdtemp(path.join(tmpdir(), "painpath-fhir-"));
    await writeFile(path.join(folder, "Patient.ndjson"), "stale\n");
    const before = await getDb().auditEvent.count({ where: { action: "fhir.bulk_export" } });
    const { code, output } = await exportCommand(["--out", folder, "--as", physician.email]);
    expect(code).toBe(2);
    expect(output).toContain("is not empty");
    expect(await readdir(folder)).toEqual(["Patient.ndjson"]);
    expect(await getDb().auditEvent.count({ where: { action: "fhir.bulk_export" } })).toBe(before);
  });

  it("refuses an administrator with an audited denial, and writes nothing", async () => {
    const admin = await createUser("ADMIN");
    const folder = await mkdtemp(path.join(tmpdir(), "painpath-fhir-"));
    const before = await getDb().auditEvent.count({ where: { action: "fhir.bulk_export" } });
    const { code, output } = await exportCommand(["--out", folder, "--as", admin.email]);
    expect(code).toBe(2);
    expect(output).toContain("is not an active physician or nurse");
    expect(await readdir(folder)).toEqual([]);
    expect(await getDb().auditEvent.findMany({ where: { userId: admin.id } })).toMatchObject([
      { action: "access.denied", outcome: "denied", detail: { command: "export:fhir", reason: "role" } },
    ]);
    expect(await getDb().auditEvent.count({ where: { action: "fhir.bulk_export" } })).toBe(before);
  });
});
