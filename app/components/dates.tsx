import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useRouteLoaderData } from "@remix-run/react";
import { dateBoundsHint, displayDateTime } from "~/domain/iso-date";
import { Field, FieldErrors, inputClass } from "./forms";

/** The clinic's time zone (CLINIC_TIME_ZONE), sent once by the root loader. */
export function useClinicTimeZone(): string {
  return (useRouteLoaderData("root") as { timeZone?: string } | undefined)?.timeZone ?? "UTC";
}

/** A stored instant as every page shows it ("6 Dec 2026, 14:05"), its exact value kept for machines. */
export function DateTime({ at }: { at: string }) {
  const timeZone = useClinicTimeZone();
  return <time dateTime={at}>{displayDateTime(timeZone, at)}</time>;
}

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
