// `npm run mfa:rekey`: the second step of rotating MFA_ENCRYPTION_KEY. Start the app with the new
// key in MFA_ENCRYPTION_KEY and the old one in MFA_ENCRYPTION_KEY_PREVIOUS, then run this once to
// re-seal every authenticator secret under the new key. See docs/operations.md for the whole procedure.
import { randomUUID } from "node:crypto";
import { resealTotpSecrets } from "../app/models/mfa.server";
import { openDatabase } from "../app/server/database.server";
import { getDb } from "../app/server/db.server";
import { getEnv } from "../app/server/env.server";

async function main(): Promise<number> {
  const env = getEnv();
  const database = await openDatabase(env);
  process.env.DATABASE_URL = database.url;
  try {
    const context = { requestId: randomUUID(), clientAddress: "command line", cspNonce: "", state: {} };
    const { resealed, current } = await resealTotpSecrets(context);
    console.log(
      `Authenticator secrets of ${database.description}: ${resealed} re-sealed under the current key, ` +
        `${current} already under it.`,
    );
    return 0;
  } finally {
    await getDb().$disconnect();
    await database.embedded?.stop();
  }
}

process.exitCode = await main();
