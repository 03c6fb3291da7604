import type { ActionFunctionArgs } from "@remix-run/node";
import { PATIENT_VIEW_SERVICE_ID } from "~/domain/cds/service";
import { requireCdsCaller } from "~/web/cds-auth.server";
import { answerPatientView } from "~/web/cds-hooks.server";

/** A CDS Hooks service call (https://cds-hooks.hl7.org/2.0/#calling-a-cds-service). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const caller = await requireCdsCaller(request, context);
  if (params.serviceId !== PATIENT_VIEW_SERVICE_ID) {
    return Response.json({ error: "No such CDS service." }, { status: 404 });
  }
  return Response.json(await answerPatientView(request, context, caller));
}
