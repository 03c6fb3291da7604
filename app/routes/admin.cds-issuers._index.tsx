import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CdsIssuerFields } from "~/components/cds-issuer-fields";
import { FormErrors, SubmitButton } from "~/components/forms";
import { Page } from "~/components/page";
import { cdsIssuerCreateSchema } from "~/domain/cds/issuer-forms";
import { PATIENT_VIEW_SERVICE_ID } from "~/domain/cds/service";
import { PERMISSIONS } from "~/domain/permissions";
import { createCdsIssuer, listCdsIssuers } from "~/models/cds-issuer.server";
import { getEnv } from "~/server/env.server";
import { requireUser } from "~/web/auth.server";
import { publicOrigin } from "~/web/cds-auth.server";
import { replyToIssuerRefusal } from "~/web/cds-issuer-forms.server";
import { parseForm } from "~/web/form-input.server";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "EHR connections · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["cds-issuers:manage"] });
  const issuers = await listCdsIssuers();
  return {
    origin: publicOrigin(request),
    issuers: issuers.map(({ id, label, issuer, jwksUrl, active }) => ({ id, label, issuer, jwksUrl, active })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["cds-issuers:manage"] });
  const submission = await parseForm(request, cdsIssuerCreateSchema({ requireHttps: getEnv().isProduction }));
  if (submission.status !== "success") {
    return data({ result: submission.reply(), conflict: null }, { status: 400 });
  }
  let id: string;
  try {
    id = await createCdsIssuer(submission.value, admin, context);
  } catch (error) {
    return replyToIssuerRefusal(error, submission);
  }
  throw redirect(`/admin/cds-issuers/${id}?done=create`);
}

export default function CdsIssuers() {
  const { origin, issuers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { result: SubmissionResult<string[]> } | undefined;
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "cds-issuer-create",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: cdsIssuerCreateSchema() }),
  });
  return (
    <Page title="EHR connections">
      <p className="max-w-3xl text-sm text-slate-700">
        EHRs listed here may call PainPath&apos;s CDS Hooks service. Each call carries a JWT signed with the EHR&apos;s
        private key; PainPath checks it against the public keys given here. Give the EHR the discovery address{" "}
        <code>{origin}/cds-services</code> and the service <code>{PATIENT_VIEW_SERVICE_ID}</code>.
      </p>
      <section aria-labelledby="issuers-heading" className="mt-6">
        <h2 id="issuers-heading" className="text-lg font-semibold">
          Trusted EHRs
        </h2>
        {issuers.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700">No EHR is trusted yet: every CDS Hooks call is refused.</p>
        ) : (
          <ScrollRegion label="EHR connections" className="mt-2">
            <table className="w-full max-w-4xl text-left text-sm">
              <thead>
                <tr className="border-b border-slate-300">
                  <th className="py-1 pr-4">EHR</th>
                  <th className="py-1 pr-4">Issuer (iss)</th>
                  <th className="py-1 pr-4">Keys</th>
                  <th className="py-1">Status</th>
                </tr>
              </thead>
              <tbody>
                {issuers.map((issuer) => (
                  <tr key={issuer.id} className="border-b border-slate-200">
                    <td className="py-1 pr-4">
                      <Link to={`/admin/cds-issuers/${issuer.id}`} className="text-blue-800 underline">
                        {issuer.label}
                      </Link>
                    </td>
                    <td className="break-all py-1 pr-4">{issuer.issuer}</td>
                    <td className="break-all py-1 pr-4">{issuer.jwksUrl ?? "Key set pasted here"}</td>
                    <td className="py-1">{issuer.active ? "Trusted" : "Deactivated"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
      <section aria-labelledby="add-heading" className="mt-8">
        <h2 id="add-heading" className="text-lg font-semibold">
          Trust an EHR
        </h2>
        <Form method="post" {...getFormProps(form)} className="mt-2 max-w-xl space-y-4">
          <FormErrors id={form.errorId} errors={form.errors} />
          <input type="hidden" name="intent" value="create" />
          <CdsIssuerFields fields={fields} />
          <SubmitButton pending={navigation.state === "submitting"}>Trust this EHR</SubmitButton>
        </Form>
      </section>
    </Page>
  );
}
