import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import type { Prisma } from "~/generated/prisma/client";
import { CHALLENGE_MINUTES, createChallenge } from "~/models/mfa.server";
import { waitForRuleSetJobs } from "~/models/rule-set-jobs.server";
import { action as verifyAction, loader as verifyLoader } from "~/routes/account.verify";
import { action as securityAction } from "~/routes/account.security";
import { action as totpAction, loader as totpLoader } from "~/routes/account.security_.totp";
import { action as policyAction } from "~/routes/admin.security";
import { loader as exportLoader } from "~/routes/admin.audit.export";
import { action as ruleAction } from "~/routes/admin.rules.$versionId";
import { action as userAction } from "~/routes/admin.users.$userId";
import { loader as patientsLoader } from "~/routes/patients._index";
import { loader as reportsLoader } from "~/routes/reports";
import { action as signInAction } from "~/routes/sign-in";
import { action as signInVerifyAction, loader as signInVerifyLoader } from "~/routes/sign-in_.verify";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser, enrolTotp, makeContext, TEST_PASSWORD } from "../helpers/fixtures";
import { totpCodeAt } from "../helpers/totp";
import { callRoute, cookieFrom, dataOf, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

const db = getDb();
const location = (result: unknown) => (result as Response).headers.get("Location");

/** Password step: returns the pending sign-in cookie. */
async function passwordStep(email: string) {
  const response = (await callRoute(signInAction, {
    path: "/sign-in",
    form: { email, password: TEST_PASSWORD },
  })) as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/sign-in/verify");
  return cookieFrom(response);
}

function secondStep(pending: string, form: Record<string, string>, clientAddress?: string) {
  return callRoute(signInVerifyAction, {
    path: "/sign-in/verify",
    form,
    cookie: pending,
    context: makeContext(clientAddress),
  });
}

const sessionCookieOf = (response: Response) =>
  (response.headers.get("Set-Cookie") ?? "")
    .split(/,(?=\s*\w+=)/)
    .map((cookie) => cookie.trim().split(";")[0] as string)
    .find((cookie) => cookie.startsWith("painpath_session=") && cookie !== "painpath_session=");

beforeEach(async () => {
  await db.signInThrottle.deleteMany();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("authenticator app enrolment", () => {
  it("shows a QR code and the key, confirms with a first code, and issues recovery codes once", async () => {
    const nurse = await createUser("NURSE");
    const cookie = await sessionCookie(nurse.id, new Date(), { secondFactorAt: null });
    const page = (await callRoute(totpLoader, { path: "/account/security/totp", cookie })) as {
      qrDataUrl: string;
      secret: string;
    };
    expect(page.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(page.qrDataUrl.split(",")[1] as string, "base64").toString()).toContain("<svg");
    const secret = page.secret.replace(/ /g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    // Stored encrypted, bound to the user: the row does not contain the key.
    const stored = await db.totpFactor.findUniqueOrThrow({ where: { userId: nurse.id } });
    expect(stored.secretSealed).not.toContain(secret);
    expect(stored.secretSealed).toMatch(/^v1\./);
    // A reload shows the same key until it is confirmed.
    expect(
      ((await callRoute(totpLoader, { path: "/account/security/totp", cookie })) as { secret: string }).secret,
    ).toBe(page.secret);

    const wrong = await callRoute(totpAction, { path: "/account/security/totp", cookie, form: { code: "000000" } });
    expect(statusOf(wrong)).toBe(400);
    expect((await db.totpFactor.findUniqueOrThrow({ where: { userId: nurse.id } })).confirmedAt).toBeNull();

    const confirmed = await callRoute(totpAction, {
      path: "/account/security/totp",
      cookie,
      form: { code: totpCodeAt(secret, new Date()) },
    });
    const codes = (confirmed as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const hashes = await db.recoveryCode.findMany({ where: { userId: nurse.id } });
    expect(hashes).toHaveLength(10);
    expect(hashes.every((row) => !codes.includes(row.codeHash) && /^[0-9a-f]{64}$/.test(row.codeHash))).toBe(true);
    expect((await db.totpFactor.findUniqueOrThrow({ where: { userId: nurse.id } })).confirmedAt).not.toBeNull();
    expect(await auditEvents({ action: "mfa.totp_enrolled", userId: nurse.id })).toHaveLength(1);
    // The first factor was just proven: the session counts as verified.
    const session = await db.session.findFirstOrThrow({ where: { userId: nurse.id } });
    expect(session.secondFactorAt).not.toBeNull();
  });
});

describe("sign-in with a second factor", () => {
  it("starts no session until the code is right, then exactly one; the pending sign-in is single use", async () => {
    const physician = await createUser("PHYSICIAN");
    const secret = await enrolTotp(physician.id);
    const pending = await passwordStep(physician.email);
    expect(await db.session.count({ where: { userId: physician.id } })).toBe(0);
    expect(await callRoute(signInVerifyLoader, { path: "/sign-in/verify", cookie: pending })).toMatchObject({
      methods: { totp: true, passkeys: 0 },
    });

    const wrong = await secondStep(pending, { intent: "totp", code: "123456" });
    expect(statusOf(wrong)).toBe(401);
    expect(await db.session.count({ where: { userId: physician.id } })).toBe(0);
    expect(await auditEvents({ action: "auth.mfa_failed", userId: physician.id })).toHaveLength(1);

    const right = (await secondStep(pending, { intent: "totp", code: totpCodeAt(secret, new Date()) })) as Response;
    expect(right.status).toBe(302);
    expect(right.headers.get("Location")).toBe("/worklist");
    expect(sessionCookieOf(right)).toBeDefined();
    const sessions = await db.session.findMany({ where: { userId: physician.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.secondFactorAt).not.toBeNull();
    expect(await auditEvents({ action: "auth.mfa_verified", userId: physician.id })).toHaveLength(1);
    expect((await auditEvents({ action: "auth.sign_in", userId: physician.id }))[0]?.detail).toEqual({
      secondFactor: true,
    });

    // The same pending sign-in cannot be finished twice.
    const again = await secondStep(pending, {
      intent: "totp",
      code: totpCodeAt(secret, new Date(Date.now() + 30_000)),
    });
    expect(location(again)).toBe("/sign-in?verify=expired");
    expect(await db.session.count({ where: { userId: physician.id } })).toBe(1);
  });

  it("refuses a forged pending cookie and one whose record expired", async () => {
    const physician = await createUser("PHYSICIAN");
    await enrolTotp(physician.id);
    const forged = await callRoute(signInVerifyLoader, {
      path: "/sign-in/verify",
      cookie: "painpath_mfa=anything.unsigned",
    });
    expect(location(forged)).toBe("/sign-in?verify=expired");

    const pending = await passwordStep(physician.email);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 5 * 60_000 + 1_000 });
    expect(location(await callRoute(signInVerifyLoader, { path: "/sign-in/verify", cookie: pending }))).toBe(
      "/sign-in?verify=expired",
    );
  });

  it("drops challenges once they have expired, when the next one is created", async () => {
    const nurse = await createUser("NURSE");
    const start = new Date();
    await createChallenge({ userId: nurse.id, purpose: "sign-in" }, start);
    const live = new Date(start.getTime() + (CHALLENGE_MINUTES - 1) * 60_000);
    await createChallenge({ userId: nurse.id, purpose: "sign-in" }, live);
    expect(await db.mfaChallenge.count({ where: { userId: nurse.id } })).toBe(2);
    await createChallenge(
      { userId: nurse.id, purpose: "sign-in" },
      new Date(start.getTime() + CHALLENGE_MINUTES * 60_000 + 1),
    );
    expect(await db.mfaChallenge.count({ where: { userId: nurse.id } })).toBe(2);
  });

  it("refuses a code already used (replay) and accepts one step either side of now, no further", async () => {
    const physician = await createUser("PHYSICIAN");
    const secret = await enrolTotp(physician.id);
    // The middle of a 30-second step, so ±1 step is unambiguous.
    const now = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 15_000);
    vi.useFakeTimers({ toFake: ["Date"], now });

    const first = await passwordStep(physician.email);
    expect(statusOf(await secondStep(first, { intent: "totp", code: totpCodeAt(secret, now) }))).toBe(302);

    const replay = await passwordStep(physician.email);
    expect(statusOf(await secondStep(replay, { intent: "totp", code: totpCodeAt(secret, now) }))).toBe(401);
    // An earlier step than the one used is a replay too.
    const earlier = totpCodeAt(secret, new Date(now.getTime() - 30_000));
    expect(statusOf(await secondStep(replay, { intent: "totp", code: earlier }))).toBe(401);

    // Two steps ahead is outside the window; one step ahead (a fast phone clock) is accepted.
    expect(
      statusOf(
        await secondStep(replay, { intent: "totp", code: totpCodeAt(secret, new Date(now.getTime() + 60_000)) }),
      ),
    ).toBe(401);
    const ahead = totpCodeAt(secret, new Date(now.getTime() + 30_000));
    expect(statusOf(await secondStep(replay, { intent: "totp", code: ahead }))).toBe(302);
  });

  it("accepts each recovery code once", async () => {
    const nurse = await createUser("NURSE");
    const secret = await enrolTotp(nurse.id);
    const cookie = await sessionCookie(nurse.id);
    const issued = dataOf<{ recoveryCodes: string[] }>(
      await callRoute(securityAction, { path: "/account/security", cookie, form: { intent: "recovery-regenerate" } }),
    ).recoveryCodes;
    expect(issued).toHaveLength(10);
    expect(secret).toBeTruthy();
    const code = issued[3] as string;
    const typed = `${code.slice(0, 5).toUpperCase()}-${code.slice(5)}`;

    const first = await passwordStep(nurse.email);
    const used = (await secondStep(first, { intent: "recovery", recoveryCode: typed })) as Response;
    expect(used.status).toBe(302);
    expect(used.headers.get("Location")).toBe("/patients");

    const second = await passwordStep(nurse.email);
    expect(statusOf(await secondStep(second, { intent: "recovery", recoveryCode: typed }))).toBe(401);
    expect(await db.recoveryCode.count({ where: { userId: nurse.id, usedAt: null } })).toBe(9);
  });

  it("counts wrong codes in the sign-in throttle and ends a pending sign-in after 5", async () => {
    const physician = await createUser("PHYSICIAN");
    await enrolTotp(physician.id);
    const pending = await passwordStep(physician.email);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(statusOf(await secondStep(pending, { intent: "totp", code: "000000" }))).toBe(401);
    }
    // The pending sign-in is spent: back to the password.
    expect(location(await secondStep(pending, { intent: "totp", code: "000000" }))).toBe("/sign-in?verify=expired");

    // The wrong codes filled the account's counter from this address: the next attempt waits.
    const counter = await db.signInThrottle.findFirstOrThrow({ where: { kind: "pair" } });
    expect(counter.attempts).toBe(5);
    await db.signInThrottle.updateMany({ data: { lastAllowedAt: new Date() } });
    const slowed = await callRoute(signInAction, {
      path: "/sign-in",
      form: { email: physician.email, password: TEST_PASSWORD },
    });
    expect(statusOf(slowed)).toBe(429);
  });
});

describe("the per-role policy", () => {
  const backdate = async (userId: string, days: number) => {
    const past = new Date(Date.now() - days * 86_400_000);
    await db.user.update({ where: { id: userId }, data: { createdAt: past } });
  };

  it("lets an administrator without a factor work during the grace period, then sends them to enrol first", async () => {
    const admin = await createUser("ADMIN");
    await db.mfaPolicy.update({
      where: { role: "ADMIN" },
      data: { requiredSince: new Date(Date.now() - 30 * 86_400_000) },
    });
    const cookie = await sessionCookie(admin.id, new Date(), { secondFactorAt: null });
    expect(statusOf(await callRoute(reportsLoader, { path: "/reports", cookie }))).toBe(200);

    await backdate(admin.id, 8);
    const sent = await callRoute(reportsLoader, { path: "/reports?table=status", cookie });
    expect(location(sent)).toBe(`/account/security?${new URLSearchParams({ redirectTo: "/reports?table=status" })}`);

    // Once enrolled, the pages open again.
    await enrolTotp(admin.id);
    expect(statusOf(await callRoute(reportsLoader, { path: "/reports", cookie }))).toBe(200);
  });

  it("applies a role newly required by an administrator after its grace period, and audits the change", async () => {
    const admin = await createUser("ADMIN");
    const nurse = await createUser("NURSE");
    await backdate(nurse.id, 30);
    const nurseCookie = await sessionCookie(nurse.id);
    expect(statusOf(await callRoute(patientsLoader, { path: "/patients", cookie: nurseCookie }))).toBe(200);

    const form = {
      "PHYSICIAN-graceDays": "7",
      "NURSE-required": "on",
      "NURSE-graceDays": "0",
      "ADMIN-required": "on",
      "ADMIN-graceDays": "7",
    };
    // The policy is changed with a fresh second factor only.
    const stale = await sessionCookie(admin.id, new Date(), { secondFactorAt: null });
    expect(location(await callRoute(policyAction, { path: "/admin/security", cookie: stale, form }))).toMatch(
      /^\/account\/verify\?/,
    );
    expect((await db.mfaPolicy.findUniqueOrThrow({ where: { role: "NURSE" } })).required).toBe(false);

    const adminCookie = await sessionCookie(admin.id);
    expect(location(await callRoute(policyAction, { path: "/admin/security", cookie: adminCookie, form }))).toBe(
      "/admin/security?saved=1",
    );
    expect((await auditEvents({ action: "mfa.policy_changed", userId: admin.id }))[0]?.detail).toEqual({
      changed: [{ role: "NURSE", required: true, graceDays: 0 }],
    });
    expect(location(await callRoute(patientsLoader, { path: "/patients", cookie: nurseCookie }))).toMatch(
      /^\/account\/security\?/,
    );
    // An invalid grace period changes nothing.
    const bad = await callRoute(policyAction, {
      path: "/admin/security",
      cookie: adminCookie,
      form: { ...form, "NURSE-graceDays": "400" },
    });
    expect(statusOf(bad)).toBe(400);
    await db.mfaPolicy.update({ where: { role: "NURSE" }, data: { required: false, requiredSince: null } });
  });
});

describe("step-up", () => {
  const stepUpLocation = /^\/account\/verify\?redirectTo=/;

  it("refuses rule-set activation, a role change and the audit export without a recent second factor", async () => {
    const admin = await createUser("ADMIN");
    const nurse = await createUser("NURSE");
    const draft = await db.ruleSetVersion.create({
      data: {
        version: "step-up-draft",
        basedOn: DEFAULT_RULE_SET.version,
        ruleSet: { ...DEFAULT_RULE_SET, version: "step-up-draft" } as unknown as Prisma.InputJsonValue,
        reason: "step-up test",
        createdById: admin.id,
      },
    });
    // Verified 11 minutes ago: older than STEP_UP_MINUTES (10).
    const stale = await sessionCookie(admin.id, new Date(), { secondFactorAt: new Date(Date.now() - 11 * 60_000) });

    const activation = await callRoute(ruleAction, {
      path: `/admin/rules/${draft.id}`,
      params: { versionId: draft.id },
      form: { intent: "activate", confirm: "on" },
      cookie: stale,
    });
    expect(location(activation)).toMatch(stepUpLocation);
    expect(location(activation)).toContain(encodeURIComponent(`/admin/rules/${draft.id}`));
    expect((await db.ruleSetVersion.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("DRAFT");

    const roleChange = await callRoute(userAction, {
      path: `/admin/users/${nurse.id}`,
      params: { userId: nurse.id },
      form: { intent: "update", version: "1", name: nurse.name, email: nurse.email, role: "PHYSICIAN" },
      cookie: stale,
    });
    expect(location(roleChange)).toMatch(stepUpLocation);
    expect((await db.user.findUniqueOrThrow({ where: { id: nurse.id } })).role).toBe("NURSE");
    // Other changes to the user need no step-up.
    const rename = await callRoute(userAction, {
      path: `/admin/users/${nurse.id}`,
      params: { userId: nurse.id },
      form: { intent: "update", version: "1", name: "Renamed Nurse", email: nurse.email, role: "NURSE" },
      cookie: stale,
    });
    expect(location(rename)).toBe(`/admin/users/${nurse.id}?done=update`);

    const exported = await callRoute(exportLoader, { path: "/admin/audit/export?action=auth.sign_in", cookie: stale });
    expect(location(exported)).toBe(
      `/account/verify?${new URLSearchParams({ redirectTo: "/admin/audit?action=auth.sign_in", for: "audit-export" })}`,
    );
    expect(await auditEvents({ action: "audit.export", userId: admin.id })).toHaveLength(0);
    const refusals = await auditEvents({ action: "auth.step_up_required", userId: admin.id });
    expect(refusals.map((event) => (event.detail as { purpose: string }).purpose)).toEqual([
      "rule-set-activation",
      "role-change",
      "audit-export",
    ]);
    expect(refusals.every((event) => event.outcome === "denied")).toBe(true);
  });

  it("re-verifies a factor, then lets the action through and back to the page", async () => {
    const admin = await createUser("ADMIN");
    const nurse = await createUser("NURSE");
    const secret = await enrolTotp(admin.id);
    const cookie = await sessionCookie(admin.id, new Date(), { secondFactorAt: null });
    const path = `/account/verify?${new URLSearchParams({ redirectTo: `/admin/users/${nurse.id}`, for: "role-change" })}`;
    expect(await callRoute(verifyLoader, { path, cookie })).toMatchObject({ purpose: "change a user's role" });

    expect(statusOf(await callRoute(verifyAction, { path, cookie, form: { intent: "totp", code: "111111" } }))).toBe(
      401,
    );
    const verified = await callRoute(verifyAction, {
      path,
      cookie,
      form: { intent: "totp", code: totpCodeAt(secret, new Date()) },
    });
    expect(location(verified)).toBe(`/admin/users/${nurse.id}`);

    const roleChange = await callRoute(userAction, {
      path: `/admin/users/${nurse.id}`,
      params: { userId: nurse.id },
      form: { intent: "update", version: "1", name: nurse.name, email: nurse.email, role: "PHYSICIAN" },
      cookie,
    });
    expect(location(roleChange)).toBe(`/admin/users/${nurse.id}?done=update`);
    expect((await db.user.findUniqueOrThrow({ where: { id: nurse.id } })).role).toBe("PHYSICIAN");
    await waitForRuleSetJobs();
  });

  it("lets an administrator reset a user's factors with a step-up, ending the user's sessions", async () => {
    const admin = await createUser("ADMIN");
    const physician = await createUser("PHYSICIAN");
    await enrolTotp(physician.id);
    const physicianCookie = await sessionCookie(physician.id);
    const reset = (cookie: string) =>
      callRoute(userAction, {
        path: `/admin/users/${physician.id}`,
        params: { userId: physician.id },
        form: { intent: "reset-mfa" },
        cookie,
      });

    const stale = await sessionCookie(admin.id, new Date(), { secondFactorAt: null });
    expect(location(await reset(stale))).toMatch(stepUpLocation);
    expect(await db.totpFactor.count({ where: { userId: physician.id } })).toBe(1);

    expect(location(await reset(await sessionCookie(admin.id)))).toBe(`/admin/users/${physician.id}?done=reset-mfa`);
    expect(await db.totpFactor.count({ where: { userId: physician.id } })).toBe(0);
    expect(location(await callRoute(patientsLoader, { path: "/patients", cookie: physicianCookie }))).toMatch(
      /^\/sign-in/,
    );
    const [event] = await auditEvents({ action: "mfa.factors_reset", userId: admin.id });
    expect(event).toMatchObject({ entityId: physician.id, detail: { totp: 1, passkeys: 0, recoveryCodes: 0 } });
  });

  it("asks for the existing factor before another one is added or removed", async () => {
    const nurse = await createUser("NURSE");
    await enrolTotp(nurse.id);
    const stale = await sessionCookie(nurse.id, new Date(), { secondFactorAt: null });
    const removal = await callRoute(securityAction, {
      path: "/account/security",
      cookie: stale,
      form: { intent: "totp-remove" },
    });
    expect(location(removal)).toMatch(stepUpLocation);
    expect(await db.totpFactor.count({ where: { userId: nurse.id } })).toBe(1);

    const fresh = await sessionCookie(nurse.id);
    const removed = await callRoute(securityAction, {
      path: "/account/security",
      cookie: fresh,
      form: { intent: "totp-remove" },
    });
    expect(location(removed)).toBe("/account/security?done=totp-remove");
    expect(await db.totpFactor.count({ where: { userId: nurse.id } })).toBe(0);
  });
});
