import { describe, expect, it } from "vitest";
import {
  dateTicks,
  formatScore,
  timeAxis,
  timeDomain,
  timeScale,
  valueScale,
  type TimeAxisHistory,
} from "~/components/chart-scale";

describe("timeScale", () => {
  const range = [100, 400] as const;

  it.each([
    { case: "first day → left edge", domain: { from: "2024-01-01", to: "2024-01-31" }, date: "2024-01-01", x: 100 },
    { case: "last day → right edge", domain: { from: "2024-01-01", to: "2024-01-31" }, date: "2024-01-31", x: 400 },
    { case: "middle day", domain: { from: "2024-01-01", to: "2024-01-31" }, date: "2024-01-16", x: 250 },
    { case: "across 29 February", domain: { from: "2024-02-01", to: "2024-03-02" }, date: "2024-03-01", x: 390 },
    { case: "across a year end", domain: { from: "2023-12-01", to: "2024-01-30" }, date: "2024-01-01", x: 255 },
    { case: "before the domain", domain: { from: "2024-01-01", to: "2024-01-31" }, date: "2023-12-22", x: 0 },
    { case: "after the domain", domain: { from: "2024-01-01", to: "2024-01-31" }, date: "2024-02-10", x: 500 },
    { case: "rounded to 0.01", domain: { from: "2024-01-01", to: "2024-01-04" }, date: "2024-01-02", x: 200 },
    { case: "uneven step rounded", domain: { from: "2024-01-01", to: "2024-01-08" }, date: "2024-01-02", x: 142.86 },
  ])("$case", ({ domain, date, x }) => {
    expect(timeScale(domain, range)(date)).toBe(x);
  });

  it.each([
    { case: "an empty span", domain: { from: "2024-01-01", to: "2024-01-01" } },
    { case: "a reversed span", domain: { from: "2024-02-01", to: "2024-01-01" } },
  ])("rejects $case", ({ domain }) => {
    expect(() => timeScale(domain, range)).toThrow(RangeError);
  });

  it("rejects a date that is not YYYY-MM-DD", () => {
    expect(() => timeScale({ from: "2024-01-01", to: "2024-01-31" }, range)("2024-02-30")).toThrow(RangeError);
  });
});

describe("valueScale", () => {
  const y = valueScale([0, 10], [256, 20]);

  it.each([
    { value: 0, y: 256 },
    { value: 10, y: 20 },
    { value: 5, y: 138 },
    { value: 6.3, y: 107.32 },
    { value: -1, y: 256 },
    { value: 12, y: 20 },
  ])("$value → $y", ({ value, y: expected }) => {
    expect(y(value)).toBe(expected);
  });
});

describe("timeDomain", () => {
  it.each([
    {
      case: "starts at the earliest date",
      dates: ["2024-03-01", "2023-11-15", "2024-01-10"],
      to: "2024-06-01",
      options: {},
      domain: { from: "2023-11-15", to: "2024-06-01" },
    },
    {
      case: "an explicit from wins",
      dates: ["2023-11-15"],
      to: "2024-06-01",
      options: { from: "2024-01-01" },
      domain: { from: "2024-01-01", to: "2024-06-01" },
    },
    {
      case: "dates after `to` do not move the start",
      dates: ["2024-07-01", "2024-05-01"],
      to: "2024-06-01",
      options: {},
      domain: { from: "2024-05-01", to: "2024-06-01" },
    },
    {
      case: "a single recent date stretches back 28 days",
      dates: ["2024-05-25"],
      to: "2024-06-01",
      options: {},
      domain: { from: "2024-05-04", to: "2024-06-01" },
    },
    {
      case: "no dates at all",
      dates: [],
      to: "2024-03-01",
      options: {},
      domain: { from: "2024-02-02", to: "2024-03-01" },
    },
    {
      case: "a from after `to`",
      dates: [],
      to: "2024-03-01",
      options: { from: "2024-04-01" },
      domain: { from: "2024-02-02", to: "2024-03-01" },
    },
    {
      case: "an explicit from is kept even when the span is short",
      dates: ["2024-05-01"],
      to: "2024-06-01",
      options: { from: "2024-05-25" },
      domain: { from: "2024-05-25", to: "2024-06-01" },
    },
    {
      case: "exactly the minimum span is kept",
      dates: ["2024-01-01"],
      to: "2024-01-08",
      options: { minDays: 7 },
      domain: { from: "2024-01-01", to: "2024-01-08" },
    },
  ])("$case", ({ dates, to, options, domain }) => {
    expect(timeDomain(dates, to, options)).toEqual(domain);
  });
});

describe("dateTicks", () => {
  it.each([
    {
      span: "4 weeks: Mondays",
      domain: { from: "2024-03-01", to: "2024-03-29" },
      ticks: ["2024-03-04 4 Mar 2024", "2024-03-11 11 Mar", "2024-03-18 18 Mar", "2024-03-25 25 Mar"],
    },
    {
      span: "a week starting on a Monday: the boundaries are ticks",
      domain: { from: "2024-03-04", to: "2024-03-11" },
      ticks: ["2024-03-04 4 Mar 2024", "2024-03-11 11 Mar"],
    },
    {
      span: "weeks across a year end: the year shows when it changes",
      domain: { from: "2024-12-20", to: "2025-01-20" },
      ticks: [
        "2024-12-23 23 Dec 2024",
        "2024-12-30 30 Dec",
        "2025-01-06 6 Jan 2025",
        "2025-01-13 13 Jan",
        "2025-01-20 20 Jan",
      ],
    },
    {
      span: "12 weeks: every other Monday",
      domain: { from: "2024-03-01", to: "2024-05-24" },
      ticks: [
        "2024-03-11 11 Mar 2024",
        "2024-03-25 25 Mar",
        "2024-04-08 8 Apr",
        "2024-04-22 22 Apr",
        "2024-05-06 6 May",
        "2024-05-20 20 May",
      ],
    },
    {
      span: "5½ months: first of each month",
      domain: { from: "2024-01-15", to: "2024-06-30" },
      ticks: ["2024-02-01 Feb 2024", "2024-03-01 Mar", "2024-04-01 Apr", "2024-05-01 May", "2024-06-01 Jun"],
    },
    {
      span: "9 months: every other month, aligned to January",
      domain: { from: "2023-11-10", to: "2024-08-20" },
      ticks: ["2024-01-01 Jan 2024", "2024-03-01 Mar", "2024-05-01 May", "2024-07-01 Jul"],
    },
    {
      span: "2 years: quarters, the first day included",
      domain: { from: "2023-01-01", to: "2024-12-31" },
      ticks: [
        "2023-01-01 Jan 2023",
        "2023-04-01 Apr",
        "2023-07-01 Jul",
        "2023-10-01 Oct",
        "2024-01-01 Jan 2024",
        "2024-04-01 Apr",
        "2024-07-01 Jul",
        "2024-10-01 Oct",
      ],
    },
    {
      span: "3 years: half-years",
      domain: { from: "2022-03-01", to: "2025-03-01" },
      ticks: [
        "2022-07-01 Jul 2022",
        "2023-01-01 Jan 2023",
        "2023-07-01 Jul",
        "2024-01-01 Jan 2024",
        "2024-07-01 Jul",
        "2025-01-01 Jan 2025",
      ],
    },
    {
      span: "5 years: years",
      domain: { from: "2019-06-01", to: "2024-06-01" },
      ticks: ["2020-01-01 2020", "2021-01-01 2021", "2022-01-01 2022", "2023-01-01 2023", "2024-01-01 2024"],
    },
    {
      span: "9 years: every other year",
      domain: { from: "2015-06-01", to: "2024-06-01" },
      ticks: ["2016-01-01 2016", "2018-01-01 2018", "2020-01-01 2020", "2022-01-01 2022", "2024-01-01 2024"],
    },
    {
      span: "34 years: every fifth year",
      domain: { from: "1990-01-01", to: "2024-06-01" },
      ticks: [
        "1990-01-01 1990",
        "1995-01-01 1995",
        "2000-01-01 2000",
        "2005-01-01 2005",
        "2010-01-01 2010",
        "2015-01-01 2015",
        "2020-01-01 2020",
      ],
    },
  ])("$span", ({ domain, ticks }) => {
    expect(dateTicks(domain).map((tick) => `${tick.date} ${tick.label}`)).toEqual(ticks);
  });

  it.each([
    { domain: { from: "2024-01-01", to: "2024-02-15" }, maxTicks: 3 },
    { domain: { from: "2020-01-01", to: "2024-12-31" }, maxTicks: 4 },
    { domain: { from: "2024-01-01", to: "2024-12-31" }, maxTicks: 8 },
  ])("keeps within $maxTicks ticks from $domain.from to $domain.to", ({ domain, maxTicks }) => {
    const ticks = dateTicks(domain, maxTicks);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.length).toBeLessThanOrEqual(maxTicks);
    for (const tick of ticks) {
      expect(tick.date >= domain.from && tick.date <= domain.to).toBe(true);
    }
  });
});

describe("timeAxis: the one axis of the pain chart and the therapy lanes", () => {
  const none: TimeAxisHistory = { assessments: [], therapies: [], procedures: [] };

  it.each([
    {
      case: "a single score stretches back 28 days",
      history: { ...none, assessments: ["2024-05-25"] },
      today: "2024-06-01",
      from: "2024-05-04",
      to: "2024-06-01",
      ticks: ["2024-05-06 6 May 2024 major", "2024-05-13 13 May", "2024-05-20 20 May major", "2024-05-27 27 May"],
    },
    {
      case: "a therapy started before the first score starts the axis",
      history: {
        ...none,
        assessments: ["2024-03-01", "2024-04-10"],
        therapies: [{ startDate: "2024-01-15", endDate: "2024-09-01" }],
      },
      today: "2024-06-30",
      from: "2024-01-15",
      to: "2024-06-30",
      ticks: [
        "2024-02-01 Feb 2024 major",
        "2024-03-01 Mar",
        "2024-04-01 Apr major",
        "2024-05-01 May",
        "2024-06-01 Jun major",
      ],
    },
    {
      case: "an ongoing therapy runs to today, past the last score",
      history: {
        ...none,
        assessments: ["2024-09-20", "2025-03-01"],
        therapies: [{ startDate: "2024-09-15", endDate: null }],
      },
      today: "2025-06-30",
      from: "2024-09-15",
      to: "2025-06-30",
      // "Mar" names its year on a narrow screen, where January's label is hidden.
      ticks: ["2024-11-01 Nov 2024 major", "2025-01-01 Jan 2025", "2025-03-01 Mar 2025 major", "2025-05-01 May"],
    },
    {
      case: "a procedure before everything else starts the axis",
      history: { ...none, assessments: ["2024-04-01"], procedures: ["2023-12-20"] },
      today: "2024-04-30",
      from: "2023-12-20",
      to: "2024-04-30",
      ticks: ["2024-01-01 Jan 2024 major", "2024-02-01 Feb", "2024-03-01 Mar major", "2024-04-01 Apr"],
    },
    {
      case: "dates after today (a planned end, a mistyped score) do not move either end",
      history: {
        ...none,
        assessments: ["2024-05-01", "2024-08-01"],
        therapies: [{ startDate: "2024-05-01", endDate: "2024-12-31" }],
      },
      today: "2024-06-12",
      from: "2024-05-01",
      to: "2024-06-12",
      ticks: [
        "2024-05-06 6 May 2024 major",
        "2024-05-13 13 May",
        "2024-05-20 20 May major",
        "2024-05-27 27 May",
        "2024-06-03 3 Jun major",
        "2024-06-10 10 Jun",
      ],
    },
    {
      case: "nothing recorded: the last 28 days",
      history: none,
      today: "2024-03-01",
      from: "2024-02-02",
      to: "2024-03-01",
      ticks: ["2024-02-05 5 Feb 2024 major", "2024-02-12 12 Feb", "2024-02-19 19 Feb major", "2024-02-26 26 Feb"],
    },
  ])("$case", ({ history, today, from, to, ticks }) => {
    const axis = timeAxis(history, today);
    expect({ from: axis.from, to: axis.to }).toEqual({ from, to });
    expect(axis.ticks.map((tick) => `${tick.date} ${tick.label}${tick.major ? " major" : ""}`)).toEqual(ticks);
  });

  it("keeps every tick inside the axis, at most maxTicks, the first one major", () => {
    const axis = timeAxis(
      { assessments: ["2022-02-03"], therapies: [{ startDate: "2021-07-19", endDate: null }], procedures: [] },
      "2026-12-06",
      6,
    );
    expect(axis.ticks.length).toBeLessThanOrEqual(6);
    expect(axis.ticks[0]?.major).toBe(true);
    for (const tick of axis.ticks) expect(tick.date >= axis.from && tick.date <= axis.to).toBe(true);
  });
});

describe("formatting", () => {
  it.each([
    { value: 6, text: "6" },
    { value: 6.3, text: "6.3" },
    { value: 6.25, text: "6.3" },
    { value: 0, text: "0" },
    { value: 4.0000001, text: "4" },
  ])("formatScore($value) → $text", ({ value, text }) => {
    expect(formatScore(value)).toBe(text);
  });
});
