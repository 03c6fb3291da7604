import { randomUUID } from "node:crypto";
import type { Bundle, Resource } from "@medplum/fhirtypes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader } from "~/routes/fhir.Patient.$patientId.[$everything]";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser } from "../helpers/fixtures";
import { validationErrors } from "../helpers/fhir-validation";
import { getPage } from "../helpers/http";
import { referredPatientWithCautions } from "../helpers/packet-patient";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let physicianId: string;
let referred: Awaited<ReturnType<typeof referredPatientWithCautions>>;
let procedureId: string;

/** The flagged, referred packet patient, plus a procedure done for the referral and an assessment in error. */
beforeAll(async () => {
  server = await startTestServer();
  physicianId = (await createUser("PHYSICIAN", { name: "Dr Export" })).id;
  referred = await referredPatientWithCautions(physicianId, "Exportson");
  const db = getDb();
  const { patient, diagnosis, referral } = referred;
  const procedure = await db.procedureRecord.create({
    data: {
      patientId: patient.id,
      diagnosisId: diagnosis.id,
      type: "EPIDURAL_STEROID_INJECTION",
      region: "LUMBAR",
      level: "L5-S1",
      approach: "INTERLAMINAR",
      performedOn: new Date("2024-09-01T00:00:00Z"),
      scaleName: "NRS",
      painBefore: 8,
      painAfter: 4,
      reliefPercent: 50,
      reliefDurationDays: 60,
      createdById: physicianId,
    },
  });
  procedureId = procedure.id;
  await db.referral.update({ where: { id: referral.id }, data: { procedureRecordId: procedure.id } });
  await db.outcomeAssessment.create({
    data: {
      patientId: patient.id,
      assessedOn: new Date("2024-08-01T00:00:00Z"),
      painNow: 9,
      painAverage: 9,
      painWorst: 9,
      pegPain: 9,
      pegEnjoyment: 9,
      pegActivity: 9,
      pegScore: 9,
      odiPercent: 52,
      ndiPercent: 20,
      limitation: "SEVERE",
      recordedById: physicianId,
      enteredInErrorAt: new Date(),
      enteredInErrorById: physicianId,
      enteredInErrorReason: "Recorded on the wrong patient",
    },
  });
});
afterAll(async () => {
  await server.close();
});

async function everything(patientId: string, cookie?: string, path = `/fhir/Patient/${patientId}/$everything`) {
  return (await callRoute(loader, { path, params: { patientId }, cookie })) as Response;
}

describe("GET /fhir/Patient/{id}/$everything", () => {
  it("answers a physician with a valid searchset Bundle of the whole pathway, and audits it", async () => {
    const { patient, diagnosis, referral } = referred;
    const response = await everything(patient.id, await sessionCookie(physicianId));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/fhir\+json/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const bundle = (await response.json()) as Bundle;
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "searchset", total: 1 });
    const resources = (bundle.entry ?? []).map((entry) => entry.resource as Resource);
    expect(validationErrors(bundle)).toEqual([]);
    expect(resources.flatMap((resource) => validationErrors(resource))).toEqual([]);

    const types = new Set(resources.map((resource) => resource.resourceType));
    for (const type of [
      "Patient",
      "Condition",
      "MedicationStatement",
      "Observation",
      "Procedure",
      "ServiceRequest",
      "AllergyIntolerance",
      "RiskAssessment",
    ]) {
      expect(types, type).toContain(type);
    }
    const find = <T extends Resource>(type: T["resourceType"], id: string) =>
      resources.find((resource) => resource.resourceType === type && resource.id === id) as T | undefined;
    expect(find("Patient", patient.id)).toMatchObject({ identifier: [{ value: patient.mrn }] });
    expect(find("Condition", diagnosis.id)).toMatchObject({ code: { coding: [{ code: "M54.16" }] } });
    expect(find("ServiceRequest", referral.id)).toMatchObject({ status: "active", intent: "order" });
    expect(find("Procedure", procedureId)).toMatchObject({
      status: "completed",
      basedOn: [{ reference: `ServiceRequest/${referral.id}` }],
    });
    const painScores = resources.filter(
      (resource) => resource.resourceType === "Observation" && resource.code.coding?.[0]?.code === "72514-3",
    );
    expect(painScores.map((score) => score.resourceType === "Observation" && score.status).sort()).toEqual([
      "entered-in-error",
      "final",
      "final",
      "final",
    ]);
    const risk = resources.find((resource) => resource.resourceType === "RiskAssessment");
    expect(risk).toMatchObject({ condition: { reference: `Condition/${diagnosis.id}` } });
    expect(bundle.entry?.every((entry) => entry.fullUrl?.startsWith("http://painpath.test/fhir/"))).toBe(true);

    const [audit] = (await auditEvents({ action: "patient.fhir_export" })).filter(
      (event) => event.patientId === patient.id,
    );
    expect(audit).toMatchObject({
      userId: physicianId,
      userRole: "PHYSICIAN",
      outcome: "success",
      entityType: "Patient",
      entityId: patient.id,
      detail: { resources: resources.length },
    });
  });

  it("lets a nurse export, refuses an administrator with an audited denial, and sends strangers to sign in", async () => {
    const { patient } = referred;
    const nurse = await createUser("NURSE");
    expect((await everything(patient.id, await sessionCookie(nurse.id))).status).toBe(200);

    const admin = await createUser("ADMIN");
    const before = (await auditEvents({ action: "patient.fhir_export" })).length;
    const refused = await everything(patient.id, await sessionCookie(admin.id));
    expect(refused.status).toBe(403);
    expect(await auditEvents({ action: "access.denied", userId: admin.id })).toHaveLength(1);
    expect(await auditEvents({ action: "patient.fhir_export" })).toHaveLength(before);

    const anonymous = await everything(patient.id);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/sign-in\?/);
  });

  it("answers an unknown patient with a FHIR 404, and audits nothing", async () => {
    const before = (await auditEvents({ action: "patient.fhir_export" })).length;
    const response = await everything(randomUUID(), await sessionCookie(physicianId));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ resourceType: "OperationOutcome" });
    expect(await auditEvents({ action: "patient.fhir_export" })).toHaveLength(before);
  });

  it("serves the download from the patient page's button through the real server", async () => {
    const { patient } = referred;
    const cookie = await sessionCookie(physicianId);
    const page = await (await getPage(server, `/patients/${patient.id}`, cookie)).text();
    const href = `/fhir/Patient/${patient.id}/$everything?download=1`;
    expect(page).toContain(`href="${href}"`);
    const response = await getPage(server, href, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/fhir\+json/);
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="painpath-patient-${patient.id}.fhir.json"`,
    );
    expect(((await response.json()) as Bundle).entry?.[0]?.resource).toMatchObject({ id: patient.id });
  });
});
