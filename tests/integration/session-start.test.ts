import { describe, expect, it } from "vitest";
import { MAX_SESSIONS_PER_USER } from "~/models/session.server";
import { loader as patientsLoader } from "~/routes/patients._index";
import { action as signInAction } from "~/routes/sign-in";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser, makeContext, TEST_PASSWORD } from "../helpers/fixtures";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

const CHROME_ON_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** Whether a clinician's cookie still opens a page, rather than leading to the sign-in page. */
async function works(cookie: string) {
  return !((await callRoute(patientsLoader, { path: "/patients", cookie })) instanceof Response);
}

const activeSessions = (userId: string) => getDb().session.count({ where: { userId, endedAt: null } });

describe("starting a session", () => {
  it("records a browser label and the client address, not the whole User-Agent", async () => {
    const user = await createUser("NURSE");
    const response = (await callRoute(signInAction, {
      path: "/sign-in",
      form: { email: user.email, password: TEST_PASSWORD },
      headers: { "User-Agent": CHROME_ON_WINDOWS },
      context: makeContext("198.51.100.23"),
    })) as Response;
    expect(response.status).toBe(302);

    const session = await getDb().session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session).toMatchObject({ browser: "Chrome on Windows", clientAddress: "198.51.100.23" });
    expect(session.publicId).not.toBe(session.tokenHash);
  });
});

describe("at most ten sessions per user", () => {
  it("a sign-in beyond ten ends the oldest session, and says so in the audit trail", async () => {
    const user = await createUser("NURSE");
    const start = Date.now() - 60_000;
    const cookies: string[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_USER; i++) {
      cookies.push(await sessionCookie(user.id, new Date(start + i * 1000)));
    }
    const oldest = await getDb().session.findFirstOrThrow({
      where: { userId: user.id },
      orderBy: { createdAt: "asc" },
    });

    const newest = await sessionCookie(user.id);
    expect(await activeSessions(user.id)).toBe(MAX_SESSIONS_PER_USER);
    expect(await works(cookies[0] as string)).toBe(false);
    expect(await works(cookies[1] as string)).toBe(true);
    expect(await works(newest)).toBe(true);
    const ended = await getDb().session.findUniqueOrThrow({ where: { tokenHash: oldest.tokenHash } });
    expect(ended.endReason).toBe("session-limit");
    const [event] = await auditEvents({ action: "auth.session_ended", userId: user.id });
    expect(event).toMatchObject({ outcome: "success", entityType: "User", entityId: user.id });
    expect(event?.detail).toEqual({ reason: "session-limit", sessions: [oldest.publicId] });
  });

  it("never leaves more than ten active under parallel sign-ins, and keeps every new one", async () => {
    const user = await createUser("PHYSICIAN");
    await Promise.all(Array.from({ length: 4 }, () => sessionCookie(user.id)));
    const cookies = await Promise.all(Array.from({ length: 16 }, () => sessionCookie(user.id)));
    expect(await activeSessions(user.id)).toBe(MAX_SESSIONS_PER_USER);
    // Only ten of the sixteen survive: the last to commit ended the oldest, never its own.
    expect((await Promise.all(cookies.map(works))).filter(Boolean)).toHaveLength(MAX_SESSIONS_PER_USER);
  });
});
