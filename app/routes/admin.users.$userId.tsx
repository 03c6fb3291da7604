import { getFormProps, useForm, type Submission, type SubmissionResult } from "@conform-to/react";
import { DateTime } from "~/components/dates";
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ConflictNotice, FormErrors, SelectField, SubmitButton, TextField } from "~/components/forms";
import { Page } from "~/components/page";
import { SessionList } from "~/components/session-list";
import { PasswordField } from "~/components/password-field";
import { PERMISSIONS } from "~/domain/permissions";
import { ROLE_LABELS, ROLES } from "~/domain/roles";
import { PASSWORD_HINT, userActionSchema, type UserIntent } from "~/domain/user-forms";
import { getUserForAdmin, resetUserPassword, setUserActive, updateUser } from "~/models/user-admin.server";
import { requireRecentSecondFactor, requireUser } from "~/web/auth.server";
import { factorSummary, resetFactors } from "~/models/mfa.server";
import { newPasswordProblems } from "~/server/password.server";
import { requireId } from "~/web/route-helpers.server";
import { replyToInvalidUserForm, replyToUserRefusal } from "~/web/user-forms.server";
import { parseForm } from "~/web/form-input.server";
import { endSessionsFromForm, loadSessionList } from "~/web/session-control.server";

export const meta: MetaFunction = () => [{ title: "User · PainPath" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["users:manage"] });
  const user = await getUserForAdmin(requireId(params.userId));
  if (!user) throw new Response("Not found", { status: 404 });
  return {
    user: { ...user, createdAt: user.createdAt.toISOString(), updatedAt: user.updatedAt.toISOString() },
    isSelf: user.id === admin.id,
    factors: await factorSummary(user.id).then((summary) => ({
      totp: summary.totp === "confirmed",
      passkeys: summary.passkeys.length,
      recoveryCodesLeft: summary.recoveryCodesLeft,
    })),
    ...(await loadSessionList(request, context, user.id)),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["users:manage"] });
  const userId = requireId(params.userId);
  const target = await getUserForAdmin(userId);
  if (!target) throw new Response("Not found", { status: 404 });
  const submission = await parseForm(request, userActionSchema({ checkPassword: newPasswordProblems, target }));
  if (submission.status !== "success") return replyToInvalidUserForm(submission);
  const input = submission.value;
  try {
    switch (input.intent) {
      case "update":
        // Step-up for a change of role: it changes what the account may see and do.
        if (input.role !== target.role) {
          await requireRecentSecondFactor(request, context, admin, "role-change", `/admin/users/${userId}`);
        }
        await updateUser(userId, input, admin, context);
        break;
      case "reset-mfa":
        await requireRecentSecondFactor(request, context, admin, "mfa-reset", `/admin/users/${userId}`);
        await resetFactors(context, admin, userId);
        break;
      case "deactivate":
      case "reactivate":
        await setUserActive(userId, { version: input.version, active: input.intent === "reactivate" }, admin, context);
        break;
      case "reset-password":
        await resetUserPassword(userId, input, admin, context);
        break;
      case "end-session":
      case "end-other-sessions":
        await endSessionsFromForm(request, context, admin, userId, input);
        break;
    }
  } catch (error) {
    return replyToUserRefusal(error, submission);
  }
  throw redirect(`/admin/users/${userId}?${new URLSearchParams({ done: input.intent })}`);
}

const DONE_MESSAGES: Record<UserIntent, string> = {
  update: "Saved.",
  deactivate: "Deactivated. The user was signed out everywhere.",
  reactivate: "Reactivated. The user can sign in again.",
  "reset-password":
    "Password reset. The user was signed out everywhere and must choose a new password at next sign-in.",
  "end-session": "Session ended. That browser must sign in again.",
  "end-other-sessions": "Sessions ended. Those browsers must sign in again.",
  "reset-mfa": "Second factors removed. The user was signed out everywhere and must set one up again.",
};

const FIELD_LABELS = { name: "Name", email: "Email", role: "Role", active: "Active" };

type ActionData = {
  result: SubmissionResult<string[]>;
  conflict: Array<{ name: string; current: string }> | null;
};

/** The reply belongs to the form whose intent was submitted; the others start clean. */
function replyFor(actionData: ActionData | undefined, intent: UserIntent) {
  return actionData?.result.initialValue?.intent === intent ? actionData : undefined;
}

export default function UserPage() {
  const { user, isSelf, sessions, timeZone, factors } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const done = searchParams.get("done") as UserIntent | null;
  return (
    <Page title={user.name}>
      <p className="text-sm text-slate-700">
        <Link to="/admin/users" className="text-blue-800 underline">
          Back to users
        </Link>{" "}
        ·{" "}
        <Link to={`/admin/audit?${new URLSearchParams({ user: user.email })}`} className="text-blue-800 underline">
          What this user did (audit trail)
        </Link>
      </p>
      {done && DONE_MESSAGES[done] && !actionData ? (
        <p className="mt-3 rounded bg-green-50 p-3 text-sm text-green-900" role="status">
          {DONE_MESSAGES[done]}
        </p>
      ) : null}
      <dl className="mt-4 grid max-w-xl grid-cols-[12rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-600">Status</dt>
        <dd className="font-semibold">{user.active ? "Active" : "Deactivated"}</dd>
        <dt className="text-slate-600">Password</dt>
        <dd>{user.mustChangePassword ? "Temporary: must be changed at next sign-in" : "Chosen by the user"}</dd>
        <dt className="text-slate-600">Created</dt>
        <dd>
          <DateTime at={user.createdAt} />
        </dd>
      </dl>

      <section aria-labelledby="details-heading" className="mt-6">
        <h2 id="details-heading" className="text-lg font-semibold">
          Details
        </h2>
        <DetailsForm key={user.version} user={user} reply={replyFor(actionData, "update")} />
      </section>

      <section aria-labelledby="status-heading" className="mt-8">
        <h2 id="status-heading" className="text-lg font-semibold">
          Access
        </h2>
        <StatusForm
          key={user.version}
          user={user}
          isSelf={isSelf}
          reply={replyFor(actionData, user.active ? "deactivate" : "reactivate")}
        />
      </section>

      <section aria-labelledby="sessions-heading" className="mt-8">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          Sessions
        </h2>
        <p className="mb-2 text-sm text-slate-700">Where the user is signed in now. Times are in {timeZone}.</p>
        <SessionList sessions={sessions} timeZone={timeZone} />
      </section>

      <section aria-labelledby="mfa-heading" className="mt-8">
        <h2 id="mfa-heading" className="text-lg font-semibold">
          Second factors
        </h2>
        <p className="text-sm text-slate-700">
          Authenticator app: {factors.totp ? "set up" : "none"} · Passkeys: {factors.passkeys} · Unused recovery codes:{" "}
          {factors.recoveryCodesLeft}
        </p>
        {factors.totp || factors.passkeys > 0 || factors.recoveryCodesLeft > 0 ? (
          <Form method="post" className="mt-2">
            <input type="hidden" name="intent" value="reset-mfa" />
            <button type="submit" className="rounded border border-red-700 px-3 py-1 text-sm text-red-800">
              Reset second factors
            </button>
            <p className="mt-1 text-xs text-slate-600">
              For a lost phone or passkey: removes them all and signs the user out. Asks for your own second factor.
            </p>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="password-heading" className="mt-8">
        <h2 id="password-heading" className="text-lg font-semibold">
          Reset password
        </h2>
        {isSelf ? (
          <p className="text-sm text-slate-700">
            To change your own password,{" "}
            <Link to="/account/password" className="text-blue-800 underline">
              use your account page
            </Link>
            .
          </p>
        ) : (
          <ResetPasswordForm key={user.version} user={user} reply={replyFor(actionData, "reset-password")} />
        )}
      </section>
    </Page>
  );
}

type UserView = { id: string; name: string; email: string; role: string; active: boolean; version: number };

/** Every field of the page's forms; each form uses some of them. */
type UserFormFields = {
  intent: UserIntent;
  version: number;
  name: string;
  email: string;
  role: string;
  password: string;
  confirmPassword: string;
};

function useUserForm(id: string, reply: ActionData | undefined, defaultValue?: Partial<UserFormFields>) {
  return useForm<UserFormFields>({
    id,
    lastResult: reply?.result,
    defaultValue,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: userActionSchema() }) as unknown as Submission<UserFormFields>,
  });
}

function DetailsForm({ user, reply }: { user: UserView; reply: ActionData | undefined }) {
  const navigation = useNavigation();
  const [form, fields] = useUserForm("user-details", reply, { name: user.name, email: user.email, role: user.role });
  return (
    <Form method="post" {...getFormProps(form)} className="mt-2 max-w-xl space-y-4">
      <FormErrors id={form.errorId} errors={form.errors} />
      <ConflictNotice conflict={reply?.conflict} labels={FIELD_LABELS} />
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="version" value={user.version} />
      <TextField field={fields.name} label="Name" />
      <TextField field={fields.email} label="Email" type="email" />
      <SelectField
        field={fields.role}
        label="Role"
        options={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
        hint="A new role applies at the user's next page."
      />
      <SubmitButton pending={navigation.state === "submitting"}>Save changes</SubmitButton>
    </Form>
  );
}

function StatusForm({ user, isSelf, reply }: { user: UserView; isSelf: boolean; reply: ActionData | undefined }) {
  const [form] = useUserForm("user-status", reply);
  if (user.active && isSelf) {
    return <p className="text-sm text-slate-700">You cannot deactivate your own account.</p>;
  }
  return (
    <Form method="post" {...getFormProps(form)} className="mt-2 max-w-xl space-y-3">
      <FormErrors id={form.errorId} errors={form.errors} />
      <ConflictNotice conflict={reply?.conflict} labels={FIELD_LABELS} />
      <input type="hidden" name="intent" value={user.active ? "deactivate" : "reactivate"} />
      <input type="hidden" name="version" value={user.version} />
      <p className="text-sm text-slate-700">
        {user.active
          ? "Deactivating signs the user out everywhere at once and refuses their sign-ins. Their records and audit trail stay."
          : "Reactivating lets the user sign in again with their password."}
      </p>
      <button
        type="submit"
        className={
          user.active
            ? "rounded border border-red-700 px-4 py-2 font-medium text-red-800 hover:bg-red-50"
            : "rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900"
        }
      >
        {user.active ? "Deactivate user" : "Reactivate user"}
      </button>
    </Form>
  );
}

function ResetPasswordForm({ user, reply }: { user: UserView; reply: ActionData | undefined }) {
  const navigation = useNavigation();
  const [form, fields] = useUserForm("user-password", reply);
  return (
    <Form method="post" {...getFormProps(form)} className="mt-2 max-w-xl space-y-4">
      <FormErrors id={form.errorId} errors={form.errors} />
      <ConflictNotice conflict={reply?.conflict} labels={FIELD_LABELS} />
      <input type="hidden" name="intent" value="reset-password" />
      <input type="hidden" name="version" value={user.version} />
      <p className="text-sm text-slate-700">
        Sets a temporary password and signs the user out everywhere. They must choose their own password when they next
        sign in.
      </p>
      <PasswordField
        field={fields.password}
        label="Temporary password"
        hint={PASSWORD_HINT}
        autoComplete="new-password"
      />
      <PasswordField field={fields.confirmPassword} label="Temporary password again" autoComplete="new-password" />
      <SubmitButton pending={navigation.state === "submitting"}>Reset password</SubmitButton>
    </Form>
  );
}
