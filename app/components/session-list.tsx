import { Form } from "@remix-run/react";
import { EmptyState } from "./page";
import { ScrollRegion } from "./scroll-region";

export type SessionView = {
  publicId: string;
  browser: string | null;
  clientAddress: string | null;
  signedIn: string;
  lastSeen: string;
  current: boolean;
};

/**
 * A user's active sessions, each with a button that ends it, and one that ends all but this
 * browser's. The forms post to the page's own action (`end-session`, `end-other-sessions`).
 */
export function SessionList({ sessions, timeZone }: { sessions: SessionView[]; timeZone: string }) {
  if (sessions.length === 0) return <EmptyState>No active sessions.</EmptyState>;
  const others = sessions.filter((session) => !session.current).length;
  return (
    <div className="space-y-3">
      <ScrollRegion label="Sessions">
        <table className="w-full max-w-4xl border-collapse bg-white text-left text-sm">
          <caption className="sr-only">Active sessions (times in {timeZone})</caption>
          <thead className="bg-slate-100">
            <tr>
              <th className="px-3 py-2">Browser</th>
              <th className="px-3 py-2">Address</th>
              <th className="px-3 py-2">Signed in</th>
              <th className="px-3 py-2">Last seen</th>
              <th className="px-3 py-2">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.publicId} className="border-t border-slate-200">
                <td className="px-3 py-2">{session.browser ?? "Unknown browser"}</td>
                <td className="px-3 py-2 font-mono text-xs">{session.clientAddress ?? "unknown"}</td>
                <td className="px-3 py-2">{session.signedIn}</td>
                <td className="px-3 py-2">{session.lastSeen}</td>
                <td className="px-3 py-2">
                  {session.current ? (
                    <span className="font-semibold">This browser</span>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="end-session" />
                      <input type="hidden" name="session" value={session.publicId} />
                      <button
                        type="submit"
                        className="rounded border border-red-700 px-3 py-1 text-red-800 hover:bg-red-50"
                      >
                        End session
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {others > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="end-other-sessions" />
          <button
            type="submit"
            className="rounded border border-red-700 px-4 py-2 font-medium text-red-800 hover:bg-red-50"
          >
            {others === sessions.length ? "End all sessions" : "Sign out everywhere else"}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
