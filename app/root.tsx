import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "./components/general-error-boundary";
import { useNonce } from "./components/nonce";
import { parseWithoutEvalInBrowser } from "./components/zod-jitless";
import { ProgressBar, SaveNotice, useFocusOnNavigation } from "./components/page-feedback";
import { SessionTimeout, SignOutForm } from "./components/session-timeout";
import { can } from "./domain/permissions";
import { ROLE_LABELS } from "./domain/roles";
import { count } from "./domain/text";
import { clinicDateTime } from "./server/clinic-time.server";
import { failedSignInsNotice, getUser, mfaStandingOf, sessionPolicy, sessionTimeLeft } from "./web/auth.server";
import { draftKeyOf } from "./web/draft-key.server";
import { takeNotice } from "./web/notice.server";
import stylesheet from "./tailwind.css";

parseWithoutEvalInBrowser();

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  const { notice, headers } = await takeNotice(request);
  return data(
    {
      user: user && { name: user.name, role: user.role },
      failedSignIns: user ? await failedSignInsNotice(request, context) : null,
      mfaDeadline: await mfaStandingOf(request, context).then((standing) =>
        standing?.status === "grace" ? clinicDateTime(standing.deadline) : null,
      ),
      session: user && {
        idleMinutes: sessionPolicy().idleMinutes,
        endsInMs: (await sessionTimeLeft(request, context)) ?? 0,
      },
      draftOwner: user && { userId: user.id, key: draftKeyOf(user.id) },
      notice,
    },
    { headers },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  useFocusOnNavigation();
  return (
    <html lang="en" className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="h-full text-slate-900">
        <ProgressBar />
        {data?.user ? <AppHeader user={data.user} /> : null}
        {data?.failedSignIns ? (
          <p className="mx-auto mt-4 max-w-6xl rounded bg-amber-50 p-3 text-sm text-amber-900" role="status">
            There {data.failedSignIns === 1 ? "was" : "were"} {count(data.failedSignIns, "failed sign-in attempt")} to
            your account since you last signed in. If that was not you, tell an administrator.
          </p>
        ) : null}
        {data?.mfaDeadline ? (
          <p className="mx-auto mt-4 max-w-6xl rounded bg-amber-50 p-3 text-sm text-amber-900" role="status">
            Your role requires a second factor for signing in. Set one up by {data.mfaDeadline}:{" "}
            <NavLink to="/account/security" className="text-blue-800 underline">
              sign-in security
            </NavLink>
            .
          </p>
        ) : null}
        <SaveNotice notice={data?.notice ?? null} userId={data?.user ? data.draftOwner?.userId : undefined} />
        {children}
        {data?.session ? <SessionTimeout {...data.session} /> : null}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function AppHeader({ user }: { user: { name: string; role: keyof typeof ROLE_LABELS } }) {
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `rounded px-3 py-2 text-sm font-medium ${isActive ? "bg-blue-800 text-white" : "text-blue-100 hover:bg-blue-800"}`;
  return (
    <header className="bg-blue-900 print:hidden">
      <nav className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2" aria-label="Main">
        <span className="text-lg font-semibold text-white">PainPath</span>
        <div className="flex flex-wrap gap-1">
          {can(user.role, "worklist:view") ? (
            <NavLink to="/worklist" className={navClass}>
              Worklist
            </NavLink>
          ) : null}
          {can(user.role, "caseload:view") ? (
            <NavLink to="/my-patients" className={navClass}>
              My patients
            </NavLink>
          ) : null}
          {can(user.role, "patients:view") ? (
            <NavLink to="/patients" className={navClass}>
              Patients
            </NavLink>
          ) : null}
          {can(user.role, "needs-data:view") ? (
            <NavLink to="/needs-data" className={navClass}>
              Needs data
            </NavLink>
          ) : null}
          {can(user.role, "reports:view") ? (
            <NavLink to="/reports" className={navClass}>
              Reports
            </NavLink>
          ) : null}
          {can(user.role, "users:manage") ? (
            <NavLink to="/admin/users" className={navClass}>
              Users
            </NavLink>
          ) : null}
          {can(user.role, "audit:view") ? (
            <NavLink to="/admin/audit" className={navClass}>
              Audit trail
            </NavLink>
          ) : null}
          {can(user.role, "rules:manage") ? (
            <NavLink to="/admin/rules" className={navClass}>
              Rule settings
            </NavLink>
          ) : null}
          {can(user.role, "imports:run") ? (
            <NavLink to="/admin/imports" className={navClass}>
              FHIR imports
            </NavLink>
          ) : null}
          {can(user.role, "imports:review") ? (
            <NavLink to="/imports/review" className={navClass}>
              Import review
            </NavLink>
          ) : null}
          {can(user.role, "cds-issuers:manage") ? (
            <NavLink to="/admin/cds-issuers" className={navClass}>
              EHR connections
            </NavLink>
          ) : null}
          {can(user.role, "users:manage") ? (
            <NavLink to="/admin/security" className={navClass}>
              Sign-in policy
            </NavLink>
          ) : null}
        </div>
        <div className="ml-auto flex flex-wrap items-center gap-3 text-sm text-blue-100">
          <NavLink to="/account/sessions" className="hover:underline" title="Your sessions">
            {user.name} · {ROLE_LABELS[user.role]}
          </NavLink>
          <NavLink to="/account/security" className="hover:underline">
            Security
          </NavLink>
          <SignOutForm className="rounded border border-blue-300 px-3 py-1 text-white hover:bg-blue-800" />
        </div>
      </nav>
    </header>
  );
}

export default function App() {
  return <Outlet />;
}

export const ErrorBoundary = GeneralErrorBoundary;
