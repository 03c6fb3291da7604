import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, SubmitButton } from "~/components/forms";
import { Page } from "~/components/page";
import { PasswordField } from "~/components/password-field";
import { PERMISSIONS } from "~/domain/permissions";
import { ROLE_HOME } from "~/domain/roles";
import { safeRedirectPath } from "~/domain/safe-redirect";
import { PASSWORD_FIELDS, PASSWORD_HINT, passwordChangeSchema } from "~/domain/user-forms";
import { recordAudit } from "~/models/audit.server";
import { accountKeyOf, releaseSignInAttempt, reserveSignInAttempt } from "~/models/sign-in-throttle.server";
import { changeOwnPassword, findPasswordHash } from "~/models/user-admin.server";
import { requireUser, startSession } from "~/web/auth.server";
import { newPasswordProblems, verifyPassword } from "~/server/password.server";
import { waitTime } from "~/domain/text";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction = () => [{ title: "Change password · PainPath" }];

// The one page a user holding a temporary password may open (passwordChange: true).
const guard = { roles: PERMISSIONS["account:manage"], passwordChange: true };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, guard);
  const redirectTo = new URL(request.url).searchParams.get("redirectTo") ?? "";
  return { mustChange: user.mustChangePassword, redirectTo: safeRedirectPath(redirectTo, "") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, guard);
  const submission = await parseForm(
    request,
    passwordChangeSchema({ checkPassword: newPasswordProblems, context: user }),
  );
  const refuse = (status: number, errors: { form?: string; currentPassword?: string }) =>
    data(
      {
        result: submission.reply({
          formErrors: errors.form ? [errors.form] : undefined,
          fieldErrors: errors.currentPassword ? { currentPassword: [errors.currentPassword] } : undefined,
          hideFields: PASSWORD_FIELDS,
        }),
      },
      { status },
    );
  if (submission.status !== "success") return refuse(400, {});
  const { currentPassword, password, redirectTo } = submission.value;

  // Re-authentication (ASVS 7.5.1) is guessable like a sign-in, so it shares the sign-in throttle.
  const throttle = await reserveSignInAttempt(accountKeyOf(user.email), context.clientAddress);
  if (!throttle.allowed) {
    return refuse(429, { form: `Too many wrong passwords. Try again in ${waitTime(throttle.retryAfterSeconds)}.` });
  }
  const stored = await findPasswordHash(user.id);
  if (!(await verifyPassword(stored?.passwordHash ?? null, currentPassword))) {
    await recordAudit(context, {
      action: "user.password_change_failed",
      actor: user,
      outcome: "failure",
      entityType: "User",
      entityId: user.id,
      detail: { reason: "wrong-current-password" },
    });
    return refuse(400, { currentPassword: "This is not your current password." });
  }
  await releaseSignInAttempt(throttle.reservation);

  await changeOwnPassword(user, password, context);
  // Every session of the user ended with the change; this browser continues on a new one.
  const cookie = await startSession(request, context, user.id);
  throw redirect(safeRedirectPath(redirectTo, ROLE_HOME[user.role]), { headers: { "Set-Cookie": cookie } });
}

export default function ChangePassword() {
  const { mustChange, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "change-password",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordChangeSchema() }),
  });
  return (
    <Page title="Change your password">
      {mustChange ? (
        <p className="max-w-xl rounded bg-amber-50 p-3 text-sm text-amber-900" role="status">
          An administrator set a temporary password for you. Choose your own password to continue.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="mt-4 max-w-xl space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <PasswordField field={fields.currentPassword} label="Current password" autoComplete="current-password" />
        <PasswordField field={fields.password} label="New password" hint={PASSWORD_HINT} autoComplete="new-password" />
        <PasswordField field={fields.confirmPassword} label="New password again" autoComplete="new-password" />
        <p className="text-sm text-slate-700">
          Changing your password signs you out on every other device. To end only some of them, see{" "}
          <Link to="/account/sessions" className="text-blue-800 underline">
            your sessions
          </Link>
          .
        </p>
        <SubmitButton pending={navigation.state === "submitting"}>Change password</SubmitButton>
      </Form>
    </Page>
  );
}
