import { sql } from "kysely";
import { jsonBuildObject } from "kysely/helpers/postgres";
import { getDb } from "~/server/db.server";
import { prepared, qb, rows as runQuery } from "~/server/query-builder.server";
import { isoTimestamp, jsonAgg, listOrEmpty, utcDay } from "./sql-json.server";
import { expandStoredEvaluation } from "./rule-set.server";

/** The current evaluation of one of the patient's diagnoses, expanded; null when there is none. */
export async function loadCurrentEvaluation(patientId: string, diagnosisId: string) {
  const evaluation = await getDb().evaluation.findFirst({
    where: { patientId, diagnosisId, current: true },
    select: { result: true },
  });
  return evaluation ? expandStoredEvaluation(evaluation.result) : null;
}

// Compiled once: the patient page runs it at every view (prepared() says why).
const referralStateQuery = prepared((patientId: string) =>
  qb.selectNoFrom((eb) =>
    jsonBuildObject({
      evaluations: listOrEmpty(
        eb
          .selectFrom("Evaluation as e")
          .select((eb) =>
            jsonAgg(
              jsonBuildObject({
                id: eb.ref("e.id"),
                diagnosisId: eb.ref("e.diagnosisId"),
                ruleSetVersion: eb.ref("e.ruleSetVersion"),
                evaluatedAt: isoTimestamp(eb.ref("e.evaluatedAt")),
                result: eb.ref("e.result"),
              }),
            ).as("list"),
          )
          .where("e.patientId", "=", patientId)
          .where("e.current", "=", sql.lit(true)),
      ),
      flags: listOrEmpty(
        eb
          .selectFrom("Flag as f")
          .select((eb) =>
            jsonAgg(
              jsonBuildObject({
                id: eb.ref("f.id"),
                diagnosisId: eb.ref("f.diagnosisId"),
                status: eb.ref("f.status"),
                urgent: eb.ref("f.urgent"),
                summary: eb.ref("f.summary"),
                version: eb.ref("f.version"),
                waitingSince: utcDay(eb.ref("f.waitingSince")),
                snoozedUntil: eb.ref("f.snoozedUntil"),
                dismissReason: eb.ref("f.dismissReason"),
                /** The latest five, newest first. */
                events: listOrEmpty(
                  eb
                    .selectFrom((eb) =>
                      eb
                        .selectFrom("FlagEvent as x")
                        .selectAll()
                        .whereRef("x.flagId", "=", "f.id")
                        .orderBy("x.at", "desc")
                        .orderBy("x.id", "desc")
                        .limit(5)
                        .as("v"),
                    )
                    .select((eb) =>
                      jsonAgg(
                        jsonBuildObject({
                          toStatus: eb.ref("v.toStatus"),
                          at: isoTimestamp(eb.ref("v.at")),
                          reason: eb.ref("v.reason"),
                          note: eb.ref("v.note"),
                        }),
                        [sql`${eb.ref("v.at")} DESC`, sql`${eb.ref("v.id")} DESC`],
                      ).as("list"),
                    ),
                ),
              }),
            ).as("list"),
          )
          .where("f.patientId", "=", patientId),
      ),
      referrals: listOrEmpty(
        eb
          .selectFrom("Referral as r")
          .select((eb) =>
            jsonAgg(
              jsonBuildObject({
                id: eb.ref("r.id"),
                version: eb.ref("r.version"),
                diagnosisId: eb.ref("r.diagnosisId"),
                procedure: eb.ref("r.procedure"),
                receivingClinic: eb.ref("r.receivingClinic"),
                urgency: eb.ref("r.urgency"),
                status: eb.ref("r.status"),
                conservativeCareContinues: eb.ref("r.conservativeCareContinues"),
                createdOn: utcDay(eb.ref("r.createdAt")),
                scheduledFor: eb.ref("r.scheduledFor"),
                procedureDate: eb.ref("r.procedureDate"),
                reliefPercent: eb.ref("r.reliefPercent"),
                reliefDurationDays: eb.ref("r.reliefDurationDays"),
                cancelReason: eb.ref("r.cancelReason"),
              }),
              [sql`${eb.ref("r.createdAt")} DESC`, eb.ref("r.id")],
            ).as("list"),
          )
          .where("r.patientId", "=", patientId),
      ),
    }).as("state"),
  ),
);

/** The current evaluations, flags and referrals of one patient, for the patient page, in one statement. */
export async function loadReferralState(patientId: string) {
  // A select without FROM returns exactly one row.
  const { state } = (await runQuery(getDb(), referralStateQuery(patientId)))[0]!;
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
