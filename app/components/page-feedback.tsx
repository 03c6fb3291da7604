import { useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { clearDraft } from "./form-draft";

interface Notice {
  message: string;
  savedDraft?: { patientId: string; form: string };
}

/**
 * The confirmation of a save, in a live region that stays in the page so screen readers announce
 * the message when it arrives. A save's notice also retires that form's draft. It shows on the page
 * the save led to and goes away at the next navigation.
 */
export function SaveNotice({ notice, userId }: { notice: Notice | null; userId: string | undefined }) {
  const location = useLocation();
  const [shown, setShown] = useState<{ notice: Notice; at: string } | null>(null);
  if (notice && shown?.notice !== notice) setShown({ notice, at: location.key });

  useEffect(() => {
    if (notice?.savedDraft && userId) clearDraft(userId, notice.savedDraft.patientId, notice.savedDraft.form);
  }, [notice, userId]);

  const visible = shown && shown.at === location.key ? shown.notice : null;
  return (
    <div aria-live="polite" aria-atomic="true" className="mx-auto max-w-6xl px-4 print:hidden">
      {visible ? (
        <p data-save-notice className="mt-4 rounded border border-green-700 bg-green-50 p-3 text-sm text-green-900">
          <span aria-hidden="true">✓ </span>
          {visible.message}
        </p>
      ) : null}
    </div>
  );
}

/**
 * After a client-side navigation, focus goes where a reader would look: the element the address's
 * #fragment names, else the page's heading. A field the page focused itself keeps its focus.
 */
export function useFocusOnNavigation() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const target =
      (location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))) ||
      document.querySelector<HTMLElement>("main h1");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }, [location.key, location.hash]);
}

/** A thin bar at the top while a page loads or a form is sent, for sighted users; busy state for the rest. */
export function ProgressBar() {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <div
      aria-hidden="true"
      className={`fixed inset-x-0 top-0 z-50 h-1 origin-left bg-blue-500 transition-transform duration-500 print:hidden ${
        busy ? "scale-x-75" : "scale-x-0"
      }`}
    />
  );
}
