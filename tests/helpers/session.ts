import { createCookie } from "@remix-run/node";
import { createSession } from "~/models/session.server";
import { getEnv } from "~/server/env.server";
import { makeContext } from "./fixtures";

/** A signed session cookie (`name=value`) for a session that started at `createdAt`. */
export async function sessionCookie(userId: string, createdAt = new Date()): Promise<string> {
  const env = getEnv();
  const policy = {
    idleMinutes: env.SESSION_IDLE_MINUTES,
    absoluteHours: env.SESSION_ABSOLUTE_HOURS,
  };
  const context = makeContext();
  const session = { userId, browser: "Test browser", clientAddress: context.clientAddress };
  const { token } = await createSession(context, session, policy, createdAt);
  const cookie = createCookie("painpath_session", {
    secrets: [env.sessionSecret],
  });
  return (await cookie.serialize(token)).split(";")[0] as string;
}
