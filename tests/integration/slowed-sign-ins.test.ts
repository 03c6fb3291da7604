import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reserveSignInAttempt, SIGN_IN_THROTTLE } from "~/models/sign-in-throttle.server";
import { action, loader } from "~/routes/admin.sign-ins";
import { auditEvents, createUser } from "../helpers/fixtures";
import { callRoute, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

type Listed = { slowed: Array<{ accountKey: string; clientAddress: string | null; attempts: number }> };

// The clock stands still, so the delays the guesses earn do not pass during the test.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

async function guess(accountKey: string, clientAddress: string, times: number) {
  for (let attempt = 0; attempt < times; attempt++) await reserveSignInAttempt(accountKey, clientAddress);
}

describe("slowed sign-ins for administrators", () => {
  it("lists the accounts past their free attempts, from one address or from all", async () => {
    const admin = await sessionCookie((await createUser("ADMIN")).id);
    await guess("pair-slowed@clinic.test", "198.51.100.5", SIGN_IN_THROTTLE.pair.free + 3);
    await guess("not-slowed@clinic.test", "198.51.100.5", SIGN_IN_THROTTLE.pair.free - 1);
    for (let address = 0; address < SIGN_IN_THROTTLE.account.free; address++) {
      await guess("everywhere@clinic.test", `203.0.113.${address}`, 1);
    }
    const listed = ((await callRoute(loader, { path: "/admin/sign-ins", cookie: admin })) as Listed).slowed;
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          accountKey: "pair-slowed@clinic.test",
          clientAddress: "198.51.100.5",
          attempts: SIGN_IN_THROTTLE.pair.free,
        }),
        expect.objectContaining({ accountKey: "everywhere@clinic.test", clientAddress: null }),
      ]),
    );
    expect(listed.map((row) => row.accountKey)).not.toContain("not-slowed@clinic.test");
  });

  it("unlocks one account from every address, audited, leaving the others slowed", async () => {
    const adminUser = await createUser("ADMIN");
    const admin = await sessionCookie(adminUser.id);
    await guess("unlock-me@clinic.test", "198.51.100.6", SIGN_IN_THROTTLE.pair.free);
    await guess("unlock-me@clinic.test", "198.51.100.7", SIGN_IN_THROTTLE.pair.free);
    await guess("stay-slowed@clinic.test", "198.51.100.6", SIGN_IN_THROTTLE.pair.free);
    expect(await reserveSignInAttempt("unlock-me@clinic.test", "198.51.100.6")).toMatchObject({ allowed: false });

    const response = await callRoute(action, {
      path: "/admin/sign-ins",
      cookie: admin,
      form: { accountKey: "Unlock-Me@clinic.test" },
    });
    expect(statusOf(response)).toBe(302);
    expect(await reserveSignInAttempt("unlock-me@clinic.test", "198.51.100.6")).toMatchObject({ allowed: true });
    expect(await reserveSignInAttempt("unlock-me@clinic.test", "198.51.100.7")).toMatchObject({ allowed: true });
    expect(await reserveSignInAttempt("stay-slowed@clinic.test", "198.51.100.6")).toMatchObject({ allowed: false });
    expect(await auditEvents({ action: "auth.sign_in_unthrottled", userId: adminUser.id })).toEqual([
      expect.objectContaining({ detail: { account: "unlock-me@clinic.test", counters: 3 } }),
    ]);
  });

  it("is for administrators only", async () => {
    const nurse = await sessionCookie((await createUser("NURSE")).id);
    expect(statusOf(await callRoute(loader, { path: "/admin/sign-ins", cookie: nurse }))).toBe(403);
    const refused = await callRoute(action, { path: "/admin/sign-ins", cookie: nurse, form: { accountKey: "x" } });
    expect(statusOf(refused)).toBe(403);
  });
});
