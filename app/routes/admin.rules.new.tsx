import { getFormProps, getInputProps, useForm, type FieldMetadata, type Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, SubmitButton, TextAreaField, TextField, inputClass } from "~/components/forms";
import { FieldErrors } from "~/components/field-errors";
import { Page } from "~/components/page";
import { ruleSetOutline, SourceList, type ParameterOutline } from "~/components/rule-set-view";
import { PERMISSIONS } from "~/domain/permissions";
import { nextVersionName } from "~/domain/referral/stored-rule-set";
import { ruleSetDraftSchema } from "~/domain/rule-set-forms";
import {
  createRuleSetDraft,
  loadActiveRuleSet,
  RuleSetRefusedError,
  takenVersionNames,
} from "~/models/rule-set.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction = () => [{ title: "New rule-set draft · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["rules:manage"] });
  const [{ ruleSet }, taken] = await Promise.all([loadActiveRuleSet(), takenVersionNames()]);
  return {
    basedOn: ruleSet.version,
    suggestedVersion: nextVersionName(taken, Number(clinicToday().slice(0, 4))),
    rules: ruleSetOutline(ruleSet).filter((rule) => rule.parameters.length > 0),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["rules:manage"] });
  const submission = await parseForm(request, ruleSetDraftSchema());
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    const draft = await createRuleSetDraft(submission.value, user, context, clinicToday());
    throw redirect(`/admin/rules/${draft.id}`);
  } catch (error) {
    if (!(error instanceof RuleSetRefusedError)) throw error;
    return data(
      { result: submission.reply({ fieldErrors: error.fieldErrors, formErrors: error.formErrors }) },
      { status: error.status },
    );
  }
}

type DraftValues = {
  basedOn: string;
  version: string;
  reason: string;
  parameters: Record<string, Record<string, number>>;
};

export default function NewRuleSetDraft() {
  const { basedOn, suggestedVersion, rules } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<DraftValues>({
    id: "rule-set-draft",
    lastResult: actionData?.result,
    defaultValue: {
      basedOn,
      version: suggestedVersion,
      reason: "",
      parameters: Object.fromEntries(
        rules.map((rule) => [rule.key, Object.fromEntries(rule.parameters.map((p) => [p.name, p.value]))]),
      ),
    },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: ruleSetDraftSchema() }) as unknown as Submission<DraftValues>,
  });
  const ruleFields = fields.parameters.getFieldset();
  return (
    <Page title={`New draft from rule set ${basedOn}`}>
      <p className="max-w-3xl text-sm text-slate-700">
        Change thresholds within each parameter&apos;s safe range. Saving makes a draft: nothing changes for anyone
        until an administrator reviews its impact and activates it. Every changed rule&apos;s version goes up by one.
      </p>
      <Form method="post" {...getFormProps(form)} className="mt-4 max-w-4xl space-y-6">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input {...getInputProps(fields.basedOn, { type: "hidden" })} key={fields.basedOn.key} />
        <div className="grid gap-4 sm:grid-cols-[12rem_1fr]">
          <TextField field={fields.version} label="New version" hint="Next in sequence by default." />
          <TextAreaField
            field={fields.reason}
            label="Why (required)"
            hint="Shown with the version and kept in the audit trail, e.g. the policy revision that changed."
          />
        </div>
        {rules.map((rule) => {
          const parameterFields = ruleFields[rule.key]?.getFieldset();
          return (
            <fieldset key={rule.key} className="rounded border border-slate-300 bg-white p-4">
              <legend className="px-1 font-semibold">
                {rule.title} <span className="font-mono text-xs font-normal text-slate-600">{rule.id}</span>
              </legend>
              <div className="grid gap-4 sm:grid-cols-2">
                {rule.parameters.map((parameter) => {
                  const field = parameterFields?.[parameter.name];
                  return field ? <ParameterField key={parameter.name} field={field} parameter={parameter} /> : null;
                })}
              </div>
            </fieldset>
          );
        })}
        <div className="flex items-center gap-4">
          <SubmitButton pending={navigation.state === "submitting"}>Save draft</SubmitButton>
          <Link to="/admin/rules" className="text-blue-800 underline">
            Cancel
          </Link>
        </div>
      </Form>
    </Page>
  );
}

function ParameterField({ field, parameter }: { field: FieldMetadata<number>; parameter: ParameterOutline }) {
  const hintId = `${field.id}-hint`;
  return (
    <div>
      <label htmlFor={field.id} className="block text-sm font-medium text-slate-800">
        {parameter.label} ({parameter.unit})
      </label>
      <input
        {...getInputProps(field, { type: "number" })}
        key={field.key}
        step={parameter.wholeNumber ? 1 : "any"}
        min={parameter.min}
        max={parameter.max}
        aria-describedby={[hintId, field.errors?.length ? field.errorId : null].filter(Boolean).join(" ")}
        className={inputClass}
      />
      <div id={hintId} className="mt-1 text-xs text-slate-600">
        Now {parameter.value}; safe range {parameter.min}–{parameter.max}.
        <SourceList parameter={parameter} />
      </div>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}
