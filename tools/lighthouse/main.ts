/**
 * Lighthouse on the production build with the demo data: sign-in, worklist, patient page and
 * reports, each on desktop and mobile (Lighthouse's own presets), in the system Chromium.
 *
 *   npm run lighthouse [-- --runs 3]
 *
 * Builds when needed, starts a throwaway PostgreSQL, loads the demo data, runs `node build/server.js`
 * as `npm start` does, signs in by a session cookie sent as an extra header, and prints one score
 * table (the median of the runs per page). Not part of `npm test`: scores move with machine load.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import lighthouse, { desktopConfig, type Flags } from "lighthouse";
import { chromium } from "playwright-core";
import { createCookie } from "@remix-run/node";
import { createSession } from "~/models/session.server";
import { getDb } from "~/server/db.server";
import { startThrowawayPostgres, freePort } from "~/server/embedded-postgres.server";
import { getEnv } from "~/server/env.server";
import { applyMigrations } from "~/server/migrations.server";
import { seedDemoData } from "../demo/demo-data";
import { buildIfNeeded, scriptNodeFlags, startServer } from "../bench/server";

const CATEGORIES = ["performance", "accessibility", "best-practices"] as const;
const TARGETS = {
  desktop: { performance: 95, accessibility: 100, "best-practices": 100 },
  mobile: { performance: 90, accessibility: 100, "best-practices": 100 },
} as const;
const RESULTS_DIR = "lighthouse-results";

const { values } = parseArgs({ options: { runs: { type: "string", default: "1" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a whole number of at least 1");

buildIfNeeded(false);
const database = await startThrowawayPostgres("painpath_lighthouse");
process.env.DATABASE_URL = database.url;
const secret = randomBytes(32).toString("base64url");
let server: Awaited<ReturnType<typeof startServer>> | undefined;
let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
try {
  await applyMigrations(database.url, "prisma/migrations");
  await seedDemoData(getDb());
  mkdirSync(RESULTS_DIR, { recursive: true });
  server = await startServer({
    databaseUrl: database.url,
    sessionSecret: secret,
    logFile: path.join(RESULTS_DIR, "server.log"),
    nodeFlags: scriptNodeFlags("start"),
  });
  const { origin } = server;

  // Sessions as a sign-in makes them, under the production cookie name and the server's secret.
  const cookie = createCookie("__Host-painpath_session", { secrets: [secret] });
  const env = getEnv();
  const cookieFor = async (email: string) => {
    const user = await getDb().user.findUniqueOrThrow({ where: { email } });
    const context = { requestId: randomUUID(), clientAddress: "lighthouse", cspNonce: "", state: {} };
    const session = { userId: user.id, browser: "Lighthouse", clientAddress: "lighthouse", secondFactorAt: new Date() };
    const policy = { idleMinutes: env.SESSION_IDLE_MINUTES, absoluteHours: env.SESSION_ABSOLUTE_HOURS };
    const { token } = await createSession(context, session, policy);
    return (await cookie.serialize(token)).split(";")[0] as string;
  };
  const physician = await getDb().user.findUniqueOrThrow({ where: { email: "physician@painpath.test" } });
  // The demo's flagged patient with the most on the page: the heaviest patient page.
  const [patient] = await getDb().$queryRaw<Array<{ id: string }>>`
    SELECT f."patientId" AS id FROM "Flag" f
     WHERE f.status = 'OPEN' AND f."physicianId" = ${physician.id}::uuid
     ORDER BY (SELECT count(*) FROM "TherapyTrial" t WHERE t."patientId" = f."patientId") DESC, f."patientId"
     LIMIT 1`;
  if (!patient) throw new Error("The demo data has no flagged patient");
  const pages = [
    { name: "Sign-in", path: "/sign-in", email: null },
    { name: "Worklist", path: "/worklist", email: "physician@painpath.test" },
    { name: "Patient page", path: `/patients/${patient.id}`, email: "physician@painpath.test" },
    { name: "Reports", path: "/reports", email: "admin@painpath.test" },
  ];

  const port = await freePort();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [`--remote-debugging-port=${port}`, "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const rows: string[] = [];
  const misses: string[] = [];
  for (const page of pages) {
    for (const formFactor of ["desktop", "mobile"] as const) {
      const scores: Record<string, number[]> = Object.fromEntries(CATEGORIES.map((category) => [category, []]));
      for (let run = 0; run < runs; run++) {
        // A fresh session per run: the idle timeout must not end it between pages.
        const headers = page.email ? { Cookie: await cookieFor(page.email) } : undefined;
        const flags: Flags = {
          port,
          output: "json",
          logLevel: "error",
          onlyCategories: [...CATEGORIES],
          extraHeaders: headers,
        };
        const result = await lighthouse(
          `${origin}${page.path}`,
          flags,
          formFactor === "desktop" ? desktopConfig : undefined,
        );
        if (!result) throw new Error(`Lighthouse returned nothing for ${page.path}`);
        const { lhr } = result;
        if (lhr.runtimeError) throw new Error(`${page.name}: ${lhr.runtimeError.message}`);
        if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(`${origin}${page.path}`).pathname)
          throw new Error(`${page.name} ended on ${lhr.finalDisplayedUrl}: the session was not accepted`);
        const file = `${page.name.toLowerCase().replace(/\W+/g, "-")}-${formFactor}-${run + 1}.json`;
        writeFileSync(path.join(RESULTS_DIR, file), JSON.stringify(lhr));
        for (const category of CATEGORIES) {
          scores[category]?.push(Math.round((lhr.categories[category]?.score ?? 0) * 100));
          if ((lhr.categories[category]?.score ?? 0) < 1) {
            const failing = lhr.categories[category]?.auditRefs
              .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 0.9)
              .map((ref) => `${ref.id} ${lhr.audits[ref.id]?.displayValue ?? ""}`.trim());
            misses.push(`${page.name} ${formFactor} ${category}: ${failing?.join("; ") || "-"}`);
          }
        }
        const metrics = [
          "first-contentful-paint",
          "largest-contentful-paint",
          "total-blocking-time",
          "cumulative-layout-shift",
        ]
          .map(
            (id) =>
              `${id
                .split("-")
                .map((word) => word[0])
                .join("")
                .toUpperCase()} ${lhr.audits[id]?.displayValue}`,
          )
          .join(", ");
        console.log(`${page.name}, ${formFactor}, run ${run + 1}: ${metrics}`);
      }
      const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
      const cells = CATEGORIES.map((category) => {
        const score = median(scores[category] ?? []);
        return score >= TARGETS[formFactor][category] ? `${score}` : `${score} ✗`;
      });
      rows.push(`| ${page.name} | ${formFactor} | ${cells.join(" | ")} |`);
    }
  }
  console.log(
    `\nLighthouse ${runs > 1 ? `(median of ${runs} runs) ` : ""}on ${new Date().toISOString().slice(0, 10)}:\n`,
  );
  console.log("| page | device | performance | accessibility | best practices |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
  console.log(
    `\nTargets: desktop ${JSON.stringify(TARGETS.desktop)}, mobile ${JSON.stringify(TARGETS.mobile)}; ✗ misses one.`,
  );
  if (misses.length) console.log(`\nBelow 100, audits under 0.9:\n${[...new Set(misses)].join("\n")}`);
  console.log(`Reports: ${RESULTS_DIR}/`);
} finally {
  await browser?.close();
  await server?.stop();
  await getDb().$disconnect();
  await database.stop();
}
