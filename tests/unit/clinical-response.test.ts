import { describe, expect, it } from "vitest";
import { type TrialAssessment, type TrialPeriod, type TrialResponse, trialResponse } from "~/domain/clinical/response";

const trial: TrialPeriod = { startDate: "2025-03-01", endDate: "2025-04-30" };

function scored(
  id: string,
  date: string,
  scores: { pain?: number; peg?: number },
  enteredInError = false,
): TrialAssessment {
  return { id, date, enteredInError, painAverage: scores.pain ?? null, pegScore: scores.peg ?? null };
}

/** The outcome, each comparison as "measure baselineId→followUpId", and what is missing. */
function summary({ outcome, comparisons, missing }: TrialResponse) {
  const compared = comparisons.map(
    ({ change, baseline, followUp }) => `${change.measure} ${baseline.assessmentId}→${followUp.assessmentId}`,
  );
  return { outcome, compared, missing };
}

const NO_PAIN_BASELINE = "Average pain (NRS): no baseline score from 2025-01-30 to 2025-03-01.";
const NO_PAIN_FOLLOW_UP = "Average pain (NRS): no follow-up score after 2025-03-01 up to 2025-04-30.";
const NO_PEG_BASELINE = "PEG: no baseline score from 2025-01-30 to 2025-03-01.";
const NO_PEG_FOLLOW_UP = "PEG: no follow-up score after 2025-03-01 up to 2025-04-30.";

describe("trialResponse", () => {
  it.each<{
    case: string;
    assessments: TrialAssessment[];
    expected: ReturnType<typeof summary>;
    period?: TrialPeriod;
    window?: number;
  }>([
    {
      case: "pain fell 7 → 4",
      assessments: [scored("b", "2025-02-25", { pain: 7 }), scored("f", "2025-03-29", { pain: 4 })],
      expected: { outcome: "responded", compared: ["painNrs b→f"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "pain fell exactly 2 points (8 → 6)",
      assessments: [scored("b", "2025-02-25", { pain: 8 }), scored("f", "2025-03-29", { pain: 6 })],
      expected: { outcome: "responded", compared: ["painNrs b→f"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "pain fell 1 point (8 → 7), PEG not in use",
      assessments: [scored("b", "2025-02-25", { pain: 8 }), scored("f", "2025-03-29", { pain: 7 })],
      expected: { outcome: "not-responded", compared: ["painNrs b→f"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "PEG fell exactly 30 % while pain did not change enough",
      assessments: [scored("b", "2025-02-25", { pain: 6, peg: 6 }), scored("f", "2025-03-29", { pain: 5, peg: 4.2 })],
      expected: { outcome: "responded", compared: ["painNrs b→f", "peg b→f"], missing: [] },
    },
    {
      case: "PEG fell 28.3 % and pain 1 point",
      assessments: [scored("b", "2025-02-25", { pain: 6, peg: 6 }), scored("f", "2025-03-29", { pain: 5, peg: 4.3 })],
      expected: { outcome: "not-responded", compared: ["painNrs b→f", "peg b→f"], missing: [] },
    },
    {
      case: "no assessments",
      assessments: [],
      expected: {
        outcome: "not-enough-data",
        compared: [],
        missing: [NO_PAIN_BASELINE, NO_PAIN_FOLLOW_UP, NO_PEG_BASELINE, NO_PEG_FOLLOW_UP],
      },
    },
    {
      case: "baseline only",
      assessments: [scored("b", "2025-02-25", { pain: 7, peg: 7 })],
      expected: { outcome: "not-enough-data", compared: [], missing: [NO_PAIN_FOLLOW_UP, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "PEG half-recorded could still show a response",
      assessments: [scored("b", "2025-02-25", { pain: 6, peg: 6 }), scored("f", "2025-03-29", { pain: 5 })],
      expected: { outcome: "not-enough-data", compared: ["painNrs b→f"], missing: [NO_PEG_FOLLOW_UP] },
    },
    {
      case: "a response on pain does not wait for PEG",
      assessments: [scored("b", "2025-02-25", { pain: 7, peg: 6 }), scored("f", "2025-03-29", { pain: 4 })],
      expected: { outcome: "responded", compared: ["painNrs b→f"], missing: [NO_PEG_FOLLOW_UP] },
    },
    {
      case: "baseline exactly 30 days before the start",
      assessments: [scored("b", "2025-01-30", { pain: 7 }), scored("f", "2025-03-29", { pain: 7 })],
      expected: { outcome: "not-responded", compared: ["painNrs b→f"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "baseline 31 days before the start is too old",
      assessments: [scored("b", "2025-01-29", { pain: 7 }), scored("f", "2025-03-29", { pain: 3 })],
      expected: {
        outcome: "not-enough-data",
        compared: [],
        missing: [NO_PAIN_BASELINE, NO_PEG_BASELINE, NO_PEG_FOLLOW_UP],
      },
    },
    {
      case: "an assessment on the start date is the baseline, not a follow-up",
      assessments: [scored("s", "2025-03-01", { pain: 7 })],
      expected: {
        outcome: "not-enough-data",
        compared: [],
        missing: [NO_PAIN_FOLLOW_UP, NO_PEG_BASELINE, NO_PEG_FOLLOW_UP],
      },
    },
    {
      case: "the day after the start is a follow-up",
      assessments: [scored("s", "2025-03-01", { pain: 7 }), scored("f", "2025-03-02", { pain: 4 })],
      expected: { outcome: "responded", compared: ["painNrs s→f"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "a follow-up on the end date counts; one after it does not",
      assessments: [
        scored("b", "2025-02-25", { pain: 7 }),
        scored("end", "2025-04-30", { pain: 6 }),
        scored("after", "2025-05-01", { pain: 2 }),
      ],
      expected: { outcome: "not-responded", compared: ["painNrs b→end"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "a running trial takes the latest follow-up",
      period: { startDate: "2025-03-01", endDate: null },
      assessments: [scored("b", "2025-02-25", { pain: 7 }), scored("late", "2025-09-01", { pain: 2 })],
      expected: {
        outcome: "responded",
        compared: ["painNrs b→late"],
        missing: ["PEG: no baseline score from 2025-01-30 to 2025-03-01.", "PEG: no follow-up score after 2025-03-01."],
      },
    },
    {
      case: "the latest baseline and latest follow-up are compared",
      assessments: [
        scored("old", "2025-02-10", { pain: 9 }),
        scored("b", "2025-02-25", { pain: 5 }),
        scored("mid", "2025-03-20", { pain: 2 }),
        scored("f", "2025-04-20", { pain: 5 }),
      ],
      expected: { outcome: "not-responded", compared: ["painNrs b→f"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "on a shared date the later entry counts",
      assessments: [
        scored("b", "2025-02-25", { pain: 7 }),
        scored("f1", "2025-03-20", { pain: 6 }),
        scored("f2", "2025-03-20", { pain: 3 }),
      ],
      expected: { outcome: "responded", compared: ["painNrs b→f2"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "each measure takes its own latest recorded score",
      assessments: [
        scored("pegOnly", "2025-02-20", { peg: 6 }),
        scored("painOnly", "2025-02-25", { pain: 7 }),
        scored("f", "2025-03-25", { pain: 6, peg: 4 }),
      ],
      expected: { outcome: "responded", compared: ["painNrs painOnly→f", "peg pegOnly→f"], missing: [] },
    },
    {
      case: "an entered-in-error follow-up is ignored",
      assessments: [
        scored("b", "2025-02-25", { pain: 7 }),
        scored("f", "2025-03-20", { pain: 6 }),
        scored("error", "2025-04-20", { pain: 2 }, true),
      ],
      expected: { outcome: "not-responded", compared: ["painNrs b→f"], missing: [NO_PEG_BASELINE, NO_PEG_FOLLOW_UP] },
    },
    {
      case: "an entered-in-error baseline is ignored",
      assessments: [scored("error", "2025-02-25", { pain: 7 }, true), scored("f", "2025-03-20", { pain: 3 })],
      expected: {
        outcome: "not-enough-data",
        compared: [],
        missing: [NO_PAIN_BASELINE, NO_PEG_BASELINE, NO_PEG_FOLLOW_UP],
      },
    },
    {
      case: "7-day window, baseline 7 days before",
      window: 7,
      assessments: [scored("b", "2025-02-22", { pain: 7 }), scored("f", "2025-03-20", { pain: 3 })],
      expected: {
        outcome: "responded",
        compared: ["painNrs b→f"],
        missing: ["PEG: no baseline score from 2025-02-22 to 2025-03-01.", NO_PEG_FOLLOW_UP],
      },
    },
    {
      case: "7-day window, baseline 8 days before",
      window: 7,
      assessments: [scored("b", "2025-02-21", { pain: 7 }), scored("f", "2025-03-20", { pain: 3 })],
      expected: {
        outcome: "not-enough-data",
        compared: [],
        missing: [
          "Average pain (NRS): no baseline score from 2025-02-22 to 2025-03-01.",
          "PEG: no baseline score from 2025-02-22 to 2025-03-01.",
          NO_PEG_FOLLOW_UP,
        ],
      },
    },
  ])("$case", ({ assessments, expected, period = trial, window }) => {
    expect(summary(trialResponse(period, assessments, { baselineWindowDays: window }))).toEqual(expected);
  });

  it("carries the scores, dates and change for display", () => {
    const result = trialResponse(trial, [
      scored("b", "2025-02-25", { pain: 8 }),
      scored("f", "2025-03-29", { pain: 5 }),
    ]);
    expect(result.comparisons).toEqual([
      {
        baseline: { assessmentId: "b", date: "2025-02-25", value: 8 },
        followUp: { assessmentId: "f", date: "2025-03-29", value: 5 },
        change: {
          measure: "painNrs",
          baseline: 8,
          current: 5,
          change: -3,
          percentChange: -37.5,
          clinicallyImportantImprovement: true,
        },
      },
    ]);
  });

  it.each<{ case: string; period: TrialPeriod; assessments: TrialAssessment[]; window?: number }>([
    { case: "an end before the start", period: { startDate: "2025-03-01", endDate: "2025-02-28" }, assessments: [] },
    { case: "a negative window", period: trial, assessments: [], window: -1 },
    { case: "a fractional window", period: trial, assessments: [], window: 1.5 },
    { case: "a malformed assessment date", period: trial, assessments: [scored("x", "2025-02-30", { pain: 5 })] },
    {
      case: "a pain score above 10",
      period: trial,
      assessments: [scored("b", "2025-02-25", { pain: 11 }), scored("f", "2025-03-29", { pain: 4 })],
    },
  ])("rejects $case", ({ period, assessments, window }) => {
    expect(() => trialResponse(period, assessments, { baselineWindowDays: window })).toThrow(RangeError);
  });
});
