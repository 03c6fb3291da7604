import { ageOn, type IsoDate } from "~/domain/clinical/duration";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { FieldErrors, invalidWhen } from "~/components/field-errors";
import { EmptyState, Page } from "~/components/page";
import { Pagination } from "~/components/pagination";
import { patientDisplayName } from "~/components/patient-name";
import { PERMISSIONS } from "~/domain/permissions";
import { recordAudit } from "~/models/audit.server";
import { patientSearchSchema, SEARCH_MAX_LENGTH, SEARCH_MIN_LENGTH } from "~/domain/pathway-forms";
import { listDueForFollowUp, PAGE_SIZE, searchPatients } from "~/models/patient.server";
import { requireUser } from "~/web/auth.server";
import { getEnv } from "~/server/env.server";
import { clinicToday } from "~/server/clinic-time.server";
import { lastPageOf, pageParam } from "~/web/route-helpers.server";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Patients · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["patients:view"] });
  const url = new URL(request.url);
  const typed = url.searchParams.get("q") ?? "";
  const page = pageParam(url);
  const intervalDays = getEnv().FOLLOW_UP_INTERVAL_DAYS;
  const today = clinicToday();
  const search = patientSearchSchema.safeParse(typed);
  if (!search.success) {
    const queryErrors = search.error.issues.map((issue) => issue.message);
    return data(
      { query: typed, queryErrors, results: null, followUp: null, page, lastPage: 1, intervalDays, today },
      { status: 400 },
    );
  }
  const query = search.data;

  // A search shows its results alone: the follow-up list returns when the search is cleared.
  const results = query ? await searchPatients(query) : null;
  const followUp = results ? null : await listDueForFollowUp({ today, intervalDays, offset: (page - 1) * PAGE_SIZE });
  await recordAudit(context, {
    action: "patient.list",
    actor: user,
    detail: { searched: results !== null, patientIds: (results ?? followUp?.items ?? []).map((patient) => patient.id) },
  });
  return {
    query,
    queryErrors: null as string[] | null,
    results,
    followUp,
    page,
    lastPage: followUp ? lastPageOf(followUp.total, PAGE_SIZE) : 1,
    intervalDays,
    today,
  };
}

export default function Patients() {
  const { query, queryErrors, results, followUp, page, lastPage, intervalDays, today } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <Page title="Patients and follow-ups">
      <div className="flex flex-wrap items-end gap-4">
        <Form method="get" role="search" className="flex flex-wrap items-end gap-2">
          <div className="max-w-full">
            <label htmlFor="q" className="block text-sm font-medium text-slate-800">
              Search by name or MRN
            </label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={query}
              minLength={SEARCH_MIN_LENGTH}
              maxLength={SEARCH_MAX_LENGTH}
              autoComplete="off"
              aria-keyshortcuts="/"
              className="mt-1 w-72 max-w-full rounded border border-slate-300 px-3 py-2 aria-[invalid=true]:border-red-600"
              {...invalidWhen("q-errors", queryErrors)}
            />
            <FieldErrors id="q-errors" errors={queryErrors} />
          </div>
          <button type="submit" className="rounded bg-blue-800 px-4 py-2 font-medium text-white hover:bg-blue-900">
            Search
          </button>
        </Form>
        <Link
          to="/patients/new"
          className="ml-auto rounded border border-blue-800 px-4 py-2 font-medium text-blue-800 hover:bg-blue-50"
        >
          New patient
        </Link>
      </div>

      {results ? (
        <section aria-labelledby="results-heading" className="mt-6" aria-busy={navigation.state === "loading"}>
          <h2 id="results-heading" className="text-lg font-semibold">
            Search results
          </h2>
          {query.length < SEARCH_MIN_LENGTH ? (
            <EmptyState>Type at least {SEARCH_MIN_LENGTH} characters.</EmptyState>
          ) : results.length === 0 ? (
            <EmptyState>No patient matches “{query}”.</EmptyState>
          ) : (
            <PatientTable
              patients={results}
              today={today}
              extra={{ heading: "Last assessed", value: (patient) => patient.lastAssessedOn ?? "never" }}
            />
          )}
          <Link to="/patients" className="mt-3 inline-block text-sm text-blue-800 underline">
            Clear the search and show who is due for follow-up
          </Link>
        </section>
      ) : null}

      {followUp ? (
        <section aria-labelledby="follow-up-heading" className="mt-8">
          <h2 id="follow-up-heading" className="text-lg font-semibold">
            Due for follow-up <span className="font-normal text-slate-600">({followUp.total})</span>
          </h2>
          <p className="text-sm text-slate-600">
            Active therapy and no outcome assessment in the last {intervalDays} days; longest waiting first.
          </p>
          {followUp.items.length === 0 ? (
            <EmptyState>No patient is due for follow-up.</EmptyState>
          ) : (
            <>
              <PatientTable
                patients={followUp.items}
                today={today}
                extra={{
                  heading: "Due since",
                  value: (patient) => patient.dueSince,
                }}
              />
              <Pagination page={page} lastPage={lastPage} label="Follow-up pages" />
            </>
          )}
        </section>
      ) : null}
    </Page>
  );
}

type Row = {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  physicianName: string;
  status: string;
};

function PatientTable<T extends Row>({
  patients,
  today,
  extra,
}: {
  patients: T[];
  today: IsoDate;
  extra: { heading: string; value: (patient: T) => string };
}) {
  return (
    <ScrollRegion label="Patients" className="mt-2">
      <table className="w-full border-collapse bg-white text-sm shadow-sm">
        <thead className="bg-slate-100 text-left">
          <tr>
            <th className="px-3 py-2">Patient</th>
            <th className="px-3 py-2">MRN</th>
            <th className="px-3 py-2">Born</th>
            <th className="px-3 py-2">Physician</th>
            <th className="px-3 py-2">{extra.heading}</th>
          </tr>
        </thead>
        <tbody>
          {patients.map((patient) => (
            <tr key={patient.id} className="border-t border-slate-200">
              <td className="px-3 py-2">
                <Link to={`/patients/${patient.id}`} className="font-medium text-blue-800 underline">
                  {patientDisplayName(patient)}
                </Link>
                {patient.status === "DISCHARGED" ? (
                  <span className="ml-2 text-xs text-slate-500">discharged</span>
                ) : null}
              </td>
              <td className="px-3 py-2 font-mono">{patient.mrn}</td>
              <td className="px-3 py-2">
                {patient.birthDate} ({ageOn(patient.birthDate, today)} y)
              </td>
              <td className="px-3 py-2">{patient.physicianName}</td>
              <td className="px-3 py-2">{extra.value(patient)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
