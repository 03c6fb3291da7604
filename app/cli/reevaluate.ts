// Re-evaluates every patient against the active rule set (`npm run reevaluate`). Run it after a
// rule-set change and nightly, since durations, look-back windows and snoozes move with the calendar.
//
// The engine is CPU-bound JavaScript, so the run uses the machine's cores: worker threads (one per
// core, at most 4; REEVALUATE_WORKERS sets the number) each take an even share of the patient id
// space, in batches of their own. Batches hold disjoint patients, so workers never wait on each other.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { sealAuditTrail } from "../models/audit-chain.server";
import { patientIdRanges } from "../models/evaluation.server";
import { getActiveRuleSet } from "../models/rule-set.server";
import { clinicToday } from "../server/clinic-time.server";
import { openDatabase } from "../server/database.server";
import { pendingMigrations } from "../server/migrations.server";
import { getDb } from "../server/db.server";
import { getEnv } from "../server/env.server";
import type { ReevaluationShare, WorkerMessage } from "./reevaluate-worker";

// Node 20's worker threads do not take `--import tsx` from the command line: each registers tsx
// itself before it loads the TypeScript module.
const WORKER_BOOTSTRAP = `import("tsx/esm/api").then(({ register }) => {
  register();
  return import(${JSON.stringify(new URL("./reevaluate-worker.ts", import.meta.url).href)});
});`;

// Checked before the database is opened: an exit after it would leave an embedded server running.
const workerCount = Number(process.env.REEVALUATE_WORKERS ?? Math.min(availableParallelism(), 4));
if (!Number.isInteger(workerCount) || workerCount < 1) {
  console.error(`REEVALUATE_WORKERS must be a whole number of at least 1, not "${process.env.REEVALUATE_WORKERS}".`);
  process.exit(2);
}
const database = await openDatabase(getEnv());
process.env.DATABASE_URL = database.url;
// Evaluating an unmigrated database fails deep in a query: say what to do instead.
const pending = await pendingMigrations(database.url, "prisma/migrations");
if (pending.length > 0) {
  console.error(`The database lacks ${pending.length} migration(s), from ${pending[0]}: run npm run db:migrate first.`);
  await database.embedded?.stop();
  process.exit(1);
}
console.log(`Re-evaluating every patient in ${database.description} (${workerCount} workers)`);
const started = performance.now();
try {
  const ruleSet = await getActiveRuleSet();
  const now = new Date().toISOString();
  const today = clinicToday();
  const done = new Array<number>(workerCount).fill(0);
  const workers: Worker[] = [];
  const results = await Promise.all(
    patientIdRanges(workerCount).map(
      (idRange, index) =>
        new Promise<Extract<WorkerMessage, { kind: "result" }>>((resolve, reject) => {
          const share: ReevaluationShare = {
            databaseUrl: database.url,
            ruleSetVersion: ruleSet.version,
            now,
            today,
            idRange,
          };
          const worker = new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: share });
          workers.push(worker);
          worker.on("message", (message: WorkerMessage) => {
            if (message.kind === "result") return resolve(message);
            done[index] = message.done;
            process.stdout.write(`\r${done.reduce((sum, count) => sum + count, 0)} patients re-evaluated`);
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`Worker ${index} exited with code ${code}.`)));
        }),
    ),
  ).catch(async (error: unknown) => {
    // Stop the others before the database goes: each finished batch is committed, the rest left as it was.
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  });
  const patients = results.reduce((sum, result) => sum + result.patients, 0);
  const changed = results.reduce((sum, result) => sum + result.changed, 0);
  // An administrator activating another version meanwhile starts its own run: this one stops.
  if (results.some((result) => result.stopped))
    console.log(`\nStopped: a rule set other than ${ruleSet.version} was activated meanwhile.`);
  const seconds = (performance.now() - started) / 1000;
  // Nightly, so the audit trail is sealed even when no server ran (say, in a maintenance window).
  const sealed = await sealAuditTrail(getEnv().auditChainKey);
  console.log(
    `\nRule set ${ruleSet.version}: ${patients} patients in ${seconds.toFixed(1)} s ` +
      `(${Math.round(patients / seconds)} patients/s), ${changed} evaluations changed; ${sealed} audit events sealed.`,
  );
} finally {
  await getDb().$disconnect();
  await database.embedded?.stop();
}
