import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { loader as integrityLoader } from "~/routes/admin.audit.integrity";
import { parseCheckpoints } from "~/domain/audit-chain";
import { auditCheckpoint, sealAuditTrail, verifyAuditTrail } from "~/models/audit-chain.server";
import { recordAudit } from "~/models/audit.server";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { createUser, makeContext } from "../helpers/fixtures";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";
import { queryRows } from "../helpers/sql";

const key = getEnv().auditChainKey;
const url = () => process.env.DATABASE_URL ?? "";
/** No settling wait: the test's writes are all committed, or in flight where the sealer can see them. */
const seal = () => sealAuditTrail(key, 0);

/** Runs SQL as the tables' owner with every trigger off: what a superuser attacker can do. */
async function withTriggersOff(sql: string) {
  const client = new pg.Client({ connectionString: url() });
  await client.connect();
  try {
    await client.query("SET session_replication_role = replica");
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function record(count: number) {
  for (let n = 0; n < count; n++) await recordAudit(makeContext(), { action: "test.event", detail: { n } });
  const rows = await queryRows<{ id: string }>(url(), `SELECT id FROM "AuditEvent" ORDER BY id`);
  return rows.map((row) => row.id);
}

beforeEach(() => withTriggersOff(`DELETE FROM "AuditSeal"; DELETE FROM "AuditEvent"`));

describe("the audit chain", () => {
  it("takes each event's time from the database, whatever the insert says", async () => {
    await queryRows(url(), `INSERT INTO "AuditEvent" (action, "at") VALUES ('test.event', '2001-01-01')`);
    const [row] = await queryRows<{ skew: number }>(
      url(),
      `SELECT abs(extract(epoch FROM clock_timestamp() - "at")) ::float8 AS skew FROM "AuditEvent"`,
    );
    expect(row?.skew).toBeLessThan(60);
  });

  it("chains the history recorded before the first seal, then each new row", async () => {
    await withTriggersOff(
      `INSERT INTO "AuditEvent" (action, "at") VALUES ('history', '2026-01-01'), ('history', '2026-01-02')`,
    );
    expect(await seal()).toBe(2);
    await record(3);
    expect(await seal()).toBe(3);
    expect(await verifyAuditTrail(key)).toMatchObject({ intact: true, sealed: 5, unsealed: 0, firstBreak: null });
  });

  it("names a forged row inserted with the triggers off and a made-up seal", async () => {
    const ids = await record(3);
    await seal();
    await withTriggersOff(`
      INSERT INTO "AuditEvent" (id, action, "at") VALUES (nextval('"AuditEvent_id_seq"'), 'auth.sign_in', now());
      INSERT INTO "AuditSeal" ("auditEventId", hash) SELECT max(id), repeat('ab', 32) FROM "AuditEvent";`);
    const forged = String(BigInt(ids.at(-1)!) + 1n);
    const { firstBreak } = await verifyAuditTrail(key);
    expect(firstBreak).toMatchObject({ id: forged, problem: expect.stringContaining("seal does not match") });
  });

  it("names a forged row slipped into a gap the chain had passed", async () => {
    await record(1);
    // A rolled-back write leaves a gap in the ids.
    await getDb()
      .$transaction(async (tx) => {
        await recordAudit(makeContext(), { action: "test.event" }, tx);
        throw new Error("roll back");
      })
      .catch(() => {});
    const ids = await record(1);
    await seal();
    const gap = String(BigInt(ids[0]!) + 1n);
    await withTriggersOff(`INSERT INTO "AuditEvent" (id, action, "at") VALUES (${gap}, 'patient.view', now())`);
    const { firstBreak } = await verifyAuditTrail(key);
    expect(firstBreak).toMatchObject({ id: gap, problem: expect.stringContaining("not sealed") });
  });

  it("names a back-dated row forged with the triggers off, even once the sealer has chained it", async () => {
    await record(2);
    await seal();
    await withTriggersOff(`INSERT INTO "AuditEvent" (action, "at") VALUES ('patient.view', now() - interval '3 days')`);
    await seal();
    const [forged] = await queryRows<{ id: string }>(url(), `SELECT max(id)::text AS id FROM "AuditEvent"`);
    const { firstBreak } = await verifyAuditTrail(key);
    expect(firstBreak).toMatchObject({ id: forged?.id, problem: expect.stringContaining("back-dated") });
  });

  it("names a row forged with a future time, without letting it hold sealing back", async () => {
    await record(1);
    await withTriggersOff(`INSERT INTO "AuditEvent" (action, "at") VALUES ('patient.view', now() + interval '1 day')`);
    const ids = await record(1);
    expect(await seal()).toBe(3);
    const forged = String(BigInt(ids.at(-1)!) - 1n);
    expect((await verifyAuditTrail(key)).firstBreak).toMatchObject({
      id: forged,
      problem: expect.stringContaining("stamped in the future"),
    });
  });

  it("names a deleted row, and the row after it when its seal went too", async () => {
    const ids = await record(4);
    await seal();
    await withTriggersOff(`DELETE FROM "AuditEvent" WHERE id = ${ids[1]}`);
    expect((await verifyAuditTrail(key)).firstBreak).toMatchObject({
      id: ids[1],
      problem: expect.stringContaining("deleted"),
    });
    await withTriggersOff(`DELETE FROM "AuditSeal" WHERE "auditEventId" = ${ids[1]}`);
    expect((await verifyAuditTrail(key)).firstBreak).toMatchObject({
      id: ids[2],
      problem: expect.stringContaining("seal does not match"),
    });
  });

  it("names a sealed row whose time was moved back", async () => {
    const ids = await record(3);
    await seal();
    await withTriggersOff(`UPDATE "AuditEvent" SET "at" = "at" - interval '1 hour' WHERE id = ${ids[1]}`);
    expect((await verifyAuditTrail(key)).firstBreak).toMatchObject({
      id: ids[1],
      problem: expect.stringContaining("seal does not match"),
    });
  });

  it("names a sealed row whose detail was changed", async () => {
    const ids = await record(3);
    await seal();
    await withTriggersOff(`UPDATE "AuditEvent" SET detail = '{"n": 99}' WHERE id = ${ids[2]}`);
    expect((await verifyAuditTrail(key)).firstBreak).toMatchObject({ id: ids[2] });
  });

  it("shows a tail cut off after a kept checkpoint, which the chain alone cannot", async () => {
    const ids = await record(5);
    await seal();
    const checkpoint = await auditCheckpoint();
    expect(checkpoint).toMatchObject({ id: ids[4], count: 5 });
    await withTriggersOff(`DELETE FROM "AuditSeal" WHERE "auditEventId" >= ${ids[3]};
                           DELETE FROM "AuditEvent" WHERE id >= ${ids[3]}`);
    expect((await verifyAuditTrail(key)).intact).toBe(true);
    expect((await verifyAuditTrail(key, [checkpoint!])).firstBreak).toMatchObject({
      id: ids[4],
      problem: expect.stringContaining("the tail was cut"),
    });
  });

  it("npm run audit:verify keeps checkpoints in a file and sees the tail cut after one", async () => {
    const ids = await record(3);
    await seal();
    const file = path.join(await mkdtemp(path.join(tmpdir(), "audit-")), "checkpoints.jsonl");
    const verify = () =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        execFile(
          process.execPath,
          ["--import", "tsx", "tools/audit-verify.ts"],
          { env: { ...process.env, AUDIT_CHECKPOINT_FILE: file } },
          (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
        );
      });
    const first = await verify();
    expect(first.output).toContain("Intact.");
    expect(first.code).toBe(0);
    expect(parseCheckpoints(await readFile(file, "utf8"))).toMatchObject([{ id: ids[2], count: 3 }]);
    await withTriggersOff(`DELETE FROM "AuditSeal" WHERE "auditEventId" = ${ids[2]};
                           DELETE FROM "AuditEvent" WHERE id = ${ids[2]}`);
    const second = await verify();
    expect(second.code).toBe(1);
    expect(second.output).toContain(`BROKEN at row ${ids[2]}`);
  });

  it("refuses a different key", async () => {
    await record(2);
    await seal();
    expect((await verifyAuditTrail("another-key-another-key-another-key")).intact).toBe(false);
  });

  it("stays intact under concurrent writers, rolled-back ones and sealers running meanwhile", async () => {
    const writes = Array.from({ length: 50 }, (_, n) =>
      getDb()
        .$transaction(async (tx) => {
          await recordAudit(makeContext(), { action: "test.event", detail: { n } }, tx);
          // Commit in a shuffled order, so ids reach the sealer out of order.
          await tx.$executeRaw`SELECT pg_sleep(random() * 0.1)`;
          if (n % 5 === 0) throw new Error("roll back");
        })
        .then(
          () => true,
          () => false,
        ),
    );
    const sealers = (async () => {
      for (let round = 0; round < 10; round++) {
        await seal();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const committed = (await Promise.all(writes)).filter(Boolean).length;
    await sealers;
    await seal();
    expect(committed).toBe(40);
    expect(await verifyAuditTrail(key)).toMatchObject({ intact: true, sealed: 40, unsealed: 0 });
  });

  it("reports the first broken row on the administrator's page", async () => {
    const ids = await record(2);
    await seal();
    await withTriggersOff(`UPDATE "AuditEvent" SET action = 'auth.sign_out' WHERE id = ${ids[0]}`);
    const admin = await createUser("ADMIN");
    const report = await callRoute(integrityLoader, {
      path: "/admin/audit/integrity",
      cookie: await sessionCookie(admin.id),
    });
    expect(report).toMatchObject({ intact: false, firstBreak: { id: ids[0] } });
  });
});
