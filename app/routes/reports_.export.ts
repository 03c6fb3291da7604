import type { LoaderFunctionArgs } from "@remix-run/node";
import * as z from "zod";
import { csvFileName, csvResponseHeaders, toCsv, UTF8_BOM, type CsvValue } from "~/domain/csv";
import { PROCEDURE_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import { PERMISSIONS } from "~/domain/permissions";
import { REFERRAL_URGENCY_LABELS } from "~/domain/pathway-vocabulary";
import {
  LINE_LIST,
  parseReportFilters,
  REFERRAL_STATUS_LABELS,
  REPORT_TABLE_IDS,
  reportTable,
  tableRows,
} from "~/domain/referral-report";
import { recordAudit } from "~/models/audit.server";
import { loadReferralLineList, loadReferralReport, type LineListRow } from "~/models/reports.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { getEnv } from "~/server/env.server";

const ExportSchema = z.object({
  table: z.enum([...REPORT_TABLE_IDS, LINE_LIST]),
  /** The line list identifies patients: the administrator ticks a box to say they mean it. */
  acknowledge: z.literal("patient-data").optional(),
});

/**
 * `/reports/export?table=…&from=…&to=…`: one table of the referral reports as CSV, from the same
 * queries and table builders as the page, so the file and the page show the same numbers.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["reports:view"] });
  const params = new URL(request.url).searchParams;
  const parsed = ExportSchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) throw new Response("Choose one of the report's tables.", { status: 400 });
  // A file must say what it holds: dates that cannot be used are refused, not silently replaced.
  const { range, problems } = parseReportFilters(params, clinicToday());
  if (problems.length > 0) throw new Response(problems.join(" "), { status: 400 });
  const timeZone = getEnv().CLINIC_TIME_ZONE;
  const filters = { from: range.from, to: range.to };

  if (parsed.data.table === LINE_LIST) {
    if (!parsed.data.acknowledge) {
      throw new Response("Confirm that you need patient-identifying data to download the line list.", {
        status: 400,
      });
    }
    const rows = await loadReferralLineList(range, timeZone);
    await recordAudit(context, {
      action: "report.line_list_export",
      actor: user,
      // Who downloaded whom: the viewer finds this export under each patient it named.
      detail: {
        report: "referrals",
        ...filters,
        timeZone,
        rows: rows.length,
        patientIds: [...new Set(rows.map((row) => row.patientId))],
      },
    });
    return csvResponse(csvFileName("referral-line-list", filters), lineListRows(rows));
  }

  const table = reportTable(await loadReferralReport(range, timeZone, [parsed.data.table]), parsed.data.table);
  await recordAudit(context, {
    action: "report.export",
    actor: user,
    detail: { report: "referrals", table: table.id, ...filters },
  });
  return csvResponse(csvFileName(table.fileName, filters), tableRows(table));
}

function csvResponse(fileName: string, rows: ReadonlyArray<readonly CsvValue[]>) {
  return new Response(UTF8_BOM + toCsv(rows), { headers: csvResponseHeaders(fileName) });
}

function lineListRows(rows: LineListRow[]): CsvValue[][] {
  return [
    [
      "MRN",
      "Family name",
      "Given name",
      "Procedure",
      "Urgency",
      "Status",
      "Referred on",
      "Scheduled for",
      "Procedure date",
      "Referring physician",
    ],
    ...rows.map((row) => [
      row.mrn,
      row.familyName,
      row.givenName,
      PROCEDURE_TYPE_LABELS[row.procedure],
      REFERRAL_URGENCY_LABELS[row.urgency],
      REFERRAL_STATUS_LABELS[row.status],
      row.referredOn,
      row.scheduledFor,
      row.procedureDate,
      row.referringPhysician,
    ]),
  ];
}
