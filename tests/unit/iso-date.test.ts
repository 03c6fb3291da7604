import { describe, expect, it } from "vitest";
import {
  dateBoundsHint,
  dateTimeIn,
  displayBirthDate,
  displayDate,
  displayDatesIn,
  displayDateTime,
  startOfDayIn,
} from "~/domain/iso-date";

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

describe("displayDateTime", () => {
  it.each([
    ["UTC", "2026-12-06T14:05:59.999Z", "6 Dec 2026, 14:05"],
    ["Europe/London", "2026-06-30T23:00:00.000Z", "1 Jul 2026, 00:00"],
    ["America/New_York", "2026-01-01T04:59:00.000Z", "31 Dec 2025, 23:59"],
    ["Asia/Kolkata", "2026-03-09T18:29:00.000Z", "9 Mar 2026, 23:59"],
  ])("%s %s is %s", (zone, instant, expected) => {
    expect(displayDateTime(zone, instant)).toBe(expected);
    expect(displayDateTime(zone, new Date(instant))).toBe(expected);
  });
});

describe("displayBirthDate", () => {
  it("always gives the age on the day", () => {
    expect(displayBirthDate("1970-05-04", "2026-05-03")).toBe("4 May 1970 (55 y)");
    expect(displayBirthDate("1970-05-04", "2026-05-04")).toBe("4 May 1970 (56 y)");
  });
});

describe("dateBoundsHint", () => {
  it("says the range a date input takes, in the pages' format", () => {
    expect(dateBoundsHint({ max: "2026-12-06" })).toBe("On or before 6 Dec 2026.");
    expect(dateBoundsHint({ min: "2026-12-07" })).toBe("On or after 7 Dec 2026.");
    expect(dateBoundsHint({ min: "2026-01-31", max: "2026-12-06" })).toBe("Between 31 Jan 2026 and 6 Dec 2026.");
    expect(dateBoundsHint({})).toBe("Any date.");
  });
});

describe("displayDatesIn", () => {
  it("rewrites every ISO date in a text and nothing else", () => {
    expect(displayDatesIn("Conservative care since 2024-11-29; blocks 2025-01-02 and 2025-02-03.")).toBe(
      "Conservative care since 29 Nov 2024; blocks 2 Jan 2025 and 3 Feb 2025.",
    );
    expect(displayDatesIn("RAPM 2020;45(6):424–467, ICD M54.16, 12-2026")).toBe(
      "RAPM 2020;45(6):424–467, ICD M54.16, 12-2026",
    );
  });
});
