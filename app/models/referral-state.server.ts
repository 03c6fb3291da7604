import { toIsoDate } from "~/domain/iso-date";
import { getDb } from "~/server/db.server";
import { expandStoredEvaluation } from "./rule-set.server";

/** The current evaluation of one of the patient's diagnoses, expanded; null when there is none. */
export async function loadCurrentEvaluation(patientId: string, diagnosisId: string) {
  const evaluation = await getDb().evaluation.findFirst({
    where: { patientId, diagnosisId, current: true },
    select: { result: true },
  });
  return evaluation ? expandStoredEvaluation(evaluation.result) : null;
}

/** The current evaluations, flags and referrals of one patient, for the patient page. */
export async function loadReferralState(patientId: string) {
  const db = getDb();
  const [evaluations, flags, referrals] = await Promise.all([
    db.evaluation.findMany({
      where: { patientId, current: true },
      select: { id: true, diagnosisId: true, ruleSetVersion: true, evaluatedAt: true, confirmedAt: true, result: true },
    }),
    db.flag.findMany({
      where: { patientId },
      select: {
        id: true,
        diagnosisId: true,
        status: true,
        urgent: true,
        summary: true,
        version: true,
        waitingSince: true,
        snoozedUntil: true,
        dismissReason: true,
        events: { orderBy: { at: "desc" }, take: 5, select: { toStatus: true, at: true, reason: true, note: true } },
      },
    }),
    db.referral.findMany({ where: { patientId }, orderBy: { createdAt: "desc" } }),
  ]);
  return {
    evaluations: await Promise.all(
      evaluations.map(async (evaluation) => ({
        ...evaluation,
        evaluatedAt: evaluation.evaluatedAt.toISOString(),
        confirmedAt: evaluation.confirmedAt.toISOString(),
        result: await expandStoredEvaluation(evaluation.result),
      })),
    ),
    flags: flags.map((flag) => ({
      ...flag,
      waitingSince: toIsoDate(flag.waitingSince),
      snoozedUntil: flag.snoozedUntil && toIsoDate(flag.snoozedUntil),
      events: flag.events.map((event) => ({ ...event, at: event.at.toISOString() })),
    })),
    referrals: referrals.map((referral) => ({
      id: referral.id,
      version: referral.version,
      diagnosisId: referral.diagnosisId,
      procedure: referral.procedure,
      receivingClinic: referral.receivingClinic,
      urgency: referral.urgency,
      status: referral.status,
      conservativeCareContinues: referral.conservativeCareContinues,
      createdOn: toIsoDate(referral.createdAt),
      scheduledFor: referral.scheduledFor && toIsoDate(referral.scheduledFor),
      procedureDate: referral.procedureDate && toIsoDate(referral.procedureDate),
      reliefPercent: referral.reliefPercent,
      reliefDurationDays: referral.reliefDurationDays,
      cancelReason: referral.cancelReason,
    })),
  };
}

export type ReferralState = Awaited<ReturnType<typeof loadReferralState>>;
