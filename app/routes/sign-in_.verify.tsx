import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SecondFactorForms, type FactorActionData } from "~/components/second-factor-form";
import { verifyFactorSchema } from "~/domain/mfa";
import { ROLE_HOME } from "~/domain/roles";
import {
  consumeChallenge,
  countChallengeFailure,
  factorSummary,
  findChallenge,
  type PendingChallenge,
} from "~/models/mfa.server";
import { findUserForSignIn } from "~/models/user.server";
import { completeSignIn, redirectIfSignedIn } from "~/web/auth.server";
import { parseForm } from "~/web/form-input.server";
import {
  clearPendingSignIn,
  invalidFactorForm,
  readPendingSignIn,
  refusedFactor,
  signInPasskeyOptions,
  verifyFactor,
} from "~/web/mfa.server";

export const meta: MetaFunction = () => [{ title: "Second step · Sign in · PainPath" }];

/** The sign-in this browser started, from its server record; without one, back to the password. */
async function pendingSignIn(request: Request): Promise<PendingChallenge> {
  const token = await readPendingSignIn(request);
  const challenge = token ? await findChallenge(token, "sign-in") : null;
  if (!challenge) {
    throw redirect("/sign-in?verify=expired", { headers: { "Set-Cookie": await clearPendingSignIn() } });
  }
  return challenge;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await redirectIfSignedIn(request, context);
  const challenge = await pendingSignIn(request);
  const summary = await factorSummary(challenge.userId);
  return {
    methods: {
      totp: summary.totp === "confirmed",
      passkeys: summary.passkeys.length,
      recoveryCodesLeft: summary.recoveryCodesLeft,
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const challenge = await pendingSignIn(request);
  const submission = await parseForm(request, verifyFactorSchema);
  if (submission.status !== "success") return invalidFactorForm(submission);
  const answer = submission.value;
  if (answer.intent === "passkey-options") {
    return data<FactorActionData>({
      error: null,
      intent: answer.intent,
      options: await signInPasskeyOptions(request, challenge),
      challenge: null,
    });
  }
  const verdict = await verifyFactor(request, context, challenge.user, answer, "sign-in", challenge.webauthnChallenge);
  if (!verdict.ok) {
    await countChallengeFailure(challenge.tokenHash);
    return refusedFactor(verdict, answer.intent);
  }
  // Single use: a second request with the same pending sign-in gets no second session.
  const user = await findUserForSignIn(challenge.user.email);
  if (!user?.active || !(await consumeChallenge(challenge.tokenHash))) {
    throw redirect("/sign-in?verify=expired", { headers: { "Set-Cookie": await clearPendingSignIn() } });
  }
  const headers = new Headers({ "Set-Cookie": await clearPendingSignIn() });
  return completeSignIn(request, context, user, {
    failedSignInsBefore: challenge.failedSignInsBefore,
    secondFactorAt: new Date(),
    next: challenge.redirectTo ?? ROLE_HOME[user.role],
    headers,
  });
}

export default function SignInVerify() {
  const { methods } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto mt-16 max-w-sm rounded-lg bg-white p-8 shadow">
      <h1 className="text-2xl font-semibold">Confirm it’s you</h1>
      <p className="mt-2 text-sm text-slate-700">
        Your password was right. Finish signing in with your second factor within 5 minutes.
      </p>
      <div className="mt-6">
        <SecondFactorForms methods={methods} />
      </div>
      <p className="mt-6 text-sm text-slate-700">
        No access to any of these? Ask an administrator to reset your second factors.{" "}
        <Link to="/sign-in" className="text-blue-800 underline">
          Start again
        </Link>
      </p>
    </main>
  );
}
