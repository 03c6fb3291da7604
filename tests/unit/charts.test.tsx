import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { importantImprovementLine, PainChart, type PainChartProps } from "~/components/pain-chart";
import { TherapyTimeline, type TherapyTimelineItem } from "~/components/therapy-timeline";
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

const POINTS: PainChartProps["points"] = [
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

describe("PainChart", () => {
  it("draws one marked point per assessment, in date order, each findable by its id", () => {
    const markup = renderToStaticMarkup(<PainChart points={POINTS} to="2024-04-30" />);
    expect(attributeValues(markup, "data-assessment-id")).toEqual(["a1", "a2", "a3"]);
    expect(markup.match(/<circle /g)).toHaveLength(3 + 1); // + the legend's sample marker
    expect(markup).toContain("<title>20 Feb 2024: average pain 6.5, PEG 6</title>");
    expect(markup).toContain('role="img"');
    expectNoInlineStyle(markup);
  });

  it("labels itself with its <title> and <desc> through ids that are valid in url() and selectors", () => {
    const markup = renderToStaticMarkup(<PainChart points={POINTS} baseline={BASELINE} to="2024-04-30" />);
    const [titleId] = attributeValues(markup, "aria-labelledby");
    const [descId] = attributeValues(markup, "aria-describedby");
    expect(markup).toContain(`<title id="${titleId}">Average pain and PEG over time</title>`);
    expect(markup).toContain(`<desc id="${descId}">3 assessments from 10 Jan 2024 to 2 Apr 2024`);
    expect(titleId).not.toMatch(/:/);
    const patternId = /<pattern id="([^"]+)"/.exec(markup)?.[1];
    expect(patternId).toBeDefined();
    expect(markup).toContain(`fill="url(#${patternId})"`);
  });

  it("renders the same markup every time", () => {
    const render = () => renderToStaticMarkup(<PainChart points={POINTS} baseline={BASELINE} to="2024-04-30" />);
    expect(render()).toBe(render());
  });

  it("shows the important-improvement band only with a baseline", () => {
    const without = renderToStaticMarkup(<PainChart points={POINTS} to="2024-04-30" />);
    expect(without).not.toContain('data-chart-part="improvement-band"');
    expect(without).not.toContain("Important improvement below this line");

    const withBaseline = renderToStaticMarkup(<PainChart points={POINTS} baseline={BASELINE} to="2024-04-30" />);
    expect(withBaseline.match(/data-chart-part="improvement-band"/g)).toHaveLength(1);
    expect(withBaseline).toContain("Important improvement below this line");
    expect(withBaseline).toContain("Baseline average pain 8");
    expect(withBaseline).toContain("Average pain of 6 or lower is a clinically important improvement.");
    expectNoInlineStyle(withBaseline);
  });

  it("draws the band from the baseline value down to the threshold", () => {
    const markup = renderToStaticMarkup(
      <PainChart points={POINTS} baseline={{ ...BASELINE, painAverage: 5 }} to="2024-04-30" />,
    );
    const band = /data-chart-part="improvement-band">(<rect [^>]*>)/.exec(markup)?.[1] ?? "";
    // y = 256 − 23.6 × value: baseline 5 → 138; line 3.5 (30 % of 5 beats 2 points) → 173.4.
    expect(band).toContain('y="138"');
    expect(band).toContain('height="35.4"');
  });

  it("draws no band when the baseline pain is 0, since nothing can improve on it", () => {
    const markup = renderToStaticMarkup(
      <PainChart points={POINTS} baseline={{ ...BASELINE, painAverage: 0 }} to="2024-04-30" />,
    );
    expect(markup).not.toContain('data-chart-part="improvement-band"');
  });

  it("puts the same numbers in the accessible table", () => {
    const markup = renderToStaticMarkup(<PainChart points={POINTS} baseline={BASELINE} to="2024-04-30" />);
    expect(tableRows(markup)).toEqual([
      ["Date", "Average pain", "PEG", "Average pain change from baseline"],
      ["10 Jan 2024", "8", "7.3", "0 (0 %)"],
      ["20 Feb 2024", "6.5", "6", "−1.5 (−18.8 %)"],
      ["2 Apr 2024", "5", "4.7", "−3 (−37.5 %), clinically important improvement"],
    ]);
    // Hidden in a block, not on the table itself: a table ignores the 1px width and widened the page.
    expect(markup).toMatch(/<div class="sr-only print:not-sr-only[^"]*"><table/);
    expect(markup).toContain("Baseline on 10 Jan 2024: average pain 8, PEG 7.3.");
  });

  it("has no change column without a baseline", () => {
    const markup = renderToStaticMarkup(<PainChart points={POINTS} to="2024-04-30" />);
    expect(tableRows(markup)[0]).toEqual(["Date", "Average pain", "PEG"]);
  });

  it("leaves out points before `from`, in the chart and the table alike", () => {
    const markup = renderToStaticMarkup(<PainChart points={POINTS} from="2024-02-01" to="2024-04-30" />);
    expect(attributeValues(markup, "data-assessment-id")).toEqual(["a2", "a3"]);
    expect(tableRows(markup)).toHaveLength(1 + 2);
  });

  it.each([
    { case: "no points", points: [], from: undefined, message: "No pain scores recorded yet." },
    {
      case: "no points in range",
      points: POINTS,
      from: "2024-04-10",
      message: "No pain scores between 10 Apr 2024 and 30 Apr 2024.",
    },
  ])("shows a message instead of an empty chart with $case", ({ points, from, message }) => {
    const markup = renderToStaticMarkup(<PainChart points={points} baseline={BASELINE} from={from} to="2024-04-30" />);
    expect(markup).toContain(message);
    expect(markup).not.toContain("<svg");
    expect(markup).not.toContain("<table");
    expectNoInlineStyle(markup);
  });
});

const THERAPIES: TherapyTimelineItem[] = [
  {
    id: "t-pt",
    label: "Physical therapy, lumbar stabilisation",
    modality: "Physical therapy",
    startDate: "2024-02-01",
    endDate: null,
    status: "ACTIVE",
    responded: "not-enough-data",
  },
  {
    id: "t-nsaid",
    label: "Naproxen 500 mg twice daily",
    modality: "NSAID",
    startDate: "2023-09-01",
    endDate: "2023-11-15",
    status: "STOPPED",
    stopReasonLabel: "Side effects",
    responded: "not-responded",
  },
  {
    id: "t-cbt",
    label: "CBT for chronic pain",
    modality: "Psychological therapy",
    startDate: "2023-10-01",
    endDate: "2024-01-10",
    status: "COMPLETED",
    responded: "responded",
  },
  {
    id: "t-gaba",
    label: "Gabapentin",
    modality: "Anticonvulsant",
    startDate: "2024-03-01",
    endDate: null,
    status: "ACTIVE",
  },
];

describe("TherapyTimeline", () => {
  const markup = renderToStaticMarkup(<TherapyTimeline therapies={THERAPIES} to="2024-04-30" />);

  it("draws one bar per therapy, sorted by start date", () => {
    expect(attributeValues(markup, "data-therapy-id")).toEqual(["t-nsaid", "t-cbt", "t-pt", "t-gaba"]);
    expect(markup.match(/data-chart-part="bar"/g)).toHaveLength(4);
    expect(markup).toContain('role="img"');
    expect(markup).toContain("<desc");
    expect(markup).toContain("4 therapies from 1 Sep 2023 to 30 Apr 2024, 2 ongoing.");
    expectNoInlineStyle(markup);
  });

  it("ends ongoing bars at `to` with an open-end marker", () => {
    expect(markup.match(/data-chart-part="open-end"/g)).toHaveLength(2);
    const ongoingBars = [...markup.matchAll(/<rect [^>]*data-chart-part="bar"[^>]*>/g)]
      .map((match) => match[0])
      .filter((bar) => /rx="0"/.test(bar));
    expect(ongoingBars).toHaveLength(2);
    for (const bar of ongoingBars) {
      const x = Number(/ x="([\d.]+)"/.exec(bar)?.[1]);
      const width = Number(/ width="([\d.]+)"/.exec(bar)?.[1]);
      expect(x + width).toBe(612);
    }
  });

  it("writes the stop reason and the response as text, not colour alone", () => {
    expect(markup).toContain(">Stopped: Side effects</text>");
    expect(markup).toContain(">✓ responded</text>");
    expect(markup).toContain(">✗ no response</text>");
    expect(markup).toContain(">? not enough data</text>");
    expect(markup).toContain(
      "<title>Naproxen 500 mg twice daily (NSAID): 1 Sep 2023 – 15 Nov 2023; Stopped: Side effects; ✗ no response</title>",
    );
  });

  it("shortens long labels in the chart but keeps them whole in the table", () => {
    expect(markup).toContain(">Physical therapy, lumbar…</text>");
    expect(tableRows(markup).map((row) => row[0])).toContain("Physical therapy, lumbar stabilisation");
  });

  it("puts the same values in the accessible table", () => {
    expect(tableRows(markup)).toEqual([
      ["Therapy", "Modality", "Start", "End", "Status", "Stop reason", "Response"],
      ["Naproxen 500 mg twice daily", "NSAID", "1 Sep 2023", "15 Nov 2023", "Stopped", "Side effects", "✗ no response"],
      ["CBT for chronic pain", "Psychological therapy", "1 Oct 2023", "10 Jan 2024", "Completed", "—", "✓ responded"],
      [
        "Physical therapy, lumbar stabilisation",
        "Physical therapy",
        "1 Feb 2024",
        "ongoing",
        "Active",
        "—",
        "? not enough data",
      ],
      ["Gabapentin", "Anticonvulsant", "1 Mar 2024", "ongoing", "Active", "—", "—"],
    ]);
  });

  it("renders the same markup every time", () => {
    expect(renderToStaticMarkup(<TherapyTimeline therapies={THERAPIES} to="2024-04-30" />)).toBe(markup);
  });

  it("shows a message instead of an empty chart", () => {
    const empty = renderToStaticMarkup(<TherapyTimeline therapies={[]} to="2024-04-30" />);
    expect(empty).toContain("No therapies recorded yet.");
    expect(empty).not.toContain("<svg");
    expectNoInlineStyle(empty);
  });
});
