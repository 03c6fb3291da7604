import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import type { Role } from "~/domain/roles";
import { getDb } from "~/server/db.server";
import { pendingTotpSecret } from "~/models/mfa.server";
import { hashPassword } from "~/server/password.server";

export const TEST_PASSWORD = "lantern-quiet-orchard-river-42";

/** A request context like the HTTP server builds for each request. */
export function makeContext(clientAddress = "203.0.113.7"): AppLoadContext {
  return {
    requestId: randomUUID(),
    clientAddress,
    cspNonce: "test-nonce",
    state: {},
  };
}

let cachedHash: Promise<string> | undefined;

export async function createUser(role: Role, overrides: { active?: boolean; email?: string; name?: string } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  return getDb().user.create({
    data: {
      email: overrides.email ?? `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@clinic.test`,
      name: overrides.name ?? `Test ${role.toLowerCase()}`,
      role,
      active: overrides.active ?? true,
      passwordHash: await cachedHash,
    },
  });
}

export function auditEvents(where: { action?: string; userId?: string } = {}) {
  return getDb().auditEvent.findMany({ where, orderBy: { id: "asc" } });
}

/** A patient with one diagnosis and one active opioid trial, created directly in the database. */
export async function createPatient(
  physicianId: string,
  overrides: { familyName?: string; givenName?: string; mrn?: string; nonDrugCareFailed?: boolean } = {},
) {
  const db = getDb();
  const patient = await db.patient.create({
    data: {
      mrn: overrides.mrn ?? `T-${randomUUID().slice(0, 8)}`,
      givenName: overrides.givenName ?? "Alex",
      familyName: overrides.familyName ?? "Testpatient",
      birthDate: new Date("1970-05-04T00:00:00Z"),
      sex: "FEMALE",
      assignedPhysicianId: physicianId,
      createdById: physicianId,
    },
  });
  const diagnosis = await db.painDiagnosis.create({
    data: {
      patientId: patient.id,
      icd10Code: "M54.16",
      label: "Radiculopathy, lumbar region",
      bodyRegion: "LUMBAR",
      painType: "RADICULAR",
      onsetDate: new Date("2024-01-10T00:00:00Z"),
      createdById: physicianId,
    },
  });
  const therapy = await db.therapyTrial.create({
    data: {
      patientId: patient.id,
      diagnosisId: diagnosis.id,
      modality: "OPIOID",
      startDate: new Date("2024-03-01T00:00:00Z"),
      drug: "oxycodone",
      dose: 10,
      doseUnit: "mg",
      frequency: "twice-daily",
      route: "oral",
      createdById: physicianId,
    },
  });
  // A failed course of physical therapy, scored before and during it: limited function alone can
  // then raise a flag (non-drug care comes first, ACP 2017).
  if (overrides.nonDrugCareFailed) {
    await db.therapyTrial.create({
      data: {
        patientId: patient.id,
        diagnosisId: diagnosis.id,
        modality: "PHYSICAL_THERAPY",
        startDate: new Date("2024-04-01T00:00:00Z"),
        endDate: new Date("2024-06-01T00:00:00Z"),
        status: "STOPPED",
        stopReason: "INEFFECTIVE",
        sessionsPlanned: 8,
        sessionsAttended: 8,
        createdById: physicianId,
      },
    });
    for (const day of ["2024-03-25", "2024-05-15"]) {
      await db.outcomeAssessment.create({
        data: {
          patientId: patient.id,
          assessedOn: new Date(`${day}T00:00:00Z`),
          painNow: 6,
          painAverage: 6,
          painWorst: 7,
          pegPain: 6,
          pegEnjoyment: 6,
          pegActivity: 6,
          pegScore: 6,
          limitation: "MODERATE",
          recordedById: physicianId,
        },
      });
    }
  }
  return { patient, diagnosis, therapy };
}

/** Enrols a confirmed authenticator app for the user, as the enrolment page would; returns its secret. */
export async function enrolTotp(userId: string): Promise<string> {
  const secret = await pendingTotpSecret(userId);
  if (!secret) throw new Error("The user already has an authenticator app");
  await getDb().totpFactor.update({ where: { userId }, data: { confirmedAt: new Date() } });
  return secret;
}
