import { describe, expect, it } from "vitest";
import { endAllSessionsOfUser } from "~/models/session.server";
import { loader as patientsLoader } from "~/routes/patients._index";
import { loader as worklistLoader } from "~/routes/worklist";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser } from "../helpers/fixtures";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

const MINUTE = 60_000;

describe("session lifetime", () => {
  it("accepts a session used within the idle limit and refreshes its last use", async () => {
    const user = await createUser("NURSE");
    const cookie = await sessionCookie(user.id, new Date(Date.now() - 14 * MINUTE));
    const result = await callRoute(patientsLoader, {
      path: "/patients",
      cookie,
    });
    expect(result).not.toBeInstanceOf(Response);
    const [session] = await getDb().session.findMany({
      where: { userId: user.id },
    });
    expect(Date.now() - (session?.lastSeenAt.getTime() ?? 0)).toBeLessThan(MINUTE);
  });

  it("ends a session idle for 15 minutes, says so on the sign-in page and audits it", async () => {
    const user = await createUser("NURSE");
    const cookie = await sessionCookie(user.id, new Date(Date.now() - 15 * MINUTE - 1000));
    const response = (await callRoute(patientsLoader, {
      path: "/patients?q=x",
      cookie,
    })) as Response;

    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/sign-in?redirectTo=%2Fpatients%3Fq%3Dx&expired=1");
    const [session] = await getDb().session.findMany({
      where: { userId: user.id },
    });
    expect(session?.endReason).toBe("idle-timeout");
    const [event] = await auditEvents({
      action: "auth.session_expired",
      userId: user.id,
    });
    expect(event?.detail).toEqual({ reason: "idle-timeout" });

    const again = (await callRoute(patientsLoader, {
      path: "/patients",
      cookie,
    })) as Response;
    expect(again.headers.get("Location")).toBe("/sign-in?redirectTo=%2Fpatients");
    expect(await auditEvents({ action: "auth.session_expired", userId: user.id })).toHaveLength(1);
  });

  it("ends a session 12 hours after sign-in even when it is in constant use", async () => {
    const user = await createUser("PHYSICIAN");
    const cookie = await sessionCookie(user.id, new Date(Date.now() - 12 * 60 * MINUTE - 1000));
    await getDb().session.updateMany({
      where: { userId: user.id },
      data: { lastSeenAt: new Date() },
    });

    const response = (await callRoute(worklistLoader, {
      path: "/worklist",
      cookie,
    })) as Response;
    expect(response.headers.get("Location")).toMatch(/expired=1$/);
    const [session] = await getDb().session.findMany({
      where: { userId: user.id },
    });
    expect(session?.endReason).toBe("absolute-timeout");
  });

  it("ignores a tampered cookie", async () => {
    const user = await createUser("NURSE");
    const cookie = await sessionCookie(user.id, new Date());
    const [name, value = ""] = cookie.split("=");
    const tampered = `${name}=${value.slice(0, -4)}AAAA`;
    const response = (await callRoute(patientsLoader, {
      path: "/patients",
      cookie: tampered,
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/sign-in?redirectTo=%2Fpatients");
  });

  it("refuses every session of a deactivated user", async () => {
    const user = await createUser("NURSE");
    const cookie = await sessionCookie(user.id, new Date());
    await getDb().user.update({
      where: { id: user.id },
      data: { active: false },
    });
    const response = (await callRoute(patientsLoader, {
      path: "/patients",
      cookie,
    })) as Response;
    expect(response.status).toBe(302);
  });

  it("ends all of a user's sessions at once", async () => {
    const user = await createUser("NURSE");
    const cookies = [await sessionCookie(user.id, new Date()), await sessionCookie(user.id, new Date())];
    await endAllSessionsOfUser(user.id, "user-deactivated");
    for (const cookie of cookies) {
      const response = (await callRoute(patientsLoader, {
        path: "/patients",
        cookie,
      })) as Response;
      expect(response.status).toBe(302);
    }
  });
});
