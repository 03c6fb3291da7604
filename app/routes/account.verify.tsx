import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { SecondFactorForms, type FactorActionData } from "~/components/second-factor-form";
import { verifyFactorSchema } from "~/domain/mfa";
import { PERMISSIONS } from "~/domain/permissions";
import { ROLE_HOME } from "~/domain/roles";
import { safeRedirectPath } from "~/domain/safe-redirect";
import { factorSummary, findChallenge, markSessionVerified, consumeChallenge } from "~/models/mfa.server";
import { currentSessionId, requireUser } from "~/web/auth.server";
import { parseForm } from "~/web/form-input.server";
import {
  invalidFactorForm,
  passkeyAuthenticationOptions,
  refusedFactor,
  signedInWebauthnChallenge,
  verifyFactor,
} from "~/web/mfa.server";

export const meta: MetaFunction = () => [{ title: "Confirm it’s you · PainPath" }];

const guard = { roles: PERMISSIONS["account:manage"], mfaEnrolment: true };

/** What the step-up is for, as the page that sent the user here named it. */
const PURPOSES: Record<string, string> = {
  "rule-set-activation": "activate a rule set",
  "role-change": "change a user's role",
  "audit-export": "export the audit trail",
  "mfa-policy": "change the sign-in policy",
  "mfa-reset": "reset a user's second factors",
  "factor-change": "change your second factors",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, guard);
  const summary = await factorSummary(user.id);
  const purpose = new URL(request.url).searchParams.get("for") ?? "";
  return {
    purpose: PURPOSES[purpose] ?? null,
    methods: {
      totp: summary.totp === "confirmed",
      passkeys: summary.passkeys.length,
      recoveryCodesLeft: summary.recoveryCodesLeft,
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, guard);
  const submission = await parseForm(request, verifyFactorSchema);
  if (submission.status !== "success") return invalidFactorForm(submission);
  const answer = submission.value;
  if (answer.intent === "passkey-options") {
    const options = await passkeyAuthenticationOptions(request, user.id);
    const challenge = await signedInWebauthnChallenge(user.id, "step-up", options.challenge);
    return data<FactorActionData>({ error: null, intent: answer.intent, options, challenge });
  }
  let webauthnChallenge: string | null = null;
  if (answer.intent === "passkey") {
    // The challenge must be this user's, unused and recent; it is spent whatever the outcome.
    const record = answer.challenge ? await findChallenge(answer.challenge, "step-up", new Date(), user.id) : null;
    if (record && (await consumeChallenge(record.tokenHash))) webauthnChallenge = record.webauthnChallenge;
  }
  const verdict = await verifyFactor(request, context, user, answer, "step-up", webauthnChallenge);
  if (!verdict.ok) return refusedFactor(verdict, answer.intent);
  const sessionId = await currentSessionId(request, context);
  if (sessionId) await markSessionVerified(sessionId);
  throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), ROLE_HOME[user.role]));
}

export default function StepUp() {
  const { purpose, methods } = useLoaderData<typeof loader>();
  const none = !methods.totp && methods.passkeys === 0 && methods.recoveryCodesLeft === 0;
  return (
    <Page title="Confirm it’s you">
      <div className="max-w-md">
        <p className="text-sm text-slate-700">
          {purpose ? `To ${purpose}, ` : "For this action, "}confirm your second factor. It then counts for a few
          minutes.
        </p>
        {none ? (
          <p className="mt-4 rounded bg-amber-50 p-3 text-sm text-amber-900" role="status">
            You have no second factor yet.{" "}
            <Link to="/account/security" className="text-blue-800 underline">
              Set one up
            </Link>{" "}
            first.
          </p>
        ) : (
          <div className="mt-6">
            <SecondFactorForms methods={methods} />
          </div>
        )}
      </div>
    </Page>
  );
}
