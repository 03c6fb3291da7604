import { type IsoDate } from "~/domain/clinical/duration";
import { OUTCOME_MEASURES, scoreChange } from "~/domain/clinical/scores";
import { displayDate } from "~/domain/iso-date";
import { formatScore, roundCoordinate, valueScale, type TimeDomain } from "./chart-scale";

export interface PainChartPoint {
  id: string;
  date: IsoDate;
  /** Average pain, NRS 0–10. */
  painAverage: number;
  /** PEG score 0–10. */
  pegScore: number;
}

export interface PainChartBaseline {
  date: IsoDate;
  painAverage: number;
  pegScore: number;
}

export interface PainChartProps {
  /** Points outside the axis's days are left out. */
  points: PainChartPoint[];
  baseline?: PainChartBaseline | null;
  axis: TimeDomain;
  /** Day → percent of the plot's width: the scale the therapy lanes under the chart use too. */
  x: (date: IsoDate) => number;
  /** Ids of the figure's shared definitions (markers, hatch pattern). */
  ids: PainChartIds;
}

export interface PainChartIds {
  title: string;
  desc: string;
  hatch: string;
  painMarker: string;
  pegMarker: string;
}

/** The plot is drawn in CSS pixels downwards and in percent of its width across (see pathway-timeline). */
export const PAIN_PLOT = { height: 224, top: 10, bottom: 214 } as const;
const SCALE_MAX = OUTCOME_MEASURES.painNrs.max;
const IMPROVEMENT = OUTCOME_MEASURES.painNrs.importantImprovement;
const Y_TICKS = [0, 2, 4, 6, 8, 10];

/**
 * The highest average pain that is still a clinically important improvement on `baseline`, or
 * null when the baseline is 0 and no improvement is possible.
 *
 * scoreChange calls a fall important when it reaches EITHER threshold (2 points or 30 %), so the
 * line sits at the less demanding one: baseline − min(2, 30 % × baseline). Above a baseline of
 * 6.7 that is the 2-point rule, below it the 30 % rule; drawing the stricter line would hide
 * improvements the rule already counts. Scores carry one decimal, and at one decimal a score on
 * or below this line is exactly what scoreChange calls important, so the picture and the table agree.
 */
export function importantImprovementLine(baseline: number): number | null {
  const { points, percent } = IMPROVEMENT;
  if (!(baseline > 0)) return null;
  return baseline - Math.min(points, (baseline * percent) / 100);
}

/** The assessments inside the axis, oldest first. */
export function shownPoints(points: PainChartPoint[], axis: TimeDomain): PainChartPoint[] {
  return points
    .filter((point) => point.date >= axis.from && point.date <= axis.to)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function improvementBand(baseline: PainChartBaseline | null, axis: TimeDomain, x: (date: IsoDate) => number) {
  const line = baseline ? importantImprovementLine(baseline.painAverage) : null;
  // The band starts at the baseline (or the left edge when the baseline is older than the axis).
  return baseline && line !== null && baseline.date <= axis.to
    ? { left: x(baseline.date < axis.from ? axis.from : baseline.date), baseline: baseline.painAverage, line }
    : null;
}

/**
 * Average pain and PEG against the shared time axis: an SVG whose width is the plot column's, with
 * x in percent of it, so it lines up with the therapy lanes at every screen width. The y labels sit
 * in the plot column's left gutter.
 */
export function PainChartPlot({ points, baseline = null, axis, x, ids }: PainChartProps) {
  const shown = shownPoints(points, axis);
  const y = valueScale([0, SCALE_MAX], [PAIN_PLOT.bottom, PAIN_PLOT.top]);
  const band = improvementBand(baseline, axis, x);
  const first = shown[0];
  const last = shown.at(-1);
  if (!first || !last) {
    return (
      <p className="flex h-full min-h-24 items-center text-slate-600">
        {points.length === 0
          ? "No pain scores recorded yet."
          : `No pain scores between ${displayDate(axis.from)} and ${displayDate(axis.to)}.`}
      </p>
    );
  }
  const bandTop = band ? y(band.baseline) : 0;
  const bandBottom = band ? y(band.line) : 0;
  const bandWidth = band ? `${roundCoordinate(100 - band.left)}%` : "";

  return (
    <svg
      role="img"
      aria-labelledby={ids.title}
      aria-describedby={ids.desc}
      width="100%"
      height={PAIN_PLOT.height}
      fontSize={11}
      data-plot="pain"
    >
      <title id={ids.title}>Average pain and PEG over time</title>
      <desc id={ids.desc}>
        {`${shown.length} ${shown.length === 1 ? "assessment" : "assessments"} from ${displayDate(first.date)} ` +
          `to ${displayDate(last.date)}, scores 0 to 10, lower is better. Latest: average pain ` +
          `${formatScore(last.painAverage)}, PEG ${formatScore(last.pegScore)}.` +
          (baseline
            ? ` Baseline on ${displayDate(baseline.date)}: average pain ${formatScore(baseline.painAverage)}.` +
              (band ? ` Average pain of ${formatScore(band.line)} or lower is a clinically important improvement.` : "")
            : "")}
      </desc>

      <g aria-hidden="true">
        {Y_TICKS.map((tick) => (
          <g key={tick}>
            <line x2="100%" y1={y(tick)} y2={y(tick)} className={tick === 0 ? "stroke-slate-500" : "chart-grid"} />
            <text x={-6} y={y(tick)} dy="0.32em" textAnchor="end" className="chart-label">
              {tick}
            </text>
          </g>
        ))}
      </g>

      {band ? (
        <g data-chart-part="improvement-band">
          <rect
            x={`${band.left}%`}
            y={bandTop}
            width={bandWidth}
            height={roundCoordinate(bandBottom - bandTop)}
            className="fill-emerald-50"
          />
          <rect
            x={`${band.left}%`}
            y={bandTop}
            width={bandWidth}
            height={roundCoordinate(bandBottom - bandTop)}
            fill={`url(#${ids.hatch})`}
            opacity={0.5}
          />
          <line
            x1={`${band.left}%`}
            x2="100%"
            y1={bandTop}
            y2={bandTop}
            strokeWidth={1.5}
            strokeDasharray="2 3"
            className="stroke-slate-600"
          />
          <line
            x1={`${band.left}%`}
            x2="100%"
            y1={bandBottom}
            y2={bandBottom}
            strokeWidth={1.5}
            strokeDasharray="10 3 2 3"
            className="stroke-emerald-800"
          />
        </g>
      ) : null}

      {/* x in percent: a nested viewBox 100 wide, stretched across the plot; strokes keep their width. */}
      <svg viewBox={`0 0 100 ${PAIN_PLOT.height}`} preserveAspectRatio="none" width="100%" height="100%">
        <path
          d={pathThrough(shown.map((point) => [x(point.date), y(point.painAverage)]))}
          className="chart-line stroke-sky-800"
        />
        <path
          d={pathThrough(shown.map((point) => [x(point.date), y(point.pegScore)]))}
          strokeDasharray="6 4"
          className="chart-line stroke-orange-700"
        />
      </svg>
      {/* Over the lines so the haloed words stay legible, under the markers so no score is hidden. */}
      {band ? (
        <g data-chart-part="improvement-band-labels" textAnchor="end">
          <text x="100%" dx={-4} y={bandTop - 4} className="chart-halo fill-slate-700">
            {`Baseline average pain ${formatScore(band.baseline)}`}
          </text>
          <text
            x="100%"
            dx={-4}
            y={bandBottom + 13 > PAIN_PLOT.bottom - 4 ? bandBottom - 4 : bandBottom + 13}
            fontWeight={600}
            className="chart-halo fill-emerald-900"
          >
            Important improvement below this line
          </text>
        </g>
      ) : null}
      {shown.map((point) => (
        <g key={point.id}>
          <title>
            {`${displayDate(point.date)}: average pain ${formatScore(point.painAverage)}, ` +
              `PEG ${formatScore(point.pegScore)}`}
          </title>
          <use href={`#${ids.painMarker}`} x={`${x(point.date)}%`} y={y(point.painAverage)} />
          <use href={`#${ids.pegMarker}`} x={`${x(point.date)}%`} y={y(point.pegScore)} />
        </g>
      ))}
    </svg>
  );
}

/** The markers and the hatch the plot and its legend use, defined once per figure. */
export function PainChartDefs({ ids }: { ids: PainChartIds }) {
  return (
    <>
      <pattern id={ids.hatch} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <line y2={6} strokeWidth={1.5} className="stroke-emerald-600" />
      </pattern>
      {/* Radius and size are set in CSS (.pain-marker, .peg-marker). */}
      <circle id={ids.painMarker} className="pain-marker" />
      <rect id={ids.pegMarker} x={-3.5} y={-3.5} className="peg-marker" />
    </>
  );
}

export function PainChartLegend({ ids, band }: { ids: PainChartIds; band: boolean }) {
  return (
    <>
      <li>
        <svg viewBox="0 0 32 12" width={32} height={12} aria-hidden="true">
          <line x1={2} x2={30} y1={6} y2={6} strokeWidth={2} className="stroke-sky-800" />
          <use href={`#${ids.painMarker}`} x={16} y={6} />
        </svg>
        Average pain (NRS)
      </li>
      <li>
        <svg viewBox="0 0 32 12" width={32} height={12} aria-hidden="true">
          <line x1={2} x2={30} y1={6} y2={6} strokeWidth={2} strokeDasharray="6 4" className="stroke-orange-700" />
          <use href={`#${ids.pegMarker}`} x={16} y={6} />
        </svg>
        PEG (pain, enjoyment, activity)
      </li>
      {band ? (
        <li>
          <svg viewBox="0 0 32 12" width={32} height={12} aria-hidden="true">
            <rect x={1} y={1} width={30} height={10} className="fill-emerald-50" />
            <rect x={1} y={1} width={30} height={10} fill={`url(#${ids.hatch})`} opacity={0.5} />
          </svg>
          {`Baseline down to a clinically important improvement in average pain (${IMPROVEMENT.points} points ` +
            `or ${IMPROVEMENT.percent} %)`}
        </li>
      ) : null}
    </>
  );
}

/** The chart's numbers for screen readers, hidden in a block: a table ignores the 1 px width and widened the page. */
export function PainChartTable({
  points,
  baseline = null,
}: {
  points: PainChartPoint[];
  baseline?: PainChartBaseline | null;
}) {
  if (points.length === 0) return null;
  return (
    <div className="sr-only">
      <table>
        <caption>
          {"Average pain and PEG by assessment, 0 to 10, lower is better." +
            (baseline
              ? ` Baseline on ${displayDate(baseline.date)}: average pain ${formatScore(baseline.painAverage)}, ` +
                `PEG ${formatScore(baseline.pegScore)}.`
              : "")}
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Average pain</th>
            <th scope="col">PEG</th>
            {baseline ? <th scope="col">Average pain change from baseline</th> : null}
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.id}>
              <th scope="row">{displayDate(point.date)}</th>
              <td>{formatScore(point.painAverage)}</td>
              <td>{formatScore(point.pegScore)}</td>
              {baseline ? <td>{describeChange(baseline.painAverage, point.painAverage)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function pathThrough(coordinates: Array<[number, number]>): string {
  return coordinates.map(([px, py], index) => `${index === 0 ? "M" : "L"}${px} ${py}`).join(" ");
}

/** "−2 (−28.6 %), clinically important improvement", with the same rule as the pathway summaries. */
function describeChange(baseline: number, current: number): string {
  const max = OUTCOME_MEASURES.painNrs.max;
  if (![baseline, current].every((value) => Number.isFinite(value) && value >= 0 && value <= max)) return "—";
  const { change, percentChange, clinicallyImportantImprovement } = scoreChange("painNrs", baseline, current);
  const signed = (value: number) => (value > 0 ? `+${value}` : value < 0 ? `−${-value}` : "0");
  const text = percentChange === null ? signed(change) : `${signed(change)} (${signed(percentChange)} %)`;
  return clinicallyImportantImprovement ? `${text}, clinically important improvement` : text;
}
