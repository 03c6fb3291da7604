import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { displayDate, displayDatesIn } from "~/domain/iso-date";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { PatientCell } from "~/components/patient-name";
import { PATHWAY_STAGE_LABELS, PATHWAY_STAGES, type PathwayStage } from "~/domain/pathway-stage";
import { PERMISSIONS } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { CASELOAD_PAGE_SIZE, loadCaseload } from "~/models/caseload.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { lastPageOf, pageParam } from "~/web/route-helpers.server";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "My patients · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["caseload:view"] });
  const url = new URL(request.url);
  const requested = url.searchParams.get("stage");
  const stage = PATHWAY_STAGES.find((candidate) => candidate === requested) ?? null;
  const caseload = await loadCaseload(user.id, clinicToday());
  const counts = Object.fromEntries(
    PATHWAY_STAGES.map((candidate) => [candidate, caseload.filter((row) => row.stage === candidate).length]),
  ) as Record<PathwayStage, number>;
  const inStage = stage ? caseload.filter((row) => row.stage === stage) : caseload;
  const lastPage = lastPageOf(inStage.length, CASELOAD_PAGE_SIZE);
  const page = Math.min(pageParam(url), lastPage);
  const rows = inStage.slice((page - 1) * CASELOAD_PAGE_SIZE, page * CASELOAD_PAGE_SIZE);
  await recordAudit(context, {
    action: "patient.list",
    actor: user,
    detail: { list: "caseload", stage, page, patientIds: [...new Set(rows.map((row) => row.patientId))] },
  });
  return { rows, counts, stage, page, lastPage };
}

export default function MyPatients() {
  const { rows, counts, stage, page, lastPage } = useLoaderData<typeof loader>();
  return (
    <Page title="My patients by pathway stage">
      <nav className="flex flex-wrap gap-2 text-sm" aria-label="Stages">
        <StageLink
          stage={null}
          current={stage}
          label={`All (${Object.values(counts).reduce((sum, count) => sum + count, 0)})`}
        />
        {PATHWAY_STAGES.map((candidate) => (
          <StageLink
            key={candidate}
            stage={candidate}
            current={stage}
            label={`${PATHWAY_STAGE_LABELS[candidate]} (${counts[candidate]})`}
          />
        ))}
      </nav>
      {rows.length === 0 ? (
        <EmptyState>No pathway in this stage.</EmptyState>
      ) : (
        <ScrollRegion label="My patients" className="mt-4">
          <table className="w-full border-collapse bg-white text-sm shadow-sm">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-2">Patient</th>
                <th className="px-3 py-2">Diagnosis</th>
                <th className="px-3 py-2">Stage</th>
                <th className="px-3 py-2">Since</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.diagnosisId} className="border-t border-slate-200 align-top">
                  <PatientCell patient={row} hash={`flag-${row.diagnosisId}`} />
                  <td className="px-3 py-2">{row.diagnosis}</td>
                  <td className="px-3 py-2">
                    {PATHWAY_STAGE_LABELS[row.stage]}
                    {row.stage === "FLAGGED_FOR_REVIEW" && row.summary ? (
                      <div className="text-xs text-slate-600">{displayDatesIn(row.summary)}</div>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">{displayDate(row.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <Pagination page={page} lastPage={lastPage} label="Caseload pages" />
    </Page>
  );
}

function StageLink({
  stage,
  current,
  label,
}: {
  stage: PathwayStage | null;
  current: PathwayStage | null;
  label: string;
}) {
  const active = stage === current;
  return (
    <Link
      to={stage ? `?stage=${stage}` : "."}
      className={`rounded border px-2 py-1 ${active ? "border-blue-800 bg-blue-800 text-white" : "border-slate-300 bg-white text-slate-800"}`}
      aria-current={active ? "page" : undefined}
    >
      {label}
    </Link>
  );
}
