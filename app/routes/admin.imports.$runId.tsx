import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Page } from "~/components/page";
import { PERMISSIONS } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { loadImportRun } from "~/models/fhir-import-runs.server";
import { requireUser } from "~/web/auth.server";
import { requireId } from "~/web/route-helpers.server";

export const meta: MetaFunction = () => [{ title: "FHIR import · PainPath" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["imports:run"] });
  const run = await loadImportRun(requireId(params.runId));
  if (!run) throw new Response("No such import.", { status: 404 });
  if (run.report)
    await recordAudit(context, {
      action: "fhir_import.report_view",
      actor: admin,
      entityType: "ImportRun",
      entityId: run.id,
      detail: { patientIds: run.report.patients.flatMap((p) => (p.patientId ? [p.patientId] : [])).slice(0, 1000) },
    });
  const report = run.report;
  return {
    id: run.id,
    source: run.source,
    dryRun: run.dryRun,
    status: run.status,
    error: run.error,
    patientsTotal: run.patientsTotal,
    patientsDone: run.patientsDone,
    report: report
      ? {
          totals: report.totals,
          skippedByReason: report.skippedByReason,
          unknownCodes: report.unknownCodes,
          inputErrors: report.inputErrors.slice(0, 200),
          patients: report.patients.slice(0, 500),
        }
      : null,
  };
}

export default function ImportRun() {
  const run = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const running = run.status === "QUEUED" || run.status === "RUNNING";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.revalidate(), 2000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const percent = run.patientsTotal > 0 ? Math.floor((100 * run.patientsDone) / run.patientsTotal) : 0;
  const totals = run.report?.totals;
  return (
    <Page title={`${run.dryRun ? "Dry run" : "Import"} of ${run.source}`}>
      <p className="text-sm">
        <Link to="/admin/imports" className="text-blue-800 underline">
          All imports
        </Link>
      </p>
      <p className="mt-3 text-sm" role="status">
        Status: <strong>{run.status.toLowerCase()}</strong>
        {running ? ` — reading and importing (${run.patientsDone} of ${run.patientsTotal || "?"} patients)` : null}
      </p>
      <progress
        className="mt-2 w-full"
        max={100}
        value={running || run.status === "INTERRUPTED" ? percent : 100}
        aria-label="Import progress"
      />
      {run.error ? (
        <p className="mt-3 rounded bg-red-50 p-3 text-sm text-red-900" role="alert">
          The import stopped: {run.error}
        </p>
      ) : null}
      {totals ? (
        <>
          <h2 className="mt-6 text-lg font-semibold">Totals</h2>
          <p className="text-sm" data-testid="totals">
            {totals.patients} patients ({totals.patientsImported} {run.dryRun ? "would import" : "imported"},{" "}
            {totals.patientsFailed} failed). Rows: {totals.created} created, {totals.updated} updated,{" "}
            {totals.unchanged} unchanged, {totals.skipped} skipped, {totals.needsReview} need review, {totals.conflicts}{" "}
            conflicts with corrections. {run.report?.unknownCodes ?? 0} codes sent to the review list.
          </p>
          {Object.keys(run.report?.skippedByReason ?? {}).length > 0 ? (
            <ul className="mt-2 list-disc pl-6 text-sm">
              {Object.entries(run.report?.skippedByReason ?? {}).map(([reason, count]) => (
                <li key={reason}>
                  {count} skipped: {reason}
                </li>
              ))}
            </ul>
          ) : null}
          {(run.report?.inputErrors.length ?? 0) > 0 ? (
            <>
              <h2 className="mt-6 text-lg font-semibold">Input errors</h2>
              <ul className="list-disc pl-6 text-sm text-red-900">
                {run.report?.inputErrors.map((error, index) => (
                  <li key={index}>
                    <bdi>
                      {error.file} {error.location}
                    </bdi>
                    : {error.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h2 className="mt-6 text-lg font-semibold">Patients</h2>
          <table className="mt-2 w-full bg-white text-sm shadow-sm">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-2">MRN</th>
                <th className="px-3 py-2">Result</th>
                <th className="px-3 py-2">Created</th>
                <th className="px-3 py-2">Updated</th>
                <th className="px-3 py-2">Unchanged</th>
                <th className="px-3 py-2">Skipped</th>
                <th className="px-3 py-2">Review</th>
              </tr>
            </thead>
            <tbody>
              {run.report?.patients.map((patient) => (
                <tr key={patient.source} className="border-t border-slate-200 align-top">
                  <td className="px-3 py-2">
                    <bdi>{patient.mrn ?? patient.source}</bdi>
                  </td>
                  <td className="px-3 py-2">
                    {patient.status.replace("-", " ")}
                    {patient.error ? <span className="block text-red-900">{patient.error}</span> : null}
                  </td>
                  <td className="px-3 py-2">{patient.counts.created}</td>
                  <td className="px-3 py-2">{patient.counts.updated}</td>
                  <td className="px-3 py-2">{patient.counts.unchanged}</td>
                  <td className="px-3 py-2">{patient.counts.skipped}</td>
                  <td className="px-3 py-2">
                    {patient.counts.needsReview + patient.counts.conflicts}
                    {patient.review.length > 0 ? (
                      <details>
                        <summary>why</summary>
                        <ul className="list-disc pl-4">
                          {patient.review.map((line) => (
                            <li key={line.resource}>
                              {line.resource}: {line.reason}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Page>
  );
}
