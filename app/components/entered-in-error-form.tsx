import { Form } from "@remix-run/react";
import type { ENTERED_IN_ERROR_ENTITIES } from "~/domain/pathway-forms";

/** A wrong entry is never deleted: this marks it entered-in-error, with a required reason. */
export function EnteredInErrorForm({
  patientId,
  entity,
  id,
  version,
}: {
  patientId: string;
  entity: (typeof ENTERED_IN_ERROR_ENTITIES)[number];
  id: string;
  version: number;
}) {
  return (
    <details className="text-xs print:hidden">
      <summary className="cursor-pointer text-slate-600 underline">Entered in error…</summary>
      <Form method="post" action={`/patients/${patientId}/entered-in-error`} className="mt-1 flex gap-1">
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
          className="w-48 rounded border border-slate-300 px-2 py-1"
        />
        <button type="submit" className="rounded border border-red-700 px-2 py-1 text-red-800">
          Mark
        </button>
      </Form>
    </details>
  );
}
