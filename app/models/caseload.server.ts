import { toIsoDate, type IsoDate } from "~/domain/iso-date";
import { pathwayStage, type PathwayStage } from "~/domain/pathway-stage";
import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { getDb } from "~/server/db.server";
import { qb, rows as runQuery, rows } from "~/server/query-builder.server";
import { cappedCount } from "./capped-count.server";
import { diagnosisLabel, utcDay } from "./sql-json.server";
import { activeTherapyCount } from "./therapy-queries.server";

export const NEEDS_DATA_PAGE_SIZE = 50;

/**
 * A physician's caseload runs to hundreds of pathways: every one is read (the stage counts need
 * them all, and stages are derived in code), but a page shows only this many.
 */
export const CASELOAD_PAGE_SIZE = 50;

/** Patients whose evaluation is blocked by missing data, each with what to record; oldest first. */
export async function listNeedsData(page: number) {
  const db = getDb();
  const needsData = qb
    .selectFrom("Evaluation as e")
    .innerJoin("Patient as p", "p.id", "e.patientId")
    .where("e.current", "=", sql.lit(true))
    .where("e.needsData", "=", sql.lit(true))
    .where("p.status", "=", sql.lit("ACTIVE"));
  // The page is cut first, and only its rows are joined to their diagnosis and unpacked: the rows
  // OFFSET skipped were too, and page 1,000 took 0.8 s.
  const pageRows = needsData
    .select([
      "e.id",
      "e.patientId",
      "e.diagnosisId",
      "e.evaluatedAt",
      "e.result",
      "p.mrn",
      "p.givenName",
      "p.familyName",
    ])
    .orderBy("e.evaluatedAt")
    .orderBy("e.id")
    .limit(NEEDS_DATA_PAGE_SIZE)
    .offset((page - 1) * NEEDS_DATA_PAGE_SIZE)
    .as("page");
  const [found, count] = await Promise.all([
    rows(
      db,
      qb
        .selectFrom(pageRows)
        .innerJoin("PainDiagnosis as d", "d.id", "page.diagnosisId")
        .select((eb) => [
          "page.patientId",
          "page.diagnosisId",
          "page.mrn",
          "page.givenName",
          "page.familyName",
          diagnosisLabel(eb.ref("d.icd10Code"), eb.ref("d.label")).as("diagnosis"),
          // result is the stored evaluation (domain/referral/stored-evaluation.ts), whose missingData is a list of texts.
          sql<string[]>`ARRAY(SELECT jsonb_array_elements_text(${eb.ref("page.result")} -> 'missingData'))`.as(
            "missing",
          ),
          "page.evaluatedAt",
        ])
        .orderBy("page.evaluatedAt")
        .orderBy("page.id"),
    ),
    cappedCount(db, needsData),
  ]);
  return { rows: found, ...count };
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
  const rows = await runQuery(
    getDb(),
    qb
      .selectFrom("Patient as p")
      // OFFSET 0 keeps this a per-patient index probe: as a plain join, the planner's default page
      // costs made a large caseload hash the whole diagnosis table.
      .crossJoinLateral((eb) =>
        eb
          .selectFrom("PainDiagnosis as d")
          .selectAll()
          .whereRef("d.patientId", "=", "p.id")
          .where("d.enteredInErrorAt", "is", null)
          .offset(sql.lit(0))
          .as("d"),
      )
      .leftJoin("Flag as f", "f.diagnosisId", "d.id")
      .select((eb) => [
        "p.id as patientId",
        "d.id as diagnosisId",
        "p.mrn",
        "p.givenName",
        "p.familyName",
        "p.status as patientStatus",
        diagnosisLabel(eb.ref("d.icd10Code"), eb.ref("d.label")).as("diagnosis"),
        "d.onsetDate",
        eb
          .case()
          .when(sql<boolean>`cardinality(${eb.ref("d.redFlags")}) > 0`)
          .then(eb.ref("d.createdAt"))
          .end()
          .as("redFlagSince"),
        "f.status as flagStatus",
        "f.waitingSince",
        "f.summary",
        activeTherapyCount("diagnosisId", "d.id").as("activeTherapies"),
        jsonArrayFrom(
          eb
            .selectFrom("Referral as r")
            .select((eb) => [
              "r.status",
              utcDay(eb.ref("r.createdAt")).as("createdOn"),
              "r.procedureDate",
              "r.conservativeCareContinues",
            ])
            .whereRef("r.diagnosisId", "=", "d.id"),
        ).as("referrals"),
      ])
      .where("p.assignedPhysicianId", "=", physicianId)
      .orderBy("p.familyName")
      .orderBy("p.givenName")
      .orderBy("d.onsetDate"),
  );
  return rows.map((row) => {
    const { stage, since } = pathwayStage({
      patientStatus: row.patientStatus,
      redFlagRecordedOn: row.redFlagSince && toIsoDate(row.redFlagSince),
      diagnosedOn: toIsoDate(row.onsetDate),
      flag:
        row.flagStatus && row.waitingSince
          ? { status: row.flagStatus, waitingSince: toIsoDate(row.waitingSince) }
          : null,
      referrals: row.referrals,
      activeTherapyCount: row.activeTherapies ?? 0,
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
