// Applies pending migrations to DATABASE_URL, offline (`npm run db:migrate`).
// Where Prisma's engine can be downloaded, `npx prisma migrate deploy` does the same.
import { applyMigrations } from "../app/server/migrations.server";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to migrate.");
  process.exit(1);
}
try {
  const { applied } = await applyMigrations(url, "prisma/migrations", console.log);
  console.log(applied.length ? `Applied ${applied.length} migration(s).` : "No pending migrations.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
