// One worker thread of `npm run reevaluate`: re-evaluates the patients of its share of the id space,
// with its own connection pool, and reports progress and its result to the main thread.
import { parentPort, workerData } from "node:worker_threads";
import type { IsoDate } from "../domain/iso-date";
import { reevaluateAllPatients, type PatientIdRange } from "../models/evaluation.server";
import { getActiveRuleSet } from "../models/rule-set.server";
import { getDb } from "../server/db.server";

export interface ReevaluationShare {
  databaseUrl: string;
  /** The version the main thread read: every worker evaluates with it, or stops. */
  ruleSetVersion: string;
  now: string;
  today: IsoDate;
  idRange: PatientIdRange;
}

export type WorkerMessage =
  { kind: "progress"; done: number } | { kind: "result"; patients: number; changed: number; stopped: boolean };

const share = workerData as ReevaluationShare;
const post = (message: WorkerMessage) => parentPort?.postMessage(message);
process.env.DATABASE_URL = share.databaseUrl;
try {
  const ruleSet = await getActiveRuleSet();
  const stillCurrent = async (tx?: Parameters<typeof getActiveRuleSet>[0]) =>
    (await getActiveRuleSet(tx)).version === share.ruleSetVersion;
  const result =
    ruleSet.version === share.ruleSetVersion
      ? await reevaluateAllPatients(
          getDb(),
          { ruleSet, now: new Date(share.now), today: share.today },
          { idRange: share.idRange, onBatch: (done) => post({ kind: "progress", done }), stillCurrent },
        )
      : { patients: 0, changed: 0, stopped: true };
  post({ kind: "result", ...result });
} finally {
  await getDb().$disconnect();
}
