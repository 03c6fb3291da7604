import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { keepSessionAlive, sessionTimeLeft } from "~/web/auth.server";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * How long the browser's session has left, for the idle-expiry warning. Not activity, so anyone may
 * ask; a browser without a session learns only that.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const timeLeftMs = await sessionTimeLeft(request, context);
  return Response.json(
    { signedIn: timeLeftMs !== null && timeLeftMs > 0, timeLeftMs: timeLeftMs ?? 0 },
    { headers: NO_STORE },
  );
}

/** "Stay signed in": the server, not the browser, decides that the session goes on. */
export async function action({ request, context }: ActionFunctionArgs) {
  const timeLeftMs = await keepSessionAlive(request, context);
  return Response.json({ signedIn: timeLeftMs > 0, timeLeftMs }, { headers: NO_STORE });
}
