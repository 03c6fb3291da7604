import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { PERMISSIONS } from "~/domain/permissions";
import { flagActionSchema } from "~/domain/referral-forms";
import { actOnFlag, FlagActionRefusedError } from "~/models/flag.server";
import { ConcurrentEditError, RecordNotFoundError } from "~/models/record-revision.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { auditForeignRecord, requireId } from "~/web/route-helpers.server";
import { parseForm } from "~/web/form-input.server";

export function loader() {
  throw new Response("Not found", { status: 404 });
}

/** Acknowledge, dismiss (with a reason) or snooze a flag, or close a red flag with what was done. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["flags:act"] });
  const patientId = requireId(params.patientId);
  const flagId = requireId(params.flagId);
  const submission = await parseForm(request, flagActionSchema(clinicToday()));
  // Refusals come back to the form on the patient page (a fetcher), next to the field concerned.
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    await actOnFlag(flagId, patientId, submission.value, user, context);
  } catch (error) {
    await auditForeignRecord(error, request, { patientId, actor: user, context });
    if (error instanceof RecordNotFoundError) throw new Response("Not found", { status: 404 });
    const refusal =
      error instanceof ConcurrentEditError
        ? "This flag changed since the page was opened. Reload the page to see it."
        : error instanceof FlagActionRefusedError
          ? error.message
          : null;
    if (!refusal) throw error;
    return data({ result: submission.reply({ formErrors: [refusal] }) }, { status: 409 });
  }
  throw redirect(`/patients/${patientId}#flag-${flagId}`);
}
