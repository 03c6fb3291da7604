import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hashSessionToken } from "~/models/session.server";
import { reserveSignInAttempt, SIGN_IN_THROTTLE } from "~/models/sign-in-throttle.server";
import { action as signInAction, loader as signInLoader } from "~/routes/sign-in";
import { action as signOutAction } from "~/routes/sign-out";
import { loader as worklistLoader } from "~/routes/worklist";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser, makeContext, TEST_PASSWORD } from "../helpers/fixtures";
import { callRoute, cookieFrom, dataOf, statusOf } from "../helpers/remix";

type FormResult = { result: { error?: Record<string, string[] | null> } };

function signIn(form: Record<string, string>, options: { cookie?: string; clientAddress?: string } = {}) {
  return callRoute(signInAction, {
    path: "/sign-in",
    form,
    cookie: options.cookie,
    context: makeContext(options.clientAddress),
  });
}

async function attemptsCounted(kind: string, subject: string) {
  const counter = await getDb().signInThrottle.findUnique({ where: { kind_subject: { kind, subject } } });
  return counter?.attempts ?? 0;
}

function formErrors(result: unknown) {
  return dataOf<FormResult>(result).result.error ?? {};
}

describe("sign-in", () => {
  beforeEach(async () => {
    await getDb().signInThrottle.deleteMany();
  });

  it.each([
    ["PHYSICIAN", "/worklist"],
    ["NURSE", "/patients"],
    ["ADMIN", "/reports"],
  ] as const)("signs a %s in and lands on their home page", async (role, home) => {
    const user = await createUser(role);
    const response = (await signIn({
      email: user.email,
      password: TEST_PASSWORD,
    })) as Response;

    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(home);
    const setCookie = response.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const sessions = await getDb().session.findMany({
      where: { userId: user.id },
    });
    expect(sessions).toHaveLength(1);
    const token = decodeURIComponent(cookieFrom(response).split("=")[1] ?? "");
    expect(sessions[0]?.tokenHash).not.toContain(token.slice(0, 10));
    expect((await auditEvents({ action: "auth.sign_in", userId: user.id })).length).toBe(1);
  });

  it("matches the email without regard to case or surrounding spaces", async () => {
    const user = await createUser("NURSE");
    const response = (await signIn({
      email: `  ${user.email.toUpperCase()} `,
      password: TEST_PASSWORD,
    })) as Response;
    expect(response.headers.get("Location")).toBe("/patients");
  });

  it("gives the same answer for a wrong password and an unknown email, and records both", async () => {
    const user = await createUser("NURSE");
    const wrongPassword = await signIn({
      email: user.email,
      password: "not-the-right-password-at-all",
    });
    const unknownEmail = await signIn({
      email: "nobody-here@clinic.test",
      password: TEST_PASSWORD,
    });

    for (const result of [wrongPassword, unknownEmail]) {
      expect(statusOf(result)).toBe(401);
      expect(formErrors(result)[""]).toEqual(["Email or password is incorrect."]);
    }
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
    expect(await attemptsCounted("address", "203.0.113.7")).toBe(2);
    const failures = await auditEvents({ action: "auth.sign_in_failed" });
    expect(failures.map((event) => event.outcome)).toEqual(["failure", "failure"]);
  });

  it("refuses empty fields with a message next to each, changing nothing", async () => {
    const sessionsBefore = await getDb().session.count();
    const result = await signIn({ email: "", password: "" });
    expect(statusOf(result)).toBe(400);
    expect(formErrors(result).email).toEqual(["Enter your email."]);
    expect(formErrors(result).password).toEqual(["Enter your password."]);
    // Only the address pays for an invalid form (see form-limits.test.ts); no account is charged.
    expect(await getDb().signInThrottle.count({ where: { kind: "account" } })).toBe(0);
    expect(await getDb().session.count()).toBe(sessionsBefore);
  });

  it("never echoes the password back", async () => {
    const result = await signIn({
      email: "not-an-email",
      password: "secret-value-123456",
    });
    expect(statusOf(result)).toBe(400);
    expect(JSON.stringify(dataOf(result))).not.toContain("secret-value-123456");
    expect(formErrors(result).email).toEqual(["Enter a valid email address."]);
  });

  it("refuses an oversize password before hashing it", async () => {
    const result = await signIn({
      email: "someone@clinic.test",
      password: "x".repeat(5000),
    });
    expect(statusOf(result)).toBe(400);
    expect(formErrors(result).password).toEqual(["A password has at most 1,024 characters."]);
  });

  it("tells a deactivated user, only after the right password, and starts no session", async () => {
    const user = await createUser("PHYSICIAN", { active: false });
    const wrong = await signIn({
      email: user.email,
      password: "definitely-the-wrong-one",
    });
    expect(formErrors(wrong)[""]).toEqual(["Email or password is incorrect."]);

    const right = await signIn({ email: user.email, password: TEST_PASSWORD });
    expect(statusOf(right)).toBe(403);
    expect(formErrors(right)[""]).toEqual(["This account is deactivated. Ask an administrator to reactivate it."]);
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
  });

  describe("slowing guesses down", () => {
    // The clock stands still unless a test moves it: delays are counted from the last attempt let through.
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["Date"] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });
    const wait = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);
    const guess = (email: string, clientAddress: string) =>
      signIn({ email, password: "wrong-password-guess-number" }, { clientAddress });

    it("slows one address's guesses with growing delays, without locking the owner out elsewhere", async () => {
      const user = await createUser("NURSE");
      for (let attempt = 0; attempt < SIGN_IN_THROTTLE.pair.free; attempt++) {
        expect(statusOf(await guess(user.email, "198.51.100.1"))).toBe(401);
      }
      const slowed = await signIn({ email: user.email, password: TEST_PASSWORD }, { clientAddress: "198.51.100.1" });
      expect(statusOf(slowed)).toBe(429);
      expect(formErrors(slowed)[""]).toEqual(["Too many failed sign-ins. Try again in 1 second."]);
      wait(1);
      expect(statusOf(await guess(user.email, "198.51.100.1"))).toBe(401);
      expect(formErrors(await guess(user.email, "198.51.100.1"))[""]).toEqual([
        "Too many failed sign-ins. Try again in 2 seconds.",
      ]);
      expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);

      const owner = await signIn({ email: user.email, password: TEST_PASSWORD }, { clientAddress: "198.51.100.2" });
      expect(statusOf(owner)).toBe(302);

      // An unknown account gets the same answers: the throttle does not reveal which accounts exist.
      for (let attempt = 0; attempt < SIGN_IN_THROTTLE.pair.free; attempt++)
        await guess("ghost@clinic.test", "198.51.100.1");
      expect(formErrors(await guess("ghost@clinic.test", "198.51.100.1"))).toEqual(formErrors(slowed));
      expect((await auditEvents({ action: "auth.sign_in_throttled" })).length).toBe(3);
    });

    it("slows an account guessed from many addresses by at most a minute", async () => {
      const user = await createUser("NURSE");
      for (let attempt = 0; attempt < SIGN_IN_THROTTLE.account.free; attempt++) {
        expect(statusOf(await guess(user.email, `198.51.100.${attempt + 10}`))).toBe(401);
      }
      expect(statusOf(await guess(user.email, "198.51.100.99"))).toBe(429);
      for (let step = 0; step < 12; step++) {
        wait(SIGN_IN_THROTTLE.account.maxDelaySeconds);
        await guess(user.email, `198.51.100.${step + 30}`);
      }
      const owner = () => signIn({ email: user.email, password: TEST_PASSWORD }, { clientAddress: "198.51.100.2" });
      expect(formErrors(await owner())[""]).toEqual(["Too many failed sign-ins. Try again in 1 minute."]);
      wait(SIGN_IN_THROTTLE.account.maxDelaySeconds);
      expect(statusOf(await owner())).toBe(302);
    });

    it("does not count a correct password", async () => {
      const user = await createUser("NURSE");
      for (let attempt = 0; attempt < SIGN_IN_THROTTLE.pair.free + 2; attempt++) {
        expect(statusOf(await signIn({ email: user.email, password: TEST_PASSWORD }))).toBe(302);
      }
      expect(await attemptsCounted("account", user.email)).toBe(0);
      expect(await attemptsCounted("address", "203.0.113.7")).toBe(0);
    });

    it("lets exactly the free attempts through in parallel, counting before the password is checked", async () => {
      const verdicts = await Promise.all(
        Array.from({ length: 30 }, () => reserveSignInAttempt("parallel@clinic.test", "198.51.100.9")),
      );
      expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(SIGN_IN_THROTTLE.pair.free);
    });

    it("starts counting again once the window has passed", async () => {
      for (let attempt = 0; attempt <= SIGN_IN_THROTTLE.pair.free; attempt++) {
        await reserveSignInAttempt("window@clinic.test", "198.51.100.10");
      }
      wait(SIGN_IN_THROTTLE.windowMinutes * 60);
      expect(await reserveSignInAttempt("window@clinic.test", "198.51.100.10")).toMatchObject({ allowed: true });
      expect(await attemptsCounted("pair", "window@clinic.test 198.51.100.10")).toBe(1);
    });

    it("slows a client address that tries many accounts", async () => {
      const user = await createUser("NURSE");
      for (let attempt = 0; attempt < SIGN_IN_THROTTLE.address.free; attempt++) {
        await reserveSignInAttempt(`guess-${attempt}@clinic.test`, "192.0.2.50");
      }
      const slowed = await signIn({ email: user.email, password: TEST_PASSWORD }, { clientAddress: "192.0.2.50" });
      expect(statusOf(slowed)).toBe(429);
      const elsewhere = await signIn({ email: user.email, password: TEST_PASSWORD }, { clientAddress: "192.0.2.51" });
      expect(statusOf(elsewhere)).toBe(302);
    });
  });

  it.each([
    ["https://evil.example/phish", "/worklist"],
    ["//evil.example/phish", "/worklist"],
    ["/\\evil.example", "/worklist"],
    ["/worklist?filter=mine", "/worklist?filter=mine"],
  ])("sends redirectTo %s to %s", async (redirectTo, expected) => {
    const user = await createUser("PHYSICIAN");
    const response = (await signIn({
      email: user.email,
      password: TEST_PASSWORD,
      redirectTo,
    })) as Response;
    expect(response.headers.get("Location")).toBe(expected);
  });

  it("rotates the session: a cookie planted before sign-in is dead afterwards", async () => {
    const user = await createUser("NURSE");
    const first = cookieFrom(
      (await signIn({
        email: user.email,
        password: TEST_PASSWORD,
      })) as Response,
    );
    const second = (await signIn({ email: user.email, password: TEST_PASSWORD }, { cookie: first })) as Response;

    expect(cookieFrom(second)).not.toBe(first);
    const refused = (await callRoute(worklistLoader, {
      path: "/worklist",
      cookie: first,
    })) as Response;
    expect(refused.status).toBe(302);
    expect(refused.headers.get("Location")).toMatch(/^\/sign-in\?/);
    const ended = await getDb().session.findMany({
      where: { userId: user.id, endReason: "rotated" },
    });
    expect(ended).toHaveLength(1);
  });

  it("sends a signed-in user from the sign-in page to their home page", async () => {
    const user = await createUser("ADMIN");
    const cookie = cookieFrom(
      (await signIn({
        email: user.email,
        password: TEST_PASSWORD,
      })) as Response,
    );
    const response = (await callRoute(signInLoader, {
      path: "/sign-in",
      cookie,
    })) as Response;
    expect(response.headers.get("Location")).toBe("/reports");
  });
});

describe("sign-out", () => {
  it("ends the session in the database, so the old cookie no longer works", async () => {
    const user = await createUser("PHYSICIAN");
    const cookie = cookieFrom(
      (await signIn({
        email: user.email,
        password: TEST_PASSWORD,
      })) as Response,
    );
    const response = (await callRoute(signOutAction, {
      path: "/sign-out",
      method: "POST",
      cookie,
    })) as Response;

    expect(response.headers.get("Location")).toBe("/sign-in");
    expect(response.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    const token = decodeURIComponent(cookie.split("=")[1] ?? "");
    expect(token).not.toBe("");
    const sessions = await getDb().session.findMany({
      where: { userId: user.id },
    });
    expect(sessions.map((session) => session.endReason)).toEqual(["sign-out"]);
    expect((await auditEvents({ action: "auth.sign_out", userId: user.id })).length).toBe(1);

    const replay = (await callRoute(worklistLoader, {
      path: "/worklist",
      cookie,
    })) as Response;
    expect(replay.status).toBe(302);
    expect(replay.headers.get("Location")).toBe("/sign-in?redirectTo=%2Fworklist");
  });

  it("stores only a hash of the cookie's token", async () => {
    const user = await createUser("NURSE");
    await signIn({ email: user.email, password: TEST_PASSWORD });
    const [session] = await getDb().session.findMany({
      where: { userId: user.id },
    });
    expect(session?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionToken("x")).toMatch(/^[0-9a-f]{64}$/);
  });
});
