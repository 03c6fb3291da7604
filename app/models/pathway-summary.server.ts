import type { Tx } from "~/server/db.server";

/**
 * Recomputes a patient's derived pathway fields from the record itself. Call it in the same
 * transaction as any write to the patient's therapies or assessments, so lists that read these
 * fields (follow-up due) never disagree with the record.
 *
 * followUpAnchor: while a therapy is active, the later of the last valid assessment and the
 * earliest active therapy's start; the patient is due when it is older than the follow-up interval.
 */
export async function refreshPathwaySummary(tx: Tx, patientId: string) {
  await tx.$executeRaw`
    UPDATE "Patient" p
       SET "lastAssessedOn" = summary.last_assessed,
           "followUpAnchor" = CASE WHEN summary.first_active_start IS NULL THEN NULL
                                   ELSE GREATEST(summary.last_assessed, summary.first_active_start) END
      FROM (
        SELECT
          (SELECT max(a."assessedOn") FROM "OutcomeAssessment" a
            WHERE a."patientId" = ${patientId}::uuid AND a."enteredInErrorAt" IS NULL) AS last_assessed,
          (SELECT min(t."startDate") FROM "TherapyTrial" t
            WHERE t."patientId" = ${patientId}::uuid AND t.status = 'ACTIVE' AND t."enteredInErrorAt" IS NULL) AS first_active_start
      ) AS summary
     WHERE p.id = ${patientId}::uuid`;
}
