import fc from "fast-check";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ProcedureMonthChart } from "~/components/procedure-month-chart";
import {
  parseReportFilters,
  procedureMonthTab,
  reportTable,
  tableRows,
  type ReferralReportData,
} from "~/domain/referral-report";
import {
  crossTab,
  defaultReportRange,
  medianOfCounts,
  monthsInRange,
  niceCeiling,
  partialMonths,
  percentOf,
} from "~/domain/report-math";

describe("monthsInRange", () => {
  it.each([
    { from: "2025-05-14", to: "2025-05-20", months: ["2025-05"] },
    { from: "2025-11-30", to: "2026-02-01", months: ["2025-11", "2025-12", "2026-01", "2026-02"] },
    { from: "2024-02-29", to: "2024-03-01", months: ["2024-02", "2024-03"] },
  ])("$from to $to", ({ from, to, months }) => {
    expect(monthsInRange({ from, to })).toEqual(months);
  });

  it("gives 13 months for the default range", () => {
    expect(monthsInRange(defaultReportRange("2026-05-14"))).toHaveLength(13);
  });
});

describe("defaultReportRange", () => {
  it.each([
    { today: "2026-05-14", from: "2025-05-01" },
    { today: "2026-01-01", from: "2025-01-01" },
    { today: "2026-12-31", from: "2025-12-01" },
    { today: "2024-02-29", from: "2023-02-01" },
  ])("the twelve complete months before $today, and this month to today", ({ today, from }) => {
    expect(defaultReportRange(today)).toEqual({ from, to: today });
  });
});

describe("partialMonths", () => {
  it.each([
    { from: "2025-05-01", to: "2026-05-14", partial: ["2026-05"] },
    { from: "2025-05-02", to: "2026-04-30", partial: ["2025-05"] },
    { from: "2025-05-01", to: "2026-04-30", partial: [] },
    { from: "2024-02-01", to: "2024-02-29", partial: [] },
    { from: "2023-02-01", to: "2023-02-28", partial: [] },
    { from: "2024-02-01", to: "2024-02-28", partial: ["2024-02"] },
    { from: "2025-03-10", to: "2025-03-20", partial: ["2025-03"] },
  ])("$from to $to", ({ from, to, partial }) => {
    expect([...partialMonths({ from, to })]).toEqual(partial);
  });
});

describe("crossTab", () => {
  it("zero-fills, and its totals add up across and down", () => {
    const tab = crossTab(
      [
        { row: "a", column: "x", count: 2 },
        { row: "a", column: "z", count: 3 },
        { row: "c", column: "x", count: 1 },
        { row: "c", column: "x", count: 4 },
      ],
      ["a", "b", "c"],
      ["x", "y", "z"],
    );
    expect(tab.rows).toEqual([
      { key: "a", counts: [2, 0, 3], total: 5 },
      { key: "b", counts: [0, 0, 0], total: 0 },
      { key: "c", counts: [5, 0, 0], total: 5 },
    ]);
    expect(tab.columnTotals).toEqual([7, 0, 3]);
    expect(tab.total).toBe(10);
  });

  it("refuses a count outside the listed rows or columns, which would break the totals", () => {
    expect(() => crossTab([{ row: "a", column: "q", count: 1 }], ["a"], ["x"])).toThrow(RangeError);
    expect(() => crossTab([{ row: "q", column: "x", count: 1 }], ["a"], ["x"])).toThrow(RangeError);
  });

  it("row totals and column totals always reach the same grand total", () => {
    const rows = ["r0", "r1", "r2", "r3"] as const;
    const columns = ["c0", "c1", "c2"] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            row: fc.constantFrom(...rows),
            column: fc.constantFrom(...columns),
            count: fc.nat(1000),
          }),
        ),
        (cells) => {
          const tab = crossTab(cells, rows, columns);
          const cellSum = cells.reduce((total, cell) => total + cell.count, 0);
          expect(tab.rows.reduce((total, row) => total + row.total, 0)).toBe(cellSum);
          expect(tab.columnTotals.reduce((total, value) => total + value, 0)).toBe(cellSum);
          expect(tab.total).toBe(cellSum);
        },
      ),
    );
  });
});

describe("medianOfCounts", () => {
  it.each([
    { case: "no values", histogram: [], median: null },
    { case: "only empty buckets", histogram: [{ value: 3, count: 0 }], median: null },
    { case: "one value", histogram: [{ value: 7, count: 1 }], median: 7 },
    {
      case: "odd count",
      histogram: [
        { value: 1, count: 1 },
        { value: 4, count: 1 },
        { value: 9, count: 1 },
      ],
      median: 4,
    },
    {
      case: "even count: mean of the middle two",
      histogram: [
        { value: 2, count: 1 },
        { value: 5, count: 1 },
      ],
      median: 3.5,
    },
    {
      case: "repeated values",
      histogram: [
        { value: 0, count: 3 },
        { value: 10, count: 2 },
      ],
      median: 0,
    },
    {
      case: "middle two in different buckets",
      histogram: [
        { value: 1, count: 2 },
        { value: 6, count: 2 },
      ],
      median: 3.5,
    },
    {
      case: "unsorted buckets",
      histogram: [
        { value: 9, count: 1 },
        { value: 1, count: 1 },
        { value: 4, count: 1 },
      ],
      median: 4,
    },
    {
      case: "negative days (data entry before the referral)",
      histogram: [
        { value: -2, count: 1 },
        { value: 3, count: 2 },
      ],
      median: 3,
    },
  ])("$case", ({ histogram, median }) => {
    expect(medianOfCounts(histogram)).toBe(median);
  });

  it("matches the median of the values written out one by one", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -30, max: 400 }), { minLength: 1, maxLength: 60 }), (values) => {
        const counts = new Map<number, number>();
        for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
        const histogram = [...counts].map(([value, count]) => ({ value, count }));
        const sorted = [...values].sort((a, b) => a - b);
        const middle = sorted.length / 2;
        const expected =
          sorted.length % 2 === 1
            ? (sorted[Math.floor(middle)] as number)
            : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
        expect(medianOfCounts(histogram)).toBe(expected);
      }),
    );
  });
});

describe("percentOf and niceCeiling", () => {
  it.each([
    { part: 1, whole: 3, percent: 33.3 },
    { part: 2, whole: 3, percent: 66.7 },
    { part: 0, whole: 5, percent: 0 },
    { part: 5, whole: 5, percent: 100 },
    { part: 0, whole: 0, percent: null },
  ])("$part of $whole is $percent %", ({ part, whole, percent }) => {
    expect(percentOf(part, whole)).toBe(percent);
  });

  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [10, 10],
    [11, 20],
    [120, 200],
    [501, 1000],
  ])("%d rounds up to %d", (value, top) => {
    expect(niceCeiling(value)).toBe(top);
  });
});

describe("parseReportFilters", () => {
  const today = "2026-05-14";
  const parse = (query: string) => parseReportFilters(new URLSearchParams(query), today);

  it("defaults to the last twelve complete months and this month", () => {
    expect(parse("")).toEqual({ range: { from: "2025-05-01", to: today }, problems: [] });
  });

  it("takes the dates from the URL", () => {
    expect(parse("from=2024-01-01&to=2024-03-31")).toEqual({
      range: { from: "2024-01-01", to: "2024-03-31" },
      problems: [],
    });
  });

  it("accepts up to 36 months", () => {
    expect(parse("from=2022-02-01&to=2025-01-31").problems).toEqual([]);
  });

  it("fills a missing end with today and a missing start with the default start", () => {
    expect(parse("from=2026-01-01").range).toEqual({ from: "2026-01-01", to: today });
    expect(parse("to=2026-03-31").range).toEqual({ from: "2025-05-01", to: "2026-03-31" });
  });

  it.each([
    { query: "from=2025-02-30&to=2025-03-01", problem: "start date is not a date" },
    { query: "from=yesterday", problem: "start date is not a date" },
    { query: "from=2025-01-01&to=2025-13-01", problem: "end date is not a date" },
    { query: "from=2025-03-01&to=2025-02-01", problem: "start date is after the end date" },
    { query: "from=2022-01-01&to=2025-01-01", problem: "at most 36 months" },
  ])("reports $query and falls back to the default range", ({ query, problem }) => {
    const filters = parse(query);
    expect(filters.problems.join(" ")).toContain(problem);
    expect(filters.range).toEqual({ from: "2025-05-01", to: today });
  });
});

describe("report tables", () => {
  const data: ReferralReportData = {
    range: { from: "2025-01-01", to: "2025-02-28" },
    timeZone: "UTC",
    procedureMonth: [
      { procedure: "EPIDURAL_STEROID_INJECTION", month: "2025-01", count: 2 },
      { procedure: "EPIDURAL_STEROID_INJECTION", month: "2025-02", count: 1 },
      { procedure: "GENICULAR_NERVE_BLOCK", month: "2025-02", count: 4 },
    ],
    physicianStatus: [
      { physicianId: "p1", physicianName: "Dr A", status: "PENDING", count: 2 },
      { physicianId: "p1", physicianName: "Dr A", status: "CANCELLED", count: 1 },
      { physicianId: "p2", physicianName: "=Dr B", status: "COMPLETED", count: 4 },
    ],
    flagOutcomes: [
      { outcome: "REFERRED", dismissReason: null, count: 3 },
      { outcome: "DISMISSED", dismissReason: "PATIENT_DECLINES", count: 2 },
      { outcome: "DISMISSED", dismissReason: "OTHER", count: 1 },
      { outcome: "UNDECIDED", dismissReason: null, count: 4 },
    ],
    flagToReferralDays: [
      { value: 2, count: 2 },
      { value: 10, count: 1 },
    ],
    referralToProcedureDays: [],
    ruleOutcomes: [
      { ruleId: "ESI", outcome: "REFERRED", dismissReason: null, count: 2 },
      { ruleId: "ESI", outcome: "DISMISSED", dismissReason: "PATIENT_DECLINES", count: 2 },
      { ruleId: "OLD-RULE", outcome: "UNDECIDED", dismissReason: null, count: 1 },
    ],
    ruleTitles: { ESI: "Epidural steroid injection" },
  };

  it("lays out procedures by month with totals in both directions", () => {
    const rows = tableRows(reportTable(data, "procedure-month"));
    expect(rows[0]).toEqual(["Procedure", "2025-01", "2025-02", "Total"]);
    expect(rows).toContainEqual(["Epidural steroid injection (ESI)", 2, 1, 3]);
    expect(rows).toContainEqual(["Genicular nerve block", 0, 4, 4]);
    expect(rows.at(-1)).toEqual(["All procedures", 2, 5, 7]);
    expect(rows).toHaveLength(1 + 12 + 1);
  });

  it("sorts physicians by referrals and derives the status table from the same counts", () => {
    expect(tableRows(reportTable(data, "physician"))).toEqual([
      ["Referring physician", "Pending", "Scheduled", "Completed", "Cancelled", "Total"],
      ["=Dr B", 0, 0, 4, 0, 4],
      ["Dr A", 2, 0, 0, 1, 3],
      ["All physicians", 2, 0, 4, 1, 7],
    ]);
    expect(tableRows(reportTable(data, "status"))).toEqual([
      ["Status", "Referrals", "Share (%)"],
      ["Pending", 2, 28.6],
      ["Scheduled", 0, 0],
      ["Completed", 4, 57.1],
      ["Cancelled", 1, 14.3],
      ["All referrals", 7, 100],
    ]);
  });

  it("builds a funnel that adds up, and the medians", () => {
    const rows = tableRows(reportTable(data, "funnel"));
    expect(rows.slice(0, 4)).toEqual([
      ["Step", "Flag raises", "Share of raises (%)"],
      ["Raised", 10, 100],
      ["Referred", 3, 30],
      ["Dismissed", 3, 30],
    ]);
    expect(rows).toContainEqual(["Dismissed: Patient declines interventional care", 2, 20]);
    expect(rows.at(-1)).toEqual(["Neither referred nor dismissed (yet)", 4, 40]);
    expect(tableRows(reportTable(data, "time-to-act")).slice(1)).toEqual([
      ["Flag raised → referral", 2, 3],
      ["Referral → procedure (completed referrals)", null, 0],
    ]);
  });

  it("gives each rule its override rate, and names rules the active set no longer has", () => {
    const rows = tableRows(reportTable(data, "rules"));
    expect(rows[1]).toEqual(["ESI", "Epidural steroid injection", 4, 2, 2, 50, 0, 2, 0, 0, 0, 0]);
    expect(rows[2]).toEqual(["OLD-RULE", "(not in the active rule set)", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe("ProcedureMonthChart", () => {
  const data = {
    range: { from: "2025-01-01", to: "2025-03-14" },
    procedureMonth: [
      { procedure: "EPIDURAL_STEROID_INJECTION", month: "2025-01", count: 2 },
      { procedure: "EPIDURAL_STEROID_INJECTION", month: "2025-03", count: 1 },
      { procedure: "GENICULAR_NERVE_BLOCK", month: "2025-02", count: 4 },
    ],
  } as ReferralReportData;
  const render = (report: ReferralReportData) =>
    renderToStaticMarkup(
      createElement(ProcedureMonthChart, { tab: procedureMonthTab(report), partial: new Set(["2025-03"]) }),
    );

  it("draws one panel per procedure with referrals, one bar per month with a count, accessibly", () => {
    const markup = render(data);
    expect(markup).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="[^"]+-title"[^>]*aria-describedby="[^"]+-desc"/);
    expect(markup).toContain("7 referrals from Jan 2025 to Mar 2025 across 2 procedures");
    expect(markup).toContain("Epidural steroid injection (ESI) (3)");
    expect(markup).toContain("Genicular nerve block (4)");
    expect(markup).not.toContain("Medial branch block");
    expect(markup.match(/<rect/g)).toHaveLength(3);
    expect(markup).toContain("<title>Feb 2025: 4</title>");
    // The partial month is paler; the CSP allows no inline style.
    expect(markup.match(/fill-sky-300/g)).toHaveLength(1);
    expect(markup).not.toMatch(/\sstyle=/);
  });

  it("says so when there is nothing to draw", () => {
    expect(render({ ...data, procedureMonth: [] })).toContain("No referrals were made in this period.");
  });
});
