import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { Field, inputClass } from "./forms";
import { FieldErrors } from "./field-errors";

/** A password input: paste allowed, never echoed back by the server, labelled for password managers. */
export function PasswordField({
  field,
  label,
  hint,
  autoComplete,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  autoComplete: "new-password" | "current-password";
}) {
  return (
    <Field label={label} htmlFor={field.id} hint={hint}>
      <input
        {...getInputProps(field, { type: "password" })}
        key={field.key}
        autoComplete={autoComplete}
        className={inputClass}
      />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </Field>
  );
}
