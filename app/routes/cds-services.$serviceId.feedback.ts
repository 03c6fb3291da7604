import type { ActionFunctionArgs } from "@remix-run/node";
import { PATIENT_VIEW_SERVICE_ID } from "~/domain/cds/service";
import { requireCdsCaller } from "~/web/cds-auth.server";
import { recordCdsFeedback } from "~/web/cds-hooks.server";

/** Feedback on returned cards (https://cds-hooks.hl7.org/2.0/#feedback). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const caller = await requireCdsCaller(request, context);
  if (params.serviceId !== PATIENT_VIEW_SERVICE_ID) {
    return Response.json({ error: "No such CDS service." }, { status: 404 });
  }
  await recordCdsFeedback(request, context, caller, params.serviceId);
  return Response.json({});
}
