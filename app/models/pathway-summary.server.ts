import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "~/server/db.server";

/**
 * The one statement that derives a patient's pathway summary from the record itself, for the
 * patients `scope` selects (a condition on "Patient" pt). Both refreshes below run it, so the
 * per-write and the bulk path cannot drift apart.
 *
 * lastAssessedOn: the latest assessment not entered in error.
 * followUpAnchor: while a therapy is active (and not entered in error), the later of the last valid
 * assessment and the earliest active therapy's start; null otherwise. The patient is due for
 * follow-up when it is older than the follow-up interval.
 *
 * Rows whose values already match are left alone, so a refresh that changes nothing writes nothing.
 */
function refreshSummaries(scope: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    UPDATE "Patient" p
       SET "lastAssessedOn" = summary.last_assessed,
           "followUpAnchor" = summary.follow_up_anchor
      FROM (
        SELECT facts.id, facts.last_assessed,
               CASE WHEN facts.first_active_start IS NULL THEN NULL
                    ELSE GREATEST(facts.last_assessed, facts.first_active_start) END AS follow_up_anchor
          FROM (
            SELECT pt.id,
                   (SELECT max(a."assessedOn") FROM "OutcomeAssessment" a
                     WHERE a."patientId" = pt.id AND a."enteredInErrorAt" IS NULL) AS last_assessed,
                   (SELECT min(t."startDate") FROM "TherapyTrial" t
                     WHERE t."patientId" = pt.id AND t.status = 'ACTIVE' AND t."enteredInErrorAt" IS NULL
                   ) AS first_active_start
              FROM "Patient" pt
             WHERE ${scope}
          ) AS facts
      ) AS summary
     WHERE p.id = summary.id
       AND (p."lastAssessedOn", p."followUpAnchor") IS DISTINCT FROM (summary.last_assessed, summary.follow_up_anchor)`;
}

/**
 * Recomputes one patient's derived pathway fields. Call it in the same transaction as any write to
 * the patient's therapies or assessments, so lists that read these fields (follow-up due) never
 * disagree with the record.
 */
export async function refreshPathwaySummary(tx: Tx, patientId: string) {
  await tx.$executeRaw(refreshSummaries(Prisma.sql`pt.id = ${patientId}::uuid`));
}

/** The same for several patients in one statement (a batch of imported patients). */
export async function refreshPathwaySummaries(tx: Tx, patientIds: string[]) {
  await tx.$executeRaw(refreshSummaries(Prisma.sql`pt.id = ANY(${patientIds}::uuid[])`));
}

/**
 * Recomputes every patient's derived fields in one set-based statement: after a bulk load, or to
 * repair drift. Each patient costs two index probes ((patientId, assessedOn) and (patientId,
 * startDate)), so build those indexes first. Returns the number of patients whose fields changed.
 */
export function refreshAllPathwaySummaries(db: Tx): Promise<number> {
  return db.$executeRaw(refreshSummaries(Prisma.sql`TRUE`));
}
