/**
 * Loads the synthetic dataset (./generate.ts) into PostgreSQL the fast way: one COPY ... FROM STDIN
 * stream per table, all fed from a single pass of the generator, into tables stripped of their
 * keys, indexes and foreign keys, which are rebuilt afterwards by sorting (far cheaper than
 * maintaining them row by row). Then the derived patient fields are computed with the app's own
 * set-based SQL, sequences are moved past the loaded ids, and everything is vacuumed and analysed.
 *
 * Only an empty database is loaded. The constraints and indexes are read from the catalogue before
 * they are dropped, so whatever the migrations define is what comes back. A marker table records a
 * load in progress: if the process dies half-way, the next run sees it and asks for --replace.
 */
import { describeDatabase } from "~/server/database.server";
import { once } from "node:events";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { from as copyFrom, type CopyStreamQuery } from "pg-copy-streams";
import { PrismaClient } from "~/generated/prisma/client";
import { refreshAllPathwaySummaries } from "~/models/pathway-summary.server";
import { getEnv } from "~/server/env.server";
import { applyMigrations } from "~/server/migrations.server";
import { copyLine, DatasetFingerprint } from "./copy-text";
import { raiseAndWorkFlags, type FlagWorkReport } from "./flag-work";
import { generateDataset } from "./generate";
import { DATASET_COLUMNS, DATASET_TABLES, type DatasetOptions, type DatasetTable } from "./tables";

/** Present only while a load runs; left behind, it means the schema lacks its indexes and keys. */
const LOAD_MARKER = "_dataset_load_in_progress";
/** Bytes of COPY text buffered per table before it is written to its stream. */
const CHUNK_CHARS = 256 * 1024;
const MAINTENANCE_WORK_MEM = "256MB";

export interface LoadPhase {
  name: string;
  ms: number;
}

export interface TableSize {
  table: DatasetTable;
  rows: number;
  totalBytes: number;
  indexBytes: number;
}

export interface LoadReport {
  target: string;
  fingerprint: string;
  rows: Record<DatasetTable, number>;
  /** Patients whose lastAssessedOn / followUpAnchor the bulk refresh set. */
  summariesRefreshed: number;
  phases: LoadPhase[];
  sizes: TableSize[];
}

export type LoadLog = (message: string) => void;

// ---------------------------------------------------------------------------------------------------
// Safety

export class NonEmptyDatabaseError extends Error {}

export interface TargetState {
  description: string;
  empty: boolean;
  patients: number;
  users: number;
  /** Tables holding at least one row, plus the marker of an interrupted load. */
  occupied: string[];
}

/** Settings a migration writes (the default MFA policy): part of an empty database, not data. */
const MIGRATION_SETTINGS = new Set(["MfaPolicy"]);

/** What the database holds: every table of the current schema is checked, not only the dataset's. */
export async function inspectTarget(url: string): Promise<TargetState> {
  return withClient(url, async (client) => {
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
        ORDER BY c.relname`,
    );
    const occupied: string[] = [];
    for (const { name } of tables.rows) {
      if (name === LOAD_MARKER) occupied.push(`${LOAD_MARKER} (an earlier load did not finish)`);
      else if (!MIGRATION_SETTINGS.has(name)) {
        const found = await client.query(`SELECT EXISTS (SELECT 1 FROM ${pg.escapeIdentifier(name)}) AS found`);
        if (found.rows[0]?.found) occupied.push(name);
      }
    }
    const count = async (table: string) =>
      occupied.includes(table)
        ? Number((await client.query(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)}`)).rows[0]?.n ?? 0)
        : 0;
    return {
      description: describeDatabase(url),
      empty: occupied.length === 0,
      patients: await count("Patient"),
      users: await count("User"),
      occupied,
    };
  });
}

/**
 * Refuses a database that holds anything unless `replace` is set; returns what it found, so the
 * caller can say what it is about to replace.
 */
export async function guardTarget(url: string, { replace }: { replace: boolean }): Promise<TargetState> {
  const state = await inspectTarget(url);
  if (!state.empty && !replace) {
    throw new NonEmptyDatabaseError(
      `${state.description} is not empty (${describeContents(state)}). ` +
        "Re-run with --replace to drop its schema and load the generated dataset instead.",
    );
  }
  return state;
}

export function describeContents(state: TargetState): string {
  return `${state.patients} patients, ${state.users} users; rows in ${state.occupied.join(", ")}`;
}

/**
 * Drops the current schema with everything in it and creates it again, keeping its owner and the
 * PUBLIC privileges it had; then the migrations rebuild the tables. The audit trail's append-only
 * triggers refuse DELETE and TRUNCATE, so dropping the schema is the only way to empty it.
 */
export async function resetSchema(url: string, migrationsDir = "prisma/migrations", log: LoadLog = () => {}) {
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ schema: string; owner: string; usage: boolean; create: boolean }>(
      `SELECT n.nspname AS schema, n.nspowner::regrole::text AS owner,
              has_schema_privilege('public', n.oid, 'USAGE') AS usage,
              has_schema_privilege('public', n.oid, 'CREATE') AS create
         FROM pg_namespace n WHERE n.nspname = current_schema()`,
    );
    const found = rows[0];
    if (!found) throw new Error(`${describeDatabase(url)} has no current schema to reset.`);
    const schema = pg.escapeIdentifier(found.schema);
    // Fail fast instead of queueing behind a running app's open transactions.
    await client.query("SET lock_timeout = '15s'");
    await client.query("BEGIN");
    try {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${found.owner}`);
      if (found.usage) await client.query(`GRANT USAGE ON SCHEMA ${schema} TO PUBLIC`);
      if (found.create) await client.query(`GRANT CREATE ON SCHEMA ${schema} TO PUBLIC`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  });
  await applyMigrations(url, migrationsDir, log);
}

// ---------------------------------------------------------------------------------------------------
// Loading

export interface GenerateIntoOptions extends DatasetOptions {
  replace: boolean;
  migrationsDir?: string;
  log?: LoadLog;
}

/**
 * The whole command: guard, replace if asked, migrate, load, then raise and work the flags (the
 * engine's first run). Refused in production.
 */
export async function generateDatasetInto(
  url: string,
  options: GenerateIntoOptions,
): Promise<LoadReport & { flags: FlagWorkReport }> {
  const log = options.log ?? (() => {});
  if (getEnv().isProduction) throw new Error("The synthetic dataset is refused when NODE_ENV=production.");
  const state = await guardTarget(url, { replace: options.replace });
  if (!state.empty) {
    log(`Replacing ${state.description}: ${describeContents(state)}. Dropping the schema and migrating afresh.`);
    await resetSchema(url, options.migrationsDir, log);
  }
  await applyMigrations(url, options.migrationsDir ?? "prisma/migrations", log);
  const report = await loadDataset(url, options);
  const started = performance.now();
  const flags = await raiseAndWorkFlags(url, options);
  await withClient(url, (client) =>
    client.query(
      `VACUUM ANALYZE "Evaluation", "Flag", "FlagEvent", "FlagEpisode", "Referral", "AuditEvent", "AuditEventListedPatient"`,
    ),
  );
  const ms = Math.round(performance.now() - started);
  log(`Raise flags with the engine, work a share of them: ${(ms / 1000).toFixed(1)} s`);
  return { ...report, flags, phases: [...report.phases, { name: "Raise flags (engine), work a share", ms }] };
}

/**
 * Loads the dataset into an empty, migrated database. On failure the schema is reset to empty and
 * migrated again (it was empty before), then the error is rethrown.
 */
export async function loadDataset(
  url: string,
  options: DatasetOptions & { migrationsDir?: string; log?: LoadLog },
): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const state = await guardTarget(url, { replace: false });
  const phases: LoadPhase[] = [];
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    const ms = Math.round(performance.now() - started);
    phases.push({ name, ms });
    log(`${name}: ${(ms / 1000).toFixed(1)} s`);
    return result;
  };

  let prepared = false;
  try {
    const schema = await phase("Drop keys, indexes and foreign keys", async () => {
      const objects = await readSchemaObjects(url);
      await dropSchemaObjects(url, objects);
      prepared = true;
      return objects;
    });
    const { rows, fingerprint } = await phase("Generate and COPY", () => copyDataset(url, options));
    // Largest tables first, so the two workers finish together.
    const bySize = (a: SchemaObject, b: SchemaObject) => rowsOf(rows, b.table) - rowsOf(rows, a.table);
    const patientIndexes = schema.indexes.filter((index) => index.table === quoteTable("Patient"));
    const otherIndexes = schema.indexes.filter((index) => !patientIndexes.includes(index));
    await phase("Primary keys and indexes", () =>
      runInParallel(url, [
        ...schema.keys.sort(bySize).map(addConstraint),
        ...otherIndexes.sort(bySize).map((index) => index.definition),
      ]),
    );
    const summariesRefreshed = await phase("Derived fields (refreshAllPathwaySummaries)", () => refreshSummaries(url));
    await phase("Patient indexes", () =>
      runInParallel(
        url,
        patientIndexes.map((index) => index.definition),
      ),
    );
    await phase("Foreign keys", () => runInParallel(url, schema.foreignKeys.map(addConstraint)));
    await phase("Sequences, VACUUM ANALYZE", () => finish(url, rows));
    prepared = false;
    return {
      target: state.description,
      fingerprint,
      rows,
      summariesRefreshed,
      phases,
      sizes: await tableSizes(url, rows),
    };
  } catch (error) {
    if (prepared) {
      log(`Load failed; resetting ${state.description} to an empty, migrated schema.`);
      await resetSchema(url, options.migrationsDir).catch((reset: unknown) => {
        log(`Could not reset the schema: ${reset instanceof Error ? reset.message : String(reset)}`);
      });
    }
    throw error;
  }
}

interface SchemaObject {
  table: string;
  name: string;
  definition: string;
}

interface SchemaObjects {
  /** Primary keys and unique constraints of the dataset's tables. */
  keys: SchemaObject[];
  /** Indexes no constraint owns (plain, unique, partial, GIN). */
  indexes: SchemaObject[];
  /** Foreign keys on the dataset's tables or pointing at them, from any table. */
  foreignKeys: SchemaObject[];
}

function quoteTable(table: string): string {
  return pg.escapeIdentifier(table);
}

const DATASET_TABLE_LIST = DATASET_TABLES.map(quoteTable);

function rowsOf(rows: Record<DatasetTable, number>, quotedTable: string): number {
  return rows[quotedTable.replace(/^"|"$/g, "") as DatasetTable] ?? 0;
}

async function readSchemaObjects(url: string): Promise<SchemaObjects> {
  return withClient(url, async (client) => {
    const constraints = await client.query<SchemaObject & { kind: string }>(
      `SELECT c.conrelid::regclass::text AS "table", c.conname AS name, pg_get_constraintdef(c.oid) AS definition,
              c.contype AS kind
         FROM pg_constraint c
        WHERE (c.contype = 'f' AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[])))
           OR (c.contype IN ('p', 'u') AND c.conrelid = ANY($1::regclass[]))
        ORDER BY c.conrelid::regclass::text, c.conname`,
      [DATASET_TABLE_LIST],
    );
    const indexes = await client.query<SchemaObject>(
      `SELECT i.indrelid::regclass::text AS "table", i.indexrelid::regclass::text AS name,
              pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i
        WHERE i.indrelid = ANY($1::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY i.indexrelid::regclass::text`,
      [DATASET_TABLE_LIST],
    );
    const pick = (kinds: string[]) =>
      constraints.rows
        .filter((row) => kinds.includes(row.kind))
        .map(({ table, name, definition }) => ({ table, name, definition }));
    return { keys: pick(["p", "u"]), indexes: indexes.rows, foreignKeys: pick(["f"]) };
  });
}

async function dropSchemaObjects(url: string, objects: SchemaObjects) {
  await withClient(url, async (client) => {
    await client.query("BEGIN");
    try {
      await client.query(`CREATE TABLE ${pg.escapeIdentifier(LOAD_MARKER)} (started_at timestamptz DEFAULT now())`);
      // The synthetic history carries its own times; the database stamps only live events.
      await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_stamp_time"`);
      for (const { table, name } of [...objects.foreignKeys, ...objects.keys]) {
        await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${pg.escapeIdentifier(name)}`);
      }
      for (const { name } of objects.indexes) await client.query(`DROP INDEX ${name}`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  });
}

function addConstraint({ table, name, definition }: SchemaObject): string {
  return `ALTER TABLE ${table} ADD CONSTRAINT ${pg.escapeIdentifier(name)} ${definition}`;
}

/** One COPY stream per table on its own connection, fed in one pass of the generator. */
async function copyDataset(url: string, options: DatasetOptions) {
  const fingerprint = new DatasetFingerprint();
  const copies = new Map<DatasetTable, TableCopy>();
  try {
    for (const table of DATASET_TABLES) copies.set(table, await TableCopy.open(url, table, fingerprint));
    for (const row of generateDataset(options)) {
      await (copies.get(row.table) as TableCopy).push(copyLine(row));
    }
    await Promise.all([...copies.values()].map((copy) => copy.finish()));
  } finally {
    await Promise.all([...copies.values()].map((copy) => copy.close()));
  }
  const rows = Object.fromEntries(DATASET_TABLES.map((table) => [table, copies.get(table)?.rows ?? 0]));
  return { rows: rows as Record<DatasetTable, number>, fingerprint: fingerprint.digest() };
}

class TableCopy {
  rows = 0;
  private buffer = "";
  private readonly done: Promise<void>;

  private constructor(
    private readonly table: DatasetTable,
    private readonly client: pg.Client,
    private readonly stream: CopyStreamQuery,
    private readonly fingerprint: DatasetFingerprint,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      stream.once("finish", resolve);
      stream.once("error", reject);
    });
    // Observed here, awaited in finish(): an early COPY error must not crash the process as unhandled.
    this.done.catch(() => {});
  }

  static async open(url: string, table: DatasetTable, fingerprint: DatasetFingerprint): Promise<TableCopy> {
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => {});
    await client.connect();
    await client.query("SET synchronous_commit = off");
    const columns = DATASET_COLUMNS[table].map((column) => pg.escapeIdentifier(column)).join(", ");
    const stream = client.query(copyFrom(`COPY ${quoteTable(table)} (${columns}) FROM STDIN`));
    return new TableCopy(table, client, stream, fingerprint);
  }

  async push(line: string) {
    this.buffer += line;
    this.rows++;
    if (this.buffer.length >= CHUNK_CHARS) await this.flush();
  }

  private async flush() {
    if (this.buffer === "") return;
    this.fingerprint.add(this.table, this.buffer);
    const ready = this.stream.write(this.buffer);
    this.buffer = "";
    // Back-pressure: wait until Postgres has taken what was sent (or the COPY has failed).
    if (!ready) await Promise.race([once(this.stream, "drain"), this.done]);
  }

  async finish() {
    await this.flush();
    this.stream.end();
    await this.done;
    if (this.stream.rowCount !== this.rows) {
      throw new Error(`COPY ${this.table} stored ${this.stream.rowCount} rows, expected ${this.rows}.`);
    }
  }

  async close() {
    if (!this.stream.writableFinished) this.stream.destroy();
    await this.client.end().catch(() => {});
  }
}

/** Runs DDL statements on two connections (this machine has two cores), biggest tables first. */
async function runInParallel(url: string, statements: string[], workers = 2) {
  const queue = [...statements];
  await Promise.all(
    Array.from({ length: workers }, () =>
      withClient(url, async (client) => {
        await client.query(`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
        // Each worker gets one core; Postgres's own parallel index build would oversubscribe them.
        await client.query("SET max_parallel_maintenance_workers = 0");
        for (let statement = queue.shift(); statement; statement = queue.shift()) await client.query(statement);
      }),
    ),
  );
}

async function refreshSummaries(url: string): Promise<number> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 1 }) });
  try {
    await db.$executeRaw`ANALYZE "Patient", "OutcomeAssessment", "TherapyTrial"`;
    return await refreshAllPathwaySummaries(db);
  } finally {
    await db.$disconnect();
  }
}

async function finish(url: string, rows: Record<DatasetTable, number>) {
  await withClient(url, async (client) => {
    for (const table of ["AuditEvent", "RecordRevision"] as const) {
      // Loaded ids are explicit; the next id the app inserts must follow them.
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM ${quoteTable(table)}`,
        [quoteTable(table)],
      );
    }
    await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_stamp_time"`);
    await client.query(`DROP TABLE ${pg.escapeIdentifier(LOAD_MARKER)}`);
  });
  // VACUUM sets the visibility map (index-only scans) and hint bits now rather than on first read.
  // A table the generator left empty (ImagingStudy) keeps the statistics of a fresh database: analysed as empty,
  // the planner would scan it rather than use its patient index, unlike on any real clinic's data.
  await runInParallel(
    url,
    DATASET_TABLES.filter((table) => rows[table] > 0).map((table) => `VACUUM (ANALYZE) ${quoteTable(table)}`),
  );
}

async function tableSizes(url: string, rows: Record<DatasetTable, number>): Promise<TableSize[]> {
  return withClient(url, async (client) => {
    const sizes = await client.query<{ table: DatasetTable; total: string; indexes: string }>(
      `SELECT c.relname AS "table", pg_total_relation_size(c.oid) AS total, pg_indexes_size(c.oid) AS indexes
         FROM pg_class c WHERE c.oid = ANY($1::regclass[])`,
      [DATASET_TABLE_LIST],
    );
    return DATASET_TABLES.map((table) => {
      const size = sizes.rows.find((row) => row.table === table);
      return { table, rows: rows[table], totalBytes: Number(size?.total ?? 0), indexBytes: Number(size?.indexes ?? 0) };
    });
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
