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
