import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { importantImprovementLine, type PainChartPoint } from "~/components/pain-chart";
import { PathwayTimeline, type PathwayTimelineProps } from "~/components/pathway-timeline";
import { reliefClusters, type ProcedureTimelineItem, type TherapyTimelineItem } from "~/components/therapy-timeline";
import { scoreChange } from "~/domain/clinical/scores";

/** Attribute values of every element that has `attribute`, in document order. */
function attributeValues(markup: string, attribute: string): string[] {
  return [...markup.matchAll(new RegExp(`\\s${attribute}="([^"]*)"`, "g"))].map((match) => match[1]!);
}

/** The accessible table's rows as arrays of cell text (header row included). */
function tableRows(markup: string): string[][] {
  const table = /<table[^>]*>([\s\S]*?)<\/table>/.exec(markup)?.[1] ?? "";
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1]!),
  );
}

function expectNoInlineStyle(markup: string) {
  expect(markup).not.toMatch(/\sstyle=/);
  expect(markup).not.toContain("<script");
}

const POINTS: PainChartPoint[] = [
  { id: "a3", date: "2024-04-02", painAverage: 5, pegScore: 4.7 },
  { id: "a1", date: "2024-01-10", painAverage: 8, pegScore: 7.3 },
  { id: "a2", date: "2024-02-20", painAverage: 6.5, pegScore: 6 },
];
const BASELINE = { date: "2024-01-10", painAverage: 8, pegScore: 7.3 };

describe("importantImprovementLine", () => {
  it.each([
    { baseline: 10, line: 8 },
    { baseline: 8, line: 6 },
    { baseline: 7, line: 5 },
    { baseline: 6, line: 4.2 },
    { baseline: 5, line: 3.5 },
    { baseline: 2, line: 1.4 },
    { baseline: 0, line: null },
  ])("baseline $baseline → $line", ({ baseline, line }) => {
    const result = importantImprovementLine(baseline);
    if (line === null) expect(result).toBeNull();
    else expect(result).toBeCloseTo(line, 9);
  });

  it("agrees with scoreChange for every one-decimal baseline and score", () => {
    const tenths = Array.from({ length: 101 }, (_, index) => index / 10);
    for (const baseline of tenths) {
      const line = importantImprovementLine(baseline);
      for (const current of tenths) {
        const onOrBelowLine = line !== null && current <= line + 1e-9;
        expect(onOrBelowLine, `baseline ${baseline}, score ${current}`).toBe(
          scoreChange("painNrs", baseline, current).clinicallyImportantImprovement,
        );
      }
    }
  });
});

const THERAPIES: TherapyTimelineItem[] = [
  {
    id: "t-pt",
    label: "Physical therapy, lumbar stabilisation and core strengthening programme",
    modality: "Physical therapy",
    startDate: "2024-02-01",
    endDate: null,
    status: "ACTIVE",
    responded: "not-enough-data",
  },
  {
    id: "t-nsaid",
    label: "Naproxen 500 mg Twice daily",
    modality: "NSAID",
    startDate: "2023-09-01",
    endDate: "2023-11-15",
    status: "STOPPED",
    stopReasonLabel: "Side effects",
    responded: "not-responded",
  },
  {
    id: "t-cbt",
    label: "Psychological therapy",
    modality: "Psychological therapy",
    startDate: "2023-10-01",
    endDate: "2024-01-10",
    status: "COMPLETED",
    responded: "responded",
  },
];

const PROCEDURES: ProcedureTimelineItem[] = [
  {
    id: "p-2",
    name: "Epidural steroid injection (ESI), Lumbar spine L4–L5",
    date: "2024-03-20",
    reliefPercent: null,
    reliefDurationDays: null,
  },
  {
    id: "p-1",
    name: "Epidural steroid injection (ESI), Lumbar spine L4–L5",
    date: "2023-12-06",
    reliefPercent: 60,
    reliefDurationDays: 90,
  },
  {
    id: "p-3",
    name: "Medial branch block (MBB), Lumbar spine L4–L5",
    date: "2024-04-02",
    reliefPercent: 85,
    reliefDurationDays: null,
  },
];

function render(props: Partial<PathwayTimelineProps> = {}) {
  return renderToStaticMarkup(
    <PathwayTimeline
      points={POINTS}
      baseline={BASELINE}
      therapies={THERAPIES}
      procedures={PROCEDURES}
      today="2024-04-30"
      {...props}
    />,
  );
}

/** The x (percent of the plot's width) of every element with `attribute="value"`'s first x. */
function xOf(element: string): number {
  return Number(/ x1?="([\d.]+)%"/.exec(element)?.[1]);
}

describe("PathwayTimeline: the pain chart", () => {
  it("draws each assessment's two markers in date order, on the shared percent scale", () => {
    const markup = render({ therapies: [], procedures: [] });
    const markers = [...markup.matchAll(/<use href="#[\w-]+-p" x="([\d.]+)%" y="([\d.]+)"/g)].map((match) => [
      Number(match[1]),
      Number(match[2]),
    ]);
    // 10 Jan – 30 Apr 2024 is 111 days; average pain 8, 6.5, 5 at y = 214 − 20.4 × score.
    expect(markers).toEqual([
      [0, 50.8],
      [36.94, 81.4],
      [74.77, 112],
    ]);
    expect(markup).toContain("<title>20 Feb 2024: average pain 6.5, PEG 6</title>");
    expect(markup).toContain('role="img"');
    expectNoInlineStyle(markup);
  });

  it("labels itself with its <title> and <desc> through ids that are valid in url() and selectors", () => {
    const markup = render();
    const [titleId] = attributeValues(markup, "aria-labelledby");
    const [descId] = attributeValues(markup, "aria-describedby");
    expect(markup).toContain(`<title id="${titleId}">Average pain and PEG over time</title>`);
    expect(markup).toContain(`<desc id="${descId}">3 assessments from 10 Jan 2024 to 2 Apr 2024`);
    expect(titleId).not.toMatch(/:/);
    const patternId = /<pattern id="([^"]+)"/.exec(markup)?.[1];
    expect(markup).toContain(`fill="url(#${patternId})"`);
  });

  it("renders the same markup every time", () => {
    expect(render()).toBe(render());
  });

  it("shows the important-improvement band only with a baseline, from the baseline down to the threshold", () => {
    const without = render({ baseline: null });
    expect(without).not.toContain('data-chart-part="improvement-band"');
    expect(without).not.toContain("Important improvement below this line");

    const withBaseline = render({ baseline: { ...BASELINE, painAverage: 5 } });
    const band = /data-chart-part="improvement-band">(<rect [^>]*>)/.exec(withBaseline)?.[1] ?? "";
    // Baseline 5 → y 112; the line at 3.5 (30 % of 5 beats 2 points) → y 142.6.
    expect(band).toContain('y="112"');
    expect(band).toContain('height="30.6"');
    // From the baseline's day (10 Jan 2024, 131 of the axis's 242 days) to today.
    expect(band).toContain('x="54.13%"');
    expect(band).toContain('width="45.87%"');
    expect(withBaseline).toContain("Baseline average pain 5");
    expect(withBaseline).toContain("Average pain of 3.5 or lower is a clinically important improvement.");
  });

  it("draws no band when the baseline pain is 0, since nothing can improve on it", () => {
    expect(render({ baseline: { ...BASELINE, painAverage: 0 } })).not.toContain('data-chart-part="improvement-band"');
  });

  it("puts the same numbers in the screen-reader table, hidden in a block so it cannot widen the page", () => {
    const markup = render();
    expect(tableRows(markup)).toEqual([
      ["Date", "Average pain", "PEG", "Average pain change from baseline"],
      ["10 Jan 2024", "8", "7.3", "0 (0 %)"],
      ["20 Feb 2024", "6.5", "6", "−1.5 (−18.8 %)"],
      ["2 Apr 2024", "5", "4.7", "−3 (−37.5 %), clinically important improvement"],
    ]);
    expect(markup).toMatch(/<div class="sr-only"><table>/);
    expect(tableRows(render({ baseline: null }))[0]).toEqual(["Date", "Average pain", "PEG"]);
  });

  it("starts the axis at a therapy begun before the first score", () => {
    const markup = render();
    // The NSAID began on 1 Sep 2023, before the first score on 10 Jan 2024: that score is not at 0 %.
    const firstPain = /<use href="#[\w-]+-p" x="([\d.]+)%"/.exec(markup)?.[1];
    expect(Number(firstPain)).toBeCloseTo((131 / 242) * 100, 1);
  });

  it.each([
    {
      case: "nothing recorded",
      props: { points: [], therapies: [], procedures: [] },
      message: "No pain scores, therapies or procedures recorded yet.",
    },
    { case: "therapies but no scores", props: { points: [] }, message: "No pain scores recorded yet." },
  ])("says so with $case", ({ props, message }) => {
    const markup = render(props);
    expect(markup).toContain(message);
    expect(markup).not.toContain("<table");
    expectNoInlineStyle(markup);
  });
});

describe("PathwayTimeline: the therapy and procedure lanes", () => {
  const markup = render();
  const marks = [
    ...markup.matchAll(/<g role="button" tabindex="0" aria-label="([^"]*)" class="timeline-mark"><use [^>]*>/g),
  ];

  it("has one lane per therapy, by start date, with its whole name as text that wraps", () => {
    expect(attributeValues(markup, "data-therapy-id")).toEqual(["t-nsaid", "t-cbt", "t-pt"]);
    expect(markup).toContain(
      '<span class="font-medium">Physical therapy, lumbar stabilisation and core strengthening programme</span>',
    );
    expect(markup).not.toContain("…");
    expect(markup).not.toMatch(/truncate|text-ellipsis/);
    expect(markup).toContain("NSAID · 1 Sep 2023 – 15 Nov 2023 · Stopped: Side effects · ✗ no response");
    // The modality is not repeated when it is the therapy's name.
    expect(markup).toContain("1 Oct 2023 – 10 Jan 2024 · Completed · ✓ responded");
  });

  it("marks starts and ends as focusable buttons named with the whole detail, dates as 6 Dec 2026", () => {
    expect(marks.map((match) => match[1])).toEqual([
      "Naproxen 500 mg Twice daily (NSAID): started 1 Sep 2023, ended 15 Nov 2023",
      "Naproxen 500 mg Twice daily (NSAID): stopped 15 Nov 2023, Side effects; ✗ no response",
      "Psychological therapy (Psychological therapy): started 1 Oct 2023, ended 10 Jan 2024",
      "Psychological therapy (Psychological therapy): completed 10 Jan 2024; ✓ responded",
      "Physical therapy, lumbar stabilisation and core strengthening programme (Physical therapy): started 1 Feb 2024, ongoing",
      "Epidural steroid injection (ESI), Lumbar spine L4–L5, 6 Dec 2023 — 60 % relief for 90 days",
      "Epidural steroid injection (ESI), Lumbar spine L4–L5, 20 Mar 2024 — relief not recorded",
      "Medial branch block (MBB), Lumbar spine L4–L5, 2 Apr 2024 — 85 % relief",
    ]);
  });

  it("runs an ongoing therapy to today with an open end", () => {
    const bars = [...markup.matchAll(/<rect [^>]*data-chart-part="bar"[^>]*>/g)].map((match) => match[0]);
    expect(bars).toHaveLength(3);
    const ongoing = bars.find((bar) => /rx="0"/.test(bar)) ?? "";
    expect(xOf(ongoing) + Number(/ width="([\d.]+)%"/.exec(ongoing)?.[1])).toBeCloseTo(100, 1);
    expect(markup.match(/data-chart-part="open-end"/g)).toHaveLength(1);
  });

  it("groups repeated procedures in one lane and writes the recorded relief beside each mark", () => {
    expect(markup.match(/data-procedure-lane=""/g)).toHaveLength(2);
    expect(markup).toContain("6 Dec 2023: 60 % relief for 90 days · 20 Mar 2024: relief not recorded");
    expect(markup).toContain(">60 %</text>");
    expect(markup).toContain(">85 %</text>");
  });

  it("puts marks, guides and pain markers on one scale", () => {
    const guides = [
      ...markup.matchAll(/<line x1="([\d.]+)%" x2="[\d.]+%" y2="100%" class="timeline-guide(-procedure)?"/g),
    ];
    const guideX = new Set(guides.map((match) => Number(match[1])));
    for (const [mark] of marks) expect(guideX.has(xOf(/<use [^>]*>/.exec(mark)![0]))).toBe(true);
    // 2 Apr 2024: the last score and the medial branch block share an x.
    const lastPain = [...markup.matchAll(/<use href="#[\w-]+-p" x="([\d.]+)%"/g)].at(-1)?.[1];
    const block = marks.at(-1)?.[0] ?? "";
    expect(xOf(/<use [^>]*>/.exec(block)![0])).toBe(Number(lastPain));
  });

  it("sends no tooltip and no inline style from the server", () => {
    expect(markup).not.toContain("timeline-tip");
    expectNoInlineStyle(markup);
  });
});

describe("reliefClusters: one relief text per group of close procedure marks", () => {
  it.each([
    {
      case: "apart",
      marks: [
        { at: 10, relief: 60 },
        { at: 50, relief: 80 },
      ],
      texts: ["60 % → 10", "80 % → 50"],
    },
    {
      case: "close: one text after the last",
      marks: [
        { at: 40, relief: 86 },
        { at: 45, relief: 80 },
      ],
      texts: ["86 / 80 % → 45"],
    },
    {
      case: "close at the right edge: before the first",
      marks: [
        { at: 90, relief: 86 },
        { at: 95, relief: 80 },
      ],
      texts: ["86 / 80 % ← 90"],
    },
    {
      case: "an unrecorded relief in a group",
      marks: [
        { at: 20, relief: null },
        { at: 25, relief: 70 },
      ],
      texts: ["? / 70 % → 25"],
    },
    { case: "no relief recorded: no text", marks: [{ at: 20, relief: null }], texts: [] },
  ])("$case", ({ marks, texts }) => {
    expect(
      reliefClusters(marks)
        .filter((cluster) => cluster.text !== null)
        .map((cluster) => `${cluster.text} ${cluster.leftward ? `← ${cluster.first}` : `→ ${cluster.last}`}`),
    ).toEqual(texts);
  });
});
