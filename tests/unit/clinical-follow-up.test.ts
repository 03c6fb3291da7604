import { describe, expect, it } from "vitest";
import type { IsoDate } from "~/domain/clinical/duration";
import { type FollowUpStatus, followUpStatus, type TherapyTrialStatus } from "~/domain/clinical/follow-up";

const active = (startDate: IsoDate) => ({ status: "active" as const, startDate });

describe("followUpStatus", () => {
  it("reports the whole clock", () => {
    expect(
      followUpStatus({ trial: active("2025-03-01"), latestAssessmentDate: "2025-03-05", today: "2025-03-22" }),
    ).toEqual({
      state: "due",
      countingFrom: "latest-assessment",
      countingFromDate: "2025-03-05",
      daysSince: 17,
      dueOn: "2025-03-19",
      daysOverdue: 3,
    });
  });

  // Trial active from 2025-03-01; the default interval is 14 days.
  it.each<{ latest: IsoDate | null; today: IsoDate; every?: number } & Partial<FollowUpStatus>>([
    { latest: "2025-03-01", today: "2025-03-14", state: "not-due", daysSince: 13 },
    { latest: "2025-03-01", today: "2025-03-15", state: "due", daysSince: 14, daysOverdue: 0 },
    { latest: "2025-03-01", today: "2025-03-16", state: "due", daysSince: 15, daysOverdue: 1 },
    { latest: null, today: "2025-03-14", state: "not-due", daysSince: 13 },
    { latest: null, today: "2025-03-15", state: "due", daysSince: 14, daysOverdue: 0 },
    { latest: "2025-02-20", today: "2025-03-14", state: "not-due", daysSince: 13 },
    { latest: "2025-02-20", today: "2025-03-15", state: "due", daysSince: 14, daysOverdue: 0 },
    { latest: "2025-03-01", today: "2025-03-28", every: 28, state: "not-due", daysSince: 27 },
    { latest: "2025-03-01", today: "2025-03-29", every: 28, state: "due", daysSince: 28, daysOverdue: 0 },
    { latest: "2025-03-10", today: "2025-03-10", every: 1, state: "not-due", daysSince: 0 },
    { latest: "2025-03-10", today: "2025-03-11", every: 1, state: "due", daysSince: 1, daysOverdue: 0 },
  ])("assessed $latest, today $today, every $every days: $state", ({ latest, today, every, ...expected }) => {
    const input = { trial: active("2025-03-01"), latestAssessmentDate: latest, today, intervalDays: every };
    expect(followUpStatus(input)).toMatchObject(expected);
  });

  // An assessment before the start is the trial's baseline, so the clock then runs from the start.
  it.each<{ start: IsoDate; latest: IsoDate | null; today: IsoDate; from: string; dueOn: IsoDate }>([
    { start: "2025-03-01", latest: "2025-03-10", today: "2025-03-20", from: "latest-assessment", dueOn: "2025-03-24" },
    { start: "2025-03-01", latest: "2025-03-01", today: "2025-03-01", from: "latest-assessment", dueOn: "2025-03-15" },
    { start: "2025-03-01", latest: "2025-02-28", today: "2025-03-10", from: "trial-start", dueOn: "2025-03-15" },
    { start: "2025-03-01", latest: null, today: "2025-03-10", from: "trial-start", dueOn: "2025-03-15" },
    { start: "2025-03-15", latest: null, today: "2025-03-15", from: "trial-start", dueOn: "2025-03-29" },
    { start: "2025-02-01", latest: "2025-02-20", today: "2025-03-06", from: "latest-assessment", dueOn: "2025-03-06" },
    { start: "2024-02-01", latest: "2024-02-20", today: "2024-03-04", from: "latest-assessment", dueOn: "2024-03-05" },
  ])("started $start, assessed $latest: counts from the $from", ({ start, latest, today, from, dueOn }) => {
    const status = followUpStatus({ trial: active(start), latestAssessmentDate: latest, today });
    expect(status).toMatchObject({
      countingFrom: from,
      countingFromDate: from === "trial-start" ? start : latest,
      dueOn,
    });
  });

  it.each<TherapyTrialStatus>(["planned", "completed", "stopped"])("a %s trial is never due", (status) => {
    const trial = { status, startDate: "2025-01-01" };
    expect(followUpStatus({ trial, latestAssessmentDate: null, today: "2025-06-01" })).toEqual({
      state: "not-applicable",
      reason: "trial-not-active",
    });
  });

  it("an active trial that has not started yet is not due", () => {
    expect(
      followUpStatus({ trial: active("2025-03-20"), latestAssessmentDate: "2025-03-10", today: "2025-03-19" }),
    ).toEqual({
      state: "not-applicable",
      reason: "trial-not-started",
    });
  });

  it.each<{ case: string; start: IsoDate; latest: IsoDate | null; today: IsoDate; interval?: number }>([
    { case: "a zero interval", start: "2025-03-01", latest: null, today: "2025-03-15", interval: 0 },
    { case: "a negative interval", start: "2025-03-01", latest: null, today: "2025-03-15", interval: -14 },
    { case: "a fractional interval", start: "2025-03-01", latest: null, today: "2025-03-15", interval: 1.5 },
    { case: "an assessment after today", start: "2025-03-01", latest: "2025-03-16", today: "2025-03-15" },
    { case: "a malformed start date", start: "2025-3-1", latest: null, today: "2025-03-15" },
    { case: "a malformed today", start: "2025-03-01", latest: null, today: "15/03/2025" },
  ])("rejects $case", ({ start, latest, today, interval }) => {
    expect(() =>
      followUpStatus({ trial: active(start), latestAssessmentDate: latest, today, intervalDays: interval }),
    ).toThrow(RangeError);
  });
});
