import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import type { ENTERED_IN_ERROR_ENTITIES } from "~/domain/pathway-forms";
import type { action as enteredInErrorAction } from "~/routes/patients.$patientId.entered-in-error";
import { FieldErrors, formLevelErrors, invalidWhen } from "./field-errors";

interface Entry {
  patientId: string;
  entity: (typeof ENTERED_IN_ERROR_ENTITIES)[number];
  id: string;
  version: number;
}

/**
 * A wrong entry is never deleted: this marks it entered-in-error, with a required reason. The form
 * is rendered once opened: a long record has one per row, and sending them all made the patient
 * page a third larger.
 */
export function EnteredInErrorForm(entry: Entry) {
  const [open, setOpen] = useState(false);
  return (
    <details className="text-xs print:hidden" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="cursor-pointer text-slate-600 underline">Entered in error…</summary>
      {open ? <MarkForm {...entry} /> : null}
    </details>
  );
}

function MarkForm({ patientId, entity, id, version }: Entry) {
  // A fetcher: a refused reason is shown here, next to the field, and the rest of the page stays as it is.
  const fetcher = useFetcher<typeof enteredInErrorAction>();
  const errors = fetcher.data?.result.error;
  return (
    <>
      <fetcher.Form method="post" action={`/patients/${patientId}/entered-in-error`} className="mt-1 flex gap-1">
        <input type="hidden" name="entity" value={entity} />
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="version" value={version} />
        <label className="sr-only" htmlFor={`eie-${id}`}>
          Why is this entry wrong?
        </label>
        <input
          id={`eie-${id}`}
          name="reason"
          required
          minLength={3}
          maxLength={500}
          placeholder="Why is it wrong?"
          // The user opened this to type the reason.
          autoFocus
          className="w-48 rounded border border-slate-300 px-2 py-1"
          {...invalidWhen(`eie-${id}-errors`, errors?.reason)}
        />
        <button type="submit" className="rounded border border-red-700 px-2 py-1 text-red-800">
          Mark
        </button>
      </fetcher.Form>
      <FieldErrors
        id={`eie-${id}-errors`}
        errors={[...(errors?.reason ?? []), ...formLevelErrors(errors, ["version"])]}
      />
    </>
  );
}
