import type { LoaderFunctionArgs } from "@remix-run/node";
import { AUDIT_EXPORT_MAX_ROWS } from "~/domain/audit-trail";
import { PERMISSIONS } from "~/domain/permissions";
import { csvFileName, csvLine, csvResponseHeaders, UTF8_BOM } from "~/domain/csv";
import { recordAudit } from "~/models/audit.server";
import { auditRowsExceed, auditRowsForExport, type AuditRow } from "~/models/audit-trail.server";
import { resolveAuditFilters } from "~/web/audit-filters.server";
import { requireRecentSecondFactor, requireUser } from "~/web/auth.server";
import { clinicDateTime, clinicTimeZone } from "~/server/clinic-time.server";

/**
 * The audit viewer's filtered slice as CSV, newest first, streamed in keyset batches and capped
 * at AUDIT_EXPORT_MAX_ROWS (then the file name says so and X-Export-Truncated is set).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["audit:view"] });
  const resolution = await resolveAuditFilters(new URL(request.url).searchParams);
  if (resolution.status !== "ok") {
    // The page resolves MRNs first; an export link always names the patient by id.
    return new Response("These filters are not valid. Go back to the audit trail and correct them.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const { filters, query } = resolution;
  // Step-up before the whole trail leaves the system; back to the same filters on the viewer.
  const search = new URL(request.url).search;
  await requireRecentSecondFactor(request, context, user, "audit-export", `/admin/audit${search}`);
  const truncated = await auditRowsExceed(query, AUDIT_EXPORT_MAX_ROWS);
  await recordAudit(context, {
    action: "audit.export",
    actor: user,
    patientId: query.patientId,
    detail: { filters: { ...filters, userId: query.userId ?? null }, maxRows: AUDIT_EXPORT_MAX_ROWS, truncated },
  });

  const timeZone = clinicTimeZone();
  const header = [
    "id",
    "at_utc",
    `at_local (${timeZone})`,
    "user_email",
    "user_name",
    "user_role",
    "action",
    "outcome",
    "entity_type",
    "entity_id",
    "patient_mrn",
    "client_address",
    "request_id",
  ];
  const line = (row: AuditRow) =>
    csvLine([
      row.id,
      row.at.toISOString(),
      clinicDateTime(row.at),
      row.userEmail,
      row.userName,
      row.userRole,
      row.action,
      row.outcome,
      row.entityType,
      row.entityId,
      row.patientMrn,
      row.clientAddress,
      row.requestId,
    ]);

  const batches = auditRowsForExport(query, AUDIT_EXPORT_MAX_ROWS);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(UTF8_BOM + csvLine(header)));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map(line).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });

  const fileName = csvFileName("audit-trail", {
    user: filters.user,
    patient: filters.patient,
    action: filters.action,
    outcome: filters.outcome,
    from: filters.from,
    to: filters.to,
    [`newest-${AUDIT_EXPORT_MAX_ROWS}`]: truncated,
  });
  return new Response(body, {
    headers: { ...csvResponseHeaders(fileName), "X-Export-Truncated": truncated ? "true" : "false" },
  });
}
