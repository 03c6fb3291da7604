import { useEffect, useRef, useState, type SyntheticEvent } from "react";
import { EmptyState } from "~/components/page";
import type { IsoDate } from "~/domain/iso-date";
import { useSvgId } from "./chart-parts";
import { timeAxis, timeScale } from "./chart-scale";
import {
  PainChartDefs,
  PainChartLegend,
  PainChartPlot,
  PainChartTable,
  shownPoints,
  type PainChartBaseline,
  type PainChartPoint,
} from "./pain-chart";
import {
  LANE_HEIGHT,
  LaneDefs,
  LaneLegend,
  TherapyLanes,
  type ProcedureTimelineItem,
  type TherapyTimelineItem,
} from "./therapy-timeline";

export interface PathwayTimelineProps {
  points: PainChartPoint[];
  baseline?: PainChartBaseline | null;
  therapies: TherapyTimelineItem[];
  procedures: ProcedureTimelineItem[];
  /** The clinic's today: the axis ends on it and ongoing therapies run to it. */
  today: IsoDate;
}

interface Tip {
  text: string;
  /** The mark's centre, in pixels from the figure's top left. */
  left: number;
  top: number;
  /** Which part of the tip sits over the mark, so it never runs past the figure's edges. */
  align: "start" | "center" | "end";
}

const TIP_HALF_WIDTH = 128;

/**
 * The pain chart and the therapy and procedure lanes on one time axis (one scale, `timeAxis`),
 * in one grid: a label column and a plot column, so the chart's plot and every lane start at the
 * same x and are as wide at every screen width. Below the md breakpoint the labels stack above
 * their lane and the plot column takes the whole width. Vertical guides at the ticks, therapy
 * starts and stops and procedures run through the chart and the lanes, behind them.
 *
 * Each mark's detail shows in a tooltip on hover and on keyboard focus; Escape hides it, and it
 * stays while the pointer is over it (WCAG 1.4.13).
 */
export function PathwayTimeline({ points, baseline = null, therapies, procedures, today }: PathwayTimelineProps) {
  const id = useSvgId();
  const ids = {
    title: `${id}-t`,
    desc: `${id}-d`,
    hatch: `${id}-h`,
    painMarker: `${id}-p`,
    pegMarker: `${id}-g`,
    start: `${id}-s`,
    completed: `${id}-c`,
    stopped: `${id}-x`,
    procedure: `${id}-r`,
    openEnd: `${id}-o`,
    laneHatch: `${id}-l`,
  };
  const laneIds = { ...ids, hatch: ids.laneHatch };
  const { tip, figureRef, handlers, tipHandlers } = useMarkTooltip();

  if (points.length === 0 && therapies.length === 0 && procedures.length === 0) {
    return <EmptyState>No pain scores, therapies or procedures recorded yet.</EmptyState>;
  }
  const axis = timeAxis(
    { assessments: points.map((point) => point.date), therapies, procedures: procedures.map((item) => item.date) },
    today,
  );
  const x = timeScale(axis, [0, 100]);
  const guides = [
    ...new Set(
      therapies.flatMap((therapy) =>
        therapy.endDate && therapy.endDate <= axis.to ? [therapy.startDate, therapy.endDate] : [therapy.startDate],
      ),
    ),
  ].filter((date) => date <= axis.to);
  const procedureGuides = [...new Set(procedures.map((procedure) => procedure.date))].filter((date) => date <= axis.to);
  const shown = shownPoints(points, axis);
  const band = Boolean(baseline && baseline.painAverage > 0 && shown.length > 0);

  return (
    <figure className="relative" ref={figureRef}>
      <svg width={0} height={0} className="absolute" aria-hidden="true">
        <defs>
          <PainChartDefs ids={ids} />
          <LaneDefs ids={laneIds} />
        </defs>
      </svg>
      <div className="timeline-grid" {...handlers}>
        <div className="timeline-guides">
          <svg width="100%" height="100%" aria-hidden="true">
            {axis.ticks.map((tick) => (
              <line key={tick.date} x1={`${x(tick.date)}%`} x2={`${x(tick.date)}%`} y2="100%" className="chart-grid" />
            ))}
            {guides.map((date) => (
              <line key={date} x1={`${x(date)}%`} x2={`${x(date)}%`} y2="100%" className="timeline-guide" />
            ))}
            {procedureGuides.map((date) => (
              <line key={date} x1={`${x(date)}%`} x2={`${x(date)}%`} y2="100%" className="timeline-guide-procedure" />
            ))}
          </svg>
        </div>
        <div className="timeline-label text-xs text-slate-600">Score 0–10 (lower is better)</div>
        <div className="timeline-plot">
          <PainChartPlot points={points} baseline={baseline} axis={axis} x={x} ids={ids} />
        </div>
        <TherapyLanes therapies={therapies} procedures={procedures} axis={axis} x={x} ids={laneIds} />
        <div className="timeline-plot md:col-start-2">
          <svg width="100%" height={20} fontSize={11} aria-hidden="true" data-plot="axis">
            {axis.ticks.map((tick) => (
              <text
                key={tick.date}
                x={`${x(tick.date)}%`}
                y={14}
                textAnchor="middle"
                className={tick.major ? "chart-label" : "chart-label max-md:hidden"}
              >
                {tick.label}
              </text>
            ))}
          </svg>
        </div>
      </div>
      {tip ? (
        <div
          aria-hidden="true"
          className={`timeline-tip ${tip.align === "center" ? "-translate-x-1/2" : tip.align === "end" ? "-translate-x-full" : ""}`}
          style={{ left: tip.left, top: tip.top - LANE_HEIGHT / 2 - 4 }}
          {...tipHandlers}
        >
          {tip.text}
        </div>
      ) : null}
      <figcaption>
        <ul className="timeline-legend">
          <PainChartLegend ids={ids} band={band} />
          {therapies.length > 0 || procedures.length > 0 ? <LaneLegend ids={laneIds} /> : null}
        </ul>
      </figcaption>
      <PainChartTable points={shown} baseline={baseline} />
    </figure>
  );
}

/**
 * The tooltip of the lanes' marks. It is placed by script (CSSOM, which the Content-Security-
 * Policy allows, unlike a style attribute in the HTML), so the server sends no tooltip at all.
 */
function useMarkTooltip() {
  const [tip, setTip] = useState<Tip | null>(null);
  const figureRef = useRef<HTMLElement>(null);
  const hideTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    if (!tip) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setTip(null);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [tip]);
  useEffect(() => () => clearTimeout(hideTimer.current), []);

  const markOf = (event: SyntheticEvent) =>
    event.target instanceof Element ? event.target.closest<SVGElement>(".timeline-mark") : null;
  const show = (mark: Element) => {
    clearTimeout(hideTimer.current);
    const figure = figureRef.current;
    if (!figure) return;
    const box = mark.getBoundingClientRect();
    const frame = figure.getBoundingClientRect();
    const left = box.left + box.width / 2 - frame.left;
    setTip({
      text: mark.getAttribute("aria-label") ?? "",
      left,
      top: box.top + box.height / 2 - frame.top,
      align: left < TIP_HALF_WIDTH ? "start" : left > frame.width - TIP_HALF_WIDTH ? "end" : "center",
    });
  };
  // Leaving a mark hides the tip a moment later, so the pointer can move onto the tip itself.
  const hideSoon = () => {
    clearTimeout(hideTimer.current);
    hideTimer.current = setTimeout(() => {
      const focused = document.activeElement?.closest(".timeline-mark");
      if (focused && figureRef.current?.contains(focused)) show(focused);
      else setTip(null);
    }, 300);
  };

  return {
    tip,
    figureRef,
    handlers: {
      onFocus: (event: SyntheticEvent) => {
        const mark = markOf(event);
        if (mark) show(mark);
      },
      onBlur: (event: SyntheticEvent) => {
        if (markOf(event)) setTip(null);
      },
      onMouseOver: (event: SyntheticEvent) => {
        const mark = markOf(event);
        if (mark) show(mark);
      },
      onMouseOut: (event: SyntheticEvent) => {
        if (markOf(event)) hideSoon();
      },
      onKeyDown: (event: React.KeyboardEvent) => {
        const mark = markOf(event);
        if (!mark || (event.key !== "Enter" && event.key !== " ")) return;
        event.preventDefault();
        if (tip) setTip(null);
        else show(mark);
      },
      onClick: (event: SyntheticEvent) => {
        const mark = markOf(event);
        if (mark) show(mark);
      },
    },
    tipHandlers: {
      onMouseEnter: () => clearTimeout(hideTimer.current),
      onMouseLeave: hideSoon,
    },
  };
}
