import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, inputClass } from "~/components/forms";
import { FieldErrors } from "~/components/field-errors";
import { ROLE_HOME } from "~/domain/roles";
import { safeRedirectPath } from "~/domain/safe-redirect";
import { countFailedSignInsSinceLastSignIn, recordAudit } from "~/models/audit.server";
import {
  accountKeyOf,
  countInvalidSignIn,
  releaseSignInAttempt,
  reserveSignInAttempt,
} from "~/models/sign-in-throttle.server";
import { findUserForSignIn } from "~/models/user.server";
import { completeSignIn, redirectIfSignedIn } from "~/web/auth.server";
import { createChallenge, factorSummary, hasFactor } from "~/models/mfa.server";
import { pendingSignInCookie } from "~/web/mfa.server";
import { verifyPassword } from "~/server/password.server";
import { waitTime } from "~/domain/text";
import { parseForm } from "~/web/form-input.server";
import { SignInSchema } from "~/web/sign-in-form.server";
import type * as z from "zod";

export const meta: MetaFunction = () => [{ title: "Sign in · PainPath" }];

const INCORRECT = "Email or password is incorrect.";
const SIGN_IN_VERIFY_PATH = "/sign-in/verify";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, SignInSchema);
  const refuse = (status: number, message?: string) =>
    data(
      { result: submission.reply({ formErrors: message ? [message] : undefined, hideFields: ["password"] }) },
      { status },
    );
  const throttle =
    submission.status === "success"
      ? await reserveSignInAttempt(accountKeyOf(submission.value.email), context.clientAddress)
      : await countInvalidSignIn(context.clientAddress);
  if (!throttle.allowed) {
    await recordAudit(context, {
      action: "auth.sign_in_throttled",
      outcome: "denied",
    });
    return refuse(429, `Too many failed sign-ins. Try again in ${waitTime(throttle.retryAfterSeconds)}.`);
  }
  if (submission.status !== "success") return refuse(400);
  const { email, password, redirectTo } = submission.value;

  const user = await findUserForSignIn(email);
  const passwordMatches = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !passwordMatches) {
    await recordAudit(context, {
      action: "auth.sign_in_failed",
      outcome: "failure",
      actor: user,
      detail: { reason: user ? "wrong-password" : "unknown-account" },
    });
    return refuse(401, INCORRECT);
  }
  await releaseSignInAttempt(throttle.reservation);
  if (!user.active) {
    await recordAudit(context, {
      action: "auth.sign_in_failed",
      outcome: "denied",
      actor: user,
      detail: { reason: "deactivated" },
    });
    return refuse(403, "This account is deactivated. Ask an administrator to reactivate it.");
  }

  // Counted before this sign-in is recorded: the failures since the previous one.
  const failedSignInsBefore = await countFailedSignInsSinceLastSignIn(user.id);
  const next = safeRedirectPath(redirectTo, ROLE_HOME[user.role]);
  if (hasFactor(await factorSummary(user.id))) {
    // The password was right; the session starts only once the second factor is too.
    const token = await createChallenge({ userId: user.id, purpose: "sign-in", redirectTo: next, failedSignInsBefore });
    await recordAudit(context, { action: "auth.mfa_requested", actor: user, detail: { purpose: "sign-in" } });
    throw redirect(SIGN_IN_VERIFY_PATH, { headers: { "Set-Cookie": await pendingSignInCookie().serialize(token) } });
  }
  return completeSignIn(request, context, user, { failedSignInsBefore, secondFactorAt: null, next });
}

export default function SignIn() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof SignInSchema>>({
    id: "sign-in",
    lastResult: actionData?.result,
    // Only a press of Sign in reaches the server: with no checks in the browser (decision 025),
    // revalidating on input would post the form, and count a failed sign-in, at every keystroke.
    shouldValidate: "onSubmit",
    shouldRevalidate: "onSubmit",
  });
  const expired = searchParams.get("expired") === "1";

  return (
    <main id="main" className="mx-auto mt-16 max-w-sm rounded-lg bg-white p-8 shadow">
      <h1 className="text-2xl font-semibold">Sign in to PainPath</h1>
      {expired ? (
        <p className="mt-3 rounded bg-amber-50 p-3 text-sm text-amber-900" role="status">
          Your session expired. Sign in again to continue: what you were typing is kept in this browser.
        </p>
      ) : null}
      {searchParams.get("verify") === "expired" ? (
        <p className="mt-3 rounded bg-amber-50 p-3 text-sm text-amber-900" role="status">
          The second step of your sign-in timed out or was already used. Sign in again.
        </p>
      ) : null}
      <Form method="post" className="mt-6 space-y-4" {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field label="Email" htmlFor={fields.email.id}>
          <input
            {...getInputProps(fields.email, { type: "email" })}
            autoComplete="username"
            autoFocus
            className={inputClass}
          />
          <FieldErrors id={fields.email.errorId} errors={fields.email.errors} />
        </Field>
        <Field label="Password" htmlFor={fields.password.id}>
          <input
            {...getInputProps(fields.password, { type: "password" })}
            autoComplete="current-password"
            className={inputClass}
          />
          <FieldErrors id={fields.password.errorId} errors={fields.password.errors} />
        </Field>
        <FieldErrors id={form.errorId} errors={form.errors} />
        <button
          type="submit"
          disabled={navigation.state === "submitting"}
          className="w-full rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900 disabled:opacity-60"
        >
          Sign in
        </button>
      </Form>
    </main>
  );
}
