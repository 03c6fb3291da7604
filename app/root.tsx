import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { AppHeader } from "./components/app-header";
import { GeneralErrorBoundary } from "./components/general-error-boundary";
import { useNonce } from "./components/nonce";
import { parseWithoutEvalInBrowser } from "./components/zod-jitless";
import { ProgressBar, SaveNotice, useFocusOnNavigation } from "./components/page-feedback";
import { SessionTimeout } from "./components/session-timeout";
import { count } from "./domain/text";
import { clinicDisplayDateTime, clinicTimeZone } from "./server/clinic-time.server";
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
      // Pages show stored instants on the clinic's wall clock (components/dates.tsx).
      timeZone: clinicTimeZone(),
      failedSignIns: user ? await failedSignInsNotice(request, context) : null,
      mfaDeadline: await mfaStandingOf(request, context).then((standing) =>
        standing?.status === "grace" ? clinicDisplayDateTime(standing.deadline) : null,
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
        {data?.user ? (
          <a href="#main" className="skip-link">
            Skip to main content
          </a>
        ) : null}
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

export default function App() {
  return <Outlet />;
}

export const ErrorBoundary = GeneralErrorBoundary;
