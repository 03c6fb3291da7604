import { NavLink, useLocation } from "@remix-run/react";
import { useRef, useState, type KeyboardEvent } from "react";
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

/**
 * The main navigation. Below 1024 px its links fold behind a "Menu" disclosure button (the APG
 * disclosure pattern: a button with aria-expanded that shows and hides the list), which closes at
 * the next navigation and on Escape.
 */
export function AppHeader({ user }: { user: { name: string; role: keyof typeof ROLE_LABELS } }) {
  const location = useLocation();
  // Open on the page where it was opened: any navigation closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === location.key;
  const setOpen = (value: boolean) => setOpenOn(value ? location.key : null);
  const button = useRef<HTMLButtonElement>(null);
  const shortcuts = useKeyboardShortcuts({ canSearchPatients: can(user.role, "patients:view") });
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !open) return;
    setOpen(false);
    button.current?.focus();
  };
  const folded = open ? "flex" : "max-lg:hidden";
  return (
    <>
      <header className="scheme-light bg-blue-900 print:hidden">
        <nav
          className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2"
          aria-label="Main"
          onKeyDown={closeOnEscape}
        >
          <span className="text-lg font-semibold text-white">PainPath</span>
          <button
            ref={button}
            type="button"
            className="nav-link ml-auto border border-blue-300 lg:hidden"
            aria-expanded={open}
            aria-controls="main-menu"
            onClick={() => setOpen(!open)}
          >
            Menu
          </button>
          <div id="main-menu" className={`${folded} w-full flex-col gap-1 lg:flex lg:w-auto lg:flex-row lg:flex-wrap`}>
            {MAIN_LINKS.filter(([, , permission]) => can(user.role, permission)).map(([to, label]) => (
              <NavLink key={to} to={to} className="nav-link">
                {label}
              </NavLink>
            ))}
          </div>
          <div
            className={`${folded} w-full flex-wrap items-center gap-3 text-sm text-blue-100 lg:ml-auto lg:flex lg:w-auto`}
          >
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
        </nav>
      </header>
      <ShortcutsDialog open={shortcuts.helpOpen} onClose={shortcuts.closeHelp} />
    </>
  );
}
