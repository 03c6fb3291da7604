import { describe, expect, it } from "vitest";
import { DEMO_USERS, seedDemoData } from "../../tools/demo/demo-data";
import { getDb } from "~/server/db.server";
import { verifyPassword } from "~/server/password.server";

describe("demo data", () => {
  it("is idempotent and gives each role a working sign-in", async () => {
    await seedDemoData(getDb());
    await seedDemoData(getDb());
    const users = await getDb().user.findMany({ where: { email: { in: DEMO_USERS.map((user) => user.email) } } });
    expect(users.map((user) => user.role).sort()).toEqual(["ADMIN", "NURSE", "PHYSICIAN", "PHYSICIAN", "PHYSICIAN"]);
    for (const demo of DEMO_USERS) {
      const user = users.find((candidate) => candidate.email === demo.email);
      expect(await verifyPassword(user?.passwordHash ?? null, demo.password)).toBe(true);
    }
  });
});
