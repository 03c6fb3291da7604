import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { DateTime } from "~/components/dates";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { type FormEvent, useState } from "react";
import { EmptyState, Page } from "~/components/page";
import { PERMISSIONS } from "~/domain/permissions";
import { listImportRuns, listPhysicians } from "~/models/fhir-import-runs.server";
import { requireUser } from "~/web/auth.server";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "FHIR imports · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["imports:run"] });
  const [runs, physicians] = await Promise.all([listImportRuns(), listPhysicians()]);
  return {
    runs: runs.map((run) => ({ ...run, createdAt: run.createdAt.toISOString() })),
    physicians,
  };
}

const field = "rounded border border-slate-300 px-2 py-1 text-sm";

export default function Imports() {
  const { runs, physicians } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  // The file goes as the raw body, streamed to disk by the server: a multipart form would be parsed in memory.
  async function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setError("Choose a FHIR Bundle (.json) or NDJSON (.ndjson) file.");
      return;
    }
    setSending(true);
    setError(null);
    const query = new URLSearchParams({
      name: file.name,
      physicianId: String(form.get("physicianId") ?? ""),
      sourceSystem: String(form.get("sourceSystem") ?? ""),
      dryRun: form.get("dryRun") ? "1" : "0",
    });
    try {
      const response = await fetch(`/admin/imports/upload?${query}`, { method: "POST", body: file });
      const result = (await response.json().catch(() => ({}))) as { runId?: string; error?: string };
      if (response.ok && result.runId) navigate(`/admin/imports/${result.runId}`);
      else setError(result.error ?? `The upload was refused (${response.status}).`);
    } finally {
      setSending(false);
    }
  }

  return (
    <Page title="FHIR imports">
      <p className="max-w-3xl text-sm text-slate-700">
        Import patients&apos; histories from the EHR: a FHIR R4 Bundle (.json) or a Bulk Data NDJSON file (.ndjson). The
        import runs in the background; its page shows the progress and keeps the report. Run a dry run first: it writes
        nothing. Unknown codes go to the{" "}
        <Link to="/imports/review" className="text-blue-800 underline">
          import review
        </Link>
        .
      </p>
      <form onSubmit={upload} className="mt-4 flex flex-wrap items-end gap-3 rounded bg-white p-4 shadow-sm">
        <label className="text-sm">
          File <input type="file" name="file" accept=".json,.ndjson" className="block text-sm" required />
        </label>
        <label className="text-sm">
          New patients&apos; physician{" "}
          <select name="physicianId" className={field} required defaultValue={physicians[0]?.id}>
            {physicians.map((physician) => (
              <option key={physician.id} value={physician.id}>
                {physician.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Source system <input name="sourceSystem" defaultValue="ehr" className={`${field} w-28`} required />
        </label>
        <label className="text-sm">
          <input type="checkbox" name="dryRun" defaultChecked /> Dry run (write nothing)
        </label>
        <button type="submit" disabled={sending} className="rounded bg-blue-800 px-3 py-1 text-sm text-white">
          {sending ? "Uploading…" : "Upload and import"}
        </button>
        {error ? (
          <p className="w-full text-sm text-red-800" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      <h2 className="mt-6 text-lg font-semibold">Runs</h2>
      {runs.length === 0 ? (
        <EmptyState>No import yet.</EmptyState>
      ) : (
        <ScrollRegion label="Imports" className="mt-2">
          <table className="w-full bg-white text-sm shadow-sm">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-2">Started</th>
                <th className="px-3 py-2">Source</th>
                <th className="px-3 py-2">Kind</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">Patients</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id} className="border-t border-slate-200">
                  <td className="px-3 py-2">
                    <Link to={`/admin/imports/${run.id}`} className="text-blue-800 underline">
                      <DateTime at={run.createdAt} />
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <bdi>{run.source}</bdi>
                  </td>
                  <td className="px-3 py-2">{run.dryRun ? "Dry run" : "Import"}</td>
                  <td className="px-3 py-2">{run.status.toLowerCase()}</td>
                  <td className="px-3 py-2">
                    {run.patientsDone}/{run.patientsTotal}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </Page>
  );
}
