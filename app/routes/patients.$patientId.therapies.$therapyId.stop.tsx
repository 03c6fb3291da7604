import { getFormProps, useForm } from "@conform-to/react";
import { DateField } from "~/components/date-field";
import { displayDate } from "~/domain/iso-date";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  ConflictNotice,
  FormErrors,
  optionsOf,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from "~/components/forms";
import { FormDraft } from "~/components/form-draft";
import { PatientFormPage } from "~/components/patient-form-page";
import { stopTherapySchema } from "~/domain/pathway-forms";
import { drugName } from "~/domain/clinical/drugs";
import { STOP_REASON_LABELS, THERAPY_MODALITY_LABELS } from "~/domain/pathway-vocabulary";
import { findTherapyToStop, stopTherapy } from "~/models/pathway.server";
import { loadPatientChildForm, submitPatientForm } from "~/web/patient-forms.server";
import { requireId } from "~/web/route-helpers.server";

export const meta: MetaFunction = () => [{ title: "Stop therapy · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { patient, today, child } = await loadPatientChildForm(args, "stop-therapy", {
    entity: "TherapyTrial",
    param: "therapyId",
    find: findTherapyToStop,
  });
  return { patient, today, therapy: child };
}

export function action(args: ActionFunctionArgs) {
  // The id is checked after the role (inside the save): a malformed id tells a stranger nothing.
  return submitPatientForm(
    args,
    stopTherapySchema,
    (value, write) => stopTherapy(requireId(args.params.therapyId), value, write),
    { form: `stop-therapy-${args.params.therapyId}`, message: "Therapy end saved." },
  );
}

export default function StopTherapy() {
  const { patient, today, therapy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `stop-therapy-${therapy.id}`,
    lastResult: actionData?.result,
    defaultValue: { endDate: today, sessionsAttended: therapy.sessionsAttended ?? undefined },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: stopTherapySchema(today) }),
  });
  return (
    <PatientFormPage title="Stop or complete a therapy" patient={patient}>
      <p className="mb-4">
        <strong>{therapy.drug ? drugName(therapy.drug) : THERAPY_MODALITY_LABELS[therapy.modality]}</strong>, started{" "}
        {displayDate(therapy.startDate)}
      </p>
      {therapy.status !== "ACTIVE" ? (
        <p className="text-slate-700">This therapy has already ended.</p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="max-w-xl space-y-4">
          <FormErrors id={form.errorId} errors={form.errors} />
          <FormDraft formId={form.id} patientId={patient.id} restore={!actionData} />
          <ConflictNotice
            conflict={actionData?.conflict}
            labels={{ endDate: "End date", stopReason: "Reason", status: "Status" }}
          />
          <input type="hidden" name="version" value={therapy.version} />
          <DateField field={fields.endDate} label="End date" min={therapy.startDate} max={today} autoFocus />
          <SelectField
            field={fields.stopReason}
            label="Why it ended"
            placeholder="Choose…"
            options={optionsOf(STOP_REASON_LABELS)}
          />
          {therapy.sessionsPlanned ? (
            <TextField
              field={fields.sessionsAttended}
              label={`Sessions attended (of ${therapy.sessionsPlanned})`}
              type="number"
              inputMode="numeric"
            />
          ) : null}
          <TextAreaField field={fields.stopNote} label="Note (optional)" />
          <SubmitButton pending={navigation.state === "submitting"}>Save</SubmitButton>
        </Form>
      )}
    </PatientFormPage>
  );
}
