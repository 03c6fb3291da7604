// `npm run audit:verify [-- --checkpoints FILE]`: seals what is ready, then checks the whole audit
// chain and, when given kept checkpoints (by default AUDIT_CHECKPOINT_FILE), that none of them was
// cut off or rewritten. Prints the first broken row and exits 1; when intact, prints a new checkpoint
// line and appends it to AUDIT_CHECKPOINT_FILE. Copy that file off the host: see docs/operations.md.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parseCheckpoints } from "../app/domain/audit-chain";
import { auditCheckpoint, sealAuditTrail, verifyAuditTrail } from "../app/models/audit-chain.server";
import { writeAuditCheckpoint } from "../app/server/audit-sealing.server";
import { openDatabase } from "../app/server/database.server";
import { getDb } from "../app/server/db.server";
import { getEnv } from "../app/server/env.server";

async function main(): Promise<number> {
  const env = getEnv();
  const { values } = parseArgs({ options: { checkpoints: { type: "string" } } });
  const checkpointFile = values.checkpoints ?? env.AUDIT_CHECKPOINT_FILE;
  const checkpoints =
    checkpointFile && existsSync(checkpointFile) ? parseCheckpoints(await readFile(checkpointFile, "utf8")) : [];
  const database = await openDatabase(env);
  process.env.DATABASE_URL = database.url;
  try {
    const sealed = await sealAuditTrail(env.auditChainKey);
    const report = await verifyAuditTrail(env.auditChainKey, checkpoints);
    console.log(
      `Audit chain of ${database.description}: ${report.sealed} rows sealed (${sealed} just now), ` +
        `${report.unsealed} waiting to be sealed, ${checkpoints.length} checkpoints checked.`,
    );
    if (report.firstBreak) {
      const { id, at, problem } = report.firstBreak;
      console.error(`BROKEN at row ${id}${at ? ` (${at})` : ""}: ${problem}.`);
      return 1;
    }
    console.log("Intact.");
    const checkpoint = env.AUDIT_CHECKPOINT_FILE
      ? await writeAuditCheckpoint(env.AUDIT_CHECKPOINT_FILE)
      : await auditCheckpoint();
    if (checkpoint) console.log(JSON.stringify(checkpoint));
    return 0;
  } finally {
    await getDb().$disconnect();
    await database.embedded?.stop();
  }
}

process.exitCode = await main();
