import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { DateField } from "~/components/date-field";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { FormErrors, SelectField, SubmitButton, TextField } from "~/components/forms";
import { EmptyState, Page } from "~/components/page";
import {
  AUDIT_ACTION_LABELS,
  AUDIT_EXPORT_MAX_ROWS,
  AUDIT_OUTCOMES,
  AUDIT_PAGE_SIZE,
  auditFilterParams,
  auditFiltersSchema,
  type AuditFilterInput,
} from "~/domain/audit-trail";
import { addDays } from "~/domain/clinical/duration";
import { PERMISSIONS } from "~/domain/permissions";
import { ROLE_LABELS } from "~/domain/roles";
import { recordAudit } from "~/models/audit.server";
import { auditPage, listRecordedActions, type AuditRow } from "~/models/audit-trail.server";
import { resolveAuditFilters } from "~/web/audit-filters.server";
import { requireUser } from "~/web/auth.server";
import { ScrollRegion } from "~/components/scroll-region";
import { clinicDisplayDateTime, clinicTimeZone, clinicToday } from "~/server/clinic-time.server";

export const meta: MetaFunction = () => [{ title: "Audit trail · PainPath" }];

async function filterChoices() {
  const recorded = await listRecordedActions();
  return { actions: [...new Set([...Object.keys(AUDIT_ACTION_LABELS), ...recorded])].sort() };
}

type Row = Omit<AuditRow, "at"> & { at: string; when: string };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["audit:view"] });
  const resolution = await resolveAuditFilters(new URL(request.url).searchParams);
  if (resolution.status === "redirect") throw redirect(`/admin/audit?${resolution.params}`);
  const base = { ...(await filterChoices()), timeZone: clinicTimeZone(), today: clinicToday() };
  if (resolution.status === "invalid") {
    return data(
      {
        ...base,
        result: resolution.reply as SubmissionResult<string[]> | null,
        filters: resolution.filters,
        patientId: null,
        recentViews: null,
        rows: [] as Row[],
        older: null,
        newer: null,
        paged: false,
      },
      { status: 400 },
    );
  }
  const { filters, query, cursor, patientMrn } = resolution;
  const page = await auditPage(query, cursor);
  // Reading the trail is itself an audited access; about a patient's trail when filtered by one.
  await recordAudit(context, {
    action: "audit.view",
    actor: user,
    patientId: query.patientId,
    detail: {
      filters: { ...filters, userId: query.userId ?? null },
      page: cursor?.direction ?? "newest",
      rows: page.rows.length,
    },
  });
  return {
    ...base,
    result: null as SubmissionResult<string[]> | null,
    filters: { ...filters, mrn: patientMrn ?? undefined } as Partial<AuditFilterInput>,
    patientId: query.patientId ?? null,
    recentViews: query.patientId ? recentViewsLink(query.patientId) : null,
    rows: page.rows.map((row) => ({ ...row, at: row.at.toISOString(), when: clinicDisplayDateTime(row.at) })),
    older: page.older,
    newer: page.newer,
    paged: Boolean(cursor),
  };
}

/** "Who looked at this patient's record in the last 30 days", as one set of filters. */
function recentViewsLink(patientId: string) {
  const today = clinicToday();
  const params = auditFilterParams({
    patient: patientId,
    action: "patient.view",
    from: addDays(today, -29),
    to: today,
  });
  return `/admin/audit?${params}`;
}

export default function AuditTrail() {
  const { timeZone, result, filters, patientId, rows, older, newer, paged } = useLoaderData<typeof loader>();
  const filterParams = auditFilterParams({
    user: filters.user,
    patient: patientId ?? undefined,
    action: filters.action,
    outcome: filters.outcome,
    from: filters.from,
    to: filters.to,
  });
  const pageLink = (cursor: string) => {
    const params = new URLSearchParams(filterParams);
    params.set("cursor", cursor);
    return `?${params}`;
  };
  return (
    <Page title="Audit trail">
      {/* Keyed by the filters: a link to other filters shows them in the form, not what was typed before. */}
      <FilterForm key={JSON.stringify(filters)} />

      <div className="mt-4 flex flex-wrap items-center gap-4 text-sm">
        <p className="text-slate-700">
          Newest first, {AUDIT_PAGE_SIZE} per page. Times are in {timeZone}.
        </p>
        {result === null ? (
          <a href={`/admin/audit/export?${filterParams}`} className="ml-auto text-blue-800 underline" download>
            Export these entries (CSV)
          </a>
        ) : null}
      </div>
      {result === null ? (
        <p className="text-xs text-slate-600">
          An export holds at most the newest {AUDIT_EXPORT_MAX_ROWS.toLocaleString("en")} matching entries; narrow the
          dates for older ones. Exports are audited.
        </p>
      ) : null}

      {rows.length === 0 ? (
        <div className="mt-4">
          <EmptyState>{result ? "Correct the filters above." : "No audit entry matches these filters."}</EmptyState>
        </div>
      ) : (
        <AuditTable rows={rows} />
      )}
      <nav className="mt-3 flex gap-4 text-sm" aria-label="Audit trail pages">
        {paged ? (
          <Link to={`?${filterParams}`} className="text-blue-800 underline">
            Newest
          </Link>
        ) : null}
        {newer ? (
          <Link to={pageLink(newer)} className="text-blue-800 underline">
            Newer
          </Link>
        ) : null}
        {older ? (
          <Link to={pageLink(older)} className="text-blue-800 underline">
            Older
          </Link>
        ) : null}
      </nav>
      <p className="mt-6 text-sm">
        <Link to="/admin/audit/integrity" className="text-blue-800 underline">
          Check that the trail is intact
        </Link>
      </p>
    </Page>
  );
}

function FilterForm() {
  const { actions, timeZone, today, result, filters, recentViews } = useLoaderData<typeof loader>();
  const [form, fields] = useForm({
    id: "audit-filters",
    lastResult: result,
    defaultValue: filters,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: auditFiltersSchema }),
  });
  return (
    <Form method="get" {...getFormProps(form)} className="rounded border border-slate-200 bg-white p-4">
      <FormErrors id={form.errorId} errors={form.errors} />
      <div className="grid gap-4 sm:grid-cols-3">
        {/* A typed email, not a list of every user: a hospital has thousands, and each page would carry them all. */}
        <TextField field={fields.user} label="User (email)" type="email" />
        <TextField field={fields.mrn} label="Patient (medical record number)" />
        <SelectField
          field={fields.action}
          label="Action"
          placeholder="Any action"
          options={actions.map((action) => ({
            value: action,
            label: AUDIT_ACTION_LABELS[action] ? `${AUDIT_ACTION_LABELS[action]} (${action})` : action,
          }))}
        />
        <SelectField
          field={fields.outcome}
          label="Outcome"
          placeholder="Any outcome"
          options={AUDIT_OUTCOMES.map((outcome) => ({ value: outcome, label: outcome }))}
        />
        <DateField field={fields.from} label={`From (${timeZone})`} max={today} />
        <DateField field={fields.to} label={`To, inclusive (${timeZone})`} max={today} />
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-4">
        <SubmitButton>Show</SubmitButton>
        <Link to="/admin/audit" className="text-sm text-blue-800 underline">
          Clear filters
        </Link>
        {recentViews ? (
          <Link to={recentViews} className="text-sm text-blue-800 underline">
            Views of this patient, last 30 days
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

function AuditTable({ rows }: { rows: Row[] }) {
  return (
    <ScrollRegion label="Audit entries" className="mt-4">
      <table className="w-full border-collapse bg-white text-sm shadow-sm">
        <thead className="bg-slate-100 text-left">
          <tr>
            <th className="px-2 py-2">When</th>
            <th className="px-2 py-2">Who</th>
            <th className="px-2 py-2">What</th>
            <th className="px-2 py-2">Outcome</th>
            <th className="px-2 py-2">Record</th>
            <th className="px-2 py-2">Patient MRN</th>
            <th className="px-2 py-2">From</th>
            <th className="px-2 py-2">Request id</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="border-t border-slate-200 align-top">
              <td className="whitespace-nowrap px-2 py-1">
                <time dateTime={row.at}>{row.when}</time>
              </td>
              <td className="px-2 py-1">
                {row.userId ? (
                  <>
                    {row.userName ?? "(unknown user)"}
                    {row.userRole ? (
                      <span className="block text-xs text-slate-600">{ROLE_LABELS[row.userRole]}</span>
                    ) : null}
                  </>
                ) : (
                  <span className="text-slate-600">nobody signed in</span>
                )}
              </td>
              <td className="px-2 py-1">
                {AUDIT_ACTION_LABELS[row.action] ?? row.action}
                <span className="block font-mono text-xs text-slate-600">{row.action}</span>
              </td>
              <td className={`px-2 py-1 ${row.outcome === "success" ? "" : "font-semibold text-red-800"}`}>
                {row.outcome}
              </td>
              <td className="px-2 py-1">
                {row.entityType ? (
                  <>
                    {row.entityType}
                    <span className="block font-mono text-xs text-slate-600" title={row.entityId ?? undefined}>
                      {row.entityId?.slice(0, 8)}
                    </span>
                  </>
                ) : null}
              </td>
              <td className="px-2 py-1 font-mono">{row.patientMrn ?? (row.patientId ? "(deleted)" : "")}</td>
              <td className="px-2 py-1 font-mono text-xs">{row.clientAddress}</td>
              <td className="px-2 py-1 font-mono text-xs" title={row.requestId ?? undefined}>
                {row.requestId?.slice(0, 8)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
