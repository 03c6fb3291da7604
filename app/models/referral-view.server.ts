import { toIsoDate } from "~/domain/iso-date";
import { getDb } from "~/server/db.server";
import { expandStoredEvaluation } from "./rule-set.server";

/** A referral with its diagnosis and the evaluation it was made from (if any). */
export async function loadReferral(patientId: string, referralId: string) {
  const referral = await getDb().referral.findFirst({ where: { id: referralId, patientId } });
  if (!referral) return null;
  const [diagnosis, evaluation, author] = await Promise.all([
    getDb().painDiagnosis.findUniqueOrThrow({
      where: { id: referral.diagnosisId },
      select: { id: true, icd10Code: true, label: true, bodyRegion: true },
    }),
    referral.evaluationId
      ? getDb().evaluation.findUnique({
          where: { id: referral.evaluationId },
          select: { ruleSetVersion: true, evaluatedAt: true, result: true },
        })
      : null,
    getDb().user.findUniqueOrThrow({ where: { id: referral.createdById }, select: { name: true } }),
  ]);
  return {
    referral: {
      ...referral,
      createdOn: toIsoDate(referral.createdAt),
      scheduledFor: referral.scheduledFor && toIsoDate(referral.scheduledFor),
      procedureDate: referral.procedureDate && toIsoDate(referral.procedureDate),
      createdAt: referral.createdAt.toISOString(),
      updatedAt: referral.updatedAt.toISOString(),
    },
    author: author.name,
    diagnosis,
    evaluation: evaluation && {
      ruleSetVersion: evaluation.ruleSetVersion,
      evaluatedAt: evaluation.evaluatedAt.toISOString(),
      result: await expandStoredEvaluation(evaluation.result),
    },
  };
}
