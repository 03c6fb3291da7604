import { randomUUID } from "node:crypto";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { SIGN_IN_THROTTLE } from "~/models/sign-in-throttle.server";
import type { Role } from "~/domain/roles";
import { action as passwordAction, loader as passwordLoader } from "~/routes/account.password";
import { action as userAction, loader as userLoader } from "~/routes/admin.users.$userId";
import { loader as usersLoader } from "~/routes/admin.users._index";
import { action as newUserAction, loader as newUserLoader } from "~/routes/admin.users.new";
import { loader as patientsLoader } from "~/routes/patients._index";
import { loader as reportsLoader } from "~/routes/reports";
import { action as signInAction } from "~/routes/sign-in";
import { getDb } from "~/server/db.server";
import { verifyPassword } from "~/server/password.server";
import { auditEvents, createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { callRoute, cookieFrom, dataOf, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

const NEW_PASSWORD = "mossy-copper-kettle-under-stars";
const OTHER_PASSWORD = "velvet-thunder-canal-bicycle-seven";

type FormReply = {
  result: { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> | null };
  conflict: Array<{ name: string; current: string }> | null;
};
const replyOf = (result: unknown) => dataOf<FormReply>(result);
const errorsOf = (result: unknown) => replyOf(result).result.error ?? {};

async function signedIn(role: Role = "ADMIN") {
  const user = await createUser(role);
  return { user, cookie: await sessionCookie(user.id) };
}

function createViaRoute(cookie: string, form: Partial<Record<string, string>> = {}) {
  return callRoute(newUserAction, {
    path: "/admin/users/new",
    cookie,
    form: {
      name: "Robin Fairweather",
      email: `Robin.${randomUUID().slice(0, 8)}@Clinic.test`,
      role: "NURSE",
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
      ...form,
    } as Record<string, string>,
  });
}

function actOn(userId: string, cookie: string, form: Record<string, string>) {
  return callRoute(userAction, { path: `/admin/users/${userId}`, cookie, params: { userId }, form });
}

/** True when the cookie still opens a page that needs a signed-in user. */
async function cookieWorks(cookie: string) {
  const result = await callRoute(reportsLoader, { path: "/reports", cookie });
  return !(result instanceof Response && result.status === 302);
}

function signIn(email: string, password: string, redirectTo = "") {
  return callRoute(signInAction, { path: "/sign-in", form: { email, password, redirectTo } }) as Promise<Response>;
}

describe("the user list", () => {
  it("lists users with their role, status and password state, filtered by role and status", async () => {
    const { cookie } = await signedIn();
    const nurse = await createUser("NURSE");
    const gone = await createUser("PHYSICIAN", { active: false });
    type List = { users: Array<{ id: string; role: string; active: boolean; mustChangePassword: boolean }> };

    const all = (await callRoute(usersLoader, { path: "/admin/users", cookie })) as List;
    expect(all.users.map((user) => user.id)).toEqual(expect.arrayContaining([nurse.id, gone.id]));

    const nurses = (await callRoute(usersLoader, { path: "/admin/users?role=NURSE", cookie })) as List;
    expect(nurses.users.length).toBeGreaterThan(0);
    expect(nurses.users.every((user) => user.role === "NURSE")).toBe(true);

    const inactive = (await callRoute(usersLoader, { path: "/admin/users?status=inactive&role=", cookie })) as List;
    expect(inactive.users.map((user) => user.id)).toContain(gone.id);
    expect(inactive.users.every((user) => !user.active)).toBe(true);

    expect(statusOf(await callRoute(usersLoader, { path: "/admin/users?role=ROOT", cookie }))).toBe(400);
  });

  it("is refused to clinicians, and the refusal is audited", async () => {
    const { user, cookie } = await signedIn("PHYSICIAN");
    expect(statusOf(await callRoute(usersLoader, { path: "/admin/users", cookie }))).toBe(403);
    expect(await auditEvents({ action: "access.denied", userId: user.id })).toHaveLength(1);
  });
});

describe("creating a user", () => {
  it("stores the email in lowercase, a hashed initial password to be changed, and audits it", async () => {
    const { user: admin, cookie } = await signedIn();
    expect(await callRoute(newUserLoader, { path: "/admin/users/new", cookie })).toBeNull();
    const email = `New.Person.${randomUUID().slice(0, 8)}@Clinic.TEST`;
    const response = (await createViaRoute(cookie, { email: `  ${email} `, role: "PHYSICIAN" })) as Response;

    expect(response.status).toBe(302);
    const created = await getDb().user.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    expect(response.headers.get("Location")).toBe(`/admin/users/${created.id}`);
    expect(created).toMatchObject({ role: "PHYSICIAN", active: true, mustChangePassword: true, version: 1 });
    expect(created.passwordHash).not.toContain(NEW_PASSWORD);
    expect(await verifyPassword(created.passwordHash, NEW_PASSWORD)).toBe(true);

    const [event] = await auditEvents({ action: "user.create", userId: admin.id });
    expect(event).toMatchObject({ entityType: "User", entityId: created.id, outcome: "success", userRole: "ADMIN" });
    expect(JSON.stringify(event?.detail)).not.toContain(NEW_PASSWORD);
  });

  it.each([
    ["too short", { password: "short-phrase", confirmPassword: "short-phrase" }, "password"],
    ["common", { password: "passwordpassword", confirmPassword: "passwordpassword" }, "password"],
    [
      "containing the name",
      { name: "Robin Fairweather", password: "fairweather-blue-kettles", confirmPassword: "fairweather-blue-kettles" },
      "password",
    ],
    ["typed twice differently", { confirmPassword: OTHER_PASSWORD }, "confirmPassword"],
    ["with a bad email", { email: "not an email" }, "email"],
    ["without a role", { role: "" }, "role"],
    ["with an unknown role", { role: "SUPERUSER" }, "role"],
    ["with a control character in the name", { name: "Robin\u0007" }, "name"],
  ])("refuses a user %s with 400, saving nothing and echoing no password", async (_case, form, field) => {
    const { cookie } = await signedIn();
    const before = await getDb().user.count();
    const result = await createViaRoute(cookie, form);
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result)[field]?.length).toBeGreaterThan(0);
    expect(await getDb().user.count()).toBe(before);
    const echoed = replyOf(result).result.initialValue ?? {};
    expect(echoed).not.toHaveProperty("password");
    expect(echoed).not.toHaveProperty("confirmPassword");
  });

  it("refuses an email another user has, whatever its case", async () => {
    const { cookie } = await signedIn();
    const existing = await createUser("NURSE");
    const result = await createViaRoute(cookie, { email: existing.email.toUpperCase() });
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result).email).toEqual(["Another user already has this email."]);
  });

  it("is refused to a nurse, who cannot create an account", async () => {
    const { cookie } = await signedIn("NURSE");
    const before = await getDb().user.count();
    expect(statusOf(await createViaRoute(cookie, { role: "ADMIN" }))).toBe(403);
    expect(await getDb().user.count()).toBe(before);
  });
});

describe("editing a user", () => {
  it("changes name, email and role, bumps the version and audits which fields changed", async () => {
    const { user: admin, cookie } = await signedIn();
    const nurse = await createUser("NURSE");
    const loaded = (await callRoute(userLoader, {
      path: `/admin/users/${nurse.id}`,
      cookie,
      params: { userId: nurse.id },
    })) as { user: { version: number; email: string } };
    expect(loaded.user.email).toBe(nurse.email);

    const response = (await actOn(nurse.id, cookie, {
      intent: "update",
      version: String(loaded.user.version),
      name: "Sam Nightingale",
      email: "SAM.Nightingale@clinic.test",
      role: "PHYSICIAN",
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/users/${nurse.id}?done=update`);

    const updated = await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } });
    expect(updated).toMatchObject({
      name: "Sam Nightingale",
      email: "sam.nightingale@clinic.test",
      role: "PHYSICIAN",
      version: 2,
    });
    const [event] = await auditEvents({ action: "user.update", userId: admin.id });
    expect(event?.entityId).toBe(nurse.id);
    expect(event?.detail).toEqual({ changed: ["name", "email", "role"], role: { from: "NURSE", to: "PHYSICIAN" } });
  });

  it("refuses a save of a version someone else already changed (409), keeping their change", async () => {
    const { cookie } = await signedIn();
    const nurse = await createUser("NURSE");
    const form = { intent: "update", version: "1", name: "First Editor", email: nurse.email, role: "NURSE" };
    expect(statusOf(await actOn(nurse.id, cookie, form))).toBe(302);

    const stale = await actOn(nurse.id, cookie, { ...form, name: "Second Editor" });
    expect(statusOf(stale)).toBe(409);
    expect(replyOf(stale).conflict).toEqual([{ name: "name", current: "First Editor" }]);
    expect(await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } })).toMatchObject({
      name: "First Editor",
      version: 2,
    });
  });

  it("lets exactly one of two simultaneous saves of the same version through", async () => {
    const { cookie } = await signedIn();
    const nurse = await createUser("NURSE");
    const results = await Promise.all(
      ["One", "Two", "Three"].map((name) =>
        actOn(nurse.id, cookie, { intent: "update", version: "1", name, email: nurse.email, role: "NURSE" }),
      ),
    );
    expect(results.map(statusOf).sort()).toEqual([302, 409, 409]);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } })).version).toBe(2);
  });

  it("ignores fields the form does not have (no mass assignment)", async () => {
    const { cookie } = await signedIn();
    const nurse = await createUser("NURSE");
    const result = await actOn(nurse.id, cookie, {
      intent: "update",
      version: "1",
      name: "Nurse",
      email: nurse.email,
      role: "NURSE",
      active: "false",
      mustChangePassword: "on",
      passwordHash: "planted",
      id: "00000000-0000-4000-8000-000000000000",
    });
    expect(statusOf(result)).toBe(302);
    const stored = await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } });
    expect(stored).toMatchObject({
      id: nurse.id,
      active: true,
      mustChangePassword: false,
      passwordHash: nurse.passwordHash,
    });
  });

  it("refuses another user's email", async () => {
    const { cookie } = await signedIn();
    const [nurse, other] = [await createUser("NURSE"), await createUser("NURSE")];
    const result = await actOn(nurse.id, cookie, {
      intent: "update",
      version: "1",
      name: "Nurse",
      email: other.email.toUpperCase(),
      role: "NURSE",
    });
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result).email).toEqual(["Another user already has this email."]);
  });

  it("answers 404 for an unknown or malformed user id", async () => {
    const { cookie } = await signedIn();
    for (const userId of [randomUUID(), "not-a-uuid"]) {
      expect(
        statusOf(await callRoute(userLoader, { path: `/admin/users/${userId}`, cookie, params: { userId } })),
      ).toBe(404);
      expect(statusOf(await actOn(userId, cookie, { intent: "deactivate", version: "1" }))).toBe(404);
    }
  });

  it("is refused to a physician, changing nothing", async () => {
    const { cookie } = await signedIn("PHYSICIAN");
    const nurse = await createUser("NURSE");
    const result = await actOn(nurse.id, cookie, {
      intent: "update",
      version: "1",
      name: "Escalated",
      email: nurse.email,
      role: "ADMIN",
    });
    expect(statusOf(result)).toBe(403);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } })).role).toBe("NURSE");
  });
});

describe("deactivating and reactivating", () => {
  it("deactivates a user and ends every session of theirs at once", async () => {
    const { user: admin, cookie } = await signedIn();
    const { user: nurse, cookie: nurseCookie } = await signedIn("NURSE");
    const secondBrowser = await sessionCookie(nurse.id);
    expect(await callRoute(patientsLoader, { path: "/patients", cookie: nurseCookie })).not.toBeInstanceOf(Response);

    expect(statusOf(await actOn(nurse.id, cookie, { intent: "deactivate", version: "1" }))).toBe(302);

    for (const stale of [nurseCookie, secondBrowser]) {
      const response = (await callRoute(patientsLoader, { path: "/patients", cookie: stale })) as Response;
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toMatch(/^\/sign-in/);
    }
    const sessions = await getDb().session.findMany({ where: { userId: nurse.id } });
    expect(sessions.every((session) => session.endedAt && session.endReason === "user-deactivated")).toBe(true);
    expect(statusOf(await signIn(nurse.email, TEST_PASSWORD))).toBe(403);
    const [event] = await auditEvents({ action: "user.deactivate", userId: admin.id });
    expect(event?.entityId).toBe(nurse.id);

    expect(statusOf(await actOn(nurse.id, cookie, { intent: "reactivate", version: "2" }))).toBe(302);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } })).active).toBe(true);
    expect((await auditEvents({ action: "user.reactivate", userId: admin.id }))[0]?.entityId).toBe(nurse.id);
    expect((await signIn(nurse.email, TEST_PASSWORD)).headers.get("Location")).toBe("/patients");
  });

  it("refuses an administrator's deactivation of their own account", async () => {
    const { user: admin, cookie } = await signedIn();
    const result = await actOn(admin.id, cookie, { intent: "deactivate", version: "1" });
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result)[""]).toEqual(["You cannot deactivate your own account. Ask another administrator."]);
    expect(await getDb().user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({
      active: true,
      version: 1,
    });
    expect(await cookieWorks(cookie)).toBe(true);
    expect(await auditEvents({ action: "user.deactivate", userId: admin.id })).toHaveLength(0);
  });
});

describe("the last active administrator", () => {
  /** Leaves exactly the given administrators active. */
  async function onlyActiveAdmins(...ids: string[]) {
    await getDb().user.updateMany({ where: { role: "ADMIN", id: { notIn: ids } }, data: { active: false } });
  }

  it("cannot demote themself when no other administrator is active", async () => {
    const { user: admin, cookie } = await signedIn();
    await onlyActiveAdmins(admin.id);
    const result = await actOn(admin.id, cookie, {
      intent: "update",
      version: "1",
      name: admin.name,
      email: admin.email,
      role: "NURSE",
    });
    expect(statusOf(result)).toBe(400);
    expect(errorsOf(result).role?.[0]).toMatch(/last active administrator/);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("ADMIN");
  });

  it("may demote themself while another administrator is active", async () => {
    const { user: admin, cookie } = await signedIn();
    const { user: other } = await signedIn();
    await onlyActiveAdmins(admin.id, other.id);
    const result = await actOn(admin.id, cookie, {
      intent: "update",
      version: "1",
      name: admin.name,
      email: admin.email,
      role: "PHYSICIAN",
    });
    expect(statusOf(result)).toBe(302);
  });

  type Target = { name: string; email: string };
  it.each([
    ["deactivate each other", (): Record<string, string> => ({ intent: "deactivate", version: "1" })],
    [
      "demote each other",
      (target: Target): Record<string, string> => ({ intent: "update", version: "1", ...target, role: "NURSE" }),
    ],
  ])("survives two administrators who %s at the same moment", async (_case, formFor) => {
    const { user: first, cookie: firstCookie } = await signedIn();
    const { user: second, cookie: secondCookie } = await signedIn();
    await onlyActiveAdmins(first.id, second.id);

    const results = await Promise.all([
      actOn(second.id, firstCookie, formFor(second)),
      actOn(first.id, secondCookie, formFor(first)),
    ]);
    // The loser is refused under the lock (400) or, when the winner committed before the loser's
    // session was read, already signed out (302 to sign-in) or no longer an administrator (403).
    const outcome = (result: unknown) => {
      const location = result instanceof Response ? (result.headers.get("Location") ?? "") : "";
      if (location.startsWith("/admin/users/")) return "saved";
      if (location.startsWith("/sign-in") || statusOf(result) === 403) return "removed first";
      return statusOf(result) === 400 ? "refused" : `status ${statusOf(result)}`;
    };
    const outcomes = results.map(outcome).sort();
    expect([
      ["refused", "saved"],
      ["removed first", "saved"],
    ]).toContainEqual(outcomes);
    const refused = results.find((result) => statusOf(result) === 400);
    if (refused) expect(Object.values(errorsOf(refused)).flat().join(" ")).toMatch(/last active administrator/);
    const admins = await getDb().user.count({ where: { role: "ADMIN", active: true } });
    expect(admins).toBe(1);
  });
});

describe("resetting a password", () => {
  it("sets a temporary password, ends every session of the user and audits the reset", async () => {
    const { user: admin, cookie } = await signedIn();
    const { user: nurse, cookie: nurseCookie } = await signedIn("NURSE");

    const response = await actOn(nurse.id, cookie, {
      intent: "reset-password",
      version: "1",
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(statusOf(response)).toBe(302);

    const stored = await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } });
    expect(stored).toMatchObject({ mustChangePassword: true, version: 2 });
    expect(await verifyPassword(stored.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(await cookieWorks(nurseCookie)).toBe(false);
    const sessions = await getDb().session.findMany({ where: { userId: nurse.id } });
    expect(sessions.map((session) => session.endReason)).toEqual(["password-reset"]);
    const [event] = await auditEvents({ action: "user.password_reset", userId: admin.id });
    expect(event?.entityId).toBe(nurse.id);
    expect(JSON.stringify(event?.detail ?? null)).not.toContain(NEW_PASSWORD);
  });

  it("refuses a weak temporary password or one naming the user, changing nothing", async () => {
    const { cookie } = await signedIn();
    const nurse = await createUser("NURSE", { name: "Marigold Pennyworth" });
    const nurseCookie = await sessionCookie(nurse.id);
    for (const password of ["password123456789!", "pennyworth-cobalt-river", "short"]) {
      const result = await actOn(nurse.id, cookie, {
        intent: "reset-password",
        version: "1",
        password,
        confirmPassword: password,
      });
      expect(statusOf(result)).toBe(400);
      expect(errorsOf(result).password?.length).toBeGreaterThan(0);
      expect(replyOf(result).result.initialValue ?? {}).not.toHaveProperty("password");
    }
    expect(await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } })).toMatchObject({
      mustChangePassword: false,
      version: 1,
    });
    expect(await callRoute(patientsLoader, { path: "/patients", cookie: nurseCookie })).not.toBeInstanceOf(Response);
  });

  it("refuses to reset the administrator's own password: they change it with their current one", async () => {
    const { user: admin, cookie } = await signedIn();
    const result = await actOn(admin.id, cookie, {
      intent: "reset-password",
      version: "1",
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(statusOf(result)).toBe(400);
    expect(await cookieWorks(cookie)).toBe(true);
  });

  it("answers a stale reset with 409 and never echoes the password", async () => {
    const { cookie } = await signedIn();
    const nurse = await createUser("NURSE");
    await getDb().user.update({ where: { id: nurse.id }, data: { name: "Renamed Meanwhile", version: 2 } });
    const result = await actOn(nurse.id, cookie, {
      intent: "reset-password",
      version: "1",
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(statusOf(result)).toBe(409);
    expect(replyOf(result).result.initialValue ?? {}).not.toHaveProperty("password");
    expect((await getDb().user.findUniqueOrThrow({ where: { id: nurse.id } })).mustChangePassword).toBe(false);
  });
});

describe("a password that must be changed", () => {
  it("leads from sign-in to the password page, holds every page until changed, then lets the user in", async () => {
    const { cookie: adminCookie } = await signedIn();
    const email = `fresh.${randomUUID().slice(0, 8)}@clinic.test`;
    expect(statusOf(await createViaRoute(adminCookie, { email, role: "NURSE" }))).toBe(302);
    const created = await getDb().user.findUniqueOrThrow({ where: { email } });
    const elsewhere = await sessionCookie(created.id);

    const signedInResponse = await signIn(email, NEW_PASSWORD, "/needs-data");
    expect(signedInResponse.headers.get("Location")).toBe("/account/password?redirectTo=%2Fneeds-data");
    const cookie = cookieFrom(signedInResponse);

    const held = (await callRoute(patientsLoader, { path: "/patients?q=ab", cookie })) as Response;
    expect(held.status).toBe(302);
    expect(held.headers.get("Location")).toBe("/account/password?redirectTo=%2Fpatients%3Fq%3Dab");
    // Even a page of another role leads to the password first (no 403 before it is changed).
    const otherRole = (await callRoute(reportsLoader, { path: "/reports", cookie })) as Response;
    expect(otherRole.headers.get("Location")).toBe("/account/password?redirectTo=%2Freports");
    expect(await callRoute(passwordLoader, { path: "/account/password?redirectTo=%2Fneeds-data", cookie })).toEqual({
      mustChange: true,
      redirectTo: "/needs-data",
    });

    const change = (form: Record<string, string>) =>
      callRoute(passwordAction, { path: "/account/password", cookie, form });
    const wrong = await change({
      currentPassword: "not-my-password-at-all",
      password: OTHER_PASSWORD,
      confirmPassword: OTHER_PASSWORD,
    });
    expect(statusOf(wrong)).toBe(400);
    expect(errorsOf(wrong).currentPassword).toEqual(["This is not your current password."]);
    expect(replyOf(wrong).result.initialValue ?? {}).not.toHaveProperty("currentPassword");
    expect(await auditEvents({ action: "user.password_change_failed", userId: created.id })).toHaveLength(1);

    const same = await change({
      currentPassword: NEW_PASSWORD,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(statusOf(same)).toBe(400);
    expect(errorsOf(same).password).toEqual(["Choose a password different from your current one."]);

    const weak = await change({ currentPassword: NEW_PASSWORD, password: "fresh-", confirmPassword: "fresh-" });
    expect(statusOf(weak)).toBe(400);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: created.id } })).mustChangePassword).toBe(true);

    const done = (await change({
      currentPassword: NEW_PASSWORD,
      password: OTHER_PASSWORD,
      confirmPassword: OTHER_PASSWORD,
      redirectTo: "/needs-data",
    })) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/needs-data");
    const rotated = cookieFrom(done);
    expect(rotated).not.toBe(cookie);

    const stored = await getDb().user.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.mustChangePassword).toBe(false);
    expect(await verifyPassword(stored.passwordHash, OTHER_PASSWORD)).toBe(true);
    // The old cookie and every other session are dead; the new one opens pages again.
    for (const stale of [cookie, elsewhere]) {
      const response = (await callRoute(patientsLoader, { path: "/patients", cookie: stale })) as Response;
      expect(response.headers.get("Location")).toMatch(/^\/sign-in/);
    }
    expect(await callRoute(patientsLoader, { path: "/patients", cookie: rotated })).not.toBeInstanceOf(Response);
    const [event] = await auditEvents({ action: "user.password_changed", userId: created.id });
    expect(event?.entityId).toBe(created.id);
    expect((await signIn(email, OTHER_PASSWORD)).headers.get("Location")).toBe("/patients");
  });

  it("lets any signed-in user change their password when they choose to", async () => {
    const { user, cookie } = await signedIn("PHYSICIAN");
    expect(await callRoute(passwordLoader, { path: "/account/password", cookie })).toEqual({
      mustChange: false,
      redirectTo: "",
    });
    const response = (await callRoute(passwordAction, {
      path: "/account/password",
      cookie,
      form: { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    })) as Response;
    expect(response.headers.get("Location")).toBe("/worklist");
    expect(
      await verifyPassword(
        (await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash,
        NEW_PASSWORD,
      ),
    ).toBe(true);
  });

  it("throttles guesses of the current password like sign-ins", async () => {
    const { user, cookie } = await signedIn("NURSE");
    const guess = () =>
      callRoute(passwordAction, {
        path: "/account/password",
        cookie,
        form: { currentPassword: "a-wrong-guess-of-mine", password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      });
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    for (let attempt = 0; attempt < SIGN_IN_THROTTLE.pair.free; attempt++) expect(statusOf(await guess())).toBe(400);
    expect(statusOf(await guess())).toBe(429);
    expect(await auditEvents({ action: "user.password_change_failed", userId: user.id })).toHaveLength(
      SIGN_IN_THROTTLE.pair.free,
    );
  });
});
