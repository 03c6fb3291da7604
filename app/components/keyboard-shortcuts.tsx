import { useLocation, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

/**
 * Single-key shortcuts. An element offers one by carrying `aria-keyshortcuts` (which also tells
 * screen readers): a field gets focus, anything else is clicked. `/` without a search field on the
 * page opens the patient search. They can be turned off, as WCAG 2.1.4 (Character Key Shortcuts)
 * asks, in a cookie rather than in storage because signing out clears the site's storage.
 */
export const SHORTCUTS = [
  { key: "/", action: "Search patients (or the page's own search field)" },
  { key: "o", action: "Record an outcome, on a patient's page" },
  { key: "?", action: "Show this list" },
] as const;

const OFF_COOKIE = "painpath_shortcuts";

function shortcutsOff() {
  return document.cookie.split("; ").includes(`${OFF_COOKIE}=off`);
}

function setShortcutsOff(off: boolean) {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${OFF_COOKIE}=off; Path=/; SameSite=Lax; Max-Age=${off ? 60 * 60 * 24 * 365 : 0}${secure}`;
}

function isTyping(target: EventTarget | null) {
  return target instanceof Element && target.closest("input, textarea, select, [contenteditable]") !== null;
}

function shortcutTarget(key: string) {
  const candidates = document.querySelectorAll<HTMLElement>(`[aria-keyshortcuts="${CSS.escape(key)}"]`);
  return Array.from(candidates).find((element) => element.getClientRects().length > 0) ?? null;
}

function activate(element: HTMLElement) {
  if (element.matches("input, textarea, select")) element.focus();
  else element.click();
}

export function useKeyboardShortcuts({ canSearchPatients }: { canSearchPatients: boolean }) {
  const [helpOpen, setHelpOpen] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const searchAfterNavigation = useRef(false);

  useEffect(() => {
    if (!searchAfterNavigation.current) return;
    searchAfterNavigation.current = false;
    const search = shortcutTarget("/");
    if (search) activate(search);
  }, [location.key]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      // A modal dialog (this list, the idle warning) keeps the keyboard to itself.
      if (document.querySelector("dialog[open]") || shortcutsOff()) return;
      if (event.key === "?") {
        event.preventDefault();
        setHelpOpen(true);
        return;
      }
      const target = shortcutTarget(event.key);
      if (target) {
        event.preventDefault();
        activate(target);
      } else if (event.key === "/" && canSearchPatients) {
        event.preventDefault();
        searchAfterNavigation.current = true;
        navigate("/patients");
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [canSearchPatients, navigate]);

  return { helpOpen, openHelp: () => setHelpOpen(true), closeHelp: () => setHelpOpen(false) };
}

/** The list of shortcuts, with the switch that turns them off. Rendered only while open. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return open ? <OpenShortcutsDialog onClose={onClose} /> : null;
}

function OpenShortcutsDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [enabled, setEnabled] = useState(() => !shortcutsOff());
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="shortcuts-title"
      className="w-full max-w-md rounded-lg border border-slate-300 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50"
    >
      <h2 id="shortcuts-title" className="text-lg font-semibold">
        Keyboard shortcuts
      </h2>
      <p className="mt-1 text-sm text-slate-700">Single keys, pressed when the cursor is not in a field.</p>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {SHORTCUTS.map(({ key, action }) => (
          <div key={key} className="contents">
            <dt>
              <kbd className="rounded border border-slate-400 bg-slate-100 px-2 font-mono">{key}</kbd>
            </dt>
            <dd>{action}</dd>
          </div>
        ))}
      </dl>
      <label className="mt-4 flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(event) => {
            setEnabled(event.target.checked);
            setShortcutsOff(!event.target.checked);
          }}
        />
        Use single-key shortcuts
      </label>
      <form method="dialog" className="mt-4">
        <button type="submit" className="rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900">
          Close
        </button>
      </form>
    </dialog>
  );
}
