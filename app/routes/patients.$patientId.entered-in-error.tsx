import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { enteredInErrorSchema } from "~/domain/pathway-forms";
import { PERMISSIONS } from "~/domain/permissions";
import { markEnteredInError } from "~/models/pathway.server";
import { ConcurrentEditError, RecordNotFoundError } from "~/models/record-revision.server";
import { requireUser } from "~/web/auth.server";
import { auditForeignRecord, requireId } from "~/web/route-helpers.server";
import { parseForm } from "~/web/form-input.server";

export function loader() {
  throw new Response("Not found", { status: 404 });
}

/** Posted from the patient page by EnteredInErrorForm. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["pathway:write"] });
  const patientId = requireId(params.patientId);
  const submission = await parseForm(request, enteredInErrorSchema);
  // Refusals come back to the form on the patient page (a fetcher), next to the reason field.
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    await markEnteredInError(submission.value, { patientId, actor: user, context });
  } catch (error) {
    await auditForeignRecord(error, request, { patientId, actor: user, context });
    if (error instanceof RecordNotFoundError) throw new Response("Not found", { status: 404 });
    if (!(error instanceof ConcurrentEditError)) throw error;
    const stale = "This entry changed since the page was opened. Reload the page to see it.";
    return data({ result: submission.reply({ formErrors: [stale] }) }, { status: 409 });
  }
  throw redirect(`/patients/${patientId}`);
}
