import type { AppLoadContext } from "@remix-run/node";
import type { RuleSet } from "~/domain/referral/rule-set";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { reevaluateAllPatients } from "./evaluation.server";
import { computeRuleSetImpact, recordImpact } from "./rule-impact.server";
import { activeRuleSetVersionId } from "./rule-set.server";

/**
 * Long runs an administrator starts from the rule-settings pages (the impact of a draft, the
 * re-evaluation after an activation) run in the background of the server process that received the
 * request, so the request returns at once. Progress lives in this process's memory only; results
 * and completions are audit events, which every instance can read. A run cut short by a restart
 * leaves every patient either done or as before (each batch is one transaction): compute the impact
 * again, or run `npm run reevaluate` (it is also the nightly job).
 */
export type RuleSetJobKind = "impact" | "reevaluation";

export interface RuleSetJob {
  kind: RuleSetJobKind;
  versionId: string;
  version: string;
  startedAt: Date;
  done: number;
  total: number | null;
  finishedAt: Date | null;
  failed: boolean;
  promise: Promise<void>;
}

declare global {
  var __painpathRuleSetJobs: Map<string, RuleSetJob> | undefined;
}

// On globalThis, like the Prisma client: a dev rebuild re-imports this module mid-run.
function jobs(): Map<string, RuleSetJob> {
  globalThis.__painpathRuleSetJobs ??= new Map();
  return globalThis.__painpathRuleSetJobs;
}

const jobKey = (kind: RuleSetJobKind, versionId: string) => `${kind}:${versionId}`;

/** This process's latest job of the kind for a version, running or finished; undefined if none. */
export function ruleSetJob(kind: RuleSetJobKind, versionId: string): RuleSetJob | undefined {
  return jobs().get(jobKey(kind, versionId));
}

export interface RuleSetJobProgress {
  running: boolean;
  failed: boolean;
  done: number;
  total: number | null;
  startedAt: string;
  finishedAt: string | null;
}

/** A job's progress as a loader can send it; null when this process has not run one. */
export function ruleSetJobProgress(kind: RuleSetJobKind, versionId: string): RuleSetJobProgress | null {
  const job = ruleSetJob(kind, versionId);
  if (!job) return null;
  return {
    running: job.finishedAt === null,
    failed: job.failed,
    done: job.done,
    total: job.total,
    startedAt: job.startedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/** Waits for every running job: for tests and for a graceful shutdown. */
export async function waitForRuleSetJobs(): Promise<void> {
  await Promise.all([...jobs().values()].map((job) => job.promise));
}

function start(
  kind: RuleSetJobKind,
  versionId: string,
  version: string,
  run: (job: RuleSetJob) => Promise<void>,
): boolean {
  const running = ruleSetJob(kind, versionId);
  if (running && !running.finishedAt) return false;
  const job: RuleSetJob = {
    kind,
    versionId,
    version,
    startedAt: new Date(),
    done: 0,
    total: null,
    finishedAt: null,
    failed: false,
    promise: Promise.resolve(),
  };
  jobs().set(jobKey(kind, versionId), job);
  // Deferred one tick, so the request that started it commits its response first.
  job.promise = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => run(job))
    .catch((error: unknown) => {
      job.failed = true;
      logger.error({ err: error, kind, ruleSetVersion: version }, "Rule-set job failed");
    })
    .finally(() => {
      job.finishedAt = new Date();
    });
  return true;
}

/** Logs at each tenth of the way, not at every batch. */
function progressLogger(kind: RuleSetJobKind, version: string) {
  let lastTenth = 0;
  return (done: number, total: number) => {
    const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
    if (tenth > lastTenth) {
      lastTenth = tenth;
      logger.info({ kind, ruleSetVersion: version, done, total }, "Rule-set job progress");
    }
  };
}

/** Starts computing a draft's impact; false when one is already running for it here. */
export function startImpactJob(options: {
  versionId: string;
  ruleSet: RuleSet;
  actor: AuditActor;
  context: AppLoadContext;
}): boolean {
  const { versionId, ruleSet, actor, context } = options;
  return start("impact", versionId, ruleSet.version, async (job) => {
    const started = performance.now();
    const log = progressLogger("impact", ruleSet.version);
    logger.info({ ruleSetVersion: ruleSet.version }, "Computing a rule set's impact");
    const impact = await computeRuleSetImpact(getDb(), ruleSet, {
      onProgress: (done, total) => {
        job.done = done;
        job.total = total;
        log(done, total);
      },
    });
    const durationMs = Math.round(performance.now() - started);
    await recordImpact(context, actor, versionId, impact, durationMs);
    logger.info(
      {
        ruleSetVersion: ruleSet.version,
        patients: impact.patients,
        gained: impact.gained,
        lost: impact.lost,
        durationMs,
      },
      "Rule set's impact computed",
    );
  });
}

/**
 * Re-evaluates every patient with a newly activated rule set. It stops by itself when another
 * version is activated meanwhile: that activation starts its own run.
 */
export function startReevaluationJob(options: {
  versionId: string;
  ruleSet: RuleSet;
  actor: AuditActor;
  context: AppLoadContext;
}): boolean {
  const { versionId, ruleSet, actor, context } = options;
  return start("reevaluation", versionId, ruleSet.version, async (job) => {
    const db = getDb();
    const started = performance.now();
    const total = await db.patient.count();
    job.total = total;
    const log = progressLogger("reevaluation", ruleSet.version);
    logger.info({ ruleSetVersion: ruleSet.version, total }, "Re-evaluating every patient with the activated rule set");
    const result = await reevaluateAllPatients(
      db,
      { ruleSet, now: new Date(), today: clinicToday() },
      {
        // Small batches: each holds its patients' row locks, which a nurse's save for one of them waits on.
        batchSize: 50,
        onBatch: (done) => {
          job.done = done;
          log(done, total);
        },
        stillCurrent: async (tx) => (await activeRuleSetVersionId(tx)) === versionId,
      },
    );
    const durationMs = Math.round(performance.now() - started);
    await recordAudit(context, {
      action: "rules.reevaluate",
      actor,
      entityType: "RuleSetVersion",
      entityId: versionId,
      detail: { version: ruleSet.version, ...result, durationMs },
    });
    logger.info(
      { ruleSetVersion: ruleSet.version, ...result, durationMs },
      result.stopped
        ? "Re-evaluation stopped: another rule set was activated"
        : "Re-evaluation with the activated rule set finished",
    );
  });
}

/** The last finished re-evaluation of a version, from any instance (its audit event); null if none. */
export async function lastReevaluation(versionId: string) {
  const event = await getDb().auditEvent.findFirst({
    where: { action: "rules.reevaluate", entityType: "RuleSetVersion", entityId: versionId },
    orderBy: { id: "desc" },
    select: { at: true, detail: true },
  });
  if (!event) return null;
  const detail = (event.detail ?? {}) as { patients?: number; changed?: number; stopped?: boolean };
  return {
    at: event.at.toISOString(),
    patients: detail.patients ?? 0,
    changed: detail.changed ?? 0,
    stopped: detail.stopped ?? false,
  };
}
