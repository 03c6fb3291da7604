import { appendFile } from "node:fs/promises";
import { auditCheckpoint, sealAuditTrail } from "~/models/audit-chain.server";
import type { Env } from "./env.server";
import { logger } from "./logger.server";

const SEAL_EVERY_MS = 5_000;
const CHECKPOINT_EVERY_MS = 60 * 60 * 1000;

/** Appends where the chain stands to the operator's checkpoint file, one JSON line. */
export async function writeAuditCheckpoint(file: string) {
  const checkpoint = await auditCheckpoint();
  if (checkpoint) await appendFile(file, `${JSON.stringify(checkpoint)}\n`);
  return checkpoint;
}

/**
 * Seals the audit trail now and every few seconds, and writes a checkpoint every hour when
 * AUDIT_CHECKPOINT_FILE is set. A failure is logged and retried at the next tick: sealing late
 * loses nothing, since unsealed rows stay in line for the next run.
 */
export function startAuditSealing(env: Env): () => void {
  const seal = () =>
    sealAuditTrail(env.auditChainKey).catch((error: unknown) => logger.error({ err: error }, "Audit sealing failed"));
  const checkpoint = (file: string) =>
    writeAuditCheckpoint(file).catch((error: unknown) =>
      logger.error({ err: error }, "Writing the audit checkpoint failed"),
    );
  void seal();
  const timers = [setInterval(seal, SEAL_EVERY_MS)];
  const file = env.AUDIT_CHECKPOINT_FILE;
  if (file) timers.push(setInterval(() => void seal().then(() => checkpoint(file)), CHECKPOINT_EVERY_MS));
  for (const timer of timers) timer.unref();
  return () => timers.forEach((timer) => clearInterval(timer));
}
