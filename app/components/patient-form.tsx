import { getFormProps, getInputProps, useForm, type Submission, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import type * as z from "zod";
import { ALLERGY_LABELS, type CodedAllergy } from "~/domain/allergies";
import { ANTITHROMBOTIC_DRUGS, type AntithromboticClass } from "~/domain/clinical/antithrombotics";
import type { AntithromboticDrug } from "~/generated/prisma/enums";
import { patientEditSchema, patientSchema } from "~/domain/pathway-forms";
import type { IsoDate } from "~/domain/iso-date";
import { FormDraft } from "./form-draft";
import { CheckboxField, ConflictNotice, FormErrors, optionsOf, SelectField, SubmitButton, TextField } from "./forms";
import { FieldErrors } from "./field-errors";
import {
  CAUTION_LABELS,
  PATIENT_STATUS_LABELS,
  PSYCH_EVALUATION_STATUS_LABELS,
  SEX_LABELS,
} from "~/domain/pathway-vocabulary";

export const PATIENT_FIELD_LABELS: Record<string, string> = {
  mrn: "Medical record number (MRN)",
  givenName: "Given name",
  familyName: "Family name",
  birthDate: "Date of birth",
  sex: "Sex",
  assignedPhysicianId: "Assigned physician",
  status: "Status",
  psychEvaluationStatus: "Psychological evaluation",
  psychEvaluationDate: "Evaluation date",
  naloxoneOfferedOn: "Naloxone offered on",
  allergyNotes: "Other allergies",
  antithrombotics: "Anticoagulants and antiplatelets",
  ...CAUTION_LABELS,
  ...Object.fromEntries(Object.entries(ALLERGY_LABELS).map(([name, label]) => [name, `${label} allergy`])),
};

/** The create and edit forms for a patient; `editing` adds status, version and reason. */
type PatientFormValues = z.input<ReturnType<typeof patientEditSchema>>;

export function PatientForm({
  today,
  draft,
  lastResult,
  conflict,
  defaultValue,
  physicians,
  editing,
}: {
  /** The form's id, which also names its draft in the browser, and whose record it is. */
  draft: { formId: string; patientId: string };
  today: IsoDate;
  lastResult?: SubmissionResult<string[]>;
  conflict?: Array<{ name: string; current: string }> | null;
  defaultValue?: Partial<PatientFormValues>;
  physicians: Array<{ id: string; name: string }>;
  editing?: { version: number };
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<PatientFormValues>({
    id: draft.formId,
    lastResult,
    defaultValue,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    // The create form has the same fields less status, version and reason.
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: editing ? patientEditSchema(today) : patientSchema(today),
      }) as unknown as Submission<PatientFormValues>,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="max-w-3xl space-y-6">
      <FormErrors id={form.errorId} errors={form.errors} />
      <FormDraft formId={form.id} patientId={draft.patientId} restore={!lastResult} />
      <ConflictNotice conflict={conflict} labels={PATIENT_FIELD_LABELS} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField field={fields.mrn} label={PATIENT_FIELD_LABELS.mrn as string} autoFocus />
        <SelectField
          field={fields.assignedPhysicianId}
          label="Assigned physician"
          placeholder="Choose…"
          options={physicians.map((physician) => ({ value: physician.id, label: physician.name }))}
        />
        <TextField field={fields.givenName} label="Given name" />
        <TextField field={fields.familyName} label="Family name" />
        <TextField field={fields.birthDate} label="Date of birth" type="date" />
        <SelectField field={fields.sex} label="Sex" placeholder="Choose…" options={optionsOf(SEX_LABELS)} />
        {editing ? (
          <SelectField field={fields.status} label="Status" options={optionsOf(PATIENT_STATUS_LABELS)} />
        ) : null}
      </div>
      <fieldset className="rounded border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">Anticoagulants and antiplatelets (hold guidance by drug)</legend>
        {(["anticoagulant", "antiplatelet"] as const).map((drugClass) => (
          <AntithromboticChoices key={drugClass} field={fields.antithrombotics} drugClass={drugClass} />
        ))}
        <FieldErrors id={fields.antithrombotics.errorId} errors={fields.antithrombotics.errors} />
      </fieldset>
      <fieldset className="rounded border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">Clinical cautions</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {(Object.keys(CAUTION_LABELS) as Array<keyof typeof CAUTION_LABELS>).map((name) => (
            <CheckboxField key={name} field={fields[name]} label={CAUTION_LABELS[name]} />
          ))}
        </div>
      </fieldset>
      <fieldset className="rounded border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">Allergies</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {(Object.keys(ALLERGY_LABELS) as CodedAllergy[]).map((name) => (
            <CheckboxField key={name} field={fields[name]} label={`${ALLERGY_LABELS[name]} allergy`} />
          ))}
        </div>
        <TextField field={fields.allergyNotes} label="Other allergies (e.g. penicillin: rash)" />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          field={fields.naloxoneOfferedOn}
          label="Naloxone offered on (with an opioid at ≥ 50 MME/day or a benzodiazepine)"
          type="date"
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          field={fields.psychEvaluationStatus}
          label="Psychological evaluation (needed before spinal cord stimulation)"
          options={optionsOf(PSYCH_EVALUATION_STATUS_LABELS)}
        />
        <TextField field={fields.psychEvaluationDate} label="Evaluation date" type="date" />
      </div>
      {editing ? (
        <>
          <input type="hidden" name="version" value={editing.version} />
          <TextField field={fields.reason} label="Reason for the correction (optional)" />
        </>
      ) : null}
      <SubmitButton pending={navigation.state === "submitting"}>
        {editing ? "Save changes" : "Create patient"}
      </SubmitButton>
    </Form>
  );
}

const DRUGS_BY_CLASS = (drugClass: AntithromboticClass) =>
  (Object.keys(ANTITHROMBOTIC_DRUGS) as AntithromboticDrug[]).filter(
    (drug) => ANTITHROMBOTIC_DRUGS[drug].drugClass === drugClass,
  );

function AntithromboticChoices({
  field,
  drugClass,
}: {
  field: Parameters<typeof getInputProps>[0];
  drugClass: AntithromboticClass;
}) {
  return (
    <div className="mt-2">
      <p className="text-sm font-medium capitalize">{drugClass}s</p>
      <div className="grid gap-1 sm:grid-cols-2">
        {DRUGS_BY_CLASS(drugClass).map((drug) => (
          <label key={drug} className="flex items-center gap-2 text-sm text-slate-800">
            <input
              {...getInputProps(field, { type: "checkbox", value: drug })}
              key={`${field.key}-${drug}`}
              id={`${field.id}-${drug}`}
              className="h-4 w-4"
            />
            {ANTITHROMBOTIC_DRUGS[drug].name}
          </label>
        ))}
      </div>
    </div>
  );
}
