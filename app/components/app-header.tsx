import { NavLink, useLocation } from "@remix-run/react";
import { useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { can, type Permission } from "~/domain/permissions";
import { ROLE_LABELS } from "~/domain/roles";
import { ShortcutsDialog, useKeyboardShortcuts } from "./keyboard-shortcuts";
import { SignOutForm } from "./session-timeout";

const MAIN_LINKS: ReadonlyArray<readonly [string, string, Permission]> = [
  ["/worklist", "Worklist", "worklist:view"],
  ["/my-patients", "My patients", "caseload:view"],
  ["/patients", "Patients", "patients:view"],
  ["/needs-data", "Needs data", "needs-data:view"],
  ["/reports", "Reports", "reports:view"],
  ["/admin/users", "Users", "users:manage"],
  ["/admin/audit", "Audit trail", "audit:view"],
  ["/admin/rules", "Rule settings", "rules:manage"],
  ["/admin/imports", "FHIR imports", "imports:run"],
  ["/imports/review", "Import review", "imports:review"],
  ["/admin/cds-issuers", "EHR connections", "cds-issuers:manage"],
  ["/admin/security", "Sign-in policy", "users:manage"],
];

const noSubscription = () => () => {};

/**
 * The main navigation. Below 1024 px its links fold behind a "Menu" disclosure: a `<details>`, so it
 * opens without JavaScript; once hydrated, the summary also carries aria-expanded, and the menu
 * closes at the next navigation and on Escape, which returns focus to the summary. From 1024 px the
 * summary is hidden and the content shown whether the `<details>` is open or not (tailwind.css).
 */
export function AppHeader({ user }: { user: { name: string; role: keyof typeof ROLE_LABELS } }) {
  const location = useLocation();
  // Open on the page where it was opened: any navigation closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  // False in the server's HTML, true once hydrated: without scripts the browser keeps the state.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const open = openOn === location.key;
  const setOpen = (value: boolean) => setOpenOn(value ? location.key : null);
  const summary = useRef<HTMLElement>(null);
  const shortcuts = useKeyboardShortcuts({ canSearchPatients: can(user.role, "patients:view") });
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !open) return;
    setOpen(false);
    summary.current?.focus();
  };
  return (
    <>
      <header className="scheme-light bg-blue-900 print:hidden">
        <nav
          className="relative mx-auto flex max-w-6xl items-center gap-x-4 px-4 py-2"
          aria-label="Main"
          onKeyDown={closeOnEscape}
        >
          <span className="text-lg font-semibold text-white">PainPath</span>
          <details
            className="folding-menu ml-auto lg:ml-0 lg:flex-1"
            open={open}
            onToggle={(event) => {
              const isOpen = event.currentTarget.open;
              if (isOpen !== open) setOpen(isOpen);
            }}
          >
            <summary
              ref={summary}
              className="nav-link cursor-pointer list-none border border-blue-300"
              aria-expanded={hydrated ? open : undefined}
            >
              Menu
            </summary>
            <div className="absolute inset-x-0 top-full z-40 flex flex-col gap-2 bg-blue-900 px-4 pb-3 lg:static lg:flex-row lg:flex-wrap lg:items-center lg:gap-4 lg:p-0">
              <div id="main-menu" className="flex flex-col gap-1 lg:flex-row lg:flex-wrap">
                {MAIN_LINKS.filter(([, , permission]) => can(user.role, permission)).map(([to, label]) => (
                  <NavLink key={to} to={to} className="nav-link">
                    {label}
                  </NavLink>
                ))}
              </div>
              <div className="flex flex-wrap items-center gap-3 text-sm text-blue-100 lg:ml-auto">
                <NavLink to="/account/sessions" className="hover:underline" title="Your sessions">
                  {user.name} · {ROLE_LABELS[user.role]}
                </NavLink>
                <NavLink to="/account/security" className="hover:underline">
                  Security
                </NavLink>
                <button type="button" className="hover:underline" aria-keyshortcuts="?" onClick={shortcuts.openHelp}>
                  Keyboard shortcuts
                </button>
                <SignOutForm className="rounded border border-blue-300 px-3 py-1 text-white hover:bg-blue-800" />
              </div>
            </div>
          </details>
        </nav>
      </header>
      <ShortcutsDialog open={shortcuts.helpOpen} onClose={shortcuts.closeHelp} />
    </>
  );
}
