import type { LoaderFunctionArgs } from "@remix-run/node";
import { DISCOVERY } from "~/domain/cds/service";
import { recordAudit } from "~/models/audit.server";
import { requireCdsCaller } from "~/web/cds-auth.server";

/** CDS Hooks discovery (https://cds-hooks.hl7.org/2.0/#discovery): signed like every call. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const caller = await requireCdsCaller(request, context);
  await recordAudit(context, { action: "cds.discovery", entityType: "CdsIssuer", entityId: caller.issuer.id });
  return Response.json(DISCOVERY);
}
