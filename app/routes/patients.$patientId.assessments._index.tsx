import type { LoaderFunctionArgs } from "@remix-run/node";
import { therapyLabel } from "~/domain/pathway-overview";
import { PERMISSIONS } from "~/domain/permissions";
import { recordPatientView } from "~/models/audit.server";
import { loadPatientRecord } from "~/models/patient-record.server";
import { requireUser } from "~/web/auth.server";
import { requireId } from "~/web/route-helpers.server";

/**
 * Every outcome assessment of a patient, for "Earlier assessments" on the patient page: the page
 * itself sends only the latest few. A read of patient data, audited as one.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["patients:view"] });
  const patientId = requireId(params.patientId);
  const view = await loadPatientRecord(patientId);
  if (!view) throw new Response("Not found", { status: 404 });
  await recordPatientView(context, user, patientId, { view: "assessment-history" });
  return {
    assessments: view.record.assessments,
    therapyNames: Object.fromEntries(view.record.therapies.map((therapy) => [therapy.id, therapyLabel(therapy)])),
    enteredInErrorReasons: view.enteredInErrorReasons,
  };
}
