import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { FieldErrors } from "./field-errors";

export function Field({
  label,
  htmlFor,
  hint,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint ? <p className="text-xs text-slate-600">{hint}</p> : null}
      {children}
    </div>
  );
}

export const inputClass =
  "mt-1 block w-full rounded border border-slate-300 px-3 py-2 shadow-sm focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-600 aria-[invalid=true]:border-red-600";

type AnyField = FieldMetadata<unknown>;

export function TextField({
  field,
  label,
  type = "text",
  hint,
  autoFocus,
  inputMode,
  className,
  list,
}: {
  field: AnyField;
  label: string;
  list?: string;
  type?: "text" | "date" | "number" | "email" | "password";
  hint?: string;
  autoFocus?: boolean;
  inputMode?: "numeric" | "decimal";
  className?: string;
}) {
  return (
    <div className={className}>
      <Field label={label} htmlFor={field.id} hint={hint}>
        <input
          {...getInputProps(field, { type })}
          key={field.key}
          autoFocus={autoFocus}
          inputMode={inputMode}
          list={list}
          step={type === "number" ? "any" : undefined}
          className={inputClass}
        />
        <FieldErrors id={field.errorId} errors={field.errors} />
      </Field>
    </div>
  );
}

/** A label table (value → label) as SelectField options. */
export const optionsOf = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

export function SelectField({
  field,
  label,
  options,
  placeholder,
  hint,
  className,
}: {
  field: AnyField;
  label: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  placeholder?: string;
  hint?: string;
  className?: string;
}) {
  return (
    <div className={className}>
      <Field label={label} htmlFor={field.id} hint={hint}>
        <select {...getSelectProps(field)} key={field.key} className={inputClass}>
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <FieldErrors id={field.errorId} errors={field.errors} />
      </Field>
    </div>
  );
}

export function CheckboxField({ field, label }: { field: AnyField; label: string }) {
  return (
    <div className="flex items-center gap-2">
      <input {...getInputProps(field, { type: "checkbox" })} key={field.key} className="h-4 w-4" />
      <label htmlFor={field.id} className="text-sm text-slate-800">
        {label}
      </label>
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function TextAreaField({ field, label, hint }: { field: AnyField; label: string; hint?: string }) {
  return (
    <Field label={label} htmlFor={field.id} hint={hint}>
      <textarea {...getTextareaProps(field)} key={field.key} rows={3} className={inputClass} />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </Field>
  );
}

export function FormErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <div className="rounded border border-red-300 bg-red-50 p-3">
      <FieldErrors id={id} errors={errors} />
    </div>
  );
}

/** Shown when a save was refused because someone else changed the record first. */
export function ConflictNotice({
  conflict,
  labels,
}: {
  conflict: Array<{ name: string; current: string }> | null | undefined;
  labels: Record<string, string>;
}) {
  if (!conflict) return null;
  return (
    <div className="rounded border border-amber-400 bg-amber-50 p-3 text-sm" role="alert">
      <p className="font-medium">Changed since you opened it. The record now holds:</p>
      {conflict.length === 0 ? (
        <p>The same values you entered; save again to confirm.</p>
      ) : (
        <ul className="mt-1 list-disc pl-5">
          {conflict.map((field) => (
            <li key={field.name}>
              {labels[field.name] ?? field.name}: <strong>{field.current || "(empty)"}</strong>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-1">Reload the page to edit the current version.</p>
    </div>
  );
}

export function SubmitButton({ children, pending }: { children: ReactNode; pending?: boolean }) {
  return (
    <button
      type="submit"
      disabled={pending}
      className="rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900 disabled:opacity-60"
    >
      {children}
    </button>
  );
}
