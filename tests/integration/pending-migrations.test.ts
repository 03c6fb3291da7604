// Commands that do not migrate (the nightly re-evaluation) check for pending migrations first.
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { pendingMigrations } from "~/server/migrations.server";

const url = () => process.env.DATABASE_URL as string;

describe("pending migrations", () => {
  it("are none on a migrated database", async () => {
    expect(await pendingMigrations(url(), "prisma/migrations")).toEqual([]);
  });

  describe("when the latest migration is missing", () => {
    let latest: string | undefined;
    beforeAll(async () => {
      [{ name: latest } = { name: undefined }] = await getDb().$queryRaw<Array<{ name: string }>>`
        DELETE FROM _prisma_migrations
         WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)
         RETURNING migration_name AS name`;
    });

    it("name it", async () => {
      expect(latest).toBeDefined();
      expect(await pendingMigrations(url(), "prisma/migrations")).toEqual([latest]);
    });

    it("stop npm run reevaluate with one line that says to migrate", async () => {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn("npm", ["run", "--silent", "reevaluate"], {
          env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", DATABASE_URL: url(), LOG_LEVEL: "silent" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let text = "";
        child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
        child.once("exit", (exitCode) => resolve({ code: exitCode, output: text }));
      });
      expect(output).toContain(`The database lacks 1 migration(s), from ${latest}: run npm run db:migrate first.`);
      expect(code).toBe(1);
    });
  });
});
