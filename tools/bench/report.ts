/** The benchmark's results as Markdown (written to bench-results/) and as a short screen summary. */

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  errors: number;
}

export interface CpuShare {
  seconds: number;
  /** Cores used on average by each party during the run (2.0 = both cores of this machine). */
  servers: number;
  postgres: number | null;
  loadGenerator: number;
  /** Everything else on the machine meanwhile (other test runs). */
  other: number | null;
}

export interface LoadRow {
  scenarioId: string;
  title: string;
  connections: number;
  http: Summary;
  raw: Summary | null;
  statements: number;
  /** Mean response size, KB. */
  responseKb: number;
  targetP95Ms: number;
  peakRssMb: number;
  cpu: CpuShare;
  statuses: Record<string, number>;
}

export interface ScaleOutRow {
  title: string;
  connections: number;
  one: Summary & { cpu: CpuShare };
  two: Summary & { cpu: CpuShare };
}

/** One load run in a comparison with an earlier release. */
export interface RoundResult extends Summary {
  /** The server's CPU time (user + system) divided by the responses it sent. */
  serverCpuMsPerRequest: number;
  responseKb: number;
}

/** A page at one client count, loaded alternately on the baseline and on this build. */
export interface BaselineRow {
  title: string;
  connections: number;
  baseline: RoundResult[];
  current: RoundResult[];
}

export interface BenchReport {
  startedAt: Date;
  database: string;
  patients: number;
  machine: string;
  seconds: number;
  acceptEncoding: string;
  build: number | null;
  serverFlags: string[];
  reevaluation: { seconds: number; patients: number; changed: number; peakRssMb: number; output: string } | null;
  rows: LoadRow[];
  scaleOut: ScaleOutRow[];
  baseline: { dir: string; rows: BaselineRow[] } | null;
  /** Per page: the statements of one recorded request, and plans of the slowest. */
  explains: Array<{ title: string; statements: string[]; plans: string[] }>;
  skipped: string[];
}

export const TARGETS = {
  ratio: 3,
  rssMb: 300,
  reevaluationSeconds: 30,
  errorRate: 0.001,
};

const PAGE_HEADER =
  "| page | clients | p50 ms | p95 ms | p99 ms | req/s | errors | raw p50 ms | raw p95 ms | ratio p50 | SQL stmts | " +
  "KB/resp | p95 target | peak RSS MB | CPU cores srv/pg/gen/other | verdict |";

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : "–");
const rate = (value: number) => value.toFixed(value < 10 ? 1 : 0);
const cores = (value: number | null) => (value === null ? "–" : value.toFixed(2));

export function ratioOf(row: LoadRow): number | null {
  return row.raw && row.raw.p50 > 0 ? row.http.p50 / row.raw.p50 : null;
}

/** Only the 16-client rows carry the p95 target; every row carries the ratio and error targets. */
export function missesOf(row: LoadRow): string[] {
  const misses: string[] = [];
  if (row.connections >= 16 && row.http.p95 > row.targetP95Ms) misses.push(`p95 > ${row.targetP95Ms} ms`);
  const ratio = ratioOf(row);
  if (ratio !== null && ratio > TARGETS.ratio) misses.push(`ratio > ${TARGETS.ratio}`);
  if (row.http.count > 0 && row.http.errors / row.http.count > TARGETS.errorRate) misses.push("errors");
  return misses;
}

/** A page is slower than the baseline when the median of its rounds' p95 is more than this fraction above it. */
export const SLOWER_BY = 0.05;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Medians over the rounds of one side. */
function medians(rounds: RoundResult[]) {
  return {
    p50: median(rounds.map((round) => round.p50)),
    p95: median(rounds.map((round) => round.p95)),
    perSecond: median(rounds.map((round) => round.perSecond)),
    cpuMs: median(rounds.map((round) => round.serverCpuMsPerRequest)),
    kb: median(rounds.map((round) => round.responseKb)),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
  };
}

const change = (after: number, before: number) =>
  `${after >= before ? "+" : "−"}${Math.abs((100 * (after - before)) / before).toFixed(0)} %`;

/** A side whose responses were more than TARGETS.errorRate errors measured something else: no verdict. */
export function baselineVerdict(row: BaselineRow): "slower" | "ok" | "not comparable" {
  const failing = (rounds: RoundResult[]) =>
    rounds.some((round) => round.count > 0 && round.errors / round.count > TARGETS.errorRate);
  if (failing(row.baseline) || failing(row.current)) return "not comparable";
  return medians(row.current).p95 > medians(row.baseline).p95 * (1 + SLOWER_BY) ? "slower" : "ok";
}

export function baselineSummary(row: BaselineRow): string {
  const [before, after] = [medians(row.baseline), medians(row.current)];
  return (
    `p50 ${ms(before.p50)} → ${ms(after.p50)}, p95 ${ms(before.p95)} → ${ms(after.p95)} ms (${change(after.p95, before.p95)}), ` +
    `server CPU ${before.cpuMs.toFixed(1)} → ${after.cpuMs.toFixed(1)} ms a request: ${baselineVerdict(row)}`
  );
}

function baselineSection(baseline: { dir: string; rows: BaselineRow[] }, rounds: number): string[] {
  const lines = [
    "## Against the baseline",
    "",
    `Baseline: \`${baseline.dir}\`, served beside this build on the same database. Each page and client count was ` +
      `loaded ${rounds} times on each, alternating and swapping the order each round; the table gives the medians of ` +
      `the rounds. Slower: this build's p95 more than ${SLOWER_BY * 100} % above the baseline's; not comparable: ` +
      `either side answered with errors (e.g. a route the baseline lacks).`,
    "",
    "| page | clients | p50 ms before → after | p95 ms before → after | p95 change | req/s before → after | server CPU ms/request before → after | KB/resp before → after | errors | verdict |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const row of baseline.rows) {
    const [before, after] = [medians(row.baseline), medians(row.current)];
    const verdict = baselineVerdict(row);
    lines.push(
      `| ${row.title} | ${row.connections} | ${ms(before.p50)} → ${ms(after.p50)} | ${ms(before.p95)} → ${ms(after.p95)} | ` +
        `${change(after.p95, before.p95)} | ${rate(before.perSecond)} → ${rate(after.perSecond)} | ` +
        `${before.cpuMs.toFixed(1)} → ${after.cpuMs.toFixed(1)} | ${before.kb.toFixed(0)} → ${after.kb.toFixed(0)} | ` +
        `${before.errors} / ${after.errors} | ${verdict === "slower" ? "**slower**" : verdict} |`,
    );
  }
  lines.push("");
  return lines;
}

export function markdown(report: BenchReport): string {
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  push(
    `# PainPath benchmark ${report.startedAt.toISOString()}`,
    "",
    `- Database: ${report.database}, ${report.patients.toLocaleString("en-US")} patients`,
    `- Machine: ${report.machine}`,
    `- ${report.seconds} s per load run; closed-loop autocannon on 127.0.0.1; latencies are per response; pages asked with \`Accept-Encoding: ${report.acceptEncoding}\`, KB/resp as sent.`,
    `- Raw SQL: the statements the route's loader/action sent (recorded in-process), replayed with \`pg\` at the same concurrency: session lookup, page queries and audit insert included. A write is recorded in a transaction that is rolled back, and each recording is replayed once, with COMMIT.`,
    report.build === null ? "- Build: up to date" : `- Build: ${report.build.toFixed(1)} s`,
    `- Server: \`node ${[...report.serverFlags, "build/server.js"].join(" ")}\`, NODE_ENV=production, DATABASE_POOL_SIZE default`,
    "",
  );
  if (report.reevaluation) {
    const r = report.reevaluation;
    const verdict =
      r.seconds <= TARGETS.reevaluationSeconds ? "ok" : `**missed** (target ${TARGETS.reevaluationSeconds} s)`;
    push(
      "## Batch re-evaluation",
      "",
      `${r.patients.toLocaleString("en-US")} patients in ${r.seconds.toFixed(1)} s ` +
        `(${Math.round(r.patients / r.seconds)} patients/s), ${r.changed.toLocaleString("en-US")} evaluations changed, ` +
        `peak RSS ${r.peakRssMb.toFixed(0)} MB: ${verdict}`,
      "",
    );
  }
  push(
    "## Pages",
    "",
    PAGE_HEADER,
    PAGE_HEADER.replace(/[^|]+/g, (cell) => (/^ (page|CPU|verdict)/.test(cell) ? " --- " : " ---: ")),
  );
  for (const row of report.rows) {
    const ratio = ratioOf(row);
    const misses = missesOf(row);
    push(
      `| ${row.title} | ${row.connections} | ${ms(row.http.p50)} | ${ms(row.http.p95)} | ${ms(row.http.p99)} | ` +
        `${rate(row.http.perSecond)} | ${row.http.errors} | ${row.raw ? ms(row.raw.p50) : "–"} | ` +
        `${row.raw ? ms(row.raw.p95) : "–"} | ${ratio === null ? "–" : ratio.toFixed(2)} | ${row.statements} | ` +
        `${row.responseKb.toFixed(0)} | ` +
        `${row.targetP95Ms} | ${row.peakRssMb.toFixed(0)} | ${cores(row.cpu.servers)}/${cores(row.cpu.postgres)}/` +
        `${cores(row.cpu.loadGenerator)}/${cores(row.cpu.other)} | ${misses.length ? `**${misses.join(", ")}**` : "ok"} |`,
    );
  }
  const peak = Math.max(0, ...report.rows.map((row) => row.peakRssMb));
  push(
    "",
    `Peak server RSS: ${peak.toFixed(0)} MB (target < ${TARGETS.rssMb} MB): ${peak < TARGETS.rssMb ? "ok" : "**missed**"}`,
    "",
  );
  const odd = report.rows.filter((row) =>
    Object.keys(row.statuses).some((status) => status !== "200" && status !== "302"),
  );
  if (odd.length) {
    push("Unexpected statuses:", "");
    for (const row of odd) push(`- ${row.title} @${row.connections}: ${JSON.stringify(row.statuses)}`);
    push("");
  }
  if (report.scaleOut.length) {
    push(
      "## Scale-out: one instance vs two on the same database",
      "",
      "| page | clients | 1 instance req/s | p50 / p95 ms | 2 instances req/s | p50 / p95 ms | 2 ÷ 1 | CPU cores, 1 inst. srv/pg/gen/other | CPU cores, 2 inst. srv/pg/gen/other |",
      "| --- | ---: | ---: | --- | ---: | --- | ---: | --- | --- |",
    );
    for (const row of report.scaleOut) {
      const cpu = (share: CpuShare) =>
        `${cores(share.servers)}/${cores(share.postgres)}/${cores(share.loadGenerator)}/${cores(share.other)}`;
      push(
        `| ${row.title} | ${row.connections} | ${rate(row.one.perSecond)} | ${ms(row.one.p50)} / ${ms(row.one.p95)} | ` +
          `${rate(row.two.perSecond)} | ${ms(row.two.p50)} / ${ms(row.two.p95)} | ` +
          `${(row.two.perSecond / row.one.perSecond).toFixed(2)} | ${cpu(row.one.cpu)} | ${cpu(row.two.cpu)} |`,
      );
    }
    push(
      "",
      "CPU columns are cores used on average: app server(s) / PostgreSQL / the load generator (this process) / everything else on the machine.",
      "",
    );
  }
  if (report.baseline) push(...baselineSection(report.baseline, report.baseline.rows[0]?.baseline.length ?? 0));
  if (report.skipped.length) push("## Skipped", "", ...report.skipped.map((line) => `- ${line}`), "");
  if (report.explains.length) {
    push(
      "## Statements of one request, and EXPLAIN (ANALYZE, BUFFERS) of the slowest (a write the replay already committed: its plan only)",
      "",
    );
    for (const { title, statements, plans } of report.explains) {
      push(`### ${title}`, "", `${statements.length} statements:`, "");
      for (const statement of statements)
        push(`- \`${statement.length > 160 ? `${statement.slice(0, 157)}…` : statement}\``);
      push("");
      for (const plan of plans) push("```sql", plan, "```", "");
    }
  }
  return lines.join("\n");
}

export function screenSummary(report: BenchReport): string {
  const lines = report.rows.map((row) => {
    const ratio = ratioOf(row);
    const misses = missesOf(row);
    return (
      `${row.title.padEnd(24)} ${String(row.connections).padStart(2)} clients  p50 ${ms(row.http.p50).padStart(5)}  ` +
      `p95 ${ms(row.http.p95).padStart(5)}  p99 ${ms(row.http.p99).padStart(5)} ms  ${rate(row.http.perSecond).padStart(5)} req/s  ` +
      `err ${row.http.errors}  ratio ${ratio === null ? "–" : ratio.toFixed(2)}  ${misses.length ? `MISSED: ${misses.join(", ")}` : "ok"}`
    );
  });
  for (const row of report.baseline?.rows ?? []) {
    lines.push(`Against the baseline, ${row.title} at ${row.connections}: ${baselineSummary(row)}`);
  }
  for (const row of report.scaleOut) {
    lines.push(
      `Scale-out ${row.title}: 1 instance ${rate(row.one.perSecond)} req/s, 2 instances ${rate(row.two.perSecond)} req/s ` +
        `(${(row.two.perSecond / row.one.perSecond).toFixed(2)}×)`,
    );
  }
  return lines.join("\n");
}
