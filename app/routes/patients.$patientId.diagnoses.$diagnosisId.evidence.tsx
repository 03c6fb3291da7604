import type { LoaderFunctionArgs } from "@remix-run/node";
import { PERMISSIONS } from "~/domain/permissions";
import { recordForeignRecordDenied, recordPatientView } from "~/models/audit.server";
import { loadCurrentEvaluation } from "~/models/referral-state.server";
import { requireUser } from "~/web/auth.server";
import { requireId } from "~/web/route-helpers.server";

/**
 * The full criteria evidence of a diagnosis's current evaluation, loaded when the clinician opens it
 * on the patient page (about nine criteria with thresholds and sources: too much to send with every
 * view). A read of patient data, audited as one.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["patients:view"] });
  const patientId = requireId(params.patientId);
  const diagnosisId = requireId(params.diagnosisId);
  const evaluation = await loadCurrentEvaluation(patientId, diagnosisId);
  if (!evaluation) {
    // The page offers evidence only for an evaluated diagnosis of this patient: anything else is a probe.
    await recordForeignRecordDenied(context, request, {
      actor: user,
      patientId,
      entityType: "PainDiagnosis",
      entityId: diagnosisId,
    });
    throw new Response("Not found", { status: 404 });
  }
  await recordPatientView(context, user, patientId, { view: "criteria-evidence", diagnosisId });
  return { criteria: evaluation.criteria, disclaimer: evaluation.disclaimer };
}
