import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { displayDatesIn } from "~/domain/iso-date";
import { useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { PatientCell } from "~/components/patient-name";
import { PERMISSIONS } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { listNeedsData, NEEDS_DATA_PAGE_SIZE } from "~/models/caseload.server";
import { requireUser } from "~/web/auth.server";
import { lastPageOfCapped, pageParam } from "~/web/route-helpers.server";
import { countUpTo } from "~/domain/text";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Needs data · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["needs-data:view"] });
  const page = pageParam(new URL(request.url));
  const list = await listNeedsData(page);
  await recordAudit(context, {
    action: "patient.list",
    actor: user,
    detail: { list: "needs-data", patientIds: list.rows.map((row) => row.patientId) },
  });
  return { ...list, page, lastPage: lastPageOfCapped(list, page, NEEDS_DATA_PAGE_SIZE) };
}

export default function NeedsData() {
  const { rows, total, moreThanCap, page, lastPage } = useLoaderData<typeof loader>();
  return (
    <Page title="Needs data">
      <p className="text-sm text-slate-600">
        {countUpTo(total, moreThanCap, "pathway")} where the referral criteria cannot be evaluated until something is
        recorded.
      </p>
      {rows.length === 0 ? (
        <EmptyState>Every pathway has the data its criteria need.</EmptyState>
      ) : (
        <ScrollRegion label="Patients needing data" className="mt-2">
          <table className="w-full border-collapse bg-white text-sm shadow-sm">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-2">Patient</th>
                <th className="px-3 py-2">Diagnosis</th>
                <th className="px-3 py-2">To record</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.diagnosisId} className="border-t border-slate-200 align-top">
                  <PatientCell patient={row} />
                  <td className="px-3 py-2">{row.diagnosis}</td>
                  <td className="px-3 py-2">
                    <ul className="list-disc pl-4">
                      {row.missing.map((item) => (
                        <li key={item}>{displayDatesIn(item)}</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <Pagination page={page} lastPage={lastPage} label="Pages" exact={!moreThanCap} />
    </Page>
  );
}
