import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import * as z from "zod";
import { EmptyState, Page } from "~/components/page";
import { PERMISSIONS } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { clearSignInThrottle, listSlowedSignIns } from "~/models/sign-in-throttle.server";
import { requireUser } from "~/web/auth.server";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction = () => [{ title: "Slowed sign-ins · PainPath" }];

const UnlockSchema = z.object({ accountKey: z.string().trim().toLowerCase().min(1).max(254) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["users:manage"] });
  const slowed = await listSlowedSignIns();
  return {
    slowed: slowed.map((row) => ({ ...row, nextAllowedAt: row.nextAllowedAt.toISOString() })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["users:manage"] });
  const submission = await parseForm(request, UnlockSchema);
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const { accountKey } = submission.value;
  const cleared = await clearSignInThrottle(accountKey);
  await recordAudit(context, {
    action: "auth.sign_in_unthrottled",
    actor: admin,
    detail: { account: accountKey, counters: cleared },
  });
  throw redirect(`/admin/sign-ins?${new URLSearchParams({ unlocked: accountKey })}`);
}

export default function SlowedSignIns() {
  const { slowed } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const unlocked = searchParams.get("unlocked");
  return (
    <Page title="Slowed sign-ins">
      <p className="max-w-2xl text-sm text-slate-700">
        After repeated wrong passwords, sign-ins to an account wait longer before each new attempt: from one address (up
        to 15 minutes) or from every address together (up to a minute). Unlocking lets the account try again at once,
        from every address.{" "}
        <Link to="/admin/users" className="text-blue-800 underline">
          Back to users
        </Link>
      </p>
      {unlocked ? (
        <p className="mt-3 rounded bg-green-50 p-3 text-sm text-green-900" role="status">
          Sign-ins to {unlocked} are no longer slowed.
        </p>
      ) : null}
      {slowed.length === 0 ? (
        <div className="mt-6">
          <EmptyState>No sign-in is being slowed now.</EmptyState>
        </div>
      ) : (
        <table className="mt-6 w-full border-collapse bg-white text-sm shadow-sm">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th className="px-3 py-2">Account</th>
              <th className="px-3 py-2">From</th>
              <th className="px-3 py-2">Attempts this window</th>
              <th className="px-3 py-2">Next attempt allowed</th>
              <th className="px-3 py-2">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {slowed.map((row) => (
              <tr key={`${row.accountKey} ${row.clientAddress ?? ""}`} className="border-t border-slate-200">
                <td className="px-3 py-2">
                  <bdi>{row.accountKey}</bdi>
                </td>
                <td className="px-3 py-2">{row.clientAddress ?? "every address"}</td>
                <td className="px-3 py-2">{row.attempts}</td>
                <td className="px-3 py-2">{row.nextAllowedAt.slice(11, 19)} UTC</td>
                <td className="px-3 py-2">
                  <Form method="post">
                    <input type="hidden" name="accountKey" value={row.accountKey} />
                    <button type="submit" className="rounded border border-blue-800 px-3 py-1 text-blue-800">
                      Unlock {row.accountKey}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
