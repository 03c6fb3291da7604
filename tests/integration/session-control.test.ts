import { describe, expect, it } from "vitest";
import { action as sessionsAction, loader as sessionsLoader } from "~/routes/account.sessions";
import { action as adminUserAction, loader as adminUserLoader } from "~/routes/admin.users.$userId";
import { endAllSessionsOfUser } from "~/models/session.server";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser } from "../helpers/fixtures";
import { callRoute, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

type Listed = {
  timeZone: string;
  sessions: Array<{ publicId: string; browser: string | null; clientAddress: string | null; current: boolean }>;
};

async function listAs(cookie: string) {
  return ((await callRoute(sessionsLoader, { path: "/account/sessions", cookie })) as Listed).sessions;
}

/** Whether the cookie still opens a page, rather than leading to the sign-in page. */
async function works(cookie: string) {
  const result = await callRoute(sessionsLoader, { path: "/account/sessions", cookie });
  return !(result instanceof Response);
}

describe("a user's own sessions", () => {
  it("lists only the sessions still in use, with what the user needs to recognise them", async () => {
    const user = await createUser("NURSE");
    await sessionCookie(user.id);
    await endAllSessionsOfUser(user.id, "sign-out");
    // Idle past the limit but not yet ended: it ends on its next request, and is not in use meanwhile.
    await sessionCookie(user.id, new Date(Date.now() - 20 * 60_000));
    const mine = await sessionCookie(user.id);

    const { sessions, timeZone } = (await callRoute(sessionsLoader, {
      path: "/account/sessions",
      cookie: mine,
    })) as Listed;
    expect(sessions).toEqual([
      expect.objectContaining({ browser: "Test browser", clientAddress: "203.0.113.7", current: true }),
    ]);
    expect(timeZone).toBeTruthy();
  });

  it("ends another of the user's sessions, whose cookie then stops working", async () => {
    const user = await createUser("NURSE");
    const mine = await sessionCookie(user.id);
    const other = await sessionCookie(user.id);
    const listed = await listAs(mine);
    expect(listed).toHaveLength(2);
    const target = listed.find((session) => !session.current);

    const response = (await callRoute(sessionsAction, {
      path: "/account/sessions",
      cookie: mine,
      form: { intent: "end-session", session: target?.publicId ?? "" },
    })) as Response;
    expect(response.headers.get("Location")).toBe("/account/sessions?ended=1");
    expect(await works(other)).toBe(false);
    expect(await works(mine)).toBe(true);
    expect((await listAs(mine)).map((session) => session.current)).toEqual([true]);

    const [event] = await auditEvents({ action: "auth.session_ended", userId: user.id });
    expect(event).toMatchObject({ outcome: "success", entityType: "User", entityId: user.id });
    expect(event?.detail).toEqual({ reason: "ended-by-user", sessions: [target?.publicId] });
  });

  it("cannot end someone else's session: nothing ends, and the attempt is audited as denied", async () => {
    const user = await createUser("NURSE");
    const victim = await createUser("PHYSICIAN");
    const victimCookie = await sessionCookie(victim.id);
    const victimSession = await getDb().session.findFirstOrThrow({ where: { userId: victim.id } });

    const result = await callRoute(sessionsAction, {
      path: "/account/sessions",
      cookie: await sessionCookie(user.id),
      form: { intent: "end-session", session: victimSession.publicId },
    });
    expect(statusOf(result)).toBe(404);
    expect(await works(victimCookie)).toBe(true);
    const [event] = await auditEvents({ action: "auth.session_ended", userId: user.id });
    expect(event).toMatchObject({ outcome: "denied", entityId: user.id });
    expect(event?.detail).toEqual({ reason: "not-this-users-session", session: victimSession.publicId });
  });

  it("refuses a session named by anything but a public id", async () => {
    const user = await createUser("NURSE");
    const other = await sessionCookie(user.id);
    const { tokenHash } = await getDb().session.findFirstOrThrow({ where: { userId: user.id } });
    const result = await callRoute(sessionsAction, {
      path: "/account/sessions",
      cookie: await sessionCookie(user.id),
      form: { intent: "end-session", session: tokenHash },
    });
    expect(statusOf(result)).toBe(400);
    expect(await works(other)).toBe(true);
  });

  it("ending an already ended session again is not an error", async () => {
    const user = await createUser("NURSE");
    const mine = await sessionCookie(user.id);
    await sessionCookie(user.id);
    const target = (await listAs(mine)).find((session) => !session.current)?.publicId ?? "";
    for (const expected of ["ended=1", "ended=0"]) {
      const response = (await callRoute(sessionsAction, {
        path: "/account/sessions",
        cookie: mine,
        form: { intent: "end-session", session: target },
      })) as Response;
      expect(response.headers.get("Location")).toBe(`/account/sessions?${expected}`);
    }
    expect(await auditEvents({ action: "auth.session_ended", userId: user.id })).toHaveLength(1);
  });

  it("signs out everywhere else, keeping this browser", async () => {
    const user = await createUser("PHYSICIAN");
    const others = [await sessionCookie(user.id), await sessionCookie(user.id)];
    const mine = await sessionCookie(user.id);
    const response = (await callRoute(sessionsAction, {
      path: "/account/sessions",
      cookie: mine,
      form: { intent: "end-other-sessions" },
    })) as Response;
    expect(response.headers.get("Location")).toBe("/account/sessions?ended=2");
    for (const cookie of others) expect(await works(cookie)).toBe(false);
    expect(await works(mine)).toBe(true);
    const ended = await getDb().session.findMany({ where: { userId: user.id, endedAt: { not: null } } });
    expect(ended.map((session) => session.endReason)).toEqual(["ended-by-user", "ended-by-user"]);
  });
});

describe("an administrator and a user's sessions", () => {
  it("lists a user's sessions and ends one, then all, audited with the user as the entity", async () => {
    const admin = await createUser("ADMIN");
    const adminCookie = await sessionCookie(admin.id);
    const user = await createUser("NURSE");
    const cookies = [await sessionCookie(user.id), await sessionCookie(user.id), await sessionCookie(user.id)];
    const page = { path: `/admin/users/${user.id}`, cookie: adminCookie, params: { userId: user.id } };

    const listed = ((await callRoute(adminUserLoader, page)) as Listed).sessions;
    expect(listed).toHaveLength(3);
    expect(listed.some((session) => session.current)).toBe(false);

    const one = (await callRoute(adminUserAction, {
      ...page,
      form: { intent: "end-session", session: listed[0]?.publicId ?? "" },
    })) as Response;
    expect(one.headers.get("Location")).toBe(`/admin/users/${user.id}?done=end-session`);
    expect((await Promise.all(cookies.map(works))).filter(Boolean)).toHaveLength(2);

    await callRoute(adminUserAction, { ...page, form: { intent: "end-other-sessions" } });
    expect(await Promise.all(cookies.map(works))).toEqual([false, false, false]);
    expect(await works(adminCookie)).toBe(true);

    const events = await auditEvents({ action: "auth.session_ended", userId: admin.id });
    expect(events.map((event) => [event.entityId, event.outcome, (event.detail as { reason: string }).reason])).toEqual(
      [
        [user.id, "success", "ended-by-admin"],
        [user.id, "success", "ended-by-admin"],
      ],
    );
    expect((events[1]?.detail as { sessions: string[] }).sessions).toHaveLength(2);
  });

  it("cannot end another user's session through this user's page", async () => {
    const admin = await createUser("ADMIN");
    const user = await createUser("NURSE");
    const bystander = await createUser("PHYSICIAN");
    const bystanderCookie = await sessionCookie(bystander.id);
    const { publicId } = await getDb().session.findFirstOrThrow({ where: { userId: bystander.id } });
    const result = await callRoute(adminUserAction, {
      path: `/admin/users/${user.id}`,
      cookie: await sessionCookie(admin.id),
      params: { userId: user.id },
      form: { intent: "end-session", session: publicId },
    });
    expect(statusOf(result)).toBe(404);
    expect(await works(bystanderCookie)).toBe(true);
    const [event] = await auditEvents({ action: "auth.session_ended", userId: admin.id });
    expect(event).toMatchObject({ outcome: "denied", entityId: user.id });
  });
});
