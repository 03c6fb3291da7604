import type { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/server/db.server";

export type ClinicalEntity =
  | "Patient"
  | "PainDiagnosis"
  | "TherapyTrial"
  | "OutcomeAssessment"
  | "ProcedureRecord"
  | "ImagingStudy"
  | "Referral"
  | "Flag";

export class RecordNotFoundError extends Error {
  constructor(readonly entity: ClinicalEntity) {
    super(`${entity} not found`);
  }
}

/** Someone saved the record after this user opened it; `current` is what is stored now. */
export class ConcurrentEditError extends Error {
  constructor(readonly current: Record<string, unknown>) {
    super("The record changed since it was opened");
  }
}

interface Versioned {
  id: string;
  version: number;
}

/**
 * Optimistic concurrency plus history for every correction: refuses a stale version, keeps the
 * values as they were in RecordRevision (who, when, why), then applies `update`, which must
 * update only where id and version still match and increment the version.
 */
export async function reviseRecord<T extends Versioned>(
  tx: Tx,
  options: {
    entity: ClinicalEntity;
    current: T | null;
    expectedVersion: number;
    patientId: string;
    actorId: string;
    reason?: string | null;
    update: (where: { id: string; version: number }) => Promise<{ count: number }>;
  },
) {
  const { current, entity } = options;
  if (!current) throw new RecordNotFoundError(entity);
  if (current.version !== options.expectedVersion) throw new ConcurrentEditError(current as Record<string, unknown>);
  await tx.recordRevision.create({
    data: {
      entityType: entity,
      entityId: current.id,
      patientId: options.patientId,
      version: current.version,
      changedById: options.actorId,
      reason: options.reason ?? null,
      snapshot: JSON.parse(JSON.stringify(current)) as Prisma.InputJsonValue,
    },
  });
  const { count } = await options.update({ id: current.id, version: options.expectedVersion });
  // Another transaction won the race between our read and our write.
  if (count === 0) throw new ConcurrentEditError(current as Record<string, unknown>);
}

export function enteredInError(actorId: string, reason: string) {
  return { enteredInErrorAt: new Date(), enteredInErrorById: actorId, enteredInErrorReason: reason };
}
