import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { dateBoundsHint, displayDate } from "~/domain/iso-date";
import { Form, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Page } from "~/components/page";
import { ProcedureMonthChart } from "~/components/procedure-month-chart";
import { ReportTableView } from "~/components/report-table";
import { PERMISSIONS } from "~/domain/permissions";
import {
  LINE_LIST,
  parseReportFilters,
  procedureMonthTab,
  reportQuery,
  reportTables,
  type ReportTableId,
} from "~/domain/referral-report";
import { DEFAULT_COMPLETE_MONTHS, partialMonths } from "~/domain/report-math";
import { recordAudit } from "~/models/audit.server";
import { loadReferralReport } from "~/models/reports.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { getEnv } from "~/server/env.server";

export const meta: MetaFunction = () => [{ title: "Referral reports · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["reports:view"] });
  const { range, problems } = parseReportFilters(new URL(request.url).searchParams, clinicToday());
  const report = await loadReferralReport(range, getEnv().CLINIC_TIME_ZONE);
  // Counts only: no patient is identified, so no patient ids in the audit row.
  await recordAudit(context, {
    action: "report.view",
    actor: user,
    detail: { report: "referrals", from: range.from, to: range.to },
  });
  return {
    range,
    today: clinicToday(),
    timeZone: report.timeZone,
    tables: reportTables(report),
    procedureMonths: procedureMonthTab(report),
    problems,
  };
}

export default function Reports() {
  const { range, today, timeZone, tables, procedureMonths, problems } = useLoaderData<typeof loader>();
  const table = (id: ReportTableId) => tables[id];
  const csvLink = (id: ReportTableId) => (
    <a href={`/reports/export?${reportQuery(range, { table: id })}`} className="text-sm text-blue-800 underline">
      Download CSV
    </a>
  );

  return (
    <Page title="Referral reports">
      <Form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label="Report period">
        <DateField name="from" label="From" value={range.from} max={today} />
        <DateField name="to" label="To" value={range.to} max={today} />
        <button type="submit" className="rounded bg-blue-800 px-3 py-2 font-medium text-white hover:bg-blue-900">
          Show
        </button>
      </Form>
      {problems.length > 0 ? (
        <div role="alert" className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
            <li>Showing the default period instead.</li>
          </ul>
        </div>
      ) : null}
      <p className="mt-3 text-sm text-slate-700">
        {`${displayDate(range.from)} to ${displayDate(range.to)}, both days included. `}
        Days and months are calendar days on the clinic&apos;s clock (time zone <strong>{timeZone}</strong>): a referral
        made at 23:30 on the last day of a month counts in that month.{" "}
        {`Without dates the report covers the last ${DEFAULT_COMPLETE_MONTHS} complete months and this month to today. `}
        Counts only: no patient is identified on this page.
      </p>

      <Section id="procedure-month" title="Referrals by procedure and month" actions={csvLink("procedure-month")}>
        <p className="text-sm text-slate-600">
          Every referral made in the period, whatever its status now (cancelled ones included), in the month it was
          made.
        </p>
        {/* Thirteen months of columns leave no room beside the table: the chart sits right above it. */}
        <div className="mt-2 space-y-4">
          <ProcedureMonthChart tab={procedureMonths} partial={partialMonths(range)} />
          <ReportTableView table={table("procedure-month")} />
        </div>
      </Section>

      <div className="grid grid-cols-1 gap-x-6 lg:grid-cols-2">
        <Section id="physician" title="Referrals by referring physician" actions={csvLink("physician")}>
          <p className="text-sm text-slate-600">The physician who made the referral, by its status now.</p>
          <ReportTableView table={table("physician")} />
        </Section>
        <Section id="status" title="Referrals by current status" actions={csvLink("status")}>
          <p className="text-sm text-slate-600">
            Referrals made in the period by where they are now: pending, scheduled, completed or cancelled.
          </p>
          <ReportTableView table={table("status")} />
        </Section>
      </div>

      <Section id="funnel" title="From flag to referral" actions={csvLink("funnel")}>
        <div className="space-y-1 text-sm text-slate-600">
          <p>
            <strong>Raised</strong>: each time a flag opened in the period, for the first time or again after it had
            been resolved (flag history: to &ldquo;open&rdquo; from nothing or from &ldquo;resolved&rdquo;). A flag
            raised twice counts twice. Re-opening a dismissed or snoozed flag on new evidence is not a new raise.
          </p>
          <p>
            What became of each raise up to now (even after the period ends), until the flag was raised again:{" "}
            <strong>referred</strong> if a referral was made from it (even after a dismissal);{" "}
            <strong>dismissed</strong> if it was dismissed and not referred, under the reason of its last dismissal;
            otherwise <strong>neither</strong> (still open, acknowledged or snoozed, or resolved by the record). The
            three add up to the raises.
          </p>
          <p>
            Referrals made without a flag are in the tables above but not here, so &ldquo;referred&rdquo; can be smaller
            than the number of referrals.
          </p>
        </div>
        <div className="mt-2 grid grid-cols-1 gap-4 lg:grid-cols-2">
          <ReportTableView table={table("funnel")} />
          <div>
            <ReportTableView table={table("time-to-act")} />
            <p className="mt-2 text-sm text-slate-600">
              Whole calendar days on the clinic&apos;s clock. <strong>Flag raised → referral</strong>: the referred
              raises above, from the day of the raise to the day of the referral. <strong>Referral → procedure</strong>:
              referrals made in the period and completed, from the day the referral was made to the procedure date. With
              an even count the median is the mean of the middle two.
            </p>
            <p className="mt-1">{csvLink("time-to-act")}</p>
          </div>
        </div>
      </Section>

      <Section id="rules" title="Rule performance" actions={csvLink("rules")}>
        <p className="text-sm text-slate-600">
          For each rule, the raises above whose flag lists it among its met criteria (the criteria of the flag&apos;s
          latest evaluation), and what became of them. <strong>Override rate</strong> = dismissed ÷ fired. A raise
          counts under every rule it met, so the rows do not add up to the funnel.
        </p>
        <ReportTableView table={table("rules")} />
      </Section>

      <section aria-labelledby="line-list-heading" className="mt-10 rounded border border-amber-300 bg-amber-50 p-4">
        <h2 id="line-list-heading" className="text-lg font-semibold text-slate-900">
          Line list (identifies patients)
        </h2>
        <p className="mt-1 text-sm text-slate-800">
          One row per referral made in the period, with the patient&apos;s MRN and name, procedure, status and dates.
          Download it only when you need patient-level data; the export is recorded in the audit trail with your name
          and this period. Store the file securely and delete it when done.
        </p>
        <form method="get" action="/reports/export" className="mt-3 flex flex-wrap items-center gap-3 text-sm">
          <input type="hidden" name="table" value={LINE_LIST} />
          <input type="hidden" name="from" value={range.from} />
          <input type="hidden" name="to" value={range.to} />
          <label className="flex items-center gap-2">
            <input type="checkbox" name="acknowledge" value="patient-data" required />I need patient-identifying data
            for this period
          </label>
          <button
            type="submit"
            className="rounded border border-amber-800 bg-white px-3 py-2 font-medium text-amber-900 hover:bg-amber-100"
          >
            Download line list (CSV)
          </button>
        </form>
      </section>
    </Page>
  );
}

function Section({
  id,
  title,
  actions,
  children,
}: {
  id: string;
  title: string;
  actions: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="mt-8">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        {actions}
      </div>
      <div className="mt-2">{children}</div>
    </section>
  );
}

function DateField({ name, label, value, max }: { name: string; label: string; value: string; max: string }) {
  return (
    <div>
      <label htmlFor={`report-${name}`} className="block font-medium text-slate-800">
        {label}
      </label>
      <span id={`report-${name}-hint`} className="block text-xs text-slate-600">
        {dateBoundsHint({ max })}
      </span>
      <input
        id={`report-${name}`}
        // Re-keyed so that a new period from the URL replaces what was typed.
        key={value}
        type="date"
        name={name}
        defaultValue={value}
        max={max}
        required
        aria-describedby={`report-${name}-hint`}
        className="mt-1 rounded border border-slate-300 px-3 py-2"
      />
    </div>
  );
}
