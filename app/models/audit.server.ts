import type { AppLoadContext } from "@remix-run/node";
import type { Prisma } from "~/generated/prisma/client";
import type { Role } from "~/domain/roles";
import { sql } from "kysely";
import { getDb, type Tx } from "~/server/db.server";
import { firstRow, qb } from "~/server/query-builder.server";

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
  // Plain SQL: one INSERT on every request, which the ORM would compile and interpret each time.
  // No "at": the database stamps the time (migration 20261206103330_audit_chain).
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" (action, outcome, "userId", "userRole", "entityType", "entityId", "patientId",
                              "clientAddress", "requestId", detail)
    VALUES (${entry.action}, ${entry.outcome ?? "success"}, ${entry.actor?.id ?? null}::uuid,
            ${entry.actor?.role ?? null}::"Role", ${entry.entityType ?? null}, ${entry.entityId ?? null},
            ${entry.patientId ?? null}::uuid, ${context.clientAddress}, ${context.requestId},
            ${entry.detail === undefined ? null : JSON.stringify(entry.detail)}::jsonb)`;
}

/**
 * A request named a record under a patient it does not belong to (or one that does not exist):
 * refused, and kept as a denied access, since it may be a probe for other patients' records.
 */
export function recordForeignRecordDenied(
  context: AppLoadContext,
  request: Request,
  refused: { actor: AuditActor; patientId: string; entityType: string; entityId?: string },
) {
  return recordAudit(context, {
    action: "access.denied",
    actor: refused.actor,
    outcome: "denied",
    patientId: refused.patientId,
    entityType: refused.entityType,
    entityId: refused.entityId,
    detail: { path: new URL(request.url).pathname, method: request.method, reason: "not-this-patients-record" },
  });
}

/** Failed sign-ins to the user's account since their last successful one (or ever, before the first). */
export async function countFailedSignInsSinceLastSignIn(userId: string): Promise<number> {
  const lastSignIn = qb
    .selectFrom("AuditEvent as s")
    .select((eb) => eb.fn.max("s.at").as("at"))
    .where("s.userId", "=", userId)
    .where("s.action", "=", sql.lit("auth.sign_in"));
  const row = await firstRow(
    getDb(),
    qb
      .selectFrom("AuditEvent as e")
      .select(sql<number>`count(*)::int`.as("failed"))
      .where("e.userId", "=", userId)
      .where("e.action", "=", sql.lit("auth.sign_in_failed"))
      .where("e.at", ">", (eb) => eb.fn.coalesce(lastSignIn, sql<Date>`'-infinity'`)),
  );
  return row?.failed ?? 0;
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
