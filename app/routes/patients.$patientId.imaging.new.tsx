import { getFormProps, useForm } from "@conform-to/react";
import { DateField } from "~/components/date-field";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormDraft } from "~/components/form-draft";
import { FormErrors, optionsOf, SelectField, SubmitButton, TextField } from "~/components/forms";
import { PatientFormPage } from "~/components/patient-form-page";
import { imagingSchema } from "~/domain/pathway-forms";
import { IMAGING_CONCORDANCE_LABELS, IMAGING_MODALITY_LABELS } from "~/domain/pathway-vocabulary";
import { addImaging, listDiagnosisChoices } from "~/models/pathway.server";
import { loadPatientForm, submitPatientForm } from "~/web/patient-forms.server";

export const meta: MetaFunction = () => [{ title: "Add imaging · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { patient, today } = await loadPatientForm(args, "add-imaging");
  return { patient, today, diagnoses: await listDiagnosisChoices(patient.id) };
}

export function action(args: ActionFunctionArgs) {
  return submitPatientForm(args, imagingSchema, addImaging, { form: "imaging", message: "Imaging saved." });
}

export default function AddImaging() {
  const { patient, today, diagnoses } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "imaging",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: imagingSchema(today) }),
  });
  return (
    <PatientFormPage title="Add imaging" patient={patient}>
      <Form method="post" {...getFormProps(form)} className="max-w-3xl space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <FormDraft formId={form.id} patientId={patient.id} restore={!actionData} />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField field={fields.diagnosisId} label="For diagnosis" placeholder="Choose…" options={diagnoses} />
          <SelectField
            field={fields.modality}
            label="Imaging"
            placeholder="Choose…"
            options={optionsOf(IMAGING_MODALITY_LABELS)}
          />
          <DateField field={fields.performedOn} label="Date" max={today} />
          <SelectField
            field={fields.concordance}
            label="Findings match the history and examination?"
            placeholder="Choose…"
            options={optionsOf(IMAGING_CONCORDANCE_LABELS)}
          />
        </div>
        <TextField field={fields.finding} label="Finding (e.g. L5-S1 disc protrusion contacting the left S1 root)" />
        <SubmitButton pending={navigation.state === "submitting"}>Save imaging</SubmitButton>
      </Form>
    </PatientFormPage>
  );
}
