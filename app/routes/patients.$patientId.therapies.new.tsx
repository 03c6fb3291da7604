import { getFormProps, useForm } from "@conform-to/react";
import { DateField } from "~/components/date-field";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CheckboxField, FormErrors, optionsOf, SelectField, SubmitButton, TextField } from "~/components/forms";
import { DRUG_NAME_LIST_ID, DrugNameList } from "~/components/drug-name-list";
import { FormDraft } from "~/components/form-draft";
import { PatientFormPage } from "~/components/patient-form-page";
import { therapySchema } from "~/domain/pathway-forms";
import {
  isMedicationModality,
  isSessionModality,
  MEDICATION_FREQUENCY_LABELS,
  MEDICATION_ROUTE_LABELS,
  NON_OPIOID_DOSE_UNITS,
  STOP_REASON_LABELS,
  THERAPY_MODALITY_LABELS,
} from "~/domain/pathway-vocabulary";
import type { TherapyModality } from "~/generated/prisma/enums";
import { listDiagnosisChoices, startTherapy } from "~/models/pathway.server";
import { loadPatientForm, submitPatientForm } from "~/web/patient-forms.server";

export const meta: MetaFunction = () => [{ title: "Start therapy · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { patient, today } = await loadPatientForm(args, "start-therapy");
  return { patient, today, diagnoses: await listDiagnosisChoices(patient.id) };
}

export function action(args: ActionFunctionArgs) {
  return submitPatientForm(args, therapySchema, startTherapy, { form: "start-therapy", message: "Therapy saved." });
}

export default function StartTherapy() {
  const { patient, today, diagnoses } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "start-therapy",
    lastResult: actionData?.result,
    defaultValue: { startDate: today, diagnosisId: diagnoses.length === 1 ? diagnoses[0]?.value : undefined },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: therapySchema(today) }),
  });
  const modality = fields.modality.value as TherapyModality | undefined;
  const medication = modality !== undefined && isMedicationModality(modality);
  const sessions = modality !== undefined && isSessionModality(modality);
  return (
    <PatientFormPage title="Start therapy" patient={patient}>
      {diagnoses.length === 0 ? (
        <p className="text-slate-700">Add a diagnosis first: every therapy trial treats a diagnosis.</p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="max-w-3xl space-y-5">
          <FormErrors id={form.errorId} errors={form.errors} />
          <FormDraft formId={form.id} patientId={patient.id} restore={!actionData} />
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField field={fields.diagnosisId} label="For diagnosis" placeholder="Choose…" options={diagnoses} />
            <SelectField
              field={fields.modality}
              label="Therapy"
              placeholder="Choose…"
              options={optionsOf(THERAPY_MODALITY_LABELS)}
            />
            <DateField field={fields.startDate} label="Start date" max={today} />
          </div>
          {/* Only the fields of the chosen kind; the others are disabled, so they keep their text but are not sent. */}
          <fieldset
            disabled={!medication}
            className={`${medication ? "grid" : "hidden"} gap-4 rounded border border-slate-200 p-4 sm:grid-cols-3`}
          >
            <legend className="px-1 text-sm font-semibold">Medication</legend>
            <div className="space-y-2">
              <TextField
                field={fields.drug}
                label="Drug"
                list={DRUG_NAME_LIST_ID}
                hint="Generic or brand name, e.g. oxycodone or OxyContin"
              />
              <DrugNameList modality={modality} />
              {modality === "OPIOID" ? null : (
                <CheckboxField field={fields.drugAsTyped} label="Not in the list: keep the name as typed" />
              )}
            </div>
            <TextField field={fields.dose} label="Dose per administration" type="number" inputMode="decimal" />
            <TextField
              field={fields.doseUnit}
              label="Unit"
              hint={`e.g. ${[...NON_OPIOID_DOSE_UNITS, "mcg/hr"].join(", ")}`}
            />
            <SelectField
              field={fields.frequency}
              label="Frequency"
              placeholder="Choose…"
              options={optionsOf(MEDICATION_FREQUENCY_LABELS)}
            />
            <TextField
              field={fields.maxDosesPerDay}
              label="Most doses per day (as needed)"
              type="number"
              inputMode="numeric"
            />
            <SelectField
              field={fields.route}
              label="Route"
              placeholder="Choose…"
              options={optionsOf(MEDICATION_ROUTE_LABELS)}
            />
          </fieldset>
          <fieldset
            disabled={!sessions}
            className={`${sessions ? "grid" : "hidden"} gap-4 rounded border border-slate-200 p-4 sm:grid-cols-2`}
          >
            <legend className="px-1 text-sm font-semibold">Sessions</legend>
            <TextField field={fields.sessionsPlanned} label="Sessions planned" type="number" inputMode="numeric" />
            <TextField field={fields.sessionsAttended} label="Sessions attended" type="number" inputMode="numeric" />
          </fieldset>
          <fieldset className="grid gap-4 rounded border border-slate-200 p-4 sm:grid-cols-2">
            <legend className="px-1 text-sm font-semibold">Already ended? (recording a past trial)</legend>
            <DateField field={fields.endDate} label="End date" min={fields.startDate.value} max={today} />
            <SelectField
              field={fields.stopReason}
              label="Why it ended"
              placeholder="Still ongoing"
              options={optionsOf(STOP_REASON_LABELS)}
            />
          </fieldset>
          <SubmitButton pending={navigation.state === "submitting"}>Save therapy</SubmitButton>
        </Form>
      )}
    </PatientFormPage>
  );
}
