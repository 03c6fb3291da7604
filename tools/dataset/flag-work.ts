/**
 * The dataset's flags. The referral engine raises them (the first batch run over the loaded record,
 * each patient's flags on a day of the last half year: see planRaiseDays), then each patient's
 * physician works a seeded share of the open ones through the same model functions the pages use:
 * acknowledged, snoozed, dismissed with a reason, or referred (the referral then booked, done, or
 * cancelled: see ReferralFollowUp). So the worklist, the flag histories, the referral funnel and
 * the audit trail hold flags in every state, each move versioned and audited as if a physician had
 * made it today.
 */
import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { addDays } from "~/domain/clinical/duration";
import type { IsoDate } from "~/domain/iso-date";
import type { RuleSet } from "~/domain/referral/rule-set";
import type { ReferralInput } from "~/domain/referral-forms";
import type { DismissReason, ProcedureType } from "~/generated/prisma/enums";
import { reevaluatePatients } from "~/models/evaluation.server";
import { actOnFlag, type FlagActionInput } from "~/models/flag.server";
import { createReferral, updateReferral } from "~/models/referral.server";
import { lockPatients } from "~/models/patient-lock.server";
import { getActiveRuleSet } from "~/models/rule-set.server";
import { getDb, type Db } from "~/server/db.server";
import { DAY_MS, MINUTE_MS, clinicDay, clinicMoment, dayOf, isoDay } from "./calendar";
import { RECEIVING_CLINICS, REFERRAL_CANCEL_REASONS } from "./catalog";
import { STREAM } from "./generate";
import { Random, weights } from "./random";

export interface OpenFlag {
  id: string;
  patientId: string;
  diagnosisId: string;
  physicianId: string;
  version: number;
  urgent: boolean;
  summary: string;
  suggestedProcedures: ProcedureType[];
}

export type FlagWork =
  | { flag: OpenFlag; action: Extract<FlagActionInput, { action: "acknowledge" | "snooze" | "dismiss" | "close" }> }
  | { flag: OpenFlag; action: { action: "refer"; referral: ReferralInput; then: ReferralFollowUp | null } };

/**
 * What became of a referral made today: booked; done (the procedure joins the record and resolves
 * the flag); or cancelled, which resolves the flag and lets the engine raise it again at once.
 */
type ReferralFollowUp =
  | { action: "schedule"; scheduledFor: IsoDate }
  | { action: "complete"; procedureDate: IsoDate }
  | { action: "cancel"; cancelReason: string };

/** Most open flags wait for review; the rest were worked in roughly these shares. */
const WORK = weights({ leave: 60, acknowledge: 12, snooze: 6, dismiss: 11, refer: 11 });
/** A red flag is evaluated now: acknowledged, or closed with what was done, never snoozed, dismissed or referred. */
const URGENT_WORK = weights({ leave: 30, acknowledge: 20, close: 50 });
const RED_FLAG_CLOSURES = weights({
  SENT_TO_EMERGENCY_DEPARTMENT: 40,
  URGENT_IMAGING: 30,
  URGENT_SPECIALIST_REFERRAL: 20,
  EVALUATED_NOT_CONFIRMED: 10,
});
const DISMISS_REASONS = weights<DismissReason>({
  NOT_CLINICALLY_INDICATED: 35,
  PATIENT_DECLINES: 30,
  ALREADY_UNDER_SPECIALIST: 15,
  CONTRAINDICATED: 10,
  DATA_INCORRECT: 5,
  OTHER: 5,
});
const REFERRAL_FOLLOW_UP = weights({ none: 45, schedule: 30, complete: 15, cancel: 10 });
/** Patients worked at once: each holds a connection while its transaction runs. */
const WORKERS = 4;
const FALLBACK_PROCEDURE: ProcedureType = "EPIDURAL_STEROID_INJECTION";

/** Pure: the same flags (in any order), seed and day give the same work. */
export function planFlagWork(flags: readonly OpenFlag[], seed: number, today: IsoDate): FlagWork[] {
  const random = new Random(seed, STREAM.flagWork);
  const ordered = [...flags].sort((a, b) => compare(a.patientId, b.patientId) || compare(a.diagnosisId, b.diagnosisId));
  const work: FlagWork[] = [];
  for (const flag of ordered) {
    const { version } = flag;
    if (flag.urgent) {
      const move = URGENT_WORK.pick(random);
      if (move === "acknowledge") work.push({ flag, action: { action: "acknowledge", version } });
      if (move === "close") {
        const outcome = RED_FLAG_CLOSURES.pick(random);
        work.push({
          flag,
          action: { action: "close", version, outcome, note: "Seen the same day; plan in the clinic letter." },
        });
      }
      continue;
    }
    const move = WORK.pick(random);
    if (move !== "leave") work.push(workOn(flag, move, random, today));
  }
  return work;
}

/** One planned move on an open, non-urgent flag; a referral's follow-up is drawn unless `followUp` is given. */
export function workOn(
  flag: OpenFlag,
  move: "acknowledge" | "snooze" | "dismiss" | "refer",
  random: Random,
  today: IsoDate,
  followUp?: ReferralFollowUp["action"] | "none",
): FlagWork {
  const { version } = flag;
  switch (move) {
    case "acknowledge":
      return { flag, action: { action: "acknowledge", version } };
    case "snooze":
      return { flag, action: { action: "snooze", version, until: addDays(today, random.int(14, 84)) } };
    case "dismiss": {
      const reason = DISMISS_REASONS.pick(random);
      const note = reason === "OTHER" ? "Discussed at the multidisciplinary meeting." : undefined;
      return { flag, action: { action: "dismiss", version, reason, note } };
    }
    case "refer": {
      const procedure = flag.suggestedProcedures[0] ?? FALLBACK_PROCEDURE;
      const referral: ReferralInput = {
        diagnosisId: flag.diagnosisId,
        flagId: flag.id,
        procedure,
        receivingClinic: random.pick(RECEIVING_CLINICS),
        urgency: flag.urgent ? "URGENT" : random.chance(0.8) ? "ROUTINE" : "SOON",
        reason: `Referral flag: ${flag.summary}`.slice(0, 4000),
        conservativeCareContinues: random.chance(0.6),
      };
      const next = REFERRAL_FOLLOW_UP.pick(random);
      const then: ReferralFollowUp | null = followUpOf(followUp ?? next, random, today);
      return { flag, action: { action: "refer", referral, then } };
    }
  }
}

function followUpOf(action: ReferralFollowUp["action"] | "none", random: Random, today: IsoDate) {
  switch (action) {
    case "schedule":
      return { action, scheduledFor: addDays(today, random.int(7, 60)) };
    case "complete":
      return { action, procedureDate: today };
    case "cancel":
      return { action, cancelReason: random.pick(REFERRAL_CANCEL_REASONS) };
    case "none":
      return null;
  }
}

type Worked = FlagWork["action"]["action"] | `referral ${ReferralFollowUp["action"]}`;

export interface FlagWorkReport {
  patientsEvaluated: number;
  flagsRaised: number;
  /** How many flags each action was taken on. */
  worked: Record<Worked, number>;
  /** Planned actions not taken: an earlier move for the same patient had already closed the flag. */
  skipped: number;
}

/** Raises the flags with the active rule set, then works them, in the database at `url`. */
export async function raiseAndWorkFlags(
  url: string,
  { seed, today }: { seed: number; today: IsoDate },
): Promise<FlagWorkReport> {
  // The flag and referral functions write through the application's own client.
  if (process.env.DATABASE_URL !== url) throw new Error("Set DATABASE_URL to the dataset's database first.");
  const db = getDb();
  const ruleSet = await getActiveRuleSet();
  const evaluated = await raiseFlags(db, ruleSet, seed, today);
  const open = await openFlags(db);
  const work = planFlagWork(open, seed, today);
  const worked: Record<Worked, number> = {
    acknowledge: 0,
    snooze: 0,
    dismiss: 0,
    close: 0,
    refer: 0,
    "referral schedule": 0,
    "referral complete": 0,
    "referral cancel": 0,
  };
  // One patient's flags one after another, in one worker: a referral re-evaluates the patient, which
  // may move the patient's other flags, and the next action must see that.
  const byPatient = new Map<string, FlagWork[]>();
  for (const item of work) byPatient.set(item.flag.patientId, [...(byPatient.get(item.flag.patientId) ?? []), item]);
  const patients = [...byPatient.values()];
  let skipped = 0;
  let next = 0;
  const worker = async () => {
    for (let items = patients[next++]; items; items = patients[next++]) {
      for (const item of items) {
        if (!(await perform(item))) {
          skipped += 1;
          continue;
        }
        worked[item.action.action] += 1;
        if (item.action.action === "refer" && item.action.then) worked[`referral ${item.action.then.action}`] += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return { patientsEvaluated: evaluated, flagsRaised: open.length, worked, skipped };
}

/** The open flags, of every patient or of the ones named. */
export function openFlags(db: Db, patientIds?: string[]): Promise<OpenFlag[]> {
  return db.flag.findMany({
    where: { status: "OPEN", ...(patientIds ? { patientId: { in: patientIds } } : {}) },
    select: {
      id: true,
      patientId: true,
      diagnosisId: true,
      physicianId: true,
      version: true,
      urgent: true,
      summary: true,
      suggestedProcedures: true,
    },
  });
}

/** Open flags have waited up to this long; older ones would have been acted on. */
const RAISED_WITHIN_DAYS = 180;
/** The engine's batches: a batch holds its patients' locks. */
const RAISE_BATCH = 200;

export interface LastEntry {
  patientId: string;
  /** When the patient's record was last written (an entry or a correction); null without any. */
  latest: Date | null;
}

/** When each patient's record was last written: its latest assessment, therapy, diagnosis or procedure. */
export function lastRecordEntries(db: Db): Promise<LastEntry[]> {
  return db.$queryRaw<LastEntry[]>`
    SELECT p.id::text AS "patientId",
           GREATEST((SELECT max(a."updatedAt") FROM "OutcomeAssessment" a WHERE a."patientId" = p.id),
                    (SELECT max(t."updatedAt") FROM "TherapyTrial" t WHERE t."patientId" = p.id),
                    (SELECT max(d."updatedAt") FROM "PainDiagnosis" d WHERE d."patientId" = p.id),
                    (SELECT max(r."updatedAt") FROM "ProcedureRecord" r WHERE r."patientId" = p.id)) AS latest
      FROM "Patient" p`;
}

/**
 * Pure: the clinic day the engine raised each patient's flags, by patient id. A flag is raised on a
 * weekday after the record was last written, up to three weeks later, and within the last half
 * year: a registry's flags have waited days to months, not all since today.
 */
export function planRaiseDays(entries: readonly LastEntry[], seed: number, today: IsoDate): Map<string, IsoDate> {
  const random = new Random(seed, STREAM.flagRaise);
  const last = dayOf(today);
  const earliest = last - RAISED_WITHIN_DAYS;
  const days = new Map<string, IsoDate>();
  for (const { patientId, latest } of [...entries].sort((a, b) => compare(a.patientId, b.patientId))) {
    const written = latest === null ? null : Math.floor(latest.getTime() / DAY_MS);
    const from = written !== null && written >= earliest ? written + 1 : earliest + random.int(0, RAISED_WITHIN_DAYS);
    days.set(patientId, isoDay(Math.min(clinicDay(from + random.int(0, 20)), last)));
  }
  return days;
}

/**
 * The engine's first run over the loaded record, each patient's batch with the clock set to its
 * raise day (a working hour, after the record was written, and never later than now), and
 * evaluated as of today, as tonight's run would: so that run changes nothing.
 */
export async function raiseFlags(
  db: Db,
  ruleSet: RuleSet,
  seed: number,
  today: IsoDate,
  patientIds?: readonly string[],
): Promise<number> {
  const entries = (await lastRecordEntries(db)).filter(
    ({ patientId }) => !patientIds || patientIds.includes(patientId),
  );
  const written = new Map(entries.map(({ patientId, latest }) => [patientId, latest?.getTime() ?? 0]));
  const byDay = new Map<IsoDate, string[]>();
  for (const [patientId, day] of planRaiseDays(entries, seed, today))
    byDay.set(day, [...(byDay.get(day) ?? []), patientId]);
  const batches = [...byDay].flatMap(([day, ids]) =>
    Array.from({ length: Math.ceil(ids.length / RAISE_BATCH) }, (_, index) => ({
      day,
      ids: ids.slice(index * RAISE_BATCH, (index + 1) * RAISE_BATCH),
    })),
  );
  const now = Date.now();
  let next = 0;
  let failed = false;
  const worker = async () => {
    for (let batch = batches[next++]; batch && !failed; batch = batches[next++]) {
      const { day, ids } = batch;
      // A working hour of the day (UTC), the same for the same seed and day, after the batch's last entry.
      const start = dayOf(day) * DAY_MS;
      const hour = clinicMoment(new Random(seed, STREAM.flagRaise, dayOf(day)), dayOf(day)) - start;
      const lastWritten = Math.max(...ids.map((id) => written.get(id) ?? 0));
      const at = new Date(Math.min(now, Math.max(start + hour, lastWritten + MINUTE_MS)));
      await db.$transaction(
        async (tx) => {
          await lockPatients(tx, ids);
          await reevaluatePatients(tx, ids, { ruleSet, now: at, today });
        },
        { timeout: 120_000 },
      );
    }
  };
  // A failed batch stops the others from taking new ones; its error is the run's.
  await Promise.all(
    Array.from({ length: WORKERS }, () =>
      worker().catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  return entries.length;
}

/** Takes the planned action on the flag as it is now; false when an earlier move for the patient closed it. */
export async function perform({ flag, action }: FlagWork): Promise<boolean> {
  const current = await getDb().flag.findUnique({ where: { id: flag.id }, select: { status: true, version: true } });
  if (current?.status !== "OPEN") return false;
  const actor = { id: flag.physicianId, role: "PHYSICIAN" as const };
  const context: AppLoadContext = {
    requestId: randomUUID(),
    clientAddress: "10.40.0.2",
    cspNonce: "",
    state: { userId: flag.physicianId },
  };
  if (action.action !== "refer") {
    await actOnFlag(flag.id, flag.patientId, { ...action, version: current.version }, actor, context);
    return true;
  }
  const write = { patientId: flag.patientId, actor, context };
  const { id } = await createReferral(action.referral, write);
  if (action.then) await updateReferral(id, { ...action.then, version: 1 }, write);
  return true;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
