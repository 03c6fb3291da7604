// `npm run bench`: load test of the production server on the 100k-patient data set, with every
// page's latency set against the raw latency of its own SQL. See docs/benchmarks.md.
//
//   npm run bench -- [--seconds 10] [--clients 1,16] [--only worklist,patient] [--scale-out]
//                    [--skip-reevaluate] [--no-build] [--cpu-prof] [--server-flags="..."] [--patients 100000]
//                    [--baseline DIR [--rounds 3]] [--accept-encoding "gzip, deflate, br, zstd"]
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd";

const USAGE = `Usage: npm run bench -- [options]
  --seconds N         length of each load run (default 10)
  --clients 1,16      concurrent connections per run (default 1,16)
  --only a,b          only these pages: worklist, patient, search, follow-up, record-outcome, reports, audit,
                      cds-known, cds-unknown (CDS Hooks patient-view)
  --scale-out         also compare one app instance with two on the same database
  --skip-reevaluate   do not run (and time) the batch re-evaluation first
  --no-build          use build/ as it is, even if app/ changed since
  --cpu-prof          write the server's CPU profile to bench-results/
  --server-flags="…"  node flags for the server instead of those of \`npm start\`, e.g. --server-flags="--max-old-space-size=256"
  --patients N        the data set size to expect (default 100000)
  --baseline DIR      also serve DIR, a built checkout of an earlier release (\`npm ci && npm run build\` there),
                      on the same database, and load each page on both, alternating, to compare them
  --rounds N          alternations per page and client count with --baseline (default 3)
  --accept-encoding E the pages' Accept-Encoding (default "${BROWSER_ACCEPT_ENCODING}", as a browser sends;
                      "identity" measures the pages uncompressed)`;

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    clients: { type: "string", default: "1,16" },
    only: { type: "string" },
    "scale-out": { type: "boolean", default: false },
    "skip-reevaluate": { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    "server-flags": { type: "string" },
    patients: { type: "string", default: "100000" },
    baseline: { type: "string" },
    rounds: { type: "string", default: "3" },
    "accept-encoding": { type: "string", default: BROWSER_ACCEPT_ENCODING },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const seconds = Number(values.seconds);
const clients = values.clients.split(",").map(Number);
const patients = Number(values.patients);
const rounds = Number(values.rounds);
const baseline = values.baseline ? path.resolve(values.baseline) : undefined;
if (
  !(seconds >= 1) ||
  clients.some((n) => !Number.isInteger(n) || n < 1) ||
  !Number.isInteger(patients) ||
  !(Number.isInteger(rounds) && rounds >= 1)
) {
  console.error(USAGE);
  process.exit(2);
}
if (baseline && !existsSync(path.join(baseline, "build/server.js"))) {
  console.error(`${baseline} has no build/server.js: run \`npm ci && npm run build\` there first.`);
  console.error(USAGE);
  process.exit(2);
}

// The recorded loaders run in this process and must read cookies exactly as the server does:
// production cookie names, the same secret. Set before any app module reads the environment.
const parentEnv = { ...process.env };
process.env.NODE_ENV = "production";
process.env.SESSION_SECRET = randomBytes(32).toString("base64url");
process.env.AUDIT_CHAIN_KEY = randomBytes(32).toString("base64url");
process.env.MFA_ENCRYPTION_KEY = randomBytes(32).toString("base64url");
process.env.LOG_LEVEL = "silent";
process.env.CLINIC_TIME_ZONE ??= "UTC";

const { runBenchmark } = await import("./run");
const { scriptNodeFlags } = await import("./server");
try {
  process.exitCode = await runBenchmark({
    seconds,
    clients,
    only: values.only?.split(",").map((id) => id.trim()),
    scaleOut: values["scale-out"],
    reevaluate: !values["skip-reevaluate"],
    build: !values["no-build"],
    cpuProfile: values["cpu-prof"],
    serverFlags: values["server-flags"]?.split(" ").filter(Boolean) ?? scriptNodeFlags("start"),
    patients,
    baseline: baseline ? { dir: baseline, rounds } : undefined,
    acceptEncoding: values["accept-encoding"],
    parentEnv,
  });
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}
