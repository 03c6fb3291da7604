import { describe, expect, it } from "vitest";
import { scoreTrends } from "~/domain/score-trends";

const assessment = (date: string, painAverage: number, pegScore: number, odiPercent: number | null = null) => ({
  date,
  enteredInError: false,
  painAverage,
  pegScore,
  odiPercent,
  ndiPercent: null,
});

describe("score trends against the baseline", () => {
  it.each([
    { pain: [8, 5], direction: "improved" },
    { pain: [6, 5], direction: "no-important-change" },
    { pain: [4, 6], direction: "worse" },
  ] as const)("pain $pain.0 → $pain.1 is $direction", ({ pain, direction }) => {
    const [trend] = scoreTrends([assessment("2026-01-05", pain[0], 5), assessment("2026-03-05", pain[1], 5)]);
    expect(trend).toMatchObject({ measure: "painNrs", baseline: pain[0], current: pain[1], direction });
  });

  it("compares with the first valid score of each scale, in date order, and skips scales scored once", () => {
    const trends = scoreTrends([
      assessment("2026-03-01", 4, 4, 30),
      { ...assessment("2025-12-01", 9, 9, 60), enteredInError: true },
      assessment("2026-01-01", 7, 6),
    ]);
    expect(trends.map((trend) => [trend.measure, trend.baseline, trend.current, trend.baselineDate])).toEqual([
      ["painNrs", 7, 4, "2026-01-01"],
      ["peg", 6, 4, "2026-01-01"],
    ]);
  });

  it("has no trend before a second assessment", () => {
    expect(scoreTrends([assessment("2026-01-01", 7, 6)])).toEqual([]);
  });
});
