import { describe, expect, it } from "vitest";
import {
  OUTCOME_MEASURES,
  type OutcomeMeasure,
  type PegItems,
  pegScore,
  percentChange,
  scoreChange,
} from "~/domain/clinical/scores";

function peg(averagePain: number, enjoymentOfLife: number, generalActivity: number): PegItems {
  return { averagePain, enjoymentOfLife, generalActivity };
}

describe("OUTCOME_MEASURES", () => {
  it.each(Object.entries(OUTCOME_MEASURES))("%s has a source and at least one threshold", (_measure, definition) => {
    expect(definition.source.length).toBeGreaterThan(0);
    const { points, percent } = definition.importantImprovement;
    expect(points !== null || percent !== null).toBe(true);
  });
});

describe("pegScore", () => {
  it.each([
    { items: peg(0, 0, 0), score: 0 },
    { items: peg(10, 10, 10), score: 10 },
    { items: peg(5, 5, 5), score: 5 },
    { items: peg(7, 6, 6), score: 6.3 },
    { items: peg(7, 7, 6), score: 6.7 },
    { items: peg(1, 0, 0), score: 0.3 },
    { items: peg(9, 5, 0), score: 4.7 },
  ])("$items.averagePain, $items.enjoymentOfLife, $items.generalActivity → $score", ({ items, score }) => {
    expect(pegScore(items)).toBe(score);
  });

  it.each([
    { case: "below 0", items: peg(-1, 5, 5) },
    { case: "above 10", items: peg(5, 11, 5) },
    { case: "not a whole number", items: peg(5, 5, 6.5) },
    { case: "NaN", items: peg(Number.NaN, 5, 5) },
  ])("rejects an item $case", ({ items }) => {
    expect(() => pegScore(items)).toThrow(RangeError);
  });
});

describe("percentChange", () => {
  it.each([
    { baseline: 10, current: 7, percent: -30 },
    { baseline: 8, current: 5, percent: -37.5 },
    { baseline: 6, current: 4, percent: -33.3 },
    { baseline: 3, current: 2, percent: -33.3 },
    { baseline: 4, current: 6, percent: 50 },
    { baseline: 5, current: 5, percent: 0 },
    { baseline: 0, current: 0, percent: null },
    { baseline: 0, current: 3, percent: null },
  ])("$baseline → $current = $percent %", ({ baseline, current, percent }) => {
    expect(percentChange(baseline, current)).toBe(percent);
  });

  it.each([
    { baseline: -1, current: 2 },
    { baseline: 5, current: Number.NaN },
    { baseline: Number.POSITIVE_INFINITY, current: 2 },
  ])("rejects $baseline → $current", ({ baseline, current }) => {
    expect(() => percentChange(baseline, current)).toThrow(RangeError);
  });
});

describe("scoreChange", () => {
  it.each<{
    measure: OutcomeMeasure;
    baseline: number;
    current: number;
    change: number;
    percent: number | null;
    important: boolean;
  }>([
    { measure: "painNrs", baseline: 8, current: 6, change: -2, percent: -25, important: true },
    { measure: "painNrs", baseline: 8, current: 7, change: -1, percent: -12.5, important: false },
    { measure: "painNrs", baseline: 10, current: 8, change: -2, percent: -20, important: true },
    { measure: "painNrs", baseline: 10, current: 7, change: -3, percent: -30, important: true },
    { measure: "painNrs", baseline: 3, current: 2, change: -1, percent: -33.3, important: true },
    { measure: "painNrs", baseline: 4, current: 3, change: -1, percent: -25, important: false },
    { measure: "painNrs", baseline: 5, current: 3.5, change: -1.5, percent: -30, important: true },
    { measure: "painNrs", baseline: 5, current: 3.6, change: -1.4, percent: -28, important: false },
    { measure: "painNrs", baseline: 4, current: 6, change: 2, percent: 50, important: false },
    { measure: "painNrs", baseline: 0, current: 0, change: 0, percent: null, important: false },
    { measure: "peg", baseline: 6, current: 4.2, change: -1.8, percent: -30, important: true },
    { measure: "peg", baseline: 6, current: 4.3, change: -1.7, percent: -28.3, important: false },
    { measure: "peg", baseline: 6.7, current: 4.7, change: -2, percent: -29.9, important: false },
    { measure: "peg", baseline: 10, current: 0, change: -10, percent: -100, important: true },
    { measure: "odi", baseline: 40, current: 30, change: -10, percent: -25, important: true },
    { measure: "odi", baseline: 40, current: 31, change: -9, percent: -22.5, important: false },
    { measure: "odi", baseline: 20, current: 14, change: -6, percent: -30, important: true },
    { measure: "odi", baseline: 20, current: 15, change: -5, percent: -25, important: false },
    { measure: "ndi", baseline: 40, current: 30, change: -10, percent: -25, important: true },
    { measure: "ndi", baseline: 40, current: 32, change: -8, percent: -20, important: false },
    { measure: "ndi", baseline: 20, current: 12, change: -8, percent: -40, important: false },
  ])(
    "$measure $baseline → $current: important $important",
    ({ measure, baseline, current, change, percent, important }) => {
      expect(scoreChange(measure, baseline, current)).toEqual({
        measure,
        baseline,
        current,
        change,
        percentChange: percent,
        clinicallyImportantImprovement: important,
      });
    },
  );

  it.each<{ measure: OutcomeMeasure; baseline: number; current: number }>([
    { measure: "painNrs", baseline: 11, current: 5 },
    { measure: "painNrs", baseline: 5, current: -1 },
    { measure: "painNrs", baseline: Number.NaN, current: 5 },
    { measure: "peg", baseline: 10.1, current: 5 },
    { measure: "odi", baseline: 50, current: 101 },
    { measure: "ndi", baseline: -2, current: 10 },
  ])("rejects $measure $baseline → $current", ({ measure, baseline, current }) => {
    expect(() => scoreChange(measure, baseline, current)).toThrow(RangeError);
  });
});
