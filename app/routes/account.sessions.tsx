import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Page } from "~/components/page";
import { SessionList } from "~/components/session-list";
import { PERMISSIONS } from "~/domain/permissions";
import { endSessionSchema } from "~/domain/session-forms";
import { count } from "~/domain/text";
import { requireUser } from "~/web/auth.server";
import { parseForm } from "~/web/form-input.server";
import { endSessionsFromForm, loadSessionList } from "~/web/session-control.server";

export const meta: MetaFunction = () => [{ title: "Your sessions · PainPath" }];

const guard = { roles: PERMISSIONS["account:manage"] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, guard);
  return loadSessionList(request, context, user.id);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, guard);
  const submission = await parseForm(request, endSessionSchema);
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const ended = await endSessionsFromForm(request, context, user, user.id, submission.value);
  throw redirect(`/account/sessions?${new URLSearchParams({ ended: String(ended) })}`);
}

export default function YourSessions() {
  const { sessions, timeZone } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const ended = searchParams.get("ended");
  return (
    <Page title="Your sessions">
      <p className="max-w-2xl text-sm text-slate-700">
        Where you are signed in to PainPath. End a session you do not recognise, then{" "}
        <Link to="/account/password" className="text-blue-800 underline">
          change your password
        </Link>
        . Times are in {timeZone}.
      </p>
      {ended !== null ? (
        <p className="mt-3 rounded bg-green-50 p-3 text-sm text-green-900" role="status">
          Ended {count(Number(ended) || 0, "session")}.
        </p>
      ) : null}
      <div className="mt-4">
        <SessionList sessions={sessions} timeZone={timeZone} />
      </div>
    </Page>
  );
}
