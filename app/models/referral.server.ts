import { canTakeFlagAction } from "~/domain/flag-lifecycle";
import { fromIsoDate } from "~/domain/iso-date";
import type { ReferralInput, ReferralUpdateInput } from "~/domain/referral-forms";
import type { ReferralStatus } from "~/generated/prisma/enums";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/server/db.server";
import { recordAudit } from "./audit.server";
import { ForeignRecordError, patientTransaction, type PatientWrite } from "./pathway.server";
import { RecordNotFoundError, reviseRecord } from "./record-revision.server";

export class ReferralTransitionError extends Error {}

/** From a flag (which then becomes "referred") or directly by a physician. */
export function createReferral(input: ReferralInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    const diagnosis = await tx.painDiagnosis.findFirst({
      where: { id: input.diagnosisId, patientId: write.patientId, enteredInErrorAt: null },
      select: { id: true },
    });
    if (!diagnosis) throw new ForeignRecordError("PainDiagnosis", "Choose one of this patient's diagnoses.");
    const flag = input.flagId
      ? await tx.flag.findFirst({ where: { id: input.flagId, diagnosisId: input.diagnosisId } })
      : await tx.flag.findUnique({ where: { diagnosisId: input.diagnosisId } });
    if (input.flagId && !flag) throw new ForeignRecordError("Flag", "That flag belongs to another diagnosis.");

    const referral = await tx.referral.create({
      data: {
        ...input,
        flagId: flag?.id ?? null,
        evaluationId: flag?.evaluationId ?? null,
        patientId: write.patientId,
        createdById: write.actor.id,
      },
      select: { id: true },
    });
    if (flag && canTakeFlagAction(flag.status, "refer", flag.urgent)) {
      await tx.flag.update({
        where: { id: flag.id },
        data: {
          status: "REFERRED",
          version: { increment: 1 },
          actedMetCriteria: flag.metCriteria,
          actedScores: flag.latestScores ?? Prisma.DbNull,
        },
      });
      await tx.flagEvent.create({
        data: {
          flagId: flag.id,
          fromStatus: flag.status,
          toStatus: "REFERRED",
          actorId: write.actor.id,
          reason: `Referral ${referral.id}`,
        },
      });
    }
    await recordAudit(
      write.context,
      {
        action: "referral.create",
        actor: write.actor,
        entityType: "Referral",
        entityId: referral.id,
        patientId: write.patientId,
        detail: { procedure: input.procedure },
      },
      tx,
    );
    return referral;
  });
}

const ALLOWED_FROM: Record<ReferralUpdateInput["action"], readonly ReferralStatus[]> = {
  schedule: ["PENDING", "SCHEDULED"],
  complete: ["PENDING", "SCHEDULED"],
  "record-result": ["COMPLETED"],
  cancel: ["PENDING", "SCHEDULED"],
};

/**
 * pending → scheduled → completed (procedure date, then relief) or cancelled. A completed
 * procedure joins the patient's procedure history, so the next evaluation uses it.
 */
export function updateReferral(referralId: string, input: ReferralUpdateInput, write: PatientWrite) {
  return patientTransaction(write.patientId, async (tx) => {
    const referral = await tx.referral.findFirst({ where: { id: referralId, patientId: write.patientId } });
    if (!referral) throw new RecordNotFoundError("Referral");
    // Every change keeps the referral as it was (RecordRevision): a reschedule or a corrected result too.
    await reviseRecord(tx, {
      entity: "Referral",
      current: referral,
      expectedVersion: input.version,
      patientId: write.patientId,
      actorId: write.actor.id,
      reason: input.action === "cancel" ? input.cancelReason : null,
      update: async (where) => {
        if (!ALLOWED_FROM[input.action].includes(referral.status)) {
          throw new ReferralTransitionError(`A ${referral.status.toLowerCase()} referral cannot be changed that way.`);
        }
        const data = await changesFor(tx, referral, input, write.actor.id);
        return tx.referral.updateMany({ where, data: { ...data, version: { increment: 1 } } });
      },
    });
    if (input.action === "complete" || input.action === "cancel")
      await closeReferralFlag(tx, referral.flagId, input.action, write.actor.id);
    await recordAudit(
      write.context,
      {
        action: `referral.${input.action}`,
        actor: write.actor,
        entityType: "Referral",
        entityId: referralId,
        patientId: write.patientId,
      },
      tx,
    );
  });
}

async function changesFor(
  tx: Tx,
  referral: {
    patientId: string;
    diagnosisId: string;
    procedure: ReferralInput["procedure"];
    procedureRecordId: string | null;
  },
  input: ReferralUpdateInput,
  actorId: string,
) {
  switch (input.action) {
    case "schedule":
      return { status: "SCHEDULED" as const, scheduledFor: fromIsoDate(input.scheduledFor) };
    case "cancel":
      return { status: "CANCELLED" as const, cancelReason: input.cancelReason };
    case "complete": {
      const diagnosis = await tx.painDiagnosis.findUniqueOrThrow({
        where: { id: referral.diagnosisId },
        select: { bodyRegion: true },
      });
      const procedure = await tx.procedureRecord.create({
        data: {
          patientId: referral.patientId,
          diagnosisId: referral.diagnosisId,
          type: referral.procedure,
          region: diagnosis.bodyRegion,
          performedOn: fromIsoDate(input.procedureDate),
          scaleName: "NRS 0–10",
          note: "Recorded from a completed PainPath referral.",
          createdById: actorId,
        },
        select: { id: true },
      });
      return {
        status: "COMPLETED" as const,
        procedureDate: fromIsoDate(input.procedureDate),
        procedureRecordId: procedure.id,
      };
    }
    case "record-result": {
      const relief = { reliefPercent: input.reliefPercent, reliefDurationDays: input.reliefDurationDays };
      // The procedure history follows, as a revision; a record since marked entered-in-error stays as it is.
      const procedure = referral.procedureRecordId
        ? await tx.procedureRecord.findFirst({ where: { id: referral.procedureRecordId, enteredInErrorAt: null } })
        : null;
      if (procedure) {
        await reviseRecord(tx, {
          entity: "ProcedureRecord",
          current: procedure,
          expectedVersion: procedure.version,
          patientId: referral.patientId,
          actorId,
          reason: "Result recorded on the referral.",
          update: (where) =>
            tx.procedureRecord.updateMany({
              where,
              data: {
                ...relief,
                // A score left blank keeps the one recorded before.
                painBefore: input.painBefore ?? procedure.painBefore,
                painAfter: input.painAfter ?? procedure.painAfter,
                version: { increment: 1 },
              },
            }),
        });
      }
      return relief;
    }
  }
}

/** The flag the referral answered is resolved; only new evidence raises it again. */
async function closeReferralFlag(tx: Tx, flagId: string | null, action: "complete" | "cancel", actorId: string) {
  if (!flagId) return;
  const flag = await tx.flag.findUnique({ where: { id: flagId } });
  if (!flag || flag.status !== "REFERRED") return;
  await tx.flag.update({
    where: { id: flagId },
    // A cancelled referral leaves the question open again: the next evaluation may re-raise the flag at once.
    data: {
      status: "RESOLVED",
      version: { increment: 1 },
      ...(action === "cancel" && { actedMetCriteria: [], actedScores: Prisma.DbNull }),
    },
  });
  await tx.flagEvent.create({
    data: {
      flagId,
      fromStatus: "REFERRED",
      toStatus: "RESOLVED",
      actorId,
      reason: action === "complete" ? "Referral completed" : "Referral cancelled",
    },
  });
}
