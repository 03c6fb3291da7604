import { describe, expect, it } from "vitest";
import { dateTimeIn, displayDate, startOfDayIn } from "~/domain/iso-date";

describe("startOfDayIn", () => {
  it.each([
    ["UTC", "2026-01-01", "2026-01-01T00:00:00.000Z"],
    ["Europe/London", "2026-07-01", "2026-06-30T23:00:00.000Z"],
    ["Europe/London", "2026-10-25", "2026-10-24T23:00:00.000Z"],
    ["America/New_York", "2026-03-08", "2026-03-08T05:00:00.000Z"],
    ["America/New_York", "2026-03-09", "2026-03-09T04:00:00.000Z"],
    ["Asia/Kolkata", "2026-01-01", "2025-12-31T18:30:00.000Z"],
    ["Pacific/Kiritimati", "2026-01-01", "2025-12-31T10:00:00.000Z"],
    // Clocks skip midnight on this day; the day starts at 01:00.
    ["America/Santiago", "2026-09-06", "2026-09-06T04:00:00.000Z"],
  ])("%s %s begins at %s", (zone, date, expected) => {
    expect(startOfDayIn(zone, date).toISOString()).toBe(expected);
  });
});

describe("dateTimeIn", () => {
  it.each([
    ["UTC", "2026-01-01T00:00:00.000Z", "2026-01-01 00:00:00"],
    ["Europe/London", "2026-06-30T23:00:00.000Z", "2026-07-01 00:00:00"],
    ["America/New_York", "2026-01-01T04:59:59.999Z", "2025-12-31 23:59:59"],
  ])("%s %s is %s on the wall clock", (zone, instant, expected) => {
    expect(dateTimeIn(zone, new Date(instant))).toBe(expected);
  });
});

describe("displayDate", () => {
  it("writes day, month name and year, without a leading zero", () => {
    expect(displayDate("2026-12-06")).toBe("6 Dec 2026");
    expect(displayDate("1970-05-04")).toBe("4 May 1970");
    expect(displayDate("2027-09-30")).toBe("30 Sep 2027");
  });
});
