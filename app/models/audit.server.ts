import type { AppLoadContext } from "@remix-run/node";
import type { Prisma } from "~/generated/prisma/client";
import type { Role } from "~/domain/roles";
import { getDb, type Tx } from "~/server/db.server";

export interface AuditActor {
  id: string;
  role: Role;
}

export interface AuditEntry {
  action: string;
  actor?: AuditActor | null;
  outcome?: "success" | "denied" | "failure";
  entityType?: string;
  entityId?: string;
  patientId?: string;
  /** Never patient names or free text from forms: identifiers and reasons only. */
  detail?: Prisma.InputJsonValue;
}

/**
 * The one way to write the append-only audit trail. Pass the transaction that makes the change,
 * so the change and its audit row commit or fail together.
 */
export async function recordAudit(context: AppLoadContext, entry: AuditEntry, tx: Tx = getDb()) {
  // createMany: a plain INSERT, without reading the row back.
  await tx.auditEvent.createMany({
    data: {
      action: entry.action,
      outcome: entry.outcome ?? "success",
      userId: entry.actor?.id ?? null,
      userRole: entry.actor?.role ?? null,
      entityType: entry.entityType ?? null,
      entityId: entry.entityId ?? null,
      patientId: entry.patientId ?? null,
      clientAddress: context.clientAddress,
      requestId: context.requestId,
      detail: entry.detail,
    },
  });
}

/** A clinician opened something of one patient's record: the page, a form, the edit page. */
export function recordPatientView(
  context: AppLoadContext,
  actor: AuditActor,
  patientId: string,
  detail?: Prisma.InputJsonValue,
) {
  return recordAudit(context, {
    action: "patient.view",
    actor,
    entityType: "Patient",
    entityId: patientId,
    patientId,
    detail,
  });
}
