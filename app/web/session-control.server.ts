import type { AppLoadContext } from "@remix-run/node";
import type { SessionView } from "~/components/session-list";
import type { AuditActor } from "~/models/audit.server";
import { endSessionsOfUser, listActiveSessions } from "~/models/session.server";
import { clinicDisplayDateTime, clinicTimeZone } from "~/server/clinic-time.server";
import { currentSessionId, sessionPolicy } from "./auth.server";

/** The active sessions of a user for SessionList; the request's own session is marked as this browser. */
export async function loadSessionList(request: Request, context: AppLoadContext, userId: string) {
  const [sessions, current] = await Promise.all([
    listActiveSessions(userId, sessionPolicy()),
    currentSessionId(request, context),
  ]);
  return {
    timeZone: clinicTimeZone(),
    sessions: sessions.map((session): SessionView => ({
      publicId: session.publicId,
      browser: session.browser,
      clientAddress: session.clientAddress,
      signedIn: clinicDisplayDateTime(session.createdAt),
      lastSeen: clinicDisplayDateTime(session.lastSeenAt),
      current: session.publicId === current,
    })),
  };
}

/**
 * Carries out SessionList's forms for the sessions of `userId`. "All others" never ends the
 * request's own session. An id that is not one of the user's sessions is a 404 (audited as denied).
 */
export async function endSessionsFromForm(
  request: Request,
  context: AppLoadContext,
  actor: AuditActor,
  userId: string,
  input: { intent: "end-session"; session: string } | { intent: "end-other-sessions" },
) {
  const target =
    input.intent === "end-session"
      ? { userId, session: input.session }
      : { userId, except: (await currentSessionId(request, context)) ?? undefined };
  const result = await endSessionsOfUser(context, actor, target);
  if (result.status === "not-found") throw new Response("Not found", { status: 404 });
  return result.sessions.length;
}
