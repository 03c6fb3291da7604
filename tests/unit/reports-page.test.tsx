import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { procedureMonthTab, reportTables, type ReferralReportData } from "~/domain/referral-report";

const report: ReferralReportData = {
  range: { from: "2025-01-01", to: "2025-03-14" },
  timeZone: "America/New_York",
  procedureMonth: [{ procedure: "EPIDURAL_STEROID_INJECTION", month: "2025-02", count: 3 }],
  physicianStatus: [{ physicianId: "p1", physicianName: "Dr <b>Alpha</b>", status: "PENDING", count: 3 }],
  flagOutcomes: [{ outcome: "REFERRED", dismissReason: null, count: 2 }],
  flagToReferralDays: [{ value: 4, count: 2 }],
  referralToProcedureDays: [],
  ruleOutcomes: [{ ruleId: "ESI", outcome: "REFERRED", dismissReason: null, count: 2 }],
  ruleTitles: { ESI: "Epidural steroid injection" },
};
const loaderData = {
  range: report.range,
  timeZone: report.timeZone,
  tables: reportTables(report),
  procedureMonths: procedureMonthTab(report),
  problems: ["The start date is after the end date."],
};

vi.mock("@remix-run/react", () => ({
  useLoaderData: () => loaderData,
  Form: ({ children, ...props }: { children: ReactNode }) => <form {...props}>{children}</form>,
}));

const { default: Reports } = await import("~/routes/reports");

describe("the referral reports page", () => {
  const markup = renderToStaticMarkup(<Reports />);

  it("states the period, the clinic's time zone and the problem with the dates asked for", () => {
    expect(markup).toContain("1 Jan 2025 to 14 Mar 2025, both days included.");
    expect(markup).toContain("<strong>America/New_York</strong>");
    expect(markup).toMatch(/role="alert"[\s\S]*The start date is after the end date\./);
  });

  it("links every table to its CSV export with the same period", () => {
    for (const table of ["procedure-month", "physician", "status", "funnel", "time-to-act", "rules"]) {
      expect(markup).toContain(`href="/reports/export?table=${table}&amp;from=2025-01-01&amp;to=2025-03-14"`);
    }
  });

  it("asks for a deliberate confirmation before the line list, in a form of its own", () => {
    expect(markup).toMatch(
      /<form method="get" action="\/reports\/export"[\s\S]*name="table" value="line-list"[\s\S]*type="checkbox" name="acknowledge" required="" value="patient-data"/,
    );
  });

  it("renders names as text, the chart accessibly, and no inline style (the CSP forbids it)", () => {
    expect(markup).toContain("Dr &lt;b&gt;Alpha&lt;/b&gt;");
    expect(markup).toMatch(/<svg[^>]*role="img"/);
    expect(markup).not.toMatch(/\sstyle=/);
  });
});
