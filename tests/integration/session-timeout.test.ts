import { describe, expect, it } from "vitest";
import { action as signOut } from "~/routes/sign-out";
import { action as staySignedIn, loader as timeLeft } from "~/routes/session";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { auditEvents, createUser } from "../helpers/fixtures";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

const MINUTE = 60_000;

async function lastSeen(userId: string) {
  const session = await getDb().session.findFirstOrThrow({ where: { userId } });
  return session.lastSeenAt.getTime();
}

describe("the idle-expiry warning's questions to the server", () => {
  it("tells how long is left without counting the question as activity", async () => {
    const idle = getEnv().SESSION_IDLE_MINUTES;
    const user = await createUser("NURSE");
    const cookie = await sessionCookie(user.id, new Date(Date.now() - (idle - 1) * MINUTE));
    const before = await lastSeen(user.id);

    const response = (await callRoute(timeLeft, { path: "/session", cookie })) as Response;
    const status = (await response.json()) as { signedIn: boolean; timeLeftMs: number };
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(status.signedIn).toBe(true);
    expect(status.timeLeftMs).toBeGreaterThan(0.9 * MINUTE);
    expect(status.timeLeftMs).toBeLessThanOrEqual(MINUTE);
    expect(await lastSeen(user.id)).toBe(before);
  });

  it("'Stay signed in' counts as activity and gives back the whole idle period", async () => {
    const idle = getEnv().SESSION_IDLE_MINUTES;
    const user = await createUser("PHYSICIAN");
    const cookie = await sessionCookie(user.id, new Date(Date.now() - (idle - 1) * MINUTE));

    const response = (await callRoute(staySignedIn, { path: "/session", method: "POST", cookie })) as Response;
    const status = (await response.json()) as { signedIn: boolean; timeLeftMs: number };
    expect(status.timeLeftMs).toBeGreaterThan((idle - 0.1) * MINUTE);
    expect(Date.now() - (await lastSeen(user.id))).toBeLessThan(MINUTE / 2);
  });

  it("an expired session stays expired: the question ends it, audited, and staying is refused", async () => {
    const idle = getEnv().SESSION_IDLE_MINUTES;
    const user = await createUser("NURSE");
    const cookie = await sessionCookie(user.id, new Date(Date.now() - (idle + 1) * MINUTE));

    const response = (await callRoute(timeLeft, { path: "/session", cookie })) as Response;
    expect(await response.json()).toEqual({ signedIn: false, timeLeftMs: 0 });
    expect(await auditEvents({ action: "auth.session_expired", userId: user.id })).toHaveLength(1);
    const stay = (await callRoute(staySignedIn, { path: "/session", method: "POST", cookie })) as Response;
    expect(stay.status).toBe(302);
    expect(stay.headers.get("Location")).toMatch(/^\/sign-in\?/);
  });
});

describe("signing out", () => {
  it("tells the browser to clear its storage, where form drafts are kept", async () => {
    const user = await createUser("NURSE");
    const cookie = await sessionCookie(user.id);
    const response = (await callRoute(signOut, { path: "/sign-out", method: "POST", cookie })) as Response;
    expect(response.headers.get("Location")).toBe("/sign-in");
    expect(response.headers.get("Clear-Site-Data")).toBe('"storage"');
  });
});
