import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { EmptyState, Page } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { PatientCell } from "~/components/patient-name";
import { ScrollRegion } from "~/components/scroll-region";
import { PROCEDURE_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import { PERMISSIONS } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { listWorklist, WORKLIST_PAGE_SIZE } from "~/models/flag.server";
import { findPhysician } from "~/models/patient.server";
import { getActiveRuleSet } from "~/models/rule-set.server";
import { requireUser } from "~/web/auth.server";
import { clinicTimeZone, clinicToday } from "~/server/clinic-time.server";
import { daysBetween } from "~/domain/clinical/duration";
import { displayDate, todayIn } from "~/domain/iso-date";
import { lastPageOfCapped } from "~/web/route-helpers.server";
import { parseWorklistFilters } from "~/web/worklist-filters.server";
import { countUpTo } from "~/domain/text";

export const meta: MetaFunction = () => [{ title: "Review worklist · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["worklist:view"] });
  const filters = parseWorklistFilters(new URL(request.url).searchParams);
  // "My patients", or another physician chosen by the link on their name: not every physician in each page's markup.
  const otherPhysicianId = filters.physicianId !== user.id ? filters.physicianId : undefined;
  const [worklist, otherPhysician, ruleSet] = await Promise.all([
    listWorklist(user.id, clinicToday(), filters),
    otherPhysicianId ? findPhysician(otherPhysicianId) : null,
    getActiveRuleSet(),
  ]);
  await recordAudit(context, {
    action: "worklist.view",
    actor: user,
    detail: { patientIds: worklist.rows.map((row) => row.patientId) },
  });
  // Page counts are computed here: WORKLIST_PAGE_SIZE lives in a server module the browser never sees.
  const lastPage = lastPageOfCapped(worklist, filters.page, WORKLIST_PAGE_SIZE);
  const today = clinicToday();
  return {
    ...worklist,
    rows: worklist.rows.map((row) => {
      const since = todayIn(clinicTimeZone(), row.waitingSince);
      return { ...row, waitingSince: since, waitingDays: daysBetween(since, today) };
    }),
    lastPage,
    filters,
    physicians: [{ id: user.id, name: "My patients" }, ...(otherPhysician ? [otherPhysician] : [])],
    criteria: Object.values(ruleSet.rules).map((rule) => ({ id: rule.id, title: rule.title })),
  };
}

export default function Worklist() {
  const { rows, total, moreThanCap, lastPage, filters, physicians, criteria } = useLoaderData<typeof loader>();
  return (
    <Page title="Review worklist">
      <Form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter the worklist">
        {filters.sort !== "urgency" ? <input type="hidden" name="sort" value={filters.sort} /> : null}
        <Filter
          label="Suggested procedure"
          name="procedure"
          value={filters.procedure}
          options={Object.entries(PROCEDURE_TYPE_LABELS)}
        />
        <Filter
          label="Criterion"
          name="criterion"
          value={filters.criterion}
          options={criteria.map((rule) => [rule.id, rule.title])}
        />
        <Filter
          label="Physician"
          name="physicianId"
          value={filters.physicianId}
          options={physicians.map((physician) => [physician.id, physician.name])}
        />
        <button type="submit" className="rounded bg-blue-800 px-3 py-2 font-medium text-white">
          Filter
        </button>
      </Form>
      <p className="mt-3 text-sm text-slate-600">
        {countUpTo(total, moreThanCap, "open flag")}, {SORT_DESCRIPTIONS[filters.sort ?? "urgency"]}. Decision support,
        not a coverage determination.
      </p>
      {rows.length === 0 ? (
        <EmptyState>No patients are flagged for interventional review.</EmptyState>
      ) : (
        <ScrollRegion label="Open flags" className="mt-2">
          <table className="w-full border-collapse bg-white text-sm shadow-sm">
            <thead className="bg-slate-100 text-left">
              <tr>
                <SortableHeader sort="patient" current={filters.sort}>
                  Patient
                </SortableHeader>
                <th className="px-3 py-2">Diagnosis</th>
                <SortableHeader sort="urgency" current={filters.sort}>
                  Why flagged
                </SortableHeader>
                <SortableHeader sort="waiting" current={filters.sort}>
                  Waiting
                </SortableHeader>
                <th className="px-3 py-2">Physician</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.flagId} className={`border-t border-slate-200 align-top ${row.urgent ? "bg-red-50" : ""}`}>
                  <PatientCell patient={row} hash={`flag-${row.diagnosisId}`} />
                  <td className="px-3 py-2">{row.diagnosis}</td>
                  <td className="px-3 py-2">
                    {row.urgent ? <strong className="text-red-800">URGENT · </strong> : null}
                    {row.summary}
                    {row.status === "ACKNOWLEDGED" ? (
                      <span className="ml-2 text-xs text-slate-600">(acknowledged)</span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">
                    <Waiting days={row.waitingDays} since={row.waitingSince} />
                  </td>
                  <td className="px-3 py-2">
                    <Link
                      to={`?physicianId=${row.physicianId}`}
                      className="text-blue-800 underline"
                      title={`Only ${row.physicianName}'s patients`}
                    >
                      {row.physicianName}
                    </Link>
                    {row.mine ? <span className="ml-1 text-xs text-slate-600">(you)</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <Pagination page={filters.page} lastPage={lastPage} label="Worklist pages" exact={!moreThanCap} />
    </Page>
  );
}

const SORT_DESCRIPTIONS = {
  urgency: "red flags first, then your own patients, then the longest waiting",
  waiting: "the longest waiting first",
  patient: "by patient name",
} as const;

function Waiting({ days, since }: { days: number; since: string }) {
  if (days <= 0) return <>new today</>;
  // One text node each: this cell is rendered 50 times a page.
  return (
    <>
      {`waiting ${days} ${days === 1 ? "day" : "days"}`}
      <span className="block text-xs text-slate-600">{`since ${displayDate(since)}`}</span>
    </>
  );
}

/** A column header that sorts the list: a link (page 1, other filters kept), and aria-sort on the sorted column. */
function SortableHeader({
  sort,
  current = "urgency",
  children,
}: {
  sort: keyof typeof SORT_DESCRIPTIONS;
  current?: keyof typeof SORT_DESCRIPTIONS;
  children: string;
}) {
  const [searchParams] = useSearchParams();
  const next = new URLSearchParams(searchParams);
  next.delete("page");
  if (sort === "urgency") next.delete("sort");
  else next.set("sort", sort);
  const active = sort === current;
  return (
    <th className="px-3 py-2" aria-sort={active ? (sort === "patient" ? "ascending" : "descending") : undefined}>
      <Link
        to={`?${next}`}
        className="text-blue-800 underline"
        aria-label={`${children}: sort ${SORT_DESCRIPTIONS[sort]}`}
        title={`Sort ${SORT_DESCRIPTIONS[sort]}`}
      >
        {children}
      </Link>
      {active ? <span aria-hidden="true"> ▾</span> : null}
    </th>
  );
}

function Filter({
  label,
  name,
  value,
  options,
}: {
  label: string;
  name: string;
  value?: string;
  options: Array<[string, string]>;
}) {
  return (
    <label className="flex max-w-full flex-col">
      <span className="font-medium text-slate-800">{label}</span>
      <select
        name={name}
        defaultValue={value ?? ""}
        className="mt-1 max-w-full rounded border border-slate-300 px-2 py-2"
      >
        <option value="">Any</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </label>
  );
}
