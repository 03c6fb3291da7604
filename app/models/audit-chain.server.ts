import { createHmac } from "node:crypto";
import { canonicalAuditEvent, type AuditCheckpoint, type ChainedAuditEvent } from "~/domain/audit-chain";
import { sql, type InferResult } from "kysely";
import { getDb } from "~/server/db.server";
import { firstRow, qb, rawRows, rows } from "~/server/query-builder.server";

/** Held by one sealer at a time, across instances and the command line. */
const SEALER_LOCK = 1_802_612_061;
const BATCH = 5_000;
/** What the first seal chains from. */
const GENESIS = "0".repeat(64);
/**
 * Extra wait before a row is sealed, for writers the sealer cannot see in pg_stat_activity
 * (sessions of other roles, such as a migration run as the owner).
 */
export const SETTLE_MS = 5_000;
/** Rows are stamped by the database in id order, give or take scheduling; more than this is back-dating. */
const TIME_ORDER_TOLERANCE_MS = 5_000;

/** The events `e` as the chain covers them: detail as its stored text, not re-serialised. */
function chainedEvents() {
  return qb
    .selectFrom("AuditEvent as e")
    .select((eb) => [
      "e.id",
      "e.at",
      "e.action",
      "e.outcome",
      "e.userId",
      "e.userRole",
      "e.entityType",
      "e.entityId",
      "e.patientId",
      "e.clientAddress",
      "e.requestId",
      sql<string | null>`${eb.ref("e.detail")}::text`.as("detail"),
    ]);
}

/** HMAC-SHA256 of the previous hash and the event: without the key, nobody can extend or mend the chain. */
export function chainHash(key: string, previousHash: string, event: ChainedAuditEvent): string {
  return createHmac("sha256", key).update(previousHash).update(canonicalAuditEvent(event)).digest("hex");
}

/**
 * Chains the events recorded since the last seal, in id order, up to the first one a write still
 * in flight could precede. Ids are drawn before commit, so a lower id can commit after a higher one;
 * but the database stamps each row after drawing its id, so a row stamped before every open
 * transaction began can no longer be preceded by an uncommitted one. Returns how many it sealed;
 * 0 when another sealer holds the lock (it will seal the same rows).
 */
export async function sealAuditTrail(key: string, settleMs = SETTLE_MS): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await getDb().$transaction(async (tx) => {
      const lock = await firstRow(
        tx,
        qb.selectNoFrom(sql<boolean>`pg_try_advisory_xact_lock(${SEALER_LOCK})`.as("locked")),
      );
      if (!lock?.locked) return { count: 0, more: false };
      // Its own statement, before the rows are read: a write that commits in between is then seen.
      // pg_stat_activity is PostgreSQL's, not in the schema: the two timestamps are typed here.
      const [{ horizon, now }] = (await rawRows(
        tx,
        sql<{ horizon: Date; now: Date }>`
          SELECT least(clock_timestamp() - ${settleMs} * interval '1 millisecond', min(xact_start)) AS horizon,
                 clock_timestamp() AS now
            FROM pg_stat_activity
           WHERE pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend'`,
      )) as [{ horizon: Date; now: Date }];
      const tail = await firstRow(
        tx,
        qb.selectFrom("AuditSeal").select(["auditEventId as id", "hash"]).orderBy("auditEventId", "desc").limit(1),
      );
      const events: ChainedAuditEvent[] = await rows(
        tx,
        chainedEvents()
          .where("e.id", ">", tail?.id ?? 0n)
          .orderBy("e.id")
          .limit(BATCH),
      );
      // A row stamped in the future was not stamped by the trigger: waiting for it would stop sealing
      // for good, so it is sealed and left for the verifier to name.
      const settled = events.findIndex((event) => event.at >= horizon && event.at <= now);
      const ready = settled === -1 ? events : events.slice(0, settled);
      let previousHash = tail?.hash ?? GENESIS;
      const hashes = ready.map((event) => (previousHash = chainHash(key, previousHash, event)));
      if (ready.length > 0) {
        await tx.$executeRaw`
          INSERT INTO "AuditSeal" ("auditEventId", hash, "sealedAt")
          SELECT id, hash, clock_timestamp()
            FROM unnest(${ready.map((event) => event.id.toString())}::bigint[], ${hashes}::text[]) AS u(id, hash)`;
      }
      return { count: ready.length, more: settled === -1 && events.length === BATCH };
    });
    total += sealed.count;
    if (!sealed.more) return total;
  }
}

export interface ChainBreak {
  id: string;
  at: string | null;
  problem: string;
}

export interface ChainReport {
  intact: boolean;
  sealed: number;
  /** Rows after the last seal, waiting for the sealer. */
  unsealed: number;
  lastSealed: { id: string; at: string; hash: string } | null;
  firstBreak: ChainBreak | null;
}

function sealedEventsAfter(after: bigint) {
  return chainedEvents()
    .leftJoin("AuditSeal as s", "s.auditEventId", "e.id")
    .select(["s.hash", "s.sealedAt"])
    .where("e.id", ">", after)
    .orderBy("e.id")
    .limit(BATCH);
}

type SealedRow = InferResult<ReturnType<typeof sealedEventsAfter>>[number];

/**
 * Walks the whole trail in id order, recomputing every seal, and stops at the first row that does
 * not hold. Checkpoints kept off the host add what the chain alone cannot show: rows cut off its tail.
 */
export async function verifyAuditTrail(key: string, checkpoints: AuditCheckpoint[] = []): Promise<ChainReport> {
  const db = getDb();
  // A seal whose event is gone: the event was deleted with the triggers off.
  const orphan = await firstRow(
    db,
    qb
      .selectFrom("AuditSeal as s")
      .select("s.auditEventId as id")
      .where(({ not, exists, selectFrom, lit }) =>
        not(exists(selectFrom("AuditEvent as e").select(lit(1).as("one")).whereRef("e.id", "=", "s.auditEventId"))),
      )
      .orderBy("s.auditEventId")
      .limit(1),
  );
  const kept = new Map(checkpoints.map((checkpoint) => [checkpoint.id, checkpoint]));
  let previousHash = GENESIS;
  let previous: SealedRow | null = null;
  let firstUnsealed: SealedRow | null = null;
  let sealed = 0;
  let unsealed = 0;
  const report = (firstBreak: ChainBreak | null): ChainReport => ({
    intact: firstBreak === null,
    sealed,
    unsealed,
    lastSealed: previous && { id: previous.id.toString(), at: previous.at.toISOString(), hash: previousHash },
    firstBreak,
  });
  const deleted = (id: bigint) => ({ id: id.toString(), at: null, problem: "sealed, but the row is gone: deleted" });

  for (let after = 0n; ;) {
    const batch: SealedRow[] = await rows(db, sealedEventsAfter(after));
    for (const row of batch) {
      const at = row.at.toISOString();
      if (orphan && orphan.id < row.id) return report(deleted(orphan.id));
      if (row.hash === null) {
        firstUnsealed ??= row;
        unsealed += 1;
        continue;
      }
      if (firstUnsealed) {
        return report({
          id: firstUnsealed.id.toString(),
          at: firstUnsealed.at.toISOString(),
          problem: `not sealed, although the later row ${row.id} is: inserted after the chain had passed it`,
        });
      }
      if (chainHash(key, previousHash, row) !== row.hash) {
        return report({
          id: row.id.toString(),
          at,
          problem: "its seal does not match: the row was changed or forged, or a row before it was deleted",
        });
      }
      if (row.sealedAt && row.at > row.sealedAt) {
        return report({
          id: row.id.toString(),
          at,
          problem: `its time is later than its seal's (${row.sealedAt.toISOString()}): stamped in the future`,
        });
      }
      if (previous && row.at.getTime() < previous.at.getTime() - TIME_ORDER_TOLERANCE_MS) {
        return report({
          id: row.id.toString(),
          at,
          problem: `its time is earlier than the previous row's (${previous.at.toISOString()}): back-dated`,
        });
      }
      sealed += 1;
      previousHash = row.hash;
      previous = row;
      const checkpoint = kept.get(row.id.toString());
      if (checkpoint && (checkpoint.hash !== row.hash || checkpoint.count !== sealed)) {
        return report({
          id: row.id.toString(),
          at,
          problem: `differs from the checkpoint of ${checkpoint.at} (hash or count): rows were rewritten before it`,
        });
      }
      kept.delete(row.id.toString());
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]!.id;
  }
  if (orphan) return report(deleted(orphan.id));
  const [missing] = [...kept.values()];
  if (missing) {
    return report({
      id: missing.id,
      at: null,
      problem: `named by the checkpoint of ${missing.at} (${missing.count} rows) but not in the chain: the tail was cut`,
    });
  }
  return report(null);
}

/** Where the chain stands now, for an operator to keep off the host. */
export async function auditCheckpoint(): Promise<AuditCheckpoint | null> {
  const row = await firstRow(
    getDb(),
    qb
      .selectFrom(
        qb.selectFrom("AuditSeal").select(["auditEventId", "hash"]).orderBy("auditEventId", "desc").limit(1).as("last"),
      )
      .select((eb) => [
        "last.auditEventId as id",
        "last.hash",
        eb
          .selectFrom("AuditSeal")
          .select(sql<number>`count(*)::int`.as("count"))
          .as("count"),
        sql<Date>`now()`.as("at"),
      ]),
  );
  return row ? { id: row.id.toString(), hash: row.hash, count: row.count ?? 0, at: row.at.toISOString() } : null;
}
