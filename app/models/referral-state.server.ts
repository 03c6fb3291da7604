import type { IsoDate } from "~/domain/iso-date";
import type {
  DismissReason,
  FlagStatus,
  ProcedureType,
  ReferralStatus,
  ReferralUrgency,
} from "~/generated/prisma/enums";
import { getDb } from "~/server/db.server";
import { isoTimestamp, utcDay } from "./sql-json.server";
import { expandStoredEvaluation } from "./rule-set.server";

/** The current evaluation of one of the patient's diagnoses, expanded; null when there is none. */
export async function loadCurrentEvaluation(patientId: string, diagnosisId: string) {
  const evaluation = await getDb().evaluation.findFirst({
    where: { patientId, diagnosisId, current: true },
    select: { result: true },
  });
  return evaluation ? expandStoredEvaluation(evaluation.result) : null;
}

interface ReferralStateRow {
  evaluations: Array<{
    id: string;
    diagnosisId: string;
    ruleSetVersion: string;
    evaluatedAt: string;
    result: unknown;
  }>;
  flags: Array<{
    id: string;
    diagnosisId: string;
    status: FlagStatus;
    urgent: boolean;
    summary: string;
    version: number;
    waitingSince: IsoDate;
    snoozedUntil: IsoDate | null;
    dismissReason: DismissReason | null;
    /** The latest five, newest first. */
    events: Array<{ toStatus: FlagStatus; at: string; reason: string | null; note: string | null }>;
  }>;
  referrals: Array<{
    id: string;
    version: number;
    diagnosisId: string;
    procedure: ProcedureType;
    receivingClinic: string;
    urgency: ReferralUrgency;
    status: ReferralStatus;
    conservativeCareContinues: boolean;
    createdOn: IsoDate;
    scheduledFor: IsoDate | null;
    procedureDate: IsoDate | null;
    reliefPercent: number | null;
    reliefDurationDays: number | null;
    cancelReason: string | null;
  }>;
}

/** The current evaluations, flags and referrals of one patient, for the patient page, in one statement. */
export async function loadReferralState(patientId: string) {
  const [{ state }] = await getDb().$queryRaw<[{ state: ReferralStateRow }]>`
    SELECT json_build_object(
      'evaluations', COALESCE((
        SELECT json_agg(json_build_object(
                 'id', e.id, 'diagnosisId', e."diagnosisId", 'ruleSetVersion', e."ruleSetVersion",
                 'evaluatedAt', ${isoTimestamp('e."evaluatedAt"')},
                 'result', e.result))
          FROM "Evaluation" e WHERE e."patientId" = ${patientId}::uuid AND e.current), '[]'),
      'flags', COALESCE((
        SELECT json_agg(json_build_object(
                 'id', f.id, 'diagnosisId', f."diagnosisId", 'status', f.status, 'urgent', f.urgent,
                 'summary', f.summary, 'version', f.version, 'waitingSince', ${utcDay('f."waitingSince"')},
                 'snoozedUntil', f."snoozedUntil", 'dismissReason', f."dismissReason",
                 'events', COALESCE((
                   SELECT json_agg(json_build_object('toStatus', v."toStatus", 'at', ${isoTimestamp("v.at")},
                                                     'reason', v.reason, 'note', v.note) ORDER BY v.at DESC, v.id DESC)
                     FROM (SELECT * FROM "FlagEvent" x WHERE x."flagId" = f.id ORDER BY x.at DESC, x.id DESC LIMIT 5) v),
                   '[]')))
          FROM "Flag" f WHERE f."patientId" = ${patientId}::uuid), '[]'),
      'referrals', COALESCE((
        SELECT json_agg(json_build_object(
                 'id', r.id, 'version', r.version, 'diagnosisId', r."diagnosisId", 'procedure', r.procedure,
                 'receivingClinic', r."receivingClinic", 'urgency', r.urgency, 'status', r.status,
                 'conservativeCareContinues', r."conservativeCareContinues", 'createdOn', ${utcDay('r."createdAt"')},
                 'scheduledFor', r."scheduledFor", 'procedureDate', r."procedureDate",
                 'reliefPercent', r."reliefPercent", 'reliefDurationDays', r."reliefDurationDays",
                 'cancelReason', r."cancelReason") ORDER BY r."createdAt" DESC, r.id)
          FROM "Referral" r WHERE r."patientId" = ${patientId}::uuid), '[]')
    ) AS state`;
  return {
    evaluations: await Promise.all(
      state.evaluations.map(async (evaluation) => ({
        ...evaluation,
        result: await expandStoredEvaluation(evaluation.result),
      })),
    ),
    flags: state.flags,
    referrals: state.referrals,
  };
}

export type ReferralState = Awaited<ReturnType<typeof loadReferralState>>;
