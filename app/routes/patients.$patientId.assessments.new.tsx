import { getCollectionProps, getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { DateField } from "~/components/date-field";
import { displayDate } from "~/domain/iso-date";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  FormErrors,
  inputClass,
  optionsOf,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from "~/components/forms";
import { FieldErrors } from "~/components/field-errors";
import { FormDraft } from "~/components/form-draft";
import { PatientFormPage } from "~/components/patient-form-page";
import { assessmentSchema } from "~/domain/pathway-forms";
import { drugName } from "~/domain/clinical/drugs";
import {
  ADHERENCE_LABELS,
  isMedicationModality,
  LIMITATION_LABELS,
  SIDE_EFFECT_KIND_LABELS,
  SIDE_EFFECT_KINDS,
  SIDE_EFFECT_SEVERITY_LABELS,
  THERAPY_MODALITY_LABELS,
} from "~/domain/pathway-vocabulary";
import { recordAssessment } from "~/models/pathway.server";
import { listActiveTherapies } from "~/models/therapy-queries.server";
import { loadPatientForm, submitPatientForm } from "~/web/patient-forms.server";

export const meta: MetaFunction = () => [{ title: "Record outcome · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { patient, today } = await loadPatientForm(args, "record-outcome");
  return { patient, today, therapies: await listActiveTherapies(patient.id) };
}

export function action(args: ActionFunctionArgs) {
  return submitPatientForm(args, assessmentSchema, recordAssessment, {
    form: "record-outcome",
    message: "Outcome saved.",
  });
}

export default function RecordOutcome() {
  const { patient, today, therapies } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const medications = therapies.filter((therapy) => isMedicationModality(therapy.modality));
  const [form, fields] = useForm({
    id: "record-outcome",
    lastResult: actionData?.result,
    defaultValue: {
      assessedOn: today,
      sideEffects: medications.map((therapy) => ({ therapyTrialId: therapy.id, severity: "NONE" })),
    },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: assessmentSchema(today) }),
  });
  const score = { type: "number" as const, inputMode: "numeric" as const };
  const sideEffectFields = fields.sideEffects.getFieldList();

  return (
    <PatientFormPage title="Record outcome" patient={patient}>
      <section className="text-sm" aria-label="Active therapies">
        <h2 className="font-semibold">Active therapies</h2>
        {therapies.length === 0 ? (
          <p className="text-slate-600">None.</p>
        ) : (
          <ul className="list-disc pl-5">
            {therapies.map((therapy) => (
              <li key={therapy.id}>
                {therapy.drug
                  ? `${drugName(therapy.drug)} ${therapy.dose ?? ""} ${therapy.doseUnit ?? ""}`
                  : THERAPY_MODALITY_LABELS[therapy.modality]}{" "}
                since {displayDate(therapy.startDate)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <Form method="post" {...getFormProps(form)} className="mt-4 max-w-3xl space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <FormDraft formId={form.id} patientId={patient.id} restore={!actionData} />
        <DateField field={fields.assessedOn} label="Assessment date" max={today} className="max-w-xs" />
        <fieldset className="grid gap-4 sm:grid-cols-3">
          <legend className="mb-1 text-sm font-semibold">Pain (0 = none, 10 = worst imaginable)</legend>
          <TextField field={fields.painNow} label="Pain now" autoFocus {...score} />
          <TextField field={fields.painAverage} label="Average pain" {...score} />
          <TextField field={fields.painWorst} label="Worst pain" {...score} />
        </fieldset>
        <fieldset className="grid gap-4 sm:grid-cols-3">
          <legend className="mb-1 text-sm font-semibold">PEG, past week (0–10)</legend>
          <TextField field={fields.pegPain} label="P: average pain" {...score} />
          <TextField field={fields.pegEnjoyment} label="E: interference with enjoyment of life" {...score} />
          <TextField field={fields.pegActivity} label="G: interference with general activity" {...score} />
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField
            field={fields.limitation}
            label="Limitation of mobility or daily life"
            placeholder="Choose…"
            options={optionsOf(LIMITATION_LABELS)}
          />
          <SelectField
            field={fields.adherence}
            label="Adherence"
            placeholder="Not assessed"
            options={optionsOf(ADHERENCE_LABELS)}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField field={fields.odiPercent} label="Oswestry Disability Index % (optional)" {...score} />
          <TextField field={fields.ndiPercent} label="Neck Disability Index % (optional)" {...score} />
        </div>
        {medications.length > 0 ? (
          <fieldset className="space-y-2">
            <legend className="text-sm font-semibold">Side effects per active medication</legend>
            {sideEffectFields.map((entry, index) => {
              const entryFields = entry.getFieldset();
              const therapy = medications[index];
              if (!therapy) return null;
              return (
                <div key={entry.key} className="flex flex-wrap items-center gap-3">
                  <input
                    {...getInputProps(entryFields.therapyTrialId, { type: "hidden" })}
                    key={entryFields.therapyTrialId.key}
                  />
                  <label htmlFor={entryFields.severity.id} className="w-64 text-sm">
                    {therapy.drug ? drugName(therapy.drug) : THERAPY_MODALITY_LABELS[therapy.modality]}
                  </label>
                  <select
                    {...getSelectProps(entryFields.severity)}
                    key={entryFields.severity.key}
                    className={inputClass}
                  >
                    {Object.entries(SIDE_EFFECT_SEVERITY_LABELS).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                  <FieldErrors id={entryFields.severity.errorId} errors={entryFields.severity.errors} />
                  <fieldset
                    className="flex flex-wrap gap-2 text-sm"
                    aria-describedby={entryFields.kinds.errors ? entryFields.kinds.errorId : undefined}
                  >
                    <legend className="sr-only">
                      What the side effect was:{" "}
                      {therapy.drug ? drugName(therapy.drug) : THERAPY_MODALITY_LABELS[therapy.modality]}
                    </legend>
                    {getCollectionProps(entryFields.kinds, { type: "checkbox", options: [...SIDE_EFFECT_KINDS] }).map(
                      (props) => (
                        <label key={props.key} className="flex items-center gap-1">
                          <input {...props} key={props.key} />
                          {SIDE_EFFECT_KIND_LABELS[props.value as keyof typeof SIDE_EFFECT_KIND_LABELS]}
                        </label>
                      ),
                    )}
                  </fieldset>
                  <FieldErrors id={entryFields.kinds.errorId} errors={entryFields.kinds.errors} />
                </div>
              );
            })}
          </fieldset>
        ) : null}
        <TextAreaField field={fields.note} label="Note (optional)" />
        <SubmitButton pending={navigation.state === "submitting"}>Save outcome</SubmitButton>
      </Form>
    </PatientFormPage>
  );
}
