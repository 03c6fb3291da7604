import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { dateBoundsHint } from "~/domain/iso-date";
import { FieldErrors } from "./field-errors";
import { Field, inputClass } from "./forms";

/**
 * A native date input: the browser shows and takes the date in its own locale's order, so the hint
 * says the accepted range in the pages' format, and min/max (from the clinic's today) bound the picker.
 */
export function DateField({
  field,
  label,
  hint,
  min,
  max,
  autoFocus,
  className,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint?: string;
  min?: string;
  max?: string;
  autoFocus?: boolean;
  className?: string;
}) {
  const bounds = dateBoundsHint({ min, max });
  return (
    <div className={className}>
      <Field label={label} htmlFor={field.id} hint={hint ? `${hint}. ${bounds}` : bounds} hintId={field.descriptionId}>
        <input
          {...getInputProps(field, { type: "date", ariaDescribedBy: field.descriptionId })}
          key={field.key}
          min={min}
          max={max}
          autoFocus={autoFocus}
          className={inputClass}
        />
        <FieldErrors id={field.errorId} errors={field.errors} />
      </Field>
    </div>
  );
}
