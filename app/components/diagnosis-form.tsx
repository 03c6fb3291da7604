import { FormDraft } from "./form-draft";
import { getFormProps, getInputProps, useForm, type Submission, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { ConflictNotice, FormErrors, optionsOf, SelectField, SubmitButton, TextField } from "./forms";
import { FieldErrors } from "./field-errors";
import type { IsoDate } from "~/domain/iso-date";
import { diagnosisEditSchema, diagnosisSchema } from "~/domain/pathway-forms";
import {
  RADICULAR_SIGN_LABELS,
  RADICULAR_SIGNS,
  BODY_REGION_LABELS,
  COMMON_PAIN_CODES,
  PAIN_TYPE_LABELS,
  RED_FLAG_DEFINITIONS,
  RED_FLAGS,
  SURGICAL_STATUS_LABELS,
} from "~/domain/pathway-vocabulary";

type DiagnosisValues = {
  icd10Code?: string;
  label?: string;
  bodyRegion?: string;
  painType?: string;
  onsetDate?: string;
  surgicalStatus?: string;
  redFlags?: string[];
  radicularSigns?: string[];
  version?: number;
  reason?: string;
};

/** Add or correct a pain diagnosis. The code field suggests the common chronic-pain codes and accepts others. */
export function DiagnosisForm({
  today,
  draft,
  lastResult,
  conflict,
  defaultValue,
  editingVersion,
}: {
  /** The form's id, which also names its draft in the browser, and whose record it is. */
  draft: { formId: string; patientId: string };
  today: IsoDate;
  lastResult?: SubmissionResult<string[]>;
  conflict?: Array<{ name: string; current: string }> | null;
  defaultValue?: DiagnosisValues;
  editingVersion?: number;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<DiagnosisValues>({
    id: draft.formId,
    lastResult,
    defaultValue,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    // Adding and correcting share the fields; a correction adds version and reason.
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: editingVersion ? diagnosisEditSchema(today) : diagnosisSchema(today),
      }) as unknown as Submission<DiagnosisValues>,
  });
  const redFlags = fields.redFlags;
  return (
    <Form method="post" {...getFormProps(form)} className="max-w-3xl space-y-5">
      <FormErrors id={form.errorId} errors={form.errors} />
      <FormDraft formId={form.id} patientId={draft.patientId} restore={!lastResult} />
      <ConflictNotice
        conflict={conflict}
        labels={{
          icd10Code: "Code",
          label: "Diagnosis",
          bodyRegion: "Region",
          painType: "Pain type",
          onsetDate: "Onset",
          surgicalStatus: "Surgical status",
          redFlags: "Red flags",
          radicularSigns: "Radicular signs",
        }}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          field={fields.icd10Code}
          label="ICD-10-CM code"
          list="common-pain-codes"
          hint="Type to search the common chronic-pain codes; other codes are accepted."
          autoFocus
        />
        <datalist id="common-pain-codes">
          {COMMON_PAIN_CODES.map((entry) => (
            <option key={entry.code} value={entry.code}>
              {entry.label}
            </option>
          ))}
        </datalist>
        <TextField field={fields.label} label="Diagnosis" />
        <SelectField
          field={fields.bodyRegion}
          label="Body region"
          placeholder="Choose…"
          options={optionsOf(BODY_REGION_LABELS)}
        />
        <SelectField
          field={fields.painType}
          label="Pain type"
          placeholder="Choose…"
          options={optionsOf(PAIN_TYPE_LABELS)}
        />
        <TextField field={fields.onsetDate} label="Onset date" type="date" hint="So the pain's duration is known" />
        <SelectField
          field={fields.surgicalStatus}
          label="Surgical status"
          options={optionsOf(SURGICAL_STATUS_LABELS)}
        />
      </div>
      <fieldset className="rounded border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">Radicular signs on examination (radicular pain)</legend>
        {RADICULAR_SIGNS.map((sign) => (
          <label key={sign} className="flex items-start gap-2 text-sm">
            <input
              {...getInputProps(fields.radicularSigns, { type: "checkbox", value: sign })}
              key={`${fields.radicularSigns.key}-${sign}`}
              id={`${fields.radicularSigns.id}-${sign}`}
              className="mt-1 h-4 w-4"
            />
            <span>{RADICULAR_SIGN_LABELS[sign]}</span>
          </label>
        ))}
        <FieldErrors id={fields.radicularSigns.errorId} errors={fields.radicularSigns.errors} />
      </fieldset>
      <fieldset className="rounded border border-red-200 p-4">
        <legend className="px-1 text-sm font-semibold">Red flags (urgent evaluation, outside the pathway)</legend>
        {RED_FLAGS.map((flag) => (
          <label key={flag} className="flex items-start gap-2 text-sm">
            <input
              {...getInputProps(redFlags, { type: "checkbox", value: flag })}
              key={`${redFlags.key}-${flag}`}
              id={`${redFlags.id}-${flag}`}
              className="mt-1 h-4 w-4"
            />
            <span>
              <strong>{RED_FLAG_DEFINITIONS[flag].label}</strong>: {RED_FLAG_DEFINITIONS[flag].description}
            </span>
          </label>
        ))}
        <FieldErrors id={redFlags.errorId} errors={redFlags.errors} />
      </fieldset>
      {editingVersion ? (
        <>
          <input type="hidden" name="version" value={editingVersion} />
          <TextField field={fields.reason} label="Reason for the correction (optional)" />
        </>
      ) : null}
      <SubmitButton pending={navigation.state === "submitting"}>
        {editingVersion ? "Save correction" : "Add diagnosis"}
      </SubmitButton>
    </Form>
  );
}
