// Loads the demo data into DATABASE_URL (`npm run db:seed`). Idempotent; refused in production.
import { seedDemoData } from "../tools/demo/demo-data";
import { getDb } from "../app/server/db.server";

try {
  const users = await seedDemoData(getDb());
  console.log(`Demo data loaded (${users.length} demo users).`);
} finally {
  await getDb().$disconnect();
}
