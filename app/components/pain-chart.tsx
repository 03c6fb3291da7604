import { EmptyState } from "~/components/page";
import { displayDate } from "~/domain/iso-date";
import { DateGrid, HALO, maxDateTicks, useSvgId } from "./chart-parts";
import { type IsoDate } from "~/domain/clinical/duration";
import { OUTCOME_MEASURES, scoreChange } from "~/domain/clinical/scores";
import { formatScore, roundCoordinate, timeDomain, timeScale, valueScale } from "./chart-scale";

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
  points: PainChartPoint[];
  baseline?: PainChartBaseline | null;
  /** First day shown; defaults to the earliest point or baseline. Points outside from–to are left out. */
  from?: IsoDate;
  /** Last day shown, usually today. */
  to: IsoDate;
}

const WIDTH = 720;
const HEIGHT = 300;
const PLOT = { left: 48, right: WIDTH - 32, top: 20, bottom: HEIGHT - 44 };
const SCALE_MAX = OUTCOME_MEASURES.painNrs.max;
const IMPROVEMENT = OUTCOME_MEASURES.painNrs.importantImprovement;
const Y_TICKS = [0, 2, 4, 6, 8, 10];
/** About one date label per 75 units keeps "Jan 2024"-long labels apart. */
const MAX_X_TICKS = maxDateTicks(PLOT.right - PLOT.left);

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

export function PainChart({ points, baseline = null, from, to }: PainChartProps) {
  const id = useSvgId();
  const ids = { title: `${id}-title`, desc: `${id}-desc`, hatch: `${id}-hatch` };

  const domain = timeDomain([...points.map((point) => point.date), ...(baseline ? [baseline.date] : [])], to, {
    from,
  });
  const shown = points
    .filter((point) => point.date >= domain.from && point.date <= domain.to)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (shown.length === 0) {
    return (
      <EmptyState>
        {points.length === 0
          ? "No pain scores recorded yet."
          : `No pain scores between ${displayDate(domain.from)} and ${displayDate(domain.to)}.`}
      </EmptyState>
    );
  }

  const x = timeScale(domain, [PLOT.left, PLOT.right]);
  const y = valueScale([0, SCALE_MAX], [PLOT.bottom, PLOT.top]);
  const line = baseline ? importantImprovementLine(baseline.painAverage) : null;
  // The band starts at the baseline (or the left edge when the baseline is older than `from`).
  const band =
    baseline && line !== null && baseline.date <= domain.to
      ? {
          x: x(baseline.date < domain.from ? domain.from : baseline.date),
          top: y(baseline.painAverage),
          bottom: y(line),
          baseline: baseline.painAverage,
        }
      : null;
  const first = shown[0]!;
  const last = shown[shown.length - 1]!;

  return (
    <figure className="relative print:break-inside-avoid">
      <div className="overflow-x-auto" role="region" aria-label="Pain and PEG chart" tabIndex={0}>
        <svg
          role="img"
          aria-labelledby={ids.title}
          aria-describedby={ids.desc}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width="100%"
          className="block h-auto min-w-[32rem] print:min-w-0"
          fontSize={11}
        >
          <title id={ids.title}>Average pain and PEG over time</title>
          <desc id={ids.desc}>
            {`${shown.length} ${shown.length === 1 ? "assessment" : "assessments"} from ${displayDate(first.date)} ` +
              `to ${displayDate(last.date)}, scores 0 to 10, lower is better. Latest: average pain ` +
              `${formatScore(last.painAverage)}, PEG ${formatScore(last.pegScore)}.` +
              (baseline
                ? ` Baseline on ${displayDate(baseline.date)}: average pain ${formatScore(baseline.painAverage)}.` +
                  (line === null
                    ? ""
                    : ` Average pain of ${formatScore(line)} or lower is a clinically important improvement.`)
                : "")}
          </desc>
          <defs>
            <pattern id={ids.hatch} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <line x1={0} y1={0} x2={0} y2={6} strokeWidth={1.5} className="stroke-emerald-600 print:stroke-black" />
            </pattern>
          </defs>

          <g aria-hidden="true">
            {Y_TICKS.map((tick) => (
              <g key={tick}>
                <line
                  x1={PLOT.left}
                  x2={PLOT.right}
                  y1={y(tick)}
                  y2={y(tick)}
                  className={tick === 0 ? "stroke-slate-500" : "chart-grid"}
                />
                <text x={PLOT.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className="chart-label">
                  {tick}
                </text>
              </g>
            ))}
            <text
              transform={`translate(14 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)`}
              textAnchor="middle"
              className="chart-label"
            >
              Score 0–10 (lower is better)
            </text>
            <DateGrid domain={domain} x={x} top={PLOT.top} bottom={PLOT.bottom} maxTicks={MAX_X_TICKS} />
          </g>

          {band ? (
            <g data-chart-part="improvement-band">
              <rect
                x={band.x}
                y={band.top}
                width={roundCoordinate(PLOT.right - band.x)}
                height={roundCoordinate(band.bottom - band.top)}
                className="fill-emerald-50 print:fill-white"
              />
              <rect
                x={band.x}
                y={band.top}
                width={roundCoordinate(PLOT.right - band.x)}
                height={roundCoordinate(band.bottom - band.top)}
                fill={`url(#${ids.hatch})`}
                opacity={0.5}
              />
              <line
                x1={band.x}
                x2={PLOT.right}
                y1={band.top}
                y2={band.top}
                strokeWidth={1.5}
                strokeDasharray="2 3"
                className="stroke-slate-600 print:stroke-black"
              />
              <line
                x1={band.x}
                x2={PLOT.right}
                y1={band.bottom}
                y2={band.bottom}
                strokeWidth={1.5}
                strokeDasharray="10 3 2 3"
                className="stroke-emerald-800 print:stroke-black"
              />
            </g>
          ) : null}

          <path
            d={pathThrough(shown.map((point) => [x(point.date), y(point.painAverage)]))}
            fill="none"
            strokeWidth={2}
            strokeLinejoin="round"
            className="stroke-sky-800 print:stroke-black"
          />
          <path
            d={pathThrough(shown.map((point) => [x(point.date), y(point.pegScore)]))}
            fill="none"
            strokeWidth={2}
            strokeDasharray="6 4"
            strokeLinejoin="round"
            className="stroke-orange-700 print:stroke-black"
          />
          {/* Over the lines so the haloed words stay legible, under the markers so no score is hidden. */}
          {band ? (
            <g data-chart-part="improvement-band-labels">
              <text
                x={PLOT.right - 4}
                y={band.top - 4}
                textAnchor="end"
                {...HALO}
                className="fill-slate-700 print:fill-black"
              >
                {`Baseline average pain ${formatScore(band.baseline)}`}
              </text>
              <text
                x={PLOT.right - 4}
                y={band.bottom + 13 > PLOT.bottom - 4 ? band.bottom - 4 : band.bottom + 13}
                textAnchor="end"
                fontWeight={600}
                {...HALO}
                className="fill-emerald-900 print:fill-black"
              >
                Important improvement below this line
              </text>
            </g>
          ) : null}
          {shown.map((point) => (
            <g key={point.id} data-assessment-id={point.id}>
              <title>
                {`${displayDate(point.date)}: average pain ${formatScore(point.painAverage)}, ` +
                  `PEG ${formatScore(point.pegScore)}`}
              </title>
              <PainMarker cx={x(point.date)} cy={y(point.painAverage)} />
              <PegMarker cx={x(point.date)} cy={y(point.pegScore)} />
            </g>
          ))}
        </svg>
      </div>

      <figcaption>
        <ul className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-700 print:text-black">
          <li className="flex items-center gap-2">
            <svg viewBox="0 0 32 12" width={32} height={12} aria-hidden="true">
              <line x1={2} x2={30} y1={6} y2={6} strokeWidth={2} className="stroke-sky-800 print:stroke-black" />
              <PainMarker cx={16} cy={6} />
            </svg>
            Average pain (NRS)
          </li>
          <li className="flex items-center gap-2">
            <svg viewBox="0 0 32 12" width={32} height={12} aria-hidden="true">
              <line
                x1={2}
                x2={30}
                y1={6}
                y2={6}
                strokeWidth={2}
                strokeDasharray="6 4"
                className="stroke-orange-700 print:stroke-black"
              />
              <PegMarker cx={16} cy={6} />
            </svg>
            PEG (pain, enjoyment, activity)
          </li>
          {band ? (
            <li className="flex items-center gap-2">
              <svg viewBox="0 0 32 12" width={32} height={12} aria-hidden="true">
                <rect x={1} y={1} width={30} height={10} className="fill-emerald-50 print:fill-white" />
                <rect x={1} y={1} width={30} height={10} fill={`url(#${ids.hatch})`} opacity={0.5} />
              </svg>
              {`Baseline down to a clinically important improvement in average pain (${IMPROVEMENT.points} points ` +
                `or ${IMPROVEMENT.percent} %)`}
            </li>
          ) : null}
        </ul>
      </figcaption>

      <div className="sr-only print:not-sr-only print:mt-3">
        <table className="text-sm [&_tbody_th]:whitespace-nowrap [&_tbody_th]:pr-4 [&_tbody_th]:text-left [&_tbody_th]:font-normal [&_td]:pr-4 [&_td]:text-right">
          <caption className="text-left font-medium">
            {"Average pain and PEG by assessment, 0 to 10, lower is better." +
              (baseline
                ? ` Baseline on ${displayDate(baseline.date)}: average pain ${formatScore(baseline.painAverage)}, ` +
                  `PEG ${formatScore(baseline.pegScore)}.`
                : "")}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="pr-4 text-left">
                Date
              </th>
              <th scope="col" className="pr-4 text-right">
                Average pain
              </th>
              <th scope="col" className="pr-4 text-right">
                PEG
              </th>
              {baseline ? (
                <th scope="col" className="text-left">
                  Average pain change from baseline
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {shown.map((point) => (
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
    </figure>
  );
}

function PainMarker({ cx, cy }: { cx: number; cy: number }) {
  // Radius and size are set in CSS (.pain-marker, .peg-marker): they repeat on every point.
  return <circle cx={cx} cy={cy} className="pain-marker" />;
}

function PegMarker({ cx, cy }: { cx: number; cy: number }) {
  return <rect x={cx - 3.5} y={cy - 3.5} width={7} height={7} className="peg-marker" />;
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
