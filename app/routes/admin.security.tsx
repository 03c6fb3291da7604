import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { inputClass, SubmitButton } from "~/components/forms";
import { FieldErrors } from "~/components/field-errors";
import { Page } from "~/components/page";
import { MAX_GRACE_DAYS, mfaPolicySchema, policyFromForm } from "~/domain/mfa";
import { PERMISSIONS } from "~/domain/permissions";
import { ROLE_LABELS, ROLES } from "~/domain/roles";
import { mfaPolicy, updateMfaPolicy } from "~/models/mfa.server";
import { clinicDateTime } from "~/server/clinic-time.server";
import { requireRecentSecondFactor, requireUser } from "~/web/auth.server";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction = () => [{ title: "Sign-in policy · PainPath" }];

const guard = { roles: PERMISSIONS["users:manage"] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, guard);
  const rules = await mfaPolicy();
  return {
    rules: ROLES.map((role) => {
      const rule = rules.find((row) => row.role === role);
      return {
        role,
        required: rule?.required ?? false,
        graceDays: rule?.graceDays ?? 7,
        requiredSince: rule?.requiredSince ? clinicDateTime(rule.requiredSince) : null,
      };
    }),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, guard);
  const submission = await parseForm(request, mfaPolicySchema);
  if (submission.status !== "success") {
    return data({ errors: submission.error ?? {} }, { status: 400 });
  }
  // Loosening the policy would weaken every account, so it takes a fresh second factor.
  await requireRecentSecondFactor(request, context, user, "mfa-policy", "/admin/security");
  await updateMfaPolicy(context, user, policyFromForm(submission.value));
  throw redirect("/admin/security?saved=1");
}

export default function SignInPolicy() {
  const { rules } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  return (
    <Page title="Sign-in policy">
      <p className="max-w-2xl text-sm text-slate-700">
        Which roles must sign in with a second factor (an authenticator app or a passkey). A user without one may keep
        working for the grace period, counted from when the rule began for them; after it, every page leads to setting
        one up. Saving asks for your own second factor.
      </p>
      {searchParams.get("saved") ? (
        <p className="mt-3 rounded bg-green-50 p-3 text-sm text-green-900" role="status">
          Saved.
        </p>
      ) : null}
      <Form method="post" className="mt-4 max-w-2xl space-y-4">
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              <th className="py-2">Role</th>
              <th className="py-2">Second factor required</th>
              <th className="py-2">Grace period (days)</th>
              <th className="py-2">Required since</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => {
              const errors = actionData?.errors[`${rule.role}-graceDays`] ?? null;
              return (
                <tr key={rule.role} className="border-t border-slate-200">
                  <th scope="row" className="py-2 font-medium">
                    {ROLE_LABELS[rule.role]}
                  </th>
                  <td className="py-2">
                    <input
                      type="checkbox"
                      name={`${rule.role}-required`}
                      defaultChecked={rule.required}
                      aria-label={`${ROLE_LABELS[rule.role]}: second factor required`}
                    />
                  </td>
                  <td className="py-2">
                    <input
                      type="number"
                      name={`${rule.role}-graceDays`}
                      min={0}
                      max={MAX_GRACE_DAYS}
                      defaultValue={rule.graceDays}
                      aria-label={`${ROLE_LABELS[rule.role]}: grace period in days`}
                      className={`${inputClass} w-24`}
                    />
                    <FieldErrors id={`${rule.role}-grace-errors`} errors={errors} />
                  </td>
                  <td className="py-2">{rule.requiredSince ?? "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <SubmitButton pending={navigation.state === "submitting"}>Save policy</SubmitButton>
      </Form>
    </Page>
  );
}
