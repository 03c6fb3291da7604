import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { Field, inputClass, SubmitButton } from "~/components/forms";
import { FieldErrors, invalidWhen } from "~/components/field-errors";
import { Page } from "~/components/page";
import { RecoveryCodes } from "~/components/recovery-codes";
import { totpConfirmSchema } from "~/domain/mfa";
import { PERMISSIONS } from "~/domain/permissions";
import { safeRedirectPath } from "~/domain/safe-redirect";
import { confirmTotp, factorSummary, hasFactor, markSessionVerified, pendingTotpSecret } from "~/models/mfa.server";
import { totpEnrolment } from "~/server/totp.server";
import { currentSessionId, requireRecentSecondFactor, requireUser } from "~/web/auth.server";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction = () => [{ title: "Set up an authenticator app · PainPath" }];

const guard = { roles: PERMISSIONS["account:manage"], mfaEnrolment: true };

/** Adding a factor to an account that has one needs that one first (a stolen session cannot add its own). */
async function guardEnrolment(request: Request, context: LoaderFunctionArgs["context"]) {
  const user = await requireUser(request, context, guard);
  const summary = await factorSummary(user.id);
  if (summary.totp === "confirmed") throw redirect("/account/security");
  if (hasFactor(summary)) {
    await requireRecentSecondFactor(request, context, user, "factor-change", "/account/security/totp");
  }
  return { user, firstFactor: !hasFactor(summary) };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await guardEnrolment(request, context);
  const secret = await pendingTotpSecret(user.id);
  if (!secret) throw redirect("/account/security");
  const { qrDataUrl } = await totpEnrolment(secret, user.email);
  // Groups of four for typing by hand; apps ignore the spaces.
  return { qrDataUrl, secret: secret.match(/.{1,4}/g)?.join(" ") ?? secret };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, firstFactor } = await guardEnrolment(request, context);
  const submission = await parseForm(request, totpConfirmSchema);
  if (submission.status !== "success") {
    return data({ error: submission.error?.code?.[0] ?? "Check the code.", recoveryCodes: null }, { status: 400 });
  }
  const recoveryCodes = await confirmTotp(context, user, submission.value.code);
  if (!recoveryCodes) {
    return data(
      { error: "That code is not right. Check the app shows PainPath and try the current code.", recoveryCodes: null },
      { status: 400 },
    );
  }
  const sessionId = await currentSessionId(request, context);
  if (firstFactor && sessionId) await markSessionVerified(sessionId);
  return { error: null, recoveryCodes };
}

/** After a confirmation the loader would leave this page, and the codes must stay on screen to be kept. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { recoveryCodes?: unknown } | undefined)?.recoveryCodes ? false : defaultShouldRevalidate;

export default function TotpEnrolment() {
  const { qrDataUrl, secret } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const next = safeRedirectPath(searchParams.get("redirectTo"), "/account/security");
  if (actionData?.recoveryCodes) {
    return (
      <Page title="Authenticator app set up">
        <div className="max-w-xl space-y-4">
          <RecoveryCodes codes={actionData.recoveryCodes} />
          <Link to={next} className="inline-block rounded bg-blue-800 px-4 py-2 font-medium text-white">
            I have kept my recovery codes
          </Link>
        </div>
      </Page>
    );
  }
  const errors = actionData?.error ? [actionData.error] : null;
  return (
    <Page title="Set up an authenticator app">
      <div className="max-w-xl space-y-4">
        <ol className="list-decimal space-y-1 pl-5 text-sm">
          <li>Open an authenticator app on your phone (for example one your hospital provides).</li>
          <li>Scan this code, or type the key below.</li>
          <li>Enter the 6-digit code the app shows.</li>
        </ol>
        <img src={qrDataUrl} alt="QR code to add PainPath to an authenticator app" width={200} height={200} />
        <p className="text-sm">
          Key for typing by hand:{" "}
          <code className="rounded bg-slate-100 px-2 py-1 font-mono" data-testid="totp-secret">
            {secret}
          </code>
        </p>
        <Form method="post" className="space-y-3">
          <Field label="Code from the app" htmlFor="totp-code">
            <input
              id="totp-code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={8}
              className={inputClass}
              {...invalidWhen("totp-code-errors", errors)}
            />
            <FieldErrors id="totp-code-errors" errors={errors} />
          </Field>
          <SubmitButton pending={navigation.state === "submitting"}>Confirm</SubmitButton>
        </Form>
      </div>
    </Page>
  );
}
