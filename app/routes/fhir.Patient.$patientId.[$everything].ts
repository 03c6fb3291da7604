import type { LoaderFunctionArgs } from "@remix-run/node";
import { everythingBundle, patientResources } from "~/domain/fhir/export/patient-resources";
import { PERMISSIONS } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { fhirExportOptions, loadFhirExportRecords } from "~/models/fhir-export.server";
import { getEnv } from "~/server/env.server";
import { requireUser } from "~/web/auth.server";
import { requireId } from "~/web/route-helpers.server";

const FHIR_JSON = "application/fhir+json; charset=utf-8";

/**
 * `GET /fhir/Patient/{id}/$everything` (https://hl7.org/fhir/R4/patient-operation-everything.html):
 * the patient's whole pathway as a searchset Bundle. `?download=1` (the patient page's button)
 * asks the browser to save it. Audited like a patient read; clinicians only.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["patients:view"] });
  const patientId = requireId(params.patientId);
  const [record] = await loadFhirExportRecords([patientId]);
  if (!record) {
    return new Response(
      JSON.stringify({
        resourceType: "OperationOutcome",
        issue: [{ severity: "error", code: "not-found", diagnostics: "No such patient." }],
      }),
      { status: 404, headers: { "Content-Type": FHIR_JSON, "Cache-Control": "no-store" } },
    );
  }
  const resources = patientResources(record, fhirExportOptions());
  await recordAudit(context, {
    action: "patient.fhir_export",
    actor: user,
    entityType: "Patient",
    entityId: patientId,
    patientId,
    detail: { resources: resources.length },
  });
  const url = new URL(request.url);
  // Behind a proxy the request's own origin is the internal one: APP_ORIGIN is what clients use.
  const bundle = everythingBundle(resources, `${getEnv().APP_ORIGIN ?? url.origin}/fhir`, new Date().toISOString());
  return new Response(JSON.stringify(bundle), {
    headers: {
      "Content-Type": FHIR_JSON,
      "Cache-Control": "no-store",
      ...(url.searchParams.get("download") === "1"
        ? { "Content-Disposition": `attachment; filename="painpath-patient-${patientId}.fhir.json"` }
        : {}),
    },
  });
}
