import { createHash } from "node:crypto";
import { materialContent, metCriteria } from "~/domain/evaluation-fingerprint";
import { type FlagChange, type FlagScores, latestFlagScores, nextFlagChange } from "~/domain/flag-lifecycle";
import { toIsoDate, type IsoDate } from "~/domain/iso-date";
import { evaluatePatient } from "~/domain/referral/engine";
import { compactEvaluation, type StoredEvaluation } from "~/domain/referral/stored-evaluation";
import type { RuleSet } from "~/domain/referral/rule-set";
import type { DiagnosisEvaluation } from "~/domain/referral/types";
import { Prisma } from "~/generated/prisma/client";
import type { FlagStatus, ProcedureType } from "~/generated/prisma/enums";
import type { Db, Tx } from "~/server/db.server";
import { anyUuid, prepared, qb, rows } from "~/server/query-builder.server";
import { sql, type InferResult } from "kysely";
import { enumArray } from "./sql-json.server";
import { lockPatients } from "./patient-lock.server";
import { loadSnapshots } from "./snapshot.server";

export interface EvaluationRun {
  ruleSet: RuleSet;
  now: Date;
  today: IsoDate;
}

/**
 * Re-evaluates every diagnosis of the given patients and moves their flags. Called inside the
 * transaction of every write that can change a result (so a crash can never leave a stale flag)
 * and, in batches, by the re-evaluation command.
 */
export async function reevaluatePatients(tx: Db | Tx, patientIds: string[], run: EvaluationRun) {
  if (patientIds.length === 0) return { evaluations: 0, changed: 0 };
  // Plain SQL: on every clinical write, the ORM compiled these two reads as a batch each time.
  const [loaded, currentRows, flags] = await Promise.all([
    loadSnapshots(tx, patientIds, run.today),
    rows(tx, currentEvaluations(patientIds)),
    rows(tx, storedFlags(patientIds)),
  ]);
  const currentByDiagnosis = new Map(currentRows.map((row) => [row.diagnosisId, row]));
  const flagByDiagnosis = new Map(flags.map((flag) => [flag.diagnosisId, flag]));

  const newRows: NewEvaluation[] = [];
  const retiredIds: string[] = [];
  const flagWork: Array<{
    evaluation: DiagnosisEvaluation;
    evaluationId: string;
    patientId: string;
    physicianId: string;
    latestScores: FlagScores;
    active: boolean;
  }> = [];

  for (const { snapshot, physicianId } of loaded) {
    const regions = new Map(snapshot.diagnoses.map((diagnosis) => [diagnosis.id, diagnosis.bodyRegion]));
    for (const evaluation of evaluatePatient(snapshot, run.ruleSet)) {
      const fingerprint = createHash("sha256").update(materialContent(evaluation)).digest("base64url");
      const current = currentByDiagnosis.get(evaluation.diagnosisId);
      let evaluationId: string;
      if (current?.fingerprint === fingerprint) {
        evaluationId = current.id;
      } else {
        evaluationId = crypto.randomUUID();
        if (current) retiredIds.push(current.id);
        newRows.push({
          id: evaluationId,
          patientId: snapshot.patient.id,
          diagnosisId: evaluation.diagnosisId,
          ruleSetVersion: evaluation.ruleSetVersion,
          fingerprint,
          flagged: evaluation.flag,
          urgent: evaluation.urgent !== null,
          needsData: evaluation.missingData.length > 0,
          summary: evaluation.summary,
          result: compactEvaluation(evaluation),
        });
      }
      flagWork.push({
        evaluation,
        evaluationId,
        patientId: snapshot.patient.id,
        physicianId,
        latestScores: latestFlagScores(snapshot.assessments, regions.get(evaluation.diagnosisId) ?? "OTHER"),
        active: snapshot.patient.status === "ACTIVE",
      });
    }
    // A diagnosis entered in error has no evaluation any more: its current one is history.
    for (const diagnosis of snapshot.diagnoses.filter((diagnosis) => diagnosis.enteredInError)) {
      const current = currentByDiagnosis.get(diagnosis.id);
      if (current) retiredIds.push(current.id);
      const flag = flagByDiagnosis.get(diagnosis.id);
      if (flag && flag.status !== "RESOLVED")
        await transitionFlag(
          tx,
          flag,
          { kind: "transition", to: "RESOLVED", reason: "The diagnosis was entered in error." },
          null,
          run,
        );
    }
  }

  if (retiredIds.length)
    await tx.$executeRaw`UPDATE "Evaluation" SET current = false WHERE id = ANY(${retiredIds}::uuid[])`;
  if (newRows.length) await insertEvaluations(tx, newRows, run);

  const raised: Prisma.FlagCreateManyInput[] = [];
  const raiseEvents: Prisma.FlagEventCreateManyInput[] = [];
  const updated: Array<FlagFields & { id: string }> = [];
  for (const work of flagWork) {
    const flag = flagByDiagnosis.get(work.evaluation.diagnosisId) ?? null;
    const signal = {
      // A discharged patient's pathway has ended: no flag stays open for them.
      flag: work.evaluation.flag && work.active,
      urgent: work.evaluation.urgent !== null,
      metCriteria: metCriteria(work.evaluation),
      latestScores: work.latestScores,
    };
    const change = nextFlagChange(
      flag && {
        status: flag.status,
        urgent: flag.urgent,
        snoozedUntil: flag.snoozedUntil && toIsoDate(flag.snoozedUntil),
        actedMetCriteria: flag.actedMetCriteria,
        actedScores: flag.actedScores,
      },
      signal,
      run.today,
    );
    const fields: FlagFields = {
      urgent: signal.urgent,
      summary: work.evaluation.summary,
      metCriteria: signal.metCriteria,
      suggestedProcedures: work.evaluation.suggestions.map((suggestion) => suggestion.procedure),
      latestScores: work.latestScores,
      evaluationId: work.evaluationId,
      physicianId: work.physicianId,
    };
    if (change.kind === "raise") {
      const id = crypto.randomUUID();
      raised.push({
        ...fields,
        id,
        patientId: work.patientId,
        diagnosisId: work.evaluation.diagnosisId,
        status: "OPEN",
        waitingSince: run.now,
        actedMetCriteria: [],
      });
      raiseEvents.push({
        flagId: id,
        toStatus: "OPEN",
        at: run.now,
        reason: work.evaluation.summary,
        evaluationId: work.evaluationId,
        metCriteria: signal.metCriteria,
      });
    } else if (flag && change.kind === "update" && !sameFlagFields(flag, fields)) {
      updated.push({ ...fields, id: flag.id });
    } else if (flag && change.kind === "transition") {
      await transitionFlag(tx, flag, change, fields, run);
    }
  }
  // Batched: a rule-set change touches most flags at once, and one statement per flag would dominate the run.
  if (raised.length) {
    await tx.flag.createMany({ data: raised });
    await tx.flagEvent.createMany({ data: raiseEvents });
  }
  if (updated.length) await updateFlagFields(tx, updated);
  return { evaluations: flagWork.length, changed: newRows.length };
}

interface NewEvaluation {
  id: string;
  patientId: string;
  diagnosisId: string;
  ruleSetVersion: string;
  fingerprint: string;
  flagged: boolean;
  urgent: boolean;
  needsData: boolean;
  summary: string;
  result: StoredEvaluation;
}

/** One INSERT for the batch, in plain SQL: the ORM compiles a createMany anew on every call. */
async function insertEvaluations(tx: Db | Tx, rows: NewEvaluation[], run: EvaluationRun) {
  const column = <K extends keyof NewEvaluation>(key: K) => rows.map((row) => row[key]);
  await tx.$executeRaw`
    INSERT INTO "Evaluation" (id, "patientId", "diagnosisId", "ruleSetVersion", "evaluatedAt", "evaluatedOn",
                              fingerprint, flagged, urgent, "needsData", summary, result)
    SELECT v.id, v."patientId", v."diagnosisId", v."ruleSetVersion", ${run.now}::timestamptz, ${run.today}::date,
           v.fingerprint, v.flagged, v.urgent, v."needsData", v.summary, v.result
      FROM unnest(${column("id")}::uuid[], ${column("patientId")}::uuid[], ${column("diagnosisId")}::uuid[],
                  ${column("ruleSetVersion")}::text[], ${column("fingerprint")}::text[], ${column("flagged")}::boolean[],
                  ${column("urgent")}::boolean[], ${column("needsData")}::boolean[], ${column("summary")}::text[],
                  ${rows.map((row) => JSON.stringify(row.result))}::jsonb[])
        AS v(id, "patientId", "diagnosisId", "ruleSetVersion", fingerprint, flagged, urgent, "needsData", summary, result)`;
}

async function transitionFlag(
  tx: Db | Tx,
  flag: { id: string; status: FlagStatus },
  change: Extract<FlagChange, { kind: "transition" }>,
  fields: Prisma.FlagUpdateInput | null,
  run: EvaluationRun,
) {
  await tx.flag.update({
    where: { id: flag.id },
    data: {
      ...fields,
      status: change.to,
      version: { increment: 1 },
      ...(change.to === "OPEN" && { waitingSince: run.now, snoozedUntil: null, dismissReason: null }),
      // Resolved because the record no longer suggests a referral: the next flag starts afresh.
      ...(change.to === "RESOLVED" && { actedMetCriteria: [], actedScores: Prisma.DbNull }),
    },
  });
  await tx.flagEvent.create({
    data: {
      flagId: flag.id,
      fromStatus: flag.status,
      toStatus: change.to,
      at: run.now,
      reason: change.reason,
      ...(change.to === "OPEN" && fields?.metCriteria && { metCriteria: fields.metCriteria as string[] }),
    },
  });
}

// The reads of every re-evaluation, compiled once (prepared() says why).
const currentEvaluations = prepared((patientIds: string[]) =>
  qb
    .selectFrom("Evaluation as e")
    .select(["e.id", "e.diagnosisId", "e.fingerprint"])
    .where("e.patientId", "=", anyUuid(patientIds))
    .where("e.current", "=", sql.lit(true)),
);

/** What re-evaluation reads of a diagnosis's flag. */
const storedFlags = prepared((patientIds: string[]) =>
  qb
    .selectFrom("Flag as f")
    .select((eb) => [
      "f.id",
      "f.diagnosisId",
      "f.status",
      "f.urgent",
      "f.summary",
      "f.metCriteria",
      enumArray<ProcedureType>(eb.ref("f.suggestedProcedures")).as("suggestedProcedures"),
      // The scores' shape is the domain's (flag-lifecycle.ts); null on a flag no evaluation has
      // written scores to since they were added.
      eb.ref("f.latestScores").$castTo<FlagScores | null>().as("latestScores"),
      "f.snoozedUntil",
      "f.actedMetCriteria",
      eb.ref("f.actedScores").$castTo<FlagScores | null>().as("actedScores"),
      "f.evaluationId",
      "f.physicianId",
    ])
    .where("f.patientId", "=", anyUuid(patientIds)),
);

type StoredFlag = InferResult<ReturnType<typeof storedFlags>>[number];

interface FlagFields {
  urgent: boolean;
  summary: string;
  metCriteria: string[];
  suggestedProcedures: ProcedureType[];
  latestScores: FlagScores;
  evaluationId: string;
  physicianId: string;
}

/** Most re-evaluations change nothing: skip those writes, which dominate the batch run. */
function sameFlagFields(flag: StoredFlag, fields: FlagFields): boolean {
  return (
    flag.urgent === fields.urgent &&
    flag.summary === fields.summary &&
    sameScores(flag.latestScores, fields.latestScores) &&
    flag.evaluationId === fields.evaluationId &&
    flag.physicianId === fields.physicianId &&
    flag.metCriteria.join() === fields.metCriteria.join() &&
    flag.suggestedProcedures.join() === fields.suggestedProcedures.join()
  );
}

/** jsonb keeps its own key order, so scores are compared scale by scale. */
function sameScores(stored: FlagScores | null, scores: FlagScores): boolean {
  const measures = Object.keys(scores) as Array<keyof FlagScores>;
  return (
    stored !== null &&
    Object.keys(stored).length === measures.length &&
    measures.every((measure) => stored[measure] === scores[measure])
  );
}

/** One UPDATE for many flags; the per-flag lists travel as JSON, since SQL arrays cannot be ragged. */
async function updateFlagFields(tx: Db | Tx, rows: Array<FlagFields & { id: string }>) {
  await tx.$executeRaw`
    UPDATE "Flag" AS f
       SET urgent = v.urgent,
           summary = v.summary,
           "metCriteria" = ARRAY(SELECT jsonb_array_elements_text(v.met)),
           "suggestedProcedures" = ARRAY(SELECT jsonb_array_elements_text(v.suggested))::"ProcedureType"[],
           "latestScores" = v.scores,
           "evaluationId" = v.evaluation,
           "physicianId" = v.physician,
           "updatedAt" = now()
      FROM unnest(
             ${rows.map((row) => row.id)}::uuid[],
             ${rows.map((row) => row.urgent)}::boolean[],
             ${rows.map((row) => row.summary)}::text[],
             ${rows.map((row) => JSON.stringify(row.metCriteria))}::jsonb[],
             ${rows.map((row) => JSON.stringify(row.suggestedProcedures))}::jsonb[],
             ${rows.map((row) => JSON.stringify(row.latestScores))}::jsonb[],
             ${rows.map((row) => row.evaluationId)}::uuid[],
             ${rows.map((row) => row.physicianId)}::uuid[]
           ) AS v(id, urgent, summary, met, suggested, scores, evaluation, physician)
     WHERE f.id = v.id`;
}

/**
 * Re-evaluates every patient, e.g. after a rule-set change or nightly (time-based criteria such as
 * chronic duration and snoozes move with the calendar). Each batch is its own transaction, so an
 * interrupted run leaves every patient either fully re-evaluated or as it was. Each batch locks its
 * patients like a write does, so a write and the batch never both retire the same evaluation.
 * `stillCurrent`, asked inside each batch's transaction, stops the run (`stopped`) once it answers
 * false, e.g. when a newer rule set was activated meanwhile.
 */
export async function reevaluateAllPatients(
  db: Db,
  run: EvaluationRun,
  options: {
    batchSize?: number;
    /** Batches in flight at once: while one waits for the database, another is evaluated. */
    concurrency?: number;
    /** Only these patients: the nightly run splits the id space between worker threads. */
    idRange?: PatientIdRange;
    onBatch?: (done: number) => void;
    stillCurrent?: (tx: Tx) => Promise<boolean>;
  } = {},
) {
  // Small batches: a batch holds its patients' locks, and a clinician saving for one of them waits
  // for it (about 0.2 s at 200); larger ones were no faster.
  const batchSize = options.batchSize ?? 200;
  const batches = patientIdBatches(db, batchSize, options.idRange);
  let done = 0;
  let changed = 0;
  let stopped = false;
  // Batches hold disjoint patients, each locked in id order, so batches in flight never wait on each other.
  const worker = async () => {
    for (let next = await batches.next(); !next.done && !stopped; next = await batches.next()) {
      const ids = next.value;
      const result = await db.$transaction(
        async (tx) => {
          if (options.stillCurrent && !(await options.stillCurrent(tx))) return null;
          await lockPatients(tx, ids);
          return reevaluatePatients(tx, ids, run);
        },
        { timeout: 120_000 },
      );
      if (!result) {
        stopped = true;
        return;
      }
      changed += result.changed;
      done += ids.length;
      options.onBatch?.(done);
    }
  };
  await Promise.all(
    Array.from({ length: options.concurrency ?? 3 }, () =>
      worker().catch((error: unknown) => {
        // One failed batch stops the others from taking new ones; its error is the run's.
        stopped = true;
        throw error;
      }),
    ),
  );
  return { patients: done, changed, stopped };
}

/** Patients whose id is above `above` and at most `atMost`, in UUID order (PostgreSQL compares them bytewise). */
export interface PatientIdRange {
  above: string;
  atMost: string;
}

const EVERY_PATIENT: PatientIdRange = {
  above: "00000000-0000-0000-0000-000000000000",
  atMost: "ffffffff-ffff-ffff-ffff-ffffffffffff",
};

/** `parts` ranges that cover every patient id between them, split evenly over the (random) UUID space. */
export function patientIdRanges(parts: number): PatientIdRange[] {
  const boundary = (part: number) =>
    part === parts
      ? EVERY_PATIENT.atMost
      : `${Math.floor((part * 2 ** 32) / parts)
          .toString(16)
          .padStart(8, "0")}-0000-0000-0000-000000000000`;
  return Array.from({ length: parts }, (_, part) => ({ above: boundary(part), atMost: boundary(part + 1) }));
}

/** Every patient id of the range, in id order, a batch at a time (keyset pagination: no OFFSET, no long scan). */
export async function* patientIdBatches(
  db: Db,
  batchSize: number,
  range: PatientIdRange = EVERY_PATIENT,
): AsyncGenerator<string[]> {
  let after = range.above;
  for (;;) {
    const batch = await db.patient.findMany({
      where: { id: { gt: after, lte: range.atMost } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (batch.length === 0) return;
    const ids = batch.map((patient) => patient.id);
    yield ids;
    after = ids[ids.length - 1] as string;
  }
}
