import * as z from "zod";

/** One audit event as the chain sees it: every column, the detail as PostgreSQL's jsonb text. */
export interface ChainedAuditEvent {
  id: bigint;
  at: Date;
  action: string;
  outcome: string;
  userId: string | null;
  userRole: string | null;
  entityType: string | null;
  entityId: string | null;
  patientId: string | null;
  clientAddress: string | null;
  requestId: string | null;
  detail: string | null;
}

/**
 * The text a seal covers. A JSON array keeps every column apart (no separator can be smuggled into
 * a value) and null apart from "null". Built here rather than in SQL, so that someone who can
 * redefine database functions cannot make the verifier read a row through a lenient definition.
 */
export function canonicalAuditEvent(event: ChainedAuditEvent): string {
  return JSON.stringify([
    event.id.toString(),
    event.at.toISOString(),
    event.action,
    event.outcome,
    event.userId,
    event.userRole,
    event.entityType,
    event.entityId,
    event.patientId,
    event.clientAddress,
    event.requestId,
    event.detail,
  ]);
}

/** What a kept checkpoint says: the chain reached this row with this hash after this many seals. */
const checkpointSchema = z.object({ id: z.string(), hash: z.string(), count: z.number().int(), at: z.string() });
export type AuditCheckpoint = z.infer<typeof checkpointSchema>;

/** Reads a checkpoint file: one JSON object per line, blank lines ignored. */
export function parseCheckpoints(text: string): AuditCheckpoint[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const parsed = checkpointSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`Checkpoint line ${index + 1} is not {id, hash, count, at}.`);
      return parsed.data;
    });
}
