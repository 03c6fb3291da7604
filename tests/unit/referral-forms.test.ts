import { describe, expect, it } from "vitest";
import { flagActionSchema, referralUpdateSchema } from "~/domain/referral-forms";

describe("dates in the flag and referral forms", () => {
  it("refuses a day that is not on the calendar instead of rolling it over", () => {
    const snooze = flagActionSchema("2025-01-10").safeParse({ action: "snooze", version: 1, until: "2025-02-30" });
    expect(snooze.error?.issues.map((issue) => issue.message)).toContain("This is not a real calendar date.");
    const schedule = referralUpdateSchema("2025-01-10").safeParse({
      action: "schedule",
      version: 1,
      scheduledFor: "2025-04-31",
    });
    expect(schedule.success).toBe(false);
    expect(
      referralUpdateSchema("2025-01-10").safeParse({ action: "schedule", version: 1, scheduledFor: "2025-04-30" })
        .success,
    ).toBe(true);
  });
});

describe("form schemas built once per clinic day", () => {
  it("reuses a day's schema and builds a new one, with the new today, when the day changes", () => {
    const friday = flagActionSchema("2025-01-10");
    expect(flagActionSchema("2025-01-10")).toBe(friday);
    const snooze = { action: "snooze", version: 1, until: "2025-01-11" };
    expect(friday.safeParse(snooze).success).toBe(true);

    const saturday = flagActionSchema("2025-01-11");
    expect(saturday).not.toBe(friday);
    expect(saturday.safeParse(snooze).error?.issues.map((issue) => issue.message)).toEqual([
      "Snooze until a date after today.",
    ]);
    // Back to an earlier day (a request that began before midnight) gets that day's rules again.
    expect(flagActionSchema("2025-01-10").safeParse(snooze).success).toBe(true);
  });
});

describe("dismissing a flag as “Other”", () => {
  const schema = flagActionSchema("2026-12-06");
  it("needs a note", () => {
    const refused = schema.safeParse({ action: "dismiss", version: 1, reason: "OTHER" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["note", "Say why the flag is dismissed: “Other” needs a note."],
    ]);
  });
  it("takes one with a note, and other reasons without", () => {
    expect(schema.safeParse({ action: "dismiss", version: 1, reason: "OTHER", note: "Moving abroad" }).success).toBe(
      true,
    );
    expect(schema.safeParse({ action: "dismiss", version: 1, reason: "PATIENT_DECLINES" }).success).toBe(true);
  });
});
