import type { Page } from "playwright-core";
import { createCookie } from "@remix-run/node";
import { createSession } from "~/models/session.server";
import { getEnv } from "~/server/env.server";
import { makeContext } from "./fixtures";

/**
 * A signed session cookie (`name=value`) for a session that started at `createdAt`. Like a sign-in
 * with a second factor, its factor counts as verified at that time (so step-ups pass while it is
 * recent) unless `secondFactorAt` says otherwise (null: never verified).
 */
export async function sessionCookie(
  userId: string,
  createdAt = new Date(),
  options: { secondFactorAt?: Date | null } = {},
): Promise<string> {
  const env = getEnv();
  const policy = {
    idleMinutes: env.SESSION_IDLE_MINUTES,
    absoluteHours: env.SESSION_ABSOLUTE_HOURS,
  };
  const context = makeContext();
  const session = {
    userId,
    browser: "Test browser",
    clientAddress: context.clientAddress,
    secondFactorAt: options.secondFactorAt === undefined ? createdAt : options.secondFactorAt,
  };
  const { token } = await createSession(context, session, policy, createdAt);
  const cookie = createCookie("painpath_session", {
    secrets: [env.sessionSecret],
  });
  return (await cookie.serialize(token)).split(";")[0] as string;
}

/** Signs the browser page in as `userId`: a fresh session's cookie, set for the test server's origin. */
export async function signInBrowser(page: Page, userId: string, origin: string) {
  const [name, ...value] = (await sessionCookie(userId)).split("=");
  await page.context().addCookies([{ name: name as string, value: value.join("="), url: origin }]);
}
