import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { COUNT_CAP } from "~/models/capped-count.server";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import { patientIdRanges, reevaluateAllPatients } from "~/models/evaluation.server";
import { loader as needsDataLoader } from "~/routes/needs-data";
import { action as recordOutcome } from "~/routes/patients.$patientId.assessments.new";
import { action as flagAction } from "~/routes/patients.$patientId.flags.$flagId";
import { action as updateReferral } from "~/routes/patients.$patientId.referrals.$referralId._index";
import { loader as summaryLoader } from "~/routes/patients.$patientId.referrals.$referralId.summary";
import { action as newReferral, loader as newReferralLoader } from "~/routes/patients.$patientId.referrals.new";
import { loader as worklistLoader } from "~/routes/worklist";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { auditEvents, createPatient, createUser } from "../helpers/fixtures";
import { callRoute, dataOf, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

let physicianId: string;
let physician: string;
let nurse: string;

beforeAll(async () => {
  physicianId = (await createUser("PHYSICIAN")).id;
  physician = await sessionCookie(physicianId);
  nurse = await sessionCookie((await createUser("NURSE")).id);
});

const assessment = (painAverage: number, peg: number, limitation: string) => ({
  assessedOn: clinicToday(),
  painNow: String(painAverage),
  painAverage: String(painAverage),
  painWorst: String(Math.min(10, painAverage + 1)),
  pegPain: String(peg),
  pegEnjoyment: String(peg),
  pegActivity: String(peg),
  limitation,
});

type WorklistRow = { flagId: string; patientId: string; summary: string; urgent: boolean };
async function worklist(): Promise<WorklistRow[]> {
  const data = (await callRoute(worklistLoader, { path: "/worklist", cookie: physician })) as { rows: WorklistRow[] };
  return data.rows;
}

async function record(patientId: string, form: Record<string, string>) {
  const response = await callRoute(recordOutcome, { path: "/a", form, params: { patientId }, cookie: nurse });
  expect(statusOf(response)).toBe(302);
}

describe("from an assessment to a flag, a dismissal and back", () => {
  it("flags a patient whose assessment crosses a threshold, drops the flag when dismissed, and re-raises it on a worse score", async () => {
    const { patient, diagnosis } = await createPatient(physicianId, { nonDrugCareFailed: true });

    await record(patient.id, assessment(3, 2, "MILD"));
    expect((await worklist()).some((row) => row.patientId === patient.id)).toBe(false);
    const quiet = await getDb().evaluation.findFirstOrThrow({ where: { diagnosisId: diagnosis.id, current: true } });
    expect(quiet).toMatchObject({ flagged: false, ruleSetVersion: DEFAULT_RULE_SET.version });

    await record(patient.id, assessment(5, 6, "MODERATE"));
    const row = (await worklist()).find((candidate) => candidate.patientId === patient.id);
    expect(row?.summary).toContain("Limits function (PEG 6, moderate limitation");
    const flag = await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } });
    expect(flag).toMatchObject({ status: "OPEN", metCriteria: expect.arrayContaining(["GEN-FUNCTION"]) });

    const dismissed = (await callRoute(flagAction, {
      path: "/f",
      form: {
        action: "dismiss",
        version: String(flag.version),
        reason: "NOT_CLINICALLY_INDICATED",
        note: "Trial of PT first",
      },
      params: { patientId: patient.id, flagId: flag.id },
      cookie: physician,
    })) as Response;
    expect(dismissed.status).toBe(302);
    expect((await worklist()).some((candidate) => candidate.patientId === patient.id)).toBe(false);
    expect(await auditEvents({ action: "flag.dismiss", userId: physicianId })).toHaveLength(1);

    // The same picture again changes nothing: only new evidence brings a dismissed flag back.
    await record(patient.id, assessment(5, 6, "MODERATE"));
    expect((await getDb().flag.findUniqueOrThrow({ where: { id: flag.id } })).status).toBe("DISMISSED");

    await record(patient.id, assessment(8, 7, "SEVERE"));
    const reopened = await getDb().flag.findUniqueOrThrow({
      where: { id: flag.id },
      include: { events: { orderBy: { at: "asc" } } },
    });
    expect(reopened.status).toBe("OPEN");
    expect(reopened.events.map((event) => event.toStatus)).toEqual(["OPEN", "DISMISSED", "OPEN"]);
    expect(reopened.events[0]?.metCriteria).toContain("GEN-FUNCTION");
    expect(reopened.events[1]).toMatchObject({
      actorId: physicianId,
      reason: "NOT_CLINICALLY_INDICATED",
      note: "Trial of PT first",
    });
    expect(reopened.events[2]?.reason).toBe("Pain NRS (0–10) worsened from 5 to 8, a clinically important change.");
    expect((await worklist()).some((candidate) => candidate.patientId === patient.id)).toBe(true);
  });

  it("never lets a referral and a dismissal of one flag, made at once, overwrite each other", async () => {
    const { patient, diagnosis } = await createPatient(physicianId, { nonDrugCareFailed: true });
    await record(patient.id, assessment(6, 6, "SEVERE"));
    const flag = await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } });
    await Promise.all([
      callRoute(flagAction, {
        path: "/f",
        form: { action: "dismiss", version: String(flag.version), reason: "NOT_CLINICALLY_INDICATED" },
        params: { patientId: patient.id, flagId: flag.id },
        cookie: physician,
      }),
      callRoute(newReferral, {
        path: "/r",
        form: {
          diagnosisId: diagnosis.id,
          flagId: flag.id,
          procedure: "EPIDURAL_STEROID_INJECTION",
          receivingClinic: "Northside Spine Centre",
          urgency: "ROUTINE",
          reason: "Persistent radicular pain despite conservative care",
        },
        params: { patientId: patient.id },
        cookie: physician,
      }),
    ]);
    const events = await getDb().flagEvent.findMany({ where: { flagId: flag.id }, orderBy: { id: "asc" } });
    // Each change starts from the status the one before it left: none was made on a stale read.
    events.slice(1).forEach((event, index) => expect(event.fromStatus).toBe(events[index]?.toStatus));
    const final = await getDb().flag.findUniqueOrThrow({ where: { id: flag.id } });
    expect(final.status).toBe(events.at(-1)?.toStatus);
  });

  it("refuses a stale or impossible flag action, and nurses entirely", async () => {
    const { patient, diagnosis } = await createPatient(physicianId, { nonDrugCareFailed: true });
    await record(patient.id, assessment(6, 6, "SEVERE"));
    const flag = await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } });
    const act = (form: Record<string, string>, cookie = physician) =>
      callRoute(flagAction, {
        path: "/f",
        form,
        params: { patientId: patient.id, flagId: flag.id },
        cookie,
      });
    type Reply = { result: { error?: Record<string, string[] | null> } };

    expect(statusOf(await act({ action: "acknowledge", version: String(flag.version) }, nurse))).toBe(403);
    const pastSnooze = await act({ action: "snooze", version: String(flag.version), until: clinicToday() });
    expect(statusOf(pastSnooze)).toBe(400);
    // The message goes back to the snooze field on the patient page.
    expect(dataOf<Reply>(pastSnooze).result.error?.until).toEqual(["Snooze until a date after today."]);
    const stale = await act({ action: "acknowledge", version: String(flag.version + 1) });
    expect(statusOf(stale)).toBe(409);
    expect(dataOf<Reply>(stale).result.error?.[""]?.[0]).toMatch(/changed since the page was opened/);
    expect(statusOf(await act({ action: "acknowledge", version: String(flag.version) }))).toBe(302);
    expect(statusOf(await act({ action: "acknowledge", version: String(flag.version + 1) }))).toBe(409);
    expect((await getDb().flag.findUniqueOrThrow({ where: { id: flag.id } })).status).toBe("ACKNOWLEDGED");
  });

  it("refuses to snooze, dismiss or refer a red flag, and closes it only with what was done and a note", async () => {
    const { patient, diagnosis } = await createPatient(physicianId);
    await getDb().painDiagnosis.update({ where: { id: diagnosis.id }, data: { redFlags: ["CAUDA_EQUINA"] } });
    await record(patient.id, assessment(6, 6, "SEVERE"));
    const flag = await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } });
    expect(flag).toMatchObject({ status: "OPEN", urgent: true, suggestedProcedures: [] });
    const version = String(flag.version);
    const refused = [
      await callRoute(flagAction, {
        path: "/f",
        form: { action: "snooze", version, until: "2099-01-01" },
        params: { patientId: patient.id, flagId: flag.id },
        cookie: physician,
      }),
      await callRoute(flagAction, {
        path: "/f",
        form: { action: "dismiss", version, reason: "NOT_CLINICALLY_INDICATED" },
        params: { patientId: patient.id, flagId: flag.id },
        cookie: physician,
      }),
    ];
    for (const response of refused) {
      expect(statusOf(response)).toBe(409);
      expect(dataOf<{ result: { error?: Record<string, string[]> } }>(response).result.error?.[""]?.[0]).toMatch(
        /A red flag cannot be/,
      );
    }
    const close = (form: Record<string, string>) =>
      callRoute(flagAction, {
        path: "/f",
        form: { action: "close", version, ...form },
        params: { patientId: patient.id, flagId: flag.id },
        cookie: physician,
      });
    expect(statusOf(await close({ outcome: "SENT_TO_EMERGENCY_DEPARTMENT" }))).toBe(400);
    expect(
      statusOf(await close({ outcome: "SENT_TO_EMERGENCY_DEPARTMENT", note: "Sent to St Mary's ED by ambulance" })),
    ).toBe(302);
    const closed = await getDb().flag.findUniqueOrThrow({ where: { id: flag.id }, include: { events: true } });
    expect(closed.status).toBe("RESOLVED");
    expect(closed.events.at(-1)).toMatchObject({
      toStatus: "RESOLVED",
      reason: "SENT_TO_EMERGENCY_DEPARTMENT",
      note: "Sent to St Mary's ED by ambulance",
      actorId: physicianId,
    });
    // Still recorded, the red flag does not re-open what was closed.
    await record(patient.id, assessment(6, 6, "SEVERE"));
    expect((await getDb().flag.findUniqueOrThrow({ where: { id: flag.id } })).status).toBe("RESOLVED");
  });
});

describe("referrals", () => {
  it("refers from a flag, tracks the referral to a completed procedure, and prints a summary", async () => {
    const { patient, diagnosis } = await createPatient(physicianId, { nonDrugCareFailed: true });
    await record(patient.id, assessment(7, 7, "SEVERE"));
    const flag = await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } });

    const form = (await callRoute(newReferralLoader, {
      path: `/r?diagnosisId=${diagnosis.id}&flagId=${flag.id}`,
      params: { patientId: patient.id },
      cookie: physician,
    })) as { defaults: { reason?: string } };
    expect(form.defaults.reason).toContain("Pain limits mobility or quality of life");
    // A hand-edited address with a malformed diagnosis id gets a blank form, not a server error.
    const blank = (await callRoute(newReferralLoader, {
      path: "/r?diagnosisId=not-an-id",
      params: { patientId: patient.id },
      cookie: physician,
    })) as { defaults: { diagnosisId?: string; reason?: string } };
    expect(blank.defaults).toMatchObject({ diagnosisId: undefined, reason: undefined });

    const created = (await callRoute(newReferral, {
      path: "/r",
      form: {
        diagnosisId: diagnosis.id,
        flagId: flag.id,
        procedure: "EPIDURAL_STEROID_INJECTION",
        receivingClinic: "Northside Spine Centre",
        urgency: "ROUTINE",
        reason: form.defaults.reason ?? "",
        conservativeCareContinues: "on",
      },
      params: { patientId: patient.id },
      cookie: physician,
    })) as Response;
    expect(created.status).toBe(302);
    const referral = await getDb().referral.findFirstOrThrow({ where: { diagnosisId: diagnosis.id } });
    expect(referral).toMatchObject({ status: "PENDING", flagId: flag.id, conservativeCareContinues: true });
    expect((await getDb().flag.findUniqueOrThrow({ where: { id: flag.id } })).status).toBe("REFERRED");
    expect((await worklist()).some((row) => row.patientId === patient.id)).toBe(false);

    const update = (values: Record<string, string>, cookie = nurse) =>
      callRoute(updateReferral, {
        path: "/u",
        form: values,
        params: { patientId: patient.id, referralId: referral.id },
        cookie,
      });
    expect(
      statusOf(await update({ action: "record-result", version: "1", reliefPercent: "60", reliefDurationDays: "90" })),
    ).toBe(409);
    expect(statusOf(await update({ action: "schedule", version: "1", scheduledFor: clinicToday() }))).toBe(302);
    expect(statusOf(await update({ action: "complete", version: "1", procedureDate: clinicToday() }))).toBe(409);
    const future = await update({ action: "complete", version: "2", procedureDate: "2999-01-01" });
    expect(statusOf(future)).toBe(400);
    // The page shows it under the procedure date, not in a banner.
    expect(dataOf<{ result: { error: Record<string, string[]> } }>(future).result.error.procedureDate).toEqual([
      "The date cannot be in the future.",
    ]);
    expect(statusOf(await update({ action: "complete", version: "2", procedureDate: clinicToday() }))).toBe(302);
    expect(
      statusOf(await update({ action: "record-result", version: "3", reliefPercent: "70", reliefDurationDays: "120" })),
    ).toBe(302);

    const done = await getDb().referral.findUniqueOrThrow({ where: { id: referral.id } });
    expect(done).toMatchObject({ status: "COMPLETED", reliefPercent: 70, version: 4 });
    const procedure = await getDb().procedureRecord.findUniqueOrThrow({ where: { id: done.procedureRecordId ?? "" } });
    expect(procedure).toMatchObject({
      type: "EPIDURAL_STEROID_INJECTION",
      region: "LUMBAR",
      reliefPercent: 70,
      reliefDurationDays: 120,
    });
    expect((await getDb().flag.findUniqueOrThrow({ where: { id: flag.id } })).status).toBe("RESOLVED");

    // A corrected result keeps what it replaces, and blank pain scores keep the ones recorded.
    await getDb().procedureRecord.update({ where: { id: procedure.id }, data: { painBefore: 7, painAfter: 3 } });
    expect(
      statusOf(await update({ action: "record-result", version: "4", reliefPercent: "50", reliefDurationDays: "60" })),
    ).toBe(302);
    expect(await getDb().procedureRecord.findUniqueOrThrow({ where: { id: procedure.id } })).toMatchObject({
      reliefPercent: 50,
      painBefore: 7,
      painAfter: 3,
    });
    const revisions = await getDb().recordRevision.findMany({
      where: { entityId: { in: [referral.id, procedure.id] } },
      orderBy: { id: "asc" },
    });
    expect(revisions.map((revision) => [revision.entityType, revision.version])).toEqual([
      ["Referral", 1],
      ["Referral", 2],
      ["Referral", 3],
      ["ProcedureRecord", 1],
      ["Referral", 4],
      ["ProcedureRecord", 2],
    ]);

    const summary = (await callRoute(summaryLoader, {
      params: { patientId: patient.id, referralId: referral.id },
      cookie: physician,
    })) as {
      evaluation: { result: { disclaimer: string } } | null;
      therapies: unknown[];
    };
    expect(summary.evaluation?.result.disclaimer).toMatch(/not a coverage determination/);
    expect(summary.therapies).toHaveLength(2);
  });

  it("is created by physicians only", async () => {
    const { patient, diagnosis } = await createPatient(physicianId, { nonDrugCareFailed: true });
    const response = (await callRoute(newReferral, {
      path: "/r",
      form: {
        diagnosisId: diagnosis.id,
        procedure: "MEDIAL_BRANCH_BLOCK",
        receivingClinic: "X clinic",
        urgency: "ROUTINE",
        reason: "Because of reasons",
      },
      params: { patientId: patient.id },
      cookie: nurse,
    })) as Response;
    expect(response.status).toBe(403);
    expect(await getDb().referral.count({ where: { patientId: patient.id } })).toBe(0);
  });
});

describe("red flags, needs data and the batch run", () => {
  it("puts a red flag at the top of the worklist as urgent", async () => {
    const { patient, diagnosis } = await createPatient(physicianId, { nonDrugCareFailed: true });
    await getDb().painDiagnosis.update({ where: { id: diagnosis.id }, data: { redFlags: ["CAUDA_EQUINA"] } });
    await record(patient.id, assessment(3, 2, "MILD"));
    const [first] = await worklist();
    expect(first).toMatchObject({ patientId: patient.id, urgent: true });
  });

  it("lists pathways the engine cannot judge, with what to record", async () => {
    const { patient } = await createPatient(physicianId, { familyName: "Nodatason" });
    await reevaluateAllPatients(getDb(), { ruleSet: DEFAULT_RULE_SET, now: new Date(), today: clinicToday() });
    const list = (await callRoute(needsDataLoader, { path: "/needs-data", cookie: nurse })) as {
      rows: Array<{ patientId: string; missing: string[] }>;
    };
    const row = list.rows.find((candidate) => candidate.patientId === patient.id);
    expect(row?.missing.length).toBeGreaterThan(0);
  });

  it("splits the nightly run by patient id: the ranges together re-evaluate every patient exactly once", async () => {
    const ruleSet = { ...DEFAULT_RULE_SET, version: "test-split" };
    const run = { ruleSet, now: new Date(), today: clinicToday() };
    const shares = await Promise.all(
      patientIdRanges(3).map((idRange) => reevaluateAllPatients(getDb(), run, { batchSize: 2, idRange })),
    );
    expect(shares.reduce((sum, share) => sum + share.patients, 0)).toBe(await getDb().patient.count());
    // Each patient now has exactly one current evaluation per diagnosis, all from this run.
    const current = await getDb().evaluation.groupBy({
      by: ["diagnosisId"],
      where: { current: true },
      _count: { _all: true },
      _min: { ruleSetVersion: true },
    });
    expect(current.every((row) => row._count._all === 1 && row._min.ruleSetVersion === "test-split")).toBe(true);
  });

  it("re-evaluates everyone in batches, writing nothing new when nothing changed", async () => {
    const run = { ruleSet: DEFAULT_RULE_SET, now: new Date(), today: clinicToday() };
    const first = await reevaluateAllPatients(getDb(), run, { batchSize: 3 });
    expect(first.patients).toBe(await getDb().patient.count());
    const before = await getDb().evaluation.count();
    const second = await reevaluateAllPatients(getDb(), run, { batchSize: 3 });
    expect(second.changed).toBe(0);
    expect(await getDb().evaluation.count()).toBe(before);

    // A new rule-set version changes every evaluation, so every flag moves to its new one in one batch.
    const next = await reevaluateAllPatients(
      getDb(),
      { ...run, ruleSet: { ...DEFAULT_RULE_SET, version: "test-next" } },
      { batchSize: 50 },
    );
    expect(next.changed).toBeGreaterThan(0);
    const flags = await getDb().flag.findMany({
      where: { status: { not: "RESOLVED" } },
      select: { evaluationId: true },
    });
    expect(flags.length).toBeGreaterThan(0);
    const pointedTo = await getDb().evaluation.findMany({
      where: { id: { in: flags.map((flag) => flag.evaluationId) } },
    });
    expect(pointedTo.every((evaluation) => evaluation.current && evaluation.ruleSetVersion === "test-next")).toBe(true);
    expect(pointedTo).toHaveLength(flags.length);
    const currentPerDiagnosis = await getDb().evaluation.groupBy({
      by: ["diagnosisId"],
      where: { current: true },
      _count: { _all: true },
    });
    expect(currentPerDiagnosis.every((group) => group._count._all === 1)).toBe(true);
  });
});

describe("the worklist at scale", () => {
  it("offers 'my patients' and a linked physician as filters, not every physician of the hospital", async () => {
    const colleague = await createUser("PHYSICIAN");
    await createUser("PHYSICIAN");
    type Filters = { physicians: Array<{ id: string; name: string }> };
    const plain = (await callRoute(worklistLoader, { path: "/worklist", cookie: physician })) as Filters;
    expect(plain.physicians).toEqual([{ id: physicianId, name: "My patients" }]);
    const linked = (await callRoute(worklistLoader, {
      path: `/worklist?physicianId=${colleague.id}`,
      cookie: physician,
    })) as Filters;
    expect(linked.physicians.map((option) => option.id)).toEqual([physicianId, colleague.id]);
    // The link to a physician's flags is on their name in each row.
    const rows = (plain as unknown as { rows: Array<{ physicianId: string; mine: boolean }> }).rows;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.physicianId === physicianId).toBe(row.mine);
  });

  it("counts open flags only up to a cap, and still pages past it", async () => {
    const { patient } = await createPatient(physicianId, { familyName: "Manyflags" });
    const extra = COUNT_CAP + 5;
    const diagnoses = Array.from({ length: extra }, () => ({
      id: randomUUID(),
      patientId: patient.id,
      icd10Code: "M54.50",
      label: "Low back pain",
      bodyRegion: "LUMBAR" as const,
      painType: "AXIAL" as const,
      onsetDate: new Date("2024-01-01T00:00:00Z"),
      createdById: physicianId,
    }));
    await getDb().painDiagnosis.createMany({ data: diagnoses });
    await getDb().flag.createMany({
      data: diagnoses.map((diagnosis) => ({
        patientId: patient.id,
        diagnosisId: diagnosis.id,
        physicianId,
        status: "OPEN" as const,
        urgent: false,
        summary: "Pain persists",
        waitingSince: new Date(),
        evaluationId: randomUUID(),
      })),
    });
    type WorklistPage = { rows: unknown[]; total: number; moreThanCap: boolean; lastPage: number };
    const page = (await callRoute(worklistLoader, { path: "/worklist?page=3", cookie: physician })) as WorklistPage;
    expect(page).toMatchObject({ total: COUNT_CAP, moreThanCap: true });
    expect(page.rows).toHaveLength(50);
    // Rows 1,001 and on, past what was counted.
    const pastCap = (await callRoute(worklistLoader, { path: "/worklist?page=21", cookie: physician })) as WorklistPage;
    expect(pastCap.rows.length).toBeGreaterThanOrEqual(5);
    expect(pastCap.lastPage).toBeGreaterThanOrEqual(21);
  });
});
