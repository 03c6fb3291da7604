import { toIsoDate, type IsoDate } from "~/domain/iso-date";
import { pathwayStage, type PathwayStage } from "~/domain/pathway-stage";
import type { FlagStatus, ReferralStatus } from "~/generated/prisma/enums";
import { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/server/db.server";
import { cappedCount } from "./capped-count.server";
import { utcDay } from "./sql-json.server";

export const NEEDS_DATA_PAGE_SIZE = 50;

/**
 * A physician's caseload runs to hundreds of pathways: every one is read (the stage counts need
 * them all, and stages are derived in code), but a page shows only this many.
 */
export const CASELOAD_PAGE_SIZE = 50;

/** Patients whose evaluation is blocked by missing data, each with what to record; oldest first. */
export async function listNeedsData(page: number) {
  const db = getDb();
  const [rows, count] = await Promise.all([
    db.$queryRaw<
      Array<{
        patientId: string;
        diagnosisId: string;
        mrn: string;
        givenName: string;
        familyName: string;
        diagnosis: string;
        missing: string[];
        evaluatedAt: Date;
      }>
    >`
      SELECT page."patientId", page."diagnosisId", page.mrn, page."givenName", page."familyName",
             d."icd10Code" || ' ' || d.label AS diagnosis,
             ARRAY(SELECT jsonb_array_elements_text(page.result -> 'missingData')) AS missing, page."evaluatedAt"
        -- The page is cut first, and only its rows are joined to their diagnosis and unpacked: the
        -- rows OFFSET skipped were too, and page 1,000 took 0.8 s.
        FROM (SELECT e.id, e."patientId", e."diagnosisId", e."evaluatedAt", e.result, p.mrn, p."givenName", p."familyName"
                FROM "Evaluation" e JOIN "Patient" p ON p.id = e."patientId"
               WHERE e.current AND e."needsData" AND p.status = 'ACTIVE'
               ORDER BY e."evaluatedAt", e.id
               LIMIT ${NEEDS_DATA_PAGE_SIZE} OFFSET ${(page - 1) * NEEDS_DATA_PAGE_SIZE}) page
        JOIN "PainDiagnosis" d ON d.id = page."diagnosisId"
       ORDER BY page."evaluatedAt", page.id`,
    cappedCount(
      db,
      Prisma.sql`FROM "Evaluation" e JOIN "Patient" p ON p.id = e."patientId"
                  WHERE e.current AND e."needsData" AND p.status = 'ACTIVE'`,
    ),
  ]);
  return { rows, ...count };
}

export interface CaseloadRow {
  patientId: string;
  diagnosisId: string;
  mrn: string;
  givenName: string;
  familyName: string;
  diagnosis: string;
  stage: PathwayStage;
  since: IsoDate;
  summary: string | null;
}

/** Every diagnosis of a physician's patients with its derived pathway stage. */
export async function loadCaseload(physicianId: string, today: IsoDate): Promise<CaseloadRow[]> {
  const rows = await getDb().$queryRaw<
    Array<{
      patientId: string;
      diagnosisId: string;
      mrn: string;
      givenName: string;
      familyName: string;
      patientStatus: "ACTIVE" | "DISCHARGED";
      diagnosis: string;
      onsetDate: Date;
      redFlagSince: Date | null;
      flagStatus: FlagStatus | null;
      waitingSince: Date | null;
      summary: string | null;
      activeTherapies: number;
      referrals: Array<{
        status: ReferralStatus;
        createdOn: string;
        procedureDate: string | null;
        conservativeCareContinues: boolean;
      }> | null;
    }>
  >`
    SELECT p.id AS "patientId", d.id AS "diagnosisId", p.mrn, p."givenName", p."familyName", p.status AS "patientStatus",
           d."icd10Code" || ' ' || d.label AS diagnosis, d."onsetDate",
           CASE WHEN cardinality(d."redFlags") > 0 THEN d."createdAt" END AS "redFlagSince",
           f.status AS "flagStatus", f."waitingSince", f.summary,
           (SELECT count(*)::int FROM "TherapyTrial" t
             WHERE t."diagnosisId" = d.id AND t.status = 'ACTIVE' AND t."enteredInErrorAt" IS NULL) AS "activeTherapies",
           (SELECT json_agg(json_build_object('status', r.status, 'createdOn', ${utcDay('r."createdAt"')}, 'procedureDate', r."procedureDate",
                                              'conservativeCareContinues', r."conservativeCareContinues"))
              FROM "Referral" r WHERE r."diagnosisId" = d.id) AS referrals
      FROM "Patient" p
      -- OFFSET 0 keeps this a per-patient index probe: as a plain join, the planner's default page
      -- costs made a large caseload hash the whole diagnosis table.
     CROSS JOIN LATERAL (SELECT * FROM "PainDiagnosis" d
                          WHERE d."patientId" = p.id AND d."enteredInErrorAt" IS NULL OFFSET 0) d
      LEFT JOIN "Flag" f ON f."diagnosisId" = d.id
     WHERE p."assignedPhysicianId" = ${physicianId}::uuid
     ORDER BY p."familyName", p."givenName", d."onsetDate"`;
  return rows.map((row) => {
    const { stage, since } = pathwayStage({
      patientStatus: row.patientStatus,
      redFlagRecordedOn: row.redFlagSince && toIsoDate(row.redFlagSince),
      diagnosedOn: toIsoDate(row.onsetDate),
      flag:
        row.flagStatus && row.waitingSince
          ? { status: row.flagStatus, waitingSince: toIsoDate(row.waitingSince) }
          : null,
      referrals: row.referrals ?? [],
      activeTherapyCount: row.activeTherapies,
      today,
    });
    return {
      patientId: row.patientId,
      diagnosisId: row.diagnosisId,
      mrn: row.mrn,
      givenName: row.givenName,
      familyName: row.familyName,
      diagnosis: row.diagnosis,
      stage,
      since,
      summary: row.summary,
    };
  });
}
