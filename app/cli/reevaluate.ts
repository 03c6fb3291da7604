// Re-evaluates every patient against the active rule set (`npm run reevaluate`). Run it after a
// rule-set change and nightly, since durations, look-back windows and snoozes move with the calendar.
import { reevaluateAllPatients } from "../models/evaluation.server";
import { getActiveRuleSet } from "../models/rule-set.server";
import { clinicToday } from "../server/clinic-time.server";
import { openDatabase } from "../server/database.server";
import { getDb } from "../server/db.server";
import { getEnv } from "../server/env.server";

const database = await openDatabase(getEnv());
process.env.DATABASE_URL = database.url;
console.log(`Re-evaluating every patient in ${database.description}`);
const started = performance.now();
const ruleSet = await getActiveRuleSet();
try {
  const result = await reevaluateAllPatients(
    getDb(),
    { ruleSet, now: new Date(), today: clinicToday() },
    {
      onBatch: (done) => process.stdout.write(`\r${done} patients re-evaluated`),
      // An administrator activating another version meanwhile starts its own run: this one stops.
      stillCurrent: async (tx) => (await getActiveRuleSet(tx)).version === ruleSet.version,
    },
  );
  if (result.stopped) console.log(`\nStopped: a rule set other than ${ruleSet.version} was activated meanwhile.`);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\nRule set ${ruleSet.version}: ${result.patients} patients in ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.patients / seconds)} patients/s), ${result.changed} evaluations changed.`,
  );
} finally {
  await getDb().$disconnect();
  await database.embedded?.stop();
}
