import { PrismaPg } from "@prisma/adapter-pg";
import { describe, expect, it } from "vitest";
import { PrismaClient } from "~/generated/prisma/client";
import { isDatabaseUnavailable } from "~/models/database-unavailable.server";
import { getDb } from "~/server/db.server";
import { createUser } from "../helpers/fixtures";
import { whileDatabaseUnreachable } from "../helpers/outage";

const failureOf = (work: Promise<unknown>) =>
  work.then(
    () => new Error("no failure"),
    (error: unknown) => error,
  );

describe("telling an unreachable database from a refused query", () => {
  it("sees a server at a closed port as unreachable, for queries and transactions", async () => {
    const closed = new PrismaClient({
      adapter: new PrismaPg({ connectionString: "postgresql://x:y@127.0.0.1:1/none" }),
    });
    try {
      expect(isDatabaseUnavailable(await failureOf(closed.user.count()))).toBe(true);
      expect(isDatabaseUnavailable(await failureOf(closed.$queryRaw`SELECT 1`))).toBe(true);
      expect(isDatabaseUnavailable(await failureOf(closed.$transaction((tx) => tx.user.count())))).toBe(true);
    } finally {
      await closed.$disconnect();
    }
  });

  it("sees refused and ended connections as unreachable", async () => {
    const error = await whileDatabaseUnreachable(() => failureOf(getDb().user.count()));
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("does not mistake a query the database refused for an outage", async () => {
    const user = await createUser("NURSE");
    const duplicate = failureOf(getDb().user.create({ data: { ...user, id: undefined } }));
    expect(isDatabaseUnavailable(await duplicate)).toBe(false);
    expect(isDatabaseUnavailable(await failureOf(getDb().$queryRaw`SELECT 1/0`))).toBe(false);
    expect(isDatabaseUnavailable(new Error("something else"))).toBe(false);
  });
});
