import { getFormProps, useForm } from "@conform-to/react";
import { DateField } from "~/components/date-field";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, optionsOf, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { FormDraft } from "~/components/form-draft";
import { PatientFormPage } from "~/components/patient-form-page";
import { procedureSchema } from "~/domain/pathway-forms";
import { BODY_REGION_LABELS, ESI_APPROACH_LABELS, PROCEDURE_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import { addProcedure, listDiagnosisChoices } from "~/models/pathway.server";
import { loadPatientForm, submitPatientForm } from "~/web/patient-forms.server";

export const meta: MetaFunction = () => [{ title: "Add procedure history · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { patient, today } = await loadPatientForm(args, "add-procedure");
  return { patient, today, diagnoses: await listDiagnosisChoices(patient.id) };
}

export function action(args: ActionFunctionArgs) {
  return submitPatientForm(args, procedureSchema, addProcedure, { form: "procedure", message: "Procedure saved." });
}

export default function AddProcedure() {
  const { patient, today, diagnoses } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "procedure",
    lastResult: actionData?.result,
    defaultValue: { scaleName: "NRS 0–10" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: procedureSchema(today) }),
  });
  return (
    <PatientFormPage title="Add procedure history" patient={patient}>
      <Form method="post" {...getFormProps(form)} className="max-w-3xl space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <FormDraft formId={form.id} patientId={patient.id} restore={!actionData} />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            field={fields.type}
            label="Procedure"
            placeholder="Choose…"
            options={optionsOf(PROCEDURE_TYPE_LABELS)}
          />
          <SelectField
            field={fields.region}
            label="Region"
            placeholder="Choose…"
            options={optionsOf(BODY_REGION_LABELS)}
          />
          <TextField field={fields.level} label="Level (e.g. L4-L5)" />
          <SelectField
            field={fields.approach}
            label="ESI approach (epidural injections)"
            placeholder="Not an ESI"
            options={optionsOf(ESI_APPROACH_LABELS)}
          />
          <TextField field={fields.injectate} label="Drug and dose (e.g. triamcinolone 80 mg)" />
          <DateField field={fields.performedOn} label="Date" max={today} />
          <SelectField
            field={fields.diagnosisId}
            label="For diagnosis (optional)"
            placeholder="None"
            options={diagnoses}
          />
          <TextField field={fields.scaleName} label="Pain scale" />
          <TextField field={fields.painBefore} label="Pain before" type="number" inputMode="numeric" />
          <TextField field={fields.painAfter} label="Pain after" type="number" inputMode="numeric" />
          <TextField field={fields.reliefPercent} label="Relief %" type="number" inputMode="numeric" />
          <TextField field={fields.reliefDurationDays} label="Relief lasted (days)" type="number" inputMode="numeric" />
        </div>
        <TextAreaField field={fields.note} label="Note (optional)" />
        <SubmitButton pending={navigation.state === "submitting"}>Save procedure</SubmitButton>
      </Form>
    </PatientFormPage>
  );
}
