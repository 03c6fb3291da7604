import { Form, useActionData, useFetcher, useNavigation, useSubmit } from "@remix-run/react";
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "react";
import { Field, inputClass, SubmitButton } from "./forms";
import { FieldErrors, invalidWhen } from "./field-errors";

/** What the verification pages' actions answer: a refusal for one form, or a passkey's options. */
export type FactorActionData = {
  error: string | null;
  intent?: string;
  options: PublicKeyCredentialRequestOptionsJSON | null;
  challenge: string | null;
};

export interface FactorMethods {
  totp: boolean;
  passkeys: number;
  recoveryCodesLeft: number;
}

/** The ways to prove the second factor: a passkey, an authenticator app's code or a recovery code. */
export function SecondFactorForms({ methods }: { methods: FactorMethods }) {
  const actionData = useActionData<FactorActionData>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  const errorFor = (intent: string) => (actionData?.intent === intent && actionData.error ? [actionData.error] : null);
  return (
    <div className="space-y-6">
      {methods.passkeys > 0 ? <PasskeyButton /> : null}
      {methods.totp ? (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="totp" />
          <Field label="Code from your authenticator app" htmlFor="totp-code">
            <input
              id="totp-code"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={8}
              className={inputClass}
              {...invalidWhen("totp-code-errors", errorFor("totp"))}
            />
            <FieldErrors id="totp-code-errors" errors={errorFor("totp")} />
          </Field>
          <SubmitButton pending={submitting}>Verify code</SubmitButton>
        </Form>
      ) : null}
      {methods.recoveryCodesLeft > 0 ? (
        <details open={Boolean(errorFor("recovery"))}>
          <summary className="cursor-pointer text-sm text-blue-800 underline">Use a recovery code</summary>
          <Form method="post" className="mt-3 space-y-3">
            <input type="hidden" name="intent" value="recovery" />
            <Field label="Recovery code" htmlFor="recovery-code" hint="Each code works once.">
              <input
                id="recovery-code"
                name="recoveryCode"
                autoComplete="off"
                maxLength={20}
                className={inputClass}
                {...invalidWhen("recovery-code-errors", errorFor("recovery"))}
              />
              <FieldErrors id="recovery-code-errors" errors={errorFor("recovery")} />
            </Field>
            <SubmitButton pending={submitting}>Use recovery code</SubmitButton>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

/** Asks the server for a challenge, lets the browser's passkey sign it, and posts the answer. */
function PasskeyButton() {
  const fetcher = useFetcher<FactorActionData>();
  const submit = useSubmit();
  const actionData = useActionData<FactorActionData>();
  const [problem, setProblem] = useState<string | null>(null);
  const answered = useRef<unknown>(null);

  useEffect(() => {
    const reply = fetcher.data;
    if (!reply?.options || answered.current === reply) return;
    answered.current = reply;
    startAuthentication({ optionsJSON: reply.options })
      .then((credential) =>
        submit(
          { intent: "passkey", challenge: reply.challenge ?? "", credential: JSON.stringify(credential) },
          { method: "post" },
        ),
      )
      .catch(() => setProblem("The passkey was not used. Try again, or use another way."));
  }, [fetcher.data, submit]);

  const error = problem ?? (actionData?.intent === "passkey" ? actionData.error : null) ?? fetcher.data?.error ?? null;
  return (
    <div>
      <button
        type="button"
        onClick={() => {
          setProblem(null);
          fetcher.submit({ intent: "passkey-options" }, { method: "post" });
        }}
        className="rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900"
      >
        Use a passkey
      </button>
      <FieldErrors id="passkey-errors" errors={error ? [error] : null} />
    </div>
  );
}
