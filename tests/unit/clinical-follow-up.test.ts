import { describe, expect, it } from "vitest";
import { type FollowUpInput, followUpStatus, type TherapyTrialStatus } from "~/domain/clinical/follow-up";

const activeFrom = (startDate: string) => ({ status: "active" as const, startDate });

describe("followUpStatus", () => {
  it.each<{ case: string; input: FollowUpInput; expected: ReturnType<typeof followUpStatus> }>([
    {
      case: "13 days after the latest assessment",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: "2025-03-01", today: "2025-03-14" },
      expected: {
        state: "not-due",
        countingFrom: "latest-assessment",
        countingFromDate: "2025-03-01",
        daysSince: 13,
        dueOn: "2025-03-15",
      },
    },
    {
      case: "exactly 14 days after the latest assessment",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: "2025-03-01", today: "2025-03-15" },
      expected: {
        state: "due",
        countingFrom: "latest-assessment",
        countingFromDate: "2025-03-01",
        daysSince: 14,
        dueOn: "2025-03-15",
        daysOverdue: 0,
      },
    },
    {
      case: "15 days after the latest assessment",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: "2025-03-01", today: "2025-03-16" },
      expected: {
        state: "due",
        countingFrom: "latest-assessment",
        countingFromDate: "2025-03-01",
        daysSince: 15,
        dueOn: "2025-03-15",
        daysOverdue: 1,
      },
    },
    {
      case: "no assessment, 13 days after the start",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: null, today: "2025-03-14" },
      expected: {
        state: "not-due",
        countingFrom: "trial-start",
        countingFromDate: "2025-03-01",
        daysSince: 13,
        dueOn: "2025-03-15",
      },
    },
    {
      case: "no assessment, exactly 14 days after the start",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: null, today: "2025-03-15" },
      expected: {
        state: "due",
        countingFrom: "trial-start",
        countingFromDate: "2025-03-01",
        daysSince: 14,
        dueOn: "2025-03-15",
        daysOverdue: 0,
      },
    },
    {
      case: "started today",
      input: { trial: activeFrom("2025-03-15"), latestAssessmentDate: null, today: "2025-03-15" },
      expected: {
        state: "not-due",
        countingFrom: "trial-start",
        countingFromDate: "2025-03-15",
        daysSince: 0,
        dueOn: "2025-03-29",
      },
    },
    {
      case: "a baseline before the start does not start the clock",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: "2025-02-20", today: "2025-03-15" },
      expected: {
        state: "due",
        countingFrom: "trial-start",
        countingFromDate: "2025-03-01",
        daysSince: 14,
        dueOn: "2025-03-15",
        daysOverdue: 0,
      },
    },
    {
      case: "a baseline before the start, 9 days in",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: "2025-02-20", today: "2025-03-10" },
      expected: {
        state: "not-due",
        countingFrom: "trial-start",
        countingFromDate: "2025-03-01",
        daysSince: 9,
        dueOn: "2025-03-15",
      },
    },
    {
      case: "an assessment on the start date starts the clock",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: "2025-03-01", today: "2025-03-01" },
      expected: {
        state: "not-due",
        countingFrom: "latest-assessment",
        countingFromDate: "2025-03-01",
        daysSince: 0,
        dueOn: "2025-03-15",
      },
    },
    {
      case: "across the end of February",
      input: { trial: activeFrom("2025-02-01"), latestAssessmentDate: "2025-02-20", today: "2025-03-06" },
      expected: {
        state: "due",
        countingFrom: "latest-assessment",
        countingFromDate: "2025-02-20",
        daysSince: 14,
        dueOn: "2025-03-06",
        daysOverdue: 0,
      },
    },
    {
      case: "across 29 February",
      input: { trial: activeFrom("2024-02-01"), latestAssessmentDate: "2024-02-20", today: "2024-03-04" },
      expected: {
        state: "not-due",
        countingFrom: "latest-assessment",
        countingFromDate: "2024-02-20",
        daysSince: 13,
        dueOn: "2024-03-05",
      },
    },
    {
      case: "28-day interval, day 27",
      input: {
        trial: activeFrom("2025-03-01"),
        latestAssessmentDate: "2025-03-01",
        today: "2025-03-28",
        intervalDays: 28,
      },
      expected: {
        state: "not-due",
        countingFrom: "latest-assessment",
        countingFromDate: "2025-03-01",
        daysSince: 27,
        dueOn: "2025-03-29",
      },
    },
    {
      case: "28-day interval, day 28",
      input: {
        trial: activeFrom("2025-03-01"),
        latestAssessmentDate: "2025-03-01",
        today: "2025-03-29",
        intervalDays: 28,
      },
      expected: {
        state: "due",
        countingFrom: "latest-assessment",
        countingFromDate: "2025-03-01",
        daysSince: 28,
        dueOn: "2025-03-29",
        daysOverdue: 0,
      },
    },
    {
      case: "1-day interval, assessed today",
      input: {
        trial: activeFrom("2025-03-01"),
        latestAssessmentDate: "2025-03-10",
        today: "2025-03-10",
        intervalDays: 1,
      },
      expected: {
        state: "not-due",
        countingFrom: "latest-assessment",
        countingFromDate: "2025-03-10",
        daysSince: 0,
        dueOn: "2025-03-11",
      },
    },
    {
      case: "not started yet",
      input: { trial: activeFrom("2025-03-20"), latestAssessmentDate: "2025-03-10", today: "2025-03-19" },
      expected: { state: "not-applicable", reason: "trial-not-started" },
    },
  ])("$case", ({ input, expected }) => {
    expect(followUpStatus(input)).toEqual(expected);
  });

  it.each<TherapyTrialStatus>(["planned", "completed", "stopped"])("a %s trial is never due", (status) => {
    expect(
      followUpStatus({ trial: { status, startDate: "2025-01-01" }, latestAssessmentDate: null, today: "2025-06-01" }),
    ).toEqual({
      state: "not-applicable",
      reason: "trial-not-active",
    });
  });

  it.each<{ case: string; input: FollowUpInput }>([
    {
      case: "a zero interval",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: null, today: "2025-03-15", intervalDays: 0 },
    },
    {
      case: "a negative interval",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: null, today: "2025-03-15", intervalDays: -14 },
    },
    {
      case: "a fractional interval",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: null, today: "2025-03-15", intervalDays: 1.5 },
    },
    {
      case: "an assessment after today",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: "2025-03-16", today: "2025-03-15" },
    },
    {
      case: "a malformed start date",
      input: { trial: activeFrom("2025-3-1"), latestAssessmentDate: null, today: "2025-03-15" },
    },
    {
      case: "a malformed today",
      input: { trial: activeFrom("2025-03-01"), latestAssessmentDate: null, today: "15/03/2025" },
    },
  ])("rejects $case", ({ input }) => {
    expect(() => followUpStatus(input)).toThrow(RangeError);
  });
});
