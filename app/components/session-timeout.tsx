import { Form, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { clearAllDrafts } from "./form-draft";

/** How early the warning comes: NIST SP 800-63B usability advice for idle timeouts (§ 7.2 of rev. 3 / 4). */
export const WARNING_MS = 2 * 60_000;
/** The server counts a request as activity at most once a minute (app/models/session.server.ts). */
const TOUCH_SLACK_MS = 60_000;

type Status = { signedIn: boolean; timeLeftMs: number };

/** The server's answer, or null when it could not be asked (offline): then the warning waits. */
async function askServer(method: "GET" | "POST"): Promise<Status | null> {
  try {
    const response = await fetch("/session", { method, redirect: "manual", headers: { Accept: "application/json" } });
    if (response.type === "opaqueredirect") return { signedIn: false, timeLeftMs: 0 };
    if (!response.ok) return null;
    return (await response.json()) as Status;
  } catch {
    return null;
  }
}

function leave() {
  const back = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/sign-in?${new URLSearchParams({ expired: "1", redirectTo: back })}`);
}

const minutesAndSeconds = (ms: number) => {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
};

/**
 * Warns before the server ends an idle session, with "Stay signed in". The server decides: the
 * browser only asks it how long is left (asking is not activity) and, on "Stay signed in", asks it
 * to count a request. When the time is up the page leaves for sign-in, so no record stays on screen;
 * what was being typed is in the form's draft.
 */
export function SessionTimeout({ idleMinutes, endsInMs }: { idleMinutes: number; endsInMs: number }) {
  const location = useLocation();
  const [endsAt, setEndsAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [round, setRound] = useState(0);
  const firstCheck = useRef(true);
  const dialog = useRef<HTMLDialogElement>(null);

  // Every page load or "Stay signed in" starts a new round; each round asks the server when it matters.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const estimate = firstCheck.current ? endsInMs : idleMinutes * 60_000 - TOUCH_SLACK_MS;
    firstCheck.current = false;
    const check = async () => {
      const status = await askServer("GET");
      if (stopped) return;
      if (!status) {
        timer = setTimeout(check, 30_000);
      } else if (!status.signedIn) {
        leave();
      } else if (status.timeLeftMs > WARNING_MS) {
        setEndsAt(null);
        timer = setTimeout(check, status.timeLeftMs - WARNING_MS);
      } else {
        setNow(Date.now());
        setEndsAt(Date.now() + status.timeLeftMs);
        timer = setTimeout(check, status.timeLeftMs + 1_000);
      }
    };
    timer = setTimeout(check, Math.max(0, estimate - WARNING_MS));
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [location.key, round, endsInMs, idleMinutes]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (endsAt === null) {
      if (element.open) element.close();
      return;
    }
    if (!element.open) element.showModal();
    const tick = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(tick);
  }, [endsAt]);

  const stay = async () => {
    const status = await askServer("POST");
    if (status && !status.signedIn) return leave();
    setEndsAt(null);
    setRound((value) => value + 1);
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="session-warning-title"
      aria-describedby="session-warning-text"
      className="max-w-md rounded-lg border border-slate-300 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
      onCancel={(event) => {
        // Escape means "I am here": the same as Stay signed in.
        event.preventDefault();
        void stay();
      }}
    >
      {endsAt === null ? null : (
        <>
          <h2 id="session-warning-title" className="text-lg font-semibold">
            You will be signed out soon
          </h2>
          <p id="session-warning-text" className="mt-2 text-sm">
            For privacy, PainPath signs you out after {idleMinutes} minutes without activity. Time left:{" "}
            <strong className="tabular-nums">{minutesAndSeconds(endsAt - now)}</strong>. Anything you were typing is
            kept as a draft in this browser.
          </p>
          <div className="mt-4 flex flex-wrap gap-3">
            <button
              type="button"
              autoFocus
              onClick={() => void stay()}
              className="rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900"
            >
              Stay signed in
            </button>
            <SignOutForm className="rounded border border-slate-400 px-4 py-2 text-slate-800 hover:bg-slate-100" />
          </div>
        </>
      )}
    </dialog>
  );
}

/** Signing out removes every draft from this browser first (the response also sends Clear-Site-Data). */
export function SignOutForm({ className }: { className: string }) {
  return (
    <Form method="post" action="/sign-out" onSubmit={clearAllDrafts}>
      <button type="submit" className={className}>
        Sign out
      </button>
    </Form>
  );
}
