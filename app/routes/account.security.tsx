import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useSearchParams, useSubmit } from "@remix-run/react";
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "react";
import { Field, inputClass } from "~/components/forms";
import { FieldErrors, invalidWhen } from "~/components/field-errors";
import { Page } from "~/components/page";
import { RecoveryCodes } from "~/components/recovery-codes";
import { securityActionSchema } from "~/domain/mfa";
import { PERMISSIONS } from "~/domain/permissions";
import { safeRedirectPath } from "~/domain/safe-redirect";
import {
  addPasskey,
  changePasskey,
  consumeChallenge,
  factorSummary,
  findChallenge,
  hasFactor,
  markSessionVerified,
  regenerateRecoveryCodes,
  removeTotp,
} from "~/models/mfa.server";
import { clinicDateTime } from "~/server/clinic-time.server";
import {
  currentSessionId,
  hasRecentSecondFactor,
  mfaRequiredOf,
  mfaStandingOf,
  requireRecentSecondFactor,
  requireUser,
} from "~/web/auth.server";
import { parseForm } from "~/web/form-input.server";
import { passkeyRegistrationOptions, signedInWebauthnChallenge, verifyNewPasskey } from "~/web/mfa.server";

export const meta: MetaFunction = () => [{ title: "Sign-in security · PainPath" }];

const guard = { roles: PERMISSIONS["account:manage"], mfaEnrolment: true };

type SecurityActionData = {
  error: string | null;
  intent?: string;
  options?: PublicKeyCredentialCreationOptionsJSON;
  challenge?: string;
  recoveryCodes?: string[];
  done?: string;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, guard);
  const [summary, standing, fresh] = await Promise.all([
    factorSummary(user.id),
    mfaStandingOf(request, context),
    hasRecentSecondFactor(request, context),
  ]);
  return {
    totp: summary.totp === "confirmed",
    passkeys: summary.passkeys.map((passkey) => ({
      id: passkey.id,
      name: passkey.name,
      backedUp: passkey.backedUp,
      added: clinicDateTime(passkey.createdAt),
      lastUsed: passkey.lastUsedAt ? clinicDateTime(passkey.lastUsedAt) : null,
    })),
    recoveryCodesLeft: summary.recoveryCodesLeft,
    // The grace period's date is in the banner of every page; past it, this page says why it opened.
    mustEnrol: standing?.status === "must-enrol",
    // A user with a factor re-verifies it before changing factors (ASVS 7.5.1).
    needsStepUp: hasFactor(summary) && !fresh,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, guard);
  const submission = await parseForm(request, securityActionSchema);
  if (submission.status !== "success") {
    const message = Object.values(submission.error ?? {}).flat()[0] ?? "Check the form.";
    const intent = submission.payload.intent;
    return data<SecurityActionData>(
      { error: message, intent: typeof intent === "string" ? intent : undefined },
      { status: 400 },
    );
  }
  const input = submission.value;
  const summary = await factorSummary(user.id);
  const hadFactor = hasFactor(summary);
  if (hadFactor && input.intent !== "passkey-rename") {
    await requireRecentSecondFactor(request, context, user, "factor-change", "/account/security");
  }
  const requiredForRole = await mfaRequiredOf(request, context);
  const factorsLeftAfterRemoval = (summary.totp === "confirmed" ? 1 : 0) + summary.passkeys.length - 1;

  switch (input.intent) {
    case "passkey-options": {
      const options = await passkeyRegistrationOptions(request, user);
      const challenge = await signedInWebauthnChallenge(user.id, "passkey-registration", options.challenge);
      return data<SecurityActionData>({ error: null, intent: input.intent, options, challenge });
    }
    case "passkey-register": {
      const record = await findChallenge(input.challenge, "passkey-registration", new Date(), user.id);
      const expected = record && (await consumeChallenge(record.tokenHash)) ? record.webauthnChallenge : null;
      const passkey = expected ? await verifyNewPasskey(request, expected, input.credential, input.name) : null;
      if (!passkey) {
        return data<SecurityActionData>(
          { error: "The passkey could not be registered. Try again.", intent: input.intent },
          { status: 400 },
        );
      }
      const recoveryCodes = await addPasskey(context, user, passkey);
      // A first factor was just proven: this session counts as verified.
      const sessionId = await currentSessionId(request, context);
      if (!hadFactor && sessionId) await markSessionVerified(sessionId);
      return data<SecurityActionData>({
        error: null,
        done: "passkey-added",
        recoveryCodes: recoveryCodes ?? undefined,
      });
    }
    case "passkey-rename":
    case "passkey-remove": {
      if (input.intent === "passkey-remove" && requiredForRole && factorsLeftAfterRemoval < 1) {
        return data<SecurityActionData>(
          {
            error: "Your role requires a second factor: add another one before removing this one.",
            intent: input.intent,
          },
          { status: 400 },
        );
      }
      const changed = await changePasskey(context, user, {
        passkey: input.passkey,
        name: input.intent === "passkey-rename" ? input.name : undefined,
      });
      if (!changed) throw new Response("Not found", { status: 404 });
      throw redirect(`/account/security?done=${input.intent}`);
    }
    case "totp-remove":
      if (requiredForRole && factorsLeftAfterRemoval < 1) {
        return data<SecurityActionData>(
          {
            error: "Your role requires a second factor: add another one before removing this one.",
            intent: input.intent,
          },
          { status: 400 },
        );
      }
      await removeTotp(context, user);
      throw redirect("/account/security?done=totp-remove");
    case "recovery-regenerate":
      return data<SecurityActionData>({
        error: null,
        done: "recovery-regenerate",
        recoveryCodes: await regenerateRecoveryCodes(context, user),
      });
  }
}

const DONE: Record<string, string> = {
  "passkey-added": "Passkey added.",
  "passkey-rename": "Passkey renamed.",
  "passkey-remove": "Passkey removed.",
  "totp-remove": "Authenticator app removed.",
  "recovery-regenerate": "New recovery codes issued; the old ones no longer work.",
  "totp-added": "Authenticator app set up.",
};

export default function AccountSecurity() {
  const { totp, passkeys, recoveryCodesLeft, mustEnrol, needsStepUp } = useLoaderData<typeof loader>();
  const actionData = useActionData<SecurityActionData>();
  const [searchParams] = useSearchParams();
  const done = actionData?.done ?? searchParams.get("done");
  const redirectTo = searchParams.get("redirectTo");
  const errorFor = (intent: string) => (actionData?.intent === intent && actionData.error ? [actionData.error] : null);
  const verifyLink = `/account/verify?${new URLSearchParams({ redirectTo: "/account/security", for: "factor-change" })}`;
  return (
    <Page title="Sign-in security">
      <div className="max-w-2xl space-y-6">
        {mustEnrol ? (
          <p className="rounded bg-red-50 p-3 text-sm text-red-900" role="alert">
            Your role requires a second factor, and the time to set one up has passed. Add an authenticator app or a
            passkey to continue.
          </p>
        ) : null}
        {done && DONE[done] ? (
          <p className="rounded bg-green-50 p-3 text-sm text-green-900" role="status">
            {DONE[done]}
            {redirectTo ? (
              <>
                {" "}
                <Link to={safeRedirectPath(redirectTo, "/")} className="text-blue-800 underline">
                  Continue
                </Link>
              </>
            ) : null}
          </p>
        ) : null}
        {actionData?.recoveryCodes ? <RecoveryCodes codes={actionData.recoveryCodes} /> : null}
        {needsStepUp ? (
          <p className="rounded bg-slate-100 p-3 text-sm" role="status">
            To add or remove a factor, first{" "}
            <Link to={verifyLink} className="text-blue-800 underline">
              confirm it’s you
            </Link>
            .
          </p>
        ) : null}

        <section className="rounded bg-white p-4 shadow-sm">
          <h2 className="text-lg font-semibold">Authenticator app</h2>
          {totp ? (
            <Form method="post" className="mt-2 flex items-center gap-4">
              <span className="text-sm">Set up. Each code works once.</span>
              <input type="hidden" name="intent" value="totp-remove" />
              <button type="submit" className="rounded border border-red-700 px-3 py-1 text-sm text-red-800">
                Remove authenticator app
              </button>
              <FieldErrors id="totp-remove-errors" errors={errorFor("totp-remove")} />
            </Form>
          ) : (
            <p className="mt-2 text-sm">
              Not set up.{" "}
              <Link
                to={`/account/security/totp${redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ""}`}
                className="text-blue-800 underline"
              >
                Set up an authenticator app
              </Link>
            </p>
          )}
        </section>

        <section className="rounded bg-white p-4 shadow-sm">
          <h2 className="text-lg font-semibold">Passkeys</h2>
          {passkeys.length === 0 ? <p className="mt-2 text-sm">No passkeys yet.</p> : null}
          <ul className="mt-2 divide-y divide-slate-200">
            {passkeys.map((passkey) => (
              <li key={passkey.id} className="py-3">
                <p className="font-medium">{passkey.name}</p>
                <p className="text-xs text-slate-600">
                  Added {passkey.added}
                  {passkey.lastUsed ? `, last used ${passkey.lastUsed}` : ", not used yet"}
                  {passkey.backedUp ? " · synced" : ""}
                </p>
                <div className="mt-2 flex flex-wrap items-end gap-3">
                  <Form method="post" className="flex items-end gap-2">
                    <input type="hidden" name="intent" value="passkey-rename" />
                    <input type="hidden" name="passkey" value={passkey.id} />
                    <Field label={`New name for ${passkey.name}`} htmlFor={`rename-${passkey.id}`}>
                      <input id={`rename-${passkey.id}`} name="name" maxLength={60} className={inputClass} />
                    </Field>
                    <button type="submit" className="rounded border border-slate-400 px-3 py-2 text-sm">
                      Rename
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="passkey-remove" />
                    <input type="hidden" name="passkey" value={passkey.id} />
                    <button type="submit" className="rounded border border-red-700 px-3 py-2 text-sm text-red-800">
                      Remove {passkey.name}
                    </button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
          <FieldErrors id="passkey-change-errors" errors={errorFor("passkey-rename") ?? errorFor("passkey-remove")} />
          <AddPasskey error={errorFor("passkey-register") ?? errorFor("passkey-options")} />
        </section>

        <section className="rounded bg-white p-4 shadow-sm">
          <h2 className="text-lg font-semibold">Recovery codes</h2>
          <p className="mt-2 text-sm">{recoveryCodesLeft} unused.</p>
          {recoveryCodesLeft > 0 || totp || passkeys.length > 0 ? (
            <Form method="post" className="mt-2">
              <input type="hidden" name="intent" value="recovery-regenerate" />
              <button type="submit" className="rounded border border-slate-400 px-3 py-1 text-sm">
                Issue new recovery codes
              </button>
            </Form>
          ) : null}
        </section>
      </div>
    </Page>
  );
}

/** Registers a passkey: the server's options, the browser's authenticator, then the answer posted back. */
function AddPasskey({ error }: { error: string[] | null }) {
  const fetcher = useFetcher<SecurityActionData>();
  const submit = useSubmit();
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const answered = useRef<unknown>(null);

  useEffect(() => {
    const reply = fetcher.data;
    if (!reply?.options || answered.current === reply) return;
    answered.current = reply;
    startRegistration({ optionsJSON: reply.options })
      .then((credential) =>
        submit(
          {
            intent: "passkey-register",
            challenge: reply.challenge ?? "",
            name,
            credential: JSON.stringify(credential),
          },
          { method: "post" },
        ),
      )
      .catch(() => setProblem("No passkey was created. Try again."));
  }, [fetcher.data, submit, name]);

  const errors = problem ? [problem] : (error ?? (fetcher.data?.error ? [fetcher.data.error] : null));
  return (
    <div className="mt-4 flex items-end gap-2">
      <Field label="Name for a new passkey" htmlFor="new-passkey-name" hint="For example “Clinic laptop”.">
        <input
          id="new-passkey-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={60}
          className={inputClass}
          {...invalidWhen("new-passkey-errors", errors)}
        />
      </Field>
      <button
        type="button"
        onClick={() => {
          setProblem(name.trim() ? null : "Give the passkey a name.");
          if (name.trim()) fetcher.submit({ intent: "passkey-options" }, { method: "post" });
        }}
        className="rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900"
      >
        Add a passkey
      </button>
      <FieldErrors id="new-passkey-errors" errors={errors} />
    </div>
  );
}
