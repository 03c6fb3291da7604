import { describe, expect, it } from "vitest";
import {
  ageOn,
  addDays,
  daysBetween,
  type IsoDate,
  painDuration,
  type PainDurationCategory,
} from "~/domain/clinical/duration";

describe("painDuration", () => {
  // case, onset, evaluated on → months, days, total days, category
  it.each<[string, IsoDate, IsoDate, number, number, number, PainDurationCategory]>([
    ["same day", "2025-01-15", "2025-01-15", 0, 0, 0, "acute"],
    ["one day short of 1 month", "2025-01-15", "2025-02-14", 0, 30, 30, "acute"],
    ["exactly 1 month", "2025-01-15", "2025-02-15", 1, 0, 31, "subacute"],
    ["one day short of 3 months", "2025-01-15", "2025-04-14", 2, 30, 89, "subacute"],
    ["exactly 3 months", "2025-01-15", "2025-04-15", 3, 0, 90, "subacute"],
    ["3 months and 1 day", "2025-01-15", "2025-04-16", 3, 1, 91, "chronic"],
    ["31 Jan, day before the month end", "2025-01-31", "2025-02-27", 0, 27, 27, "acute"],
    ["31 Jan + 1 month is 28 Feb", "2025-01-31", "2025-02-28", 1, 0, 28, "subacute"],
    ["31 Jan to 28 Feb in a leap year", "2024-01-31", "2024-02-28", 0, 28, 28, "acute"],
    ["31 Jan + 1 month is 29 Feb in a leap year", "2024-01-31", "2024-02-29", 1, 0, 29, "subacute"],
    ["months count from the onset, not the clamped date", "2025-01-31", "2025-03-30", 1, 30, 58, "subacute"],
    ["31 Jan + 2 months is 31 Mar", "2025-01-31", "2025-03-31", 2, 0, 59, "subacute"],
    ["30 Nov + 3 months is 28 Feb", "2024-11-30", "2025-02-28", 3, 0, 90, "subacute"],
    ["the day after 30 Nov + 3 months", "2024-11-30", "2025-03-01", 3, 1, 91, "chronic"],
    ["across the new year, a day short", "2024-12-20", "2025-01-19", 0, 30, 30, "acute"],
    ["across the new year, 1 month", "2024-12-20", "2025-01-20", 1, 0, 31, "subacute"],
    ["29 Feb onset, exactly 3 months", "2024-02-29", "2024-05-29", 3, 0, 90, "subacute"],
    ["29 Feb onset, a year later", "2024-02-29", "2025-02-28", 12, 0, 365, "chronic"],
    ["several years", "2020-03-10", "2025-03-09", 59, 27, 1825, "chronic"],
  ])("%s: %s → %s", (_case, onset, evaluatedOn, months, days, totalDays, category) => {
    expect(painDuration(onset, evaluatedOn)).toEqual({ months, days, totalDays, category });
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
    { case: "other separators", onset: "2025/01/05", on: "2025-02-01" },
    { case: "a letter among the digits", onset: "2025-01-0a", on: "2025-02-01" },
    { case: "a sign among the digits", onset: "+025-01-05", on: "2025-02-01" },
    { case: "a space among the digits", onset: "2025-01- 5", on: "2025-02-01" },
  ])("rejects $case", ({ onset, on }) => {
    expect(() => painDuration(onset, on)).toThrow(RangeError);
  });
});

describe("ageOn", () => {
  it.each([
    ["1961-02-28", "2026-02-27", 64],
    ["1961-02-28", "2026-02-28", 65],
    ["1960-02-29", "2025-02-27", 64],
    ["1960-02-29", "2025-02-28", 65],
    ["2026-12-06", "2026-12-06", 0],
  ] as const)("born %s, on %s: %i", (birthDate, today, age) => {
    expect(ageOn(birthDate, today)).toBe(age);
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

describe("calendar arithmetic against the JavaScript Date", () => {
  it("agrees on every day from 1800 to 2200, leap days and century years included", () => {
    const epoch = Date.UTC(2000, 0, 1);
    const disagreements: string[] = [];
    let expectedNext = "1800-01-01";
    for (let offset = -73_048; offset <= 73_048; offset += 1) {
      const date = new Date(epoch + offset * 86_400_000).toISOString().slice(0, 10);
      if (date !== expectedNext || daysBetween("2000-01-01", date) !== offset) disagreements.push(date);
      expectedNext = addDays(date, 1);
    }
    expect(disagreements).toEqual([]);
    expect(expectedNext).toBe("2200-01-01");
    expect(addDays("2024-02-28", 366)).toBe("2025-02-28");
    expect(addDays("2100-03-01", -1)).toBe("2100-02-28");
  });
});
