// `npm run bench:report-counts`: what the monthly flag outcome counts save a reports view, at the
// load a clinic's administrators make. It times the report's queries for the default year in
// process, back to back, with the counts (the clinic's registered zone) and without them (an
// equivalent zone that is not registered, so the episodes are grouped), at 1 and 3 concurrent views.
import { openDatabase } from "~/server/database.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { clinicToday } from "~/server/clinic-time.server";
import { addDays } from "~/domain/clinical/duration";
import { loadReferralReport } from "~/models/reports.server";
import { registerReportTimeZone } from "~/models/flag-outcome-counts.server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const COUNTED = "UTC";
const GROUPED = "Etc/UTC";

const database = await openDatabase(getEnv(), "painpath_bench");
process.env.DATABASE_URL = database.url;
try {
  await registerReportTimeZone(COUNTED);
  await getDb().$executeRaw`DELETE FROM "ReportTimeZone" WHERE "timeZone" = ${GROUPED}`;
  const today = clinicToday();
  const range = { from: addDays(today, -364), to: today };
  console.log(`Reports view for ${range.from} to ${range.to}, ${SECONDS} s a run`);
  console.log("| source | views at once | views/s | p50 ms | p95 ms |\n| --- | ---: | ---: | ---: | ---: |");
  for (const concurrency of [1, 3]) {
    for (const [label, zone] of [
      ["monthly counts", COUNTED],
      ["grouped episodes", GROUPED],
    ] as const) {
      const times: number[] = [];
      const deadline = performance.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) {
            const started = performance.now();
            await loadReferralReport(range, zone);
            times.push(performance.now() - started);
          }
        }),
      );
      times.sort((a, b) => a - b);
      const at = (share: number) => times[Math.min(times.length - 1, Math.floor(times.length * share))]?.toFixed(1);
      console.log(`| ${label} | ${concurrency} | ${(times.length / SECONDS).toFixed(1)} | ${at(0.5)} | ${at(0.95)} |`);
    }
  }
} finally {
  await getDb().$disconnect();
  await database.embedded?.stop();
}
