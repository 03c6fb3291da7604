// For Prisma's own CLI where its schema engine can be downloaded (`npx prisma migrate deploy`,
// `migrate status`, `studio`). Offline, `npm run db:migrate` and `npm run db:new-migration` do the work.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
