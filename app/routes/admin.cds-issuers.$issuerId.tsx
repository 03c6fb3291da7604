import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CdsIssuerFields } from "~/components/cds-issuer-fields";
import { ConflictNotice, FormErrors, SubmitButton } from "~/components/forms";
import { Page } from "~/components/page";
import { cdsIssuerActionSchema, type CdsIssuerIntent } from "~/domain/cds/issuer-forms";
import { PERMISSIONS } from "~/domain/permissions";
import { getCdsIssuer, setCdsIssuerActive, updateCdsIssuer } from "~/models/cds-issuer.server";
import { getEnv } from "~/server/env.server";
import { requireUser } from "~/web/auth.server";
import { replyToIssuerRefusal } from "~/web/cds-issuer-forms.server";
import { parseForm } from "~/web/form-input.server";
import { requireId } from "~/web/route-helpers.server";

export const meta: MetaFunction = () => [{ title: "EHR connection · PainPath" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["cds-issuers:manage"] });
  const issuer = await getCdsIssuer(requireId(params.issuerId));
  if (!issuer) throw new Response("Not found", { status: 404 });
  return {
    issuer: {
      ...issuer,
      jwks: issuer.jwks === null ? "" : JSON.stringify(issuer.jwks, null, 2),
      createdAt: issuer.createdAt.toISOString(),
      updatedAt: issuer.updatedAt.toISOString(),
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["cds-issuers:manage"] });
  const id = requireId(params.issuerId);
  const submission = await parseForm(request, cdsIssuerActionSchema({ requireHttps: getEnv().isProduction }));
  if (submission.status !== "success") {
    return data({ result: submission.reply(), conflict: null }, { status: 400 });
  }
  const input = submission.value;
  try {
    if (input.intent === "update") await updateCdsIssuer(id, input, admin, context);
    else
      await setCdsIssuerActive(id, { version: input.version, active: input.intent === "reactivate" }, admin, context);
  } catch (error) {
    return replyToIssuerRefusal(error, submission);
  }
  throw redirect(`/admin/cds-issuers/${id}?done=${input.intent}`);
}

const DONE_MESSAGES: Record<CdsIssuerIntent, string> = {
  create: "This EHR is trusted: its signed calls are answered.",
  update: "Saved. The next call is checked against these settings.",
  deactivate: "Deactivated: every call from this EHR is refused.",
  reactivate: "Reactivated: this EHR's signed calls are answered again.",
};

const FIELD_LABELS = {
  label: "EHR name",
  issuer: "Issuer",
  jwksUrl: "Key set address",
  jwks: "Key set",
  mrnSystem: "MRN system",
  active: "Trusted",
};

type ActionData = { result: SubmissionResult<string[]>; conflict: Array<{ name: string; current: string }> | null };

export default function CdsIssuerPage() {
  const { issuer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const done = searchParams.get("done") as CdsIssuerIntent | null;
  const reply = (intent: CdsIssuerIntent) =>
    actionData?.result.initialValue?.intent === intent ? actionData : undefined;
  const [form, fields] = useForm({
    id: "cds-issuer-update",
    lastResult: reply("update")?.result,
    defaultValue: {
      label: issuer.label,
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl ?? "",
      jwks: issuer.jwks,
      mrnSystem: issuer.mrnSystem ?? "",
    },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: cdsIssuerActionSchema() }),
  });
  const statusIntent = issuer.active ? "deactivate" : "reactivate";
  const [statusForm] = useForm({ id: "cds-issuer-status", lastResult: reply(statusIntent)?.result });
  return (
    <Page title={issuer.label}>
      <p className="text-sm text-slate-700">
        <Link to="/admin/cds-issuers" className="text-blue-800 underline">
          Back to EHR connections
        </Link>
      </p>
      {done && DONE_MESSAGES[done] && !actionData ? (
        <p className="mt-3 rounded bg-green-50 p-3 text-sm text-green-900" role="status">
          {DONE_MESSAGES[done]}
        </p>
      ) : null}
      <p className="mt-3 text-sm">
        Status: <strong>{issuer.active ? "Trusted" : "Deactivated"}</strong>
      </p>
      <section aria-labelledby="settings-heading" className="mt-6">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <Form method="post" {...getFormProps(form)} key={issuer.version} className="mt-2 max-w-xl space-y-4">
          <FormErrors id={form.errorId} errors={form.errors} />
          <ConflictNotice conflict={reply("update")?.conflict} labels={FIELD_LABELS} />
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="version" value={issuer.version} />
          <CdsIssuerFields fields={fields} />
          <SubmitButton pending={navigation.state === "submitting"}>Save changes</SubmitButton>
        </Form>
      </section>
      <section aria-labelledby="status-heading" className="mt-8">
        <h2 id="status-heading" className="text-lg font-semibold">
          Trust
        </h2>
        <Form method="post" {...getFormProps(statusForm)} key={issuer.version} className="mt-2 max-w-xl space-y-3">
          <FormErrors id={statusForm.errorId} errors={statusForm.errors} />
          <ConflictNotice conflict={reply(statusIntent)?.conflict} labels={FIELD_LABELS} />
          <input type="hidden" name="intent" value={statusIntent} />
          <input type="hidden" name="version" value={issuer.version} />
          <button
            type="submit"
            className={
              issuer.active
                ? "rounded border border-red-700 px-4 py-2 font-medium text-red-800 hover:bg-red-50"
                : "rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900"
            }
          >
            {issuer.active ? "Stop trusting this EHR" : "Trust this EHR again"}
          </button>
        </Form>
      </section>
    </Page>
  );
}
