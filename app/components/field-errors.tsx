// Apart from forms.tsx, so that a page with small hand-checked forms (the patient page's flag and
// entered-in-error forms) does not load the form library with it.

/** Error messages for one field, announced by screen readers and linked with aria-describedby. */
export function FieldErrors({ id, errors }: { id: string; errors?: string[] | null }) {
  if (!errors?.length) return null;
  return (
    // The alert role goes on a wrapper: on the list itself it would hide the list from screen readers.
    <div id={id} className="mt-1 text-sm text-red-700" role="alert">
      <ul>
        {errors.map((error) => (
          <li key={error}>{error}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The refusals of a whole form: its own ("") and those of its hidden fields (the version it was
 * opened at, the action), which have nothing visible to stand next to.
 */
export function formLevelErrors(
  errors: Record<string, string[] | null | undefined> | null | undefined,
  hiddenFields: readonly string[] = ["version", "action"],
): string[] {
  return ["", ...hiddenFields].flatMap((field) => errors?.[field] ?? []);
}

/** For a plain input: marks it invalid and points screen readers at its FieldErrors, when it has any. */
export function invalidWhen(errorsId: string, errors?: string[] | null) {
  return errors?.length ? { "aria-invalid": true, "aria-describedby": errorsId } : {};
}
