import type { AppLoadContext } from "@remix-run/node";
import type { CodeDecision } from "~/domain/fhir";
import type { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/server/db.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { ConcurrentEditError } from "./record-revision.server";

/** The review list: open codes first (most frequent first), then decided ones. */
export function listCodeReviews(status: "OPEN" | "DECIDED", take = 200) {
  return getDb().importCodeReview.findMany({
    where: status === "OPEN" ? { status: "OPEN" } : { status: { in: ["MAPPED", "IGNORED"] } },
    orderBy: status === "OPEN" ? [{ occurrences: "desc" }, { code: "asc" }] : [{ decidedAt: "desc" }],
    take,
    select: {
      id: true,
      kind: true,
      system: true,
      code: true,
      display: true,
      occurrences: true,
      status: true,
      decision: true,
      decidedAt: true,
      version: true,
    },
  });
}

/** Records a decision on one code for every later import; a stale version is refused. */
export async function decideCodeReview(
  input: { id: string; version: number; decision: CodeDecision },
  actor: AuditActor,
  context: AppLoadContext,
) {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.importCodeReview.updateMany({
      where: { id: input.id, version: input.version },
      data: {
        status: input.decision.action === "ignore" ? "IGNORED" : "MAPPED",
        decision: input.decision as unknown as Prisma.InputJsonValue,
        decidedById: actor.id,
        decidedAt: new Date(),
        version: { increment: 1 },
      },
    });
    if (count === 0) {
      const current = await tx.importCodeReview.findUnique({ where: { id: input.id } });
      throw new ConcurrentEditError((current ?? {}) as Record<string, unknown>);
    }
    await recordAudit(
      context,
      {
        action: "fhir_import.code_decision",
        actor,
        entityType: "ImportCodeReview",
        entityId: input.id,
        detail: { action: input.decision.action },
      },
      tx,
    );
  });
}

export function listOpenConflicts(take = 200) {
  return getDb().importConflict.findMany({
    where: { status: "OPEN" },
    orderBy: { createdAt: "asc" },
    take,
    select: { id: true, patientId: true, entityType: true, entityId: true, sourceResource: true, createdAt: true },
  });
}
