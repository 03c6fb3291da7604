import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { databaseUrl } from "./global-setup";

// Each test file runs in its own process with its own copy of the migrated template database.
const adminUrl = inject("adminDatabaseUrl");
const template = inject("templateDatabase");
const database = `${template}_${randomBytes(4).toString("hex")}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${database} TEMPLATE ${template}`);
await admin.end();
process.env.DATABASE_URL = databaseUrl(adminUrl, database);

afterAll(async () => {
  const { getDb } = await import("~/server/db.server");
  await getDb().$disconnect();
});
