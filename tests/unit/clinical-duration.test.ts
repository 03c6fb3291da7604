import { describe, expect, it } from "vitest";
import { addDays, daysBetween, painDuration } from "~/domain/clinical/duration";

describe("painDuration", () => {
  it.each([
    { case: "same day", onset: "2025-01-15", on: "2025-01-15", months: 0, days: 0, totalDays: 0, category: "acute" },
    {
      case: "one day short of 1 month",
      onset: "2025-01-15",
      on: "2025-02-14",
      months: 0,
      days: 30,
      totalDays: 30,
      category: "acute",
    },
    {
      case: "exactly 1 month",
      onset: "2025-01-15",
      on: "2025-02-15",
      months: 1,
      days: 0,
      totalDays: 31,
      category: "subacute",
    },
    {
      case: "one day short of 3 months",
      onset: "2025-01-15",
      on: "2025-04-14",
      months: 2,
      days: 30,
      totalDays: 89,
      category: "subacute",
    },
    {
      case: "exactly 3 months",
      onset: "2025-01-15",
      on: "2025-04-15",
      months: 3,
      days: 0,
      totalDays: 90,
      category: "subacute",
    },
    {
      case: "3 months and 1 day",
      onset: "2025-01-15",
      on: "2025-04-16",
      months: 3,
      days: 1,
      totalDays: 91,
      category: "chronic",
    },
    {
      case: "31 Jan, day before month end",
      onset: "2025-01-31",
      on: "2025-02-27",
      months: 0,
      days: 27,
      totalDays: 27,
      category: "acute",
    },
    {
      case: "31 Jan + 1 month is 28 Feb",
      onset: "2025-01-31",
      on: "2025-02-28",
      months: 1,
      days: 0,
      totalDays: 28,
      category: "subacute",
    },
    {
      case: "31 Jan, leap year, 28 Feb",
      onset: "2024-01-31",
      on: "2024-02-28",
      months: 0,
      days: 28,
      totalDays: 28,
      category: "acute",
    },
    {
      case: "31 Jan + 1 month is 29 Feb in a leap year",
      onset: "2024-01-31",
      on: "2024-02-29",
      months: 1,
      days: 0,
      totalDays: 29,
      category: "subacute",
    },
    {
      case: "months count from the onset, not the clamped date",
      onset: "2025-01-31",
      on: "2025-03-30",
      months: 1,
      days: 30,
      totalDays: 58,
      category: "subacute",
    },
    {
      case: "31 Jan + 2 months is 31 Mar",
      onset: "2025-01-31",
      on: "2025-03-31",
      months: 2,
      days: 0,
      totalDays: 59,
      category: "subacute",
    },
    {
      case: "30 Nov + 3 months is 28 Feb",
      onset: "2024-11-30",
      on: "2025-02-28",
      months: 3,
      days: 0,
      totalDays: 90,
      category: "subacute",
    },
    {
      case: "day after 30 Nov + 3 months",
      onset: "2024-11-30",
      on: "2025-03-01",
      months: 3,
      days: 1,
      totalDays: 91,
      category: "chronic",
    },
    {
      case: "across the new year, day short",
      onset: "2024-12-20",
      on: "2025-01-19",
      months: 0,
      days: 30,
      totalDays: 30,
      category: "acute",
    },
    {
      case: "across the new year, 1 month",
      onset: "2024-12-20",
      on: "2025-01-20",
      months: 1,
      days: 0,
      totalDays: 31,
      category: "subacute",
    },
    {
      case: "29 Feb onset, exactly 3 months",
      onset: "2024-02-29",
      on: "2024-05-29",
      months: 3,
      days: 0,
      totalDays: 90,
      category: "subacute",
    },
    {
      case: "29 Feb onset, a year later",
      onset: "2024-02-29",
      on: "2025-02-28",
      months: 12,
      days: 0,
      totalDays: 365,
      category: "chronic",
    },
    {
      case: "several years",
      onset: "2020-03-10",
      on: "2025-03-09",
      months: 59,
      days: 27,
      totalDays: 1825,
      category: "chronic",
    },
  ])("$case: $onset → $on", ({ onset, on, months, days, totalDays, category }) => {
    expect(painDuration(onset, on)).toEqual({ months, days, totalDays, category });
  });

  it.each([
    { case: "evaluation before onset", onset: "2025-03-02", on: "2025-03-01" },
    { case: "30 February", onset: "2025-02-30", on: "2025-03-01" },
    { case: "29 February in a common year", onset: "2023-02-29", on: "2023-03-01" },
    { case: "month 13", onset: "2025-01-01", on: "2025-13-01" },
    { case: "day 0", onset: "2025-01-00", on: "2025-02-01" },
    { case: "unpadded", onset: "2025-1-5", on: "2025-02-01" },
    { case: "timestamp", onset: "2025-01-05T00:00:00Z", on: "2025-02-01" },
    { case: "empty", onset: "", on: "2025-02-01" },
  ])("rejects $case", ({ onset, on }) => {
    expect(() => painDuration(onset, on)).toThrow(RangeError);
  });
});

describe("daysBetween", () => {
  it.each([
    { from: "2025-01-01", to: "2025-01-15", days: 14 },
    { from: "2025-01-15", to: "2025-01-01", days: -14 },
    { from: "2025-01-01", to: "2025-01-01", days: 0 },
    { from: "2025-02-28", to: "2025-03-01", days: 1 },
    { from: "2024-02-28", to: "2024-03-01", days: 2 },
    { from: "2025-03-29", to: "2025-03-31", days: 2 },
    { from: "2024-12-31", to: "2025-01-01", days: 1 },
    { from: "0050-01-01", to: "0050-01-02", days: 1 },
  ])("$from → $to = $days", ({ from, to, days }) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe("addDays", () => {
  it.each([
    { date: "2025-01-31", days: 1, expected: "2025-02-01" },
    { date: "2025-03-01", days: -1, expected: "2025-02-28" },
    { date: "2024-03-01", days: -1, expected: "2024-02-29" },
    { date: "2024-12-31", days: 1, expected: "2025-01-01" },
    { date: "2025-03-01", days: 14, expected: "2025-03-15" },
    { date: "2025-03-01", days: 0, expected: "2025-03-01" },
  ])("$date + $days = $expected", ({ date, days, expected }) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    { date: "2025-03-01", days: 1.5 },
    { date: "2025-03-01", days: Number.NaN },
    { date: "01/03/2025", days: 1 },
  ])("rejects $date + $days", ({ date, days }) => {
    expect(() => addDays(date, days)).toThrow(RangeError);
  });
});
