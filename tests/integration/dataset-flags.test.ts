import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../helpers/sql";
import { addDays } from "~/domain/clinical/duration";
import {
  lastRecordEntries,
  planFlagWork,
  planRaiseDays,
  type FlagWorkReport,
  type LastEntry,
  type OpenFlag,
} from "../../tools/dataset/flag-work";
import { getDb } from "~/server/db.server";
import { clinicToday } from "~/server/clinic-time.server";
import { generateDatasetInto } from "../../tools/dataset/load";

// The referral functions re-evaluate with the clinic's real today, so the data set is made for it too.
const TODAY = clinicToday();
const url = () => process.env.DATABASE_URL as string;

const query = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => queryRows<T>(url(), text, values);

describe("synthetic dataset: flags in every state", () => {
  let flags: FlagWorkReport;

  beforeAll(async () => {
    ({ flags } = await generateDatasetInto(url(), { patients: 600, seed: 42, today: TODAY, replace: false }));
  }, 120_000);

  it("has the engine raise flags over every patient, then leaves some open and works the rest", async () => {
    expect(flags.patientsEvaluated).toBe(600);
    const byStatus = Object.fromEntries(
      (await query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM "Flag" GROUP BY status`)).map(
        (row) => [row.status, row.n],
      ),
    );
    const { acknowledge, snooze, dismiss, refer } = flags.worked;
    const closed = flags.worked["referral complete"] + flags.worked["referral cancel"];
    expect(byStatus).toMatchObject({
      ACKNOWLEDGED: acknowledge,
      SNOOZED: snooze,
      DISMISSED: dismiss,
      REFERRED: refer - closed,
    });
    expect(byStatus.RESOLVED).toBeGreaterThanOrEqual(flags.worked["referral complete"]);
    // Every move a physician makes on a flag; a referral's follow-up is drawn per referral and may not occur.
    for (const move of ["acknowledge", "snooze", "dismiss", "close", "refer"] as const) {
      expect(flags.worked[move], move).toBeGreaterThan(0);
    }
    expect(byStatus.OPEN).toBeGreaterThan(flags.flagsRaised / 3);
  });

  it("raised the flags on weekdays of the last half year, after the record was written, and never after now", async () => {
    const written = new Map((await lastRecordEntries(getDb())).map(({ patientId, latest }) => [patientId, latest]));
    const raises = await query<{ patientId: string; raised: Date }>(
      `SELECT f."patientId", x.at AS raised FROM "FlagEvent" x JOIN "Flag" f ON f.id = x."flagId" WHERE x."fromStatus" IS NULL`,
    );
    expect(raises.length).toBeGreaterThan(50);
    const days = raises.map(({ raised }) => raised.toISOString().slice(0, 10));
    // Spread over the half year, not all on one night. Most raises follow a recent entry, so how many
    // calendar months they touch depends on today's date; how many days they touch does not.
    expect(new Set(days).size).toBeGreaterThanOrEqual(15);
    expect(days.filter((day) => day < addDays(TODAY, -30)).length).toBeGreaterThan(0);
    expect(days.filter((day) => day < addDays(TODAY, -180))).toEqual([]);
    expect(days.filter((day) => day !== TODAY && [0, 6].includes(new Date(day).getUTCDay()))).toEqual([]);
    expect(raises.filter(({ raised }) => raised.getTime() > Date.now())).toEqual([]);
    // The work after the raises writes records today (a procedure done): only records written before today tell.
    const before = raises.filter(({ patientId }) => (written.get(patientId)?.toISOString() ?? "") < TODAY);
    expect(before.length).toBeGreaterThan(raises.length / 2);
    expect(before.filter(({ patientId, raised }) => raised <= (written.get(patientId) as Date))).toEqual([]);
  });

  it("records each move as the patient's physician would: event, versions, reasons, referral and audit", async () => {
    const inconsistent = await query<{ id: string; status: string }>(`
      SELECT f.id, f.status FROM "Flag" f
       WHERE f.status IN ('ACKNOWLEDGED', 'SNOOZED', 'DISMISSED', 'REFERRED') AND (
             f.version <> 2
          OR (f.status = 'SNOOZED') <> COALESCE(f."snoozedUntil" > DATE '${TODAY}', false)
          OR (f.status = 'DISMISSED') <> (f."dismissReason" IS NOT NULL)
          OR f."actedMetCriteria" <> f."metCriteria"
          OR NOT EXISTS (SELECT 1 FROM "FlagEvent" e WHERE e."flagId" = f.id AND e."fromStatus" = 'OPEN'
                            AND e."toStatus" = f.status AND e."actorId" = f."physicianId")
          OR NOT EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."patientId" = f."patientId" AND a."userId" = f."physicianId"
                            AND a.action = CASE f.status WHEN 'ACKNOWLEDGED' THEN 'flag.acknowledge'
                              WHEN 'SNOOZED' THEN 'flag.snooze' WHEN 'DISMISSED' THEN 'flag.dismiss'
                              ELSE 'referral.create' END)
          OR (f.status = 'REFERRED') <> EXISTS (SELECT 1 FROM "Referral" r WHERE r."flagId" = f.id
                            AND r.status IN ('PENDING', 'SCHEDULED') AND r."evaluationId" = f."evaluationId"
                            AND r."diagnosisId" = f."diagnosisId" AND r."createdById" = f."physicianId"))`);
    expect(inconsistent).toEqual([]);
  });

  it("books, completes or cancels some referrals; closing one resolves its flag, and a cancelled one may re-raise it", async () => {
    const fromFlags = await query<{ status: string; n: number }>(`
      SELECT r.status, count(*)::int AS n FROM "Referral" r WHERE r."flagId" IS NOT NULL GROUP BY 1 ORDER BY r.status::text`);
    const {
      refer,
      "referral schedule": scheduled,
      "referral complete": completed,
      "referral cancel": cancelled,
    } = flags.worked;
    expect(Object.fromEntries(fromFlags.map(({ status, n }) => [status, n]))).toEqual(
      Object.fromEntries(
        [
          ["CANCELLED", cancelled],
          ["COMPLETED", completed],
          ["PENDING", refer - scheduled - completed - cancelled],
          ["SCHEDULED", scheduled],
        ].filter(([, n]) => n !== 0),
      ),
    );
    const flagsOfClosedReferrals = await query<{ referral: string; flag: string; resolvedEvent: boolean }>(`
      SELECT r.status AS referral, f.status AS flag, EXISTS (SELECT 1 FROM "FlagEvent" e WHERE e."flagId" = f.id
               AND e."fromStatus" = 'REFERRED' AND e."toStatus" = 'RESOLVED') AS "resolvedEvent"
        FROM "Referral" r JOIN "Flag" f ON f.id = r."flagId" WHERE r.status IN ('COMPLETED', 'CANCELLED')`);
    for (const row of flagsOfClosedReferrals) {
      expect(row.resolvedEvent).toBe(true);
      expect(row.referral === "COMPLETED" ? ["RESOLVED"] : ["RESOLVED", "OPEN"]).toContain(row.flag);
    }
  });
});

describe("planRaiseDays", () => {
  const today = "2026-11-27";
  const records: LastEntry[] = Array.from({ length: 300 }, (_, index) => ({
    patientId: `00000000-0000-4000-9000-${String(index).padStart(12, "0")}`,
    latest: index % 3 === 0 ? null : new Date(Date.parse(`${today}T12:00:00Z`) - ((index * 7) % 900) * 86_400_000 - 1),
  }));

  it("puts each raise on a weekday after the record was written, within half a year, and never after today", () => {
    const days = planRaiseDays(records, 42, today);
    expect(days.size).toBe(records.length);
    for (const { patientId, latest } of records) {
      const day = days.get(patientId) as string;
      expect(day <= today).toBe(true);
      expect(day >= addDays(today, -180)).toBe(true);
      if (day !== today) expect([0, 6]).not.toContain(new Date(day).getUTCDay());
      const writtenOn = latest?.toISOString().slice(0, 10);
      if (writtenOn && writtenOn >= addDays(today, -180) && day !== today) expect(day > writtenOn).toBe(true);
    }
  });

  it("gives the same days for the same records in any order, and others for another seed", () => {
    const days = planRaiseDays(records, 42, today);
    expect(planRaiseDays([...records].reverse(), 42, today)).toEqual(days);
    expect(planRaiseDays(records, 43, today)).not.toEqual(days);
  });
});

describe("planFlagWork", () => {
  const flags: OpenFlag[] = Array.from({ length: 400 }, (_, index) => ({
    id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    patientId: `00000000-0000-4000-9000-${String(index).padStart(12, "0")}`,
    diagnosisId: `00000000-0000-4000-a000-${String(index).padStart(12, "0")}`,
    physicianId: "00000000-0000-4000-b000-000000000001",
    version: 1,
    urgent: index % 10 === 0,
    summary: "Pain persists despite conservative care",
    suggestedProcedures: index % 3 === 0 ? [] : ["FACET_JOINT_INJECTION"],
  }));

  it("plans the same work from the same flags in any order, and other work from another seed", () => {
    const plan = planFlagWork(flags, 42, TODAY);
    expect(planFlagWork([...flags].reverse(), 42, TODAY)).toEqual(plan);
    expect(planFlagWork(flags, 43, TODAY)).not.toEqual(plan);
    const shareWorked = plan.length / flags.length;
    expect(shareWorked).toBeGreaterThan(0.3);
    expect(shareWorked).toBeLessThan(0.5);
  });

  it("snoozes past today, refers urgent flags urgently, and refers for the procedure the engine suggested", () => {
    for (const { flag, action } of planFlagWork(flags, 42, TODAY)) {
      if (action.action === "snooze") expect(action.until > TODAY).toBe(true);
      if (action.action === "refer") {
        if (flag.urgent) expect(action.referral.urgency).toBe("URGENT");
        expect(action.referral.procedure).toBe(flag.suggestedProcedures[0] ?? "EPIDURAL_STEROID_INJECTION");
        expect(action.referral.flagId).toBe(flag.id);
      }
    }
  });
});
