import { type IsoDate, displayDate } from "~/domain/iso-date";
import type { TimeDomain } from "./chart-scale";

export type TherapyTimelineStatus = "ACTIVE" | "COMPLETED" | "STOPPED";
export type TherapyTimelineResponse = "responded" | "not-responded" | "not-enough-data";

export interface TherapyTimelineItem {
  id: string;
  /** The therapy as clinicians read it, dose included: "Oxycodone 10 mg Twice daily". */
  label: string;
  /** Display label of the modality, e.g. "Physical therapy". */
  modality: string;
  startDate: IsoDate;
  /** Null while the therapy is ongoing: the bar then runs to today with an open end. */
  endDate: IsoDate | null;
  status: TherapyTimelineStatus;
  stopReasonLabel?: string | null;
  responded?: TherapyTimelineResponse | null;
}

export interface ProcedureTimelineItem {
  id: string;
  /** Type, region and level: "Epidural steroid injection (ESI), Lumbar spine L4–L5". */
  name: string;
  date: IsoDate;
  reliefPercent: number | null;
  reliefDurationDays: number | null;
}

export interface LaneIds {
  start: string;
  completed: string;
  stopped: string;
  procedure: string;
  openEnd: string;
  hatch: string;
}

const STATUS_LABELS: Record<TherapyTimelineStatus, string> = {
  ACTIVE: "Active",
  COMPLETED: "Completed",
  STOPPED: "Stopped",
};

/** Symbol and words, so the response reads the same in greyscale and to a screen reader. */
const RESPONSE_TEXT: Record<TherapyTimelineResponse, string> = {
  responded: "✓ responded",
  "not-responded": "✗ no response",
  "not-enough-data": "? not enough data",
};

const BAR_CLASSES: Record<TherapyTimelineStatus, string> = {
  ACTIVE: "fill-sky-700 stroke-sky-900",
  COMPLETED: "fill-sky-100 stroke-sky-800",
  STOPPED: "stroke-slate-700",
};

/** The lane's SVG is this tall; its bar is centred on the first line of the label beside it. */
export const LANE_HEIGHT = 28;
const MIDDLE = LANE_HEIGHT / 2;
/** Percent of the width a procedure's relief ("100 %") needs beside its mark on a narrow screen. */
const RELIEF_TEXT_ROOM = 12;

/** Ongoing, or planned to end after the last day shown: either way the bar runs to today. */
function isOpen({ endDate }: TherapyTimelineItem, to: IsoDate): boolean {
  return endDate === null || endDate > to;
}

/** Therapies by start date; Array.prototype.sort is stable, so same-day starts keep the caller's order. */
export function therapyRows(therapies: readonly TherapyTimelineItem[]): TherapyTimelineItem[] {
  return [...therapies].sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
}

/** One lane per kind of procedure (type, region, level), in the order first done, its dates in order. */
export function procedureRows(procedures: readonly ProcedureTimelineItem[]): ProcedureTimelineItem[][] {
  const lanes = new Map<string, ProcedureTimelineItem[]>();
  for (const procedure of [...procedures].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    lanes.set(procedure.name, [...(lanes.get(procedure.name) ?? []), procedure]);
  }
  return [...lanes.values()];
}

export function startDetail(therapy: TherapyTimelineItem, to: IsoDate): string {
  return (
    `${therapy.label} (${therapy.modality}): started ${displayDate(therapy.startDate)}` +
    (isOpen(therapy, to) ? ", ongoing" : `, ended ${displayDate(therapy.endDate as IsoDate)}`)
  );
}

export function endDetail(therapy: TherapyTimelineItem & { endDate: IsoDate }): string {
  const how = therapy.status === "STOPPED" ? "stopped" : STATUS_LABELS[therapy.status].toLowerCase();
  return (
    `${therapy.label} (${therapy.modality}): ${how} ${displayDate(therapy.endDate)}` +
    (therapy.stopReasonLabel ? `, ${therapy.stopReasonLabel}` : "") +
    (therapy.responded ? `; ${RESPONSE_TEXT[therapy.responded]}` : "")
  );
}

/** "60 % relief for 90 days", or that none was recorded. */
export function reliefText({ reliefPercent, reliefDurationDays }: ProcedureTimelineItem): string {
  if (reliefPercent === null) return "relief not recorded";
  return `${reliefPercent} % relief` + (reliefDurationDays === null ? "" : ` for ${reliefDurationDays} days`);
}

export function procedureDetail(procedure: ProcedureTimelineItem): string {
  return `${procedure.name}, ${displayDate(procedure.date)} — ${reliefText(procedure)}`;
}

/**
 * One lane per therapy and per kind of procedure, as grid rows beside the pain chart: the full
 * name in the label column (it wraps, never cut), the bar or marks in the plot column on the shared
 * scale `x` (percent of the width). Start, stop and procedure marks are buttons whose name is the
 * whole detail; pathway-timeline shows it as a tooltip on hover and focus.
 */
export function TherapyLanes({
  therapies,
  procedures,
  axis,
  x,
  ids,
}: {
  therapies: readonly TherapyTimelineItem[];
  procedures: readonly ProcedureTimelineItem[];
  axis: TimeDomain;
  x: (date: IsoDate) => number;
  ids: LaneIds;
}) {
  const clampX = (date: IsoDate) => x(date < axis.from ? axis.from : date > axis.to ? axis.to : date);
  return (
    <>
      {therapyRows(therapies).map((therapy) => {
        const open = isOpen(therapy, axis.to);
        const start = clampX(therapy.startDate);
        const end = open ? 100 : clampX(therapy.endDate as IsoDate);
        const ended = open ? null : { ...therapy, endDate: therapy.endDate as IsoDate };
        return (
          <div key={therapy.id} className="contents" data-therapy-id={therapy.id}>
            <div className="timeline-label">
              <span className="font-medium">{therapy.label}</span>
              <span className="block text-xs text-slate-600">
                {[
                  ...(therapy.label === therapy.modality ? [] : [therapy.modality]),
                  `${displayDate(therapy.startDate)} – ${ended ? displayDate(ended.endDate) : "ongoing"}`,
                  ...(therapy.status === "ACTIVE"
                    ? []
                    : [
                        STATUS_LABELS[therapy.status] + (therapy.stopReasonLabel ? `: ${therapy.stopReasonLabel}` : ""),
                      ]),
                  ...(therapy.responded ? [RESPONSE_TEXT[therapy.responded]] : []),
                ].join(" · ")}
              </span>
            </div>
            <div className="timeline-plot">
              <svg width="100%" height={LANE_HEIGHT}>
                <rect
                  x={`${start}%`}
                  y={MIDDLE - 6}
                  width={`${Math.max(end - start, 0.5)}%`}
                  height={12}
                  rx={open ? 0 : 2}
                  fill={therapy.status === "STOPPED" ? `url(#${ids.hatch})` : undefined}
                  className={BAR_CLASSES[therapy.status]}
                  data-chart-part="bar"
                />
                {open ? <use href={`#${ids.openEnd}`} x="100%" y={MIDDLE} data-chart-part="open-end" /> : null}
                <Mark detail={startDetail(therapy, axis.to)} symbol={ids.start} at={start} />
                {ended ? (
                  <Mark
                    detail={endDetail(ended)}
                    symbol={ended.status === "STOPPED" ? ids.stopped : ids.completed}
                    at={end}
                  />
                ) : null}
              </svg>
            </div>
          </div>
        );
      })}
      {procedureRows(procedures).map((lane) => (
        <div key={lane[0]!.id} className="contents" data-procedure-lane="">
          <div className="timeline-label">
            <span className="font-medium">{lane[0]!.name}</span>
            <span className="block text-xs text-slate-600">
              {lane.map((procedure) => `${displayDate(procedure.date)}: ${reliefText(procedure)}`).join(" · ")}
            </span>
          </div>
          <div className="timeline-plot">
            <svg width="100%" height={LANE_HEIGHT}>
              {lane.map((procedure) => (
                <Mark
                  key={procedure.id}
                  detail={procedureDetail(procedure)}
                  symbol={ids.procedure}
                  at={clampX(procedure.date)}
                />
              ))}
              {reliefClusters(
                lane.map((procedure) => ({ at: clampX(procedure.date), relief: procedure.reliefPercent })),
              )
                .filter((cluster) => cluster.text !== null)
                .map((cluster) => (
                  <text
                    key={cluster.first}
                    x={`${cluster.leftward ? cluster.first : cluster.last}%`}
                    dx={cluster.leftward ? -10 : 10}
                    y={MIDDLE}
                    dy="0.32em"
                    textAnchor={cluster.leftward ? "end" : undefined}
                    aria-hidden="true"
                    className="chart-strong text-xs"
                  >
                    {cluster.text}
                  </text>
                ))}
            </svg>
          </div>
        </div>
      ))}
    </>
  );
}

/**
 * The relief written beside a lane's procedure marks. Marks closer than the room one text needs
 * share one text ("86 / 80 %"), after the last of them, or before the first near the right edge.
 */
export function reliefClusters(marks: ReadonlyArray<{ at: number; relief: number | null }>) {
  const clusters: Array<Array<{ at: number; relief: number | null }>> = [];
  for (const mark of marks) {
    const cluster = clusters.at(-1);
    if (cluster && mark.at - cluster.at(-1)!.at < RELIEF_TEXT_ROOM) cluster.push(mark);
    else clusters.push([mark]);
  }
  return clusters.map((cluster) => {
    const first = cluster[0]!.at;
    const last = cluster.at(-1)!.at;
    const text = cluster.every((mark) => mark.relief === null)
      ? null
      : `${cluster.map((mark) => (mark.relief === null ? "?" : String(mark.relief))).join(" / ")} %`;
    return { first, last, text, leftward: last > 100 - RELIEF_TEXT_ROOM };
  });
}

/**
 * A focusable mark on a lane. Its accessible name is the full detail; a button, because pressing
 * it shows or hides that detail (on a touch screen there is no hover).
 */
function Mark({ detail, symbol, at }: { detail: string; symbol: string; at: number }) {
  return (
    <g role="button" tabIndex={0} aria-label={detail} className="timeline-mark">
      <use href={`#${symbol}`} x={`${at}%`} y={MIDDLE} />
    </g>
  );
}

/** The lanes' symbols, defined once per figure. Each has a transparent 24 px target (WCAG 2.5.8). */
export function LaneDefs({ ids }: { ids: LaneIds }) {
  return (
    <>
      <pattern id={ids.hatch} width={5} height={5} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width={5} height={5} className="fill-slate-200" />
        <line y2={5} strokeWidth={2} className="stroke-slate-600" />
      </pattern>
      <g id={ids.start}>
        <circle r={12} fill="transparent" />
        <circle r={5.5} strokeWidth={1.5} className="fill-sky-900 stroke-white" />
      </g>
      <g id={ids.completed}>
        <circle r={12} fill="transparent" />
        <rect x={-5} y={-5} width={10} height={10} strokeWidth={1.5} className="fill-sky-900 stroke-white" />
      </g>
      <g id={ids.stopped}>
        <circle r={12} fill="transparent" />
        <path d="M-5 -5 L5 5 M5 -5 L-5 5" strokeWidth={3} className="stroke-rose-800" />
      </g>
      <g id={ids.procedure}>
        <circle r={12} fill="transparent" />
        <path d="M0 -8 L8 0 L0 8 L-8 0 Z" strokeWidth={1.5} className="fill-violet-700 stroke-white" />
      </g>
      <path id={ids.openEnd} d="M0 -8 L8 0 L0 8 Z" className="chart-text" />
    </>
  );
}

export function LaneLegend({ ids }: { ids: LaneIds }) {
  const sample = (symbol: string) => (
    <svg viewBox="-12 -8 24 16" width={24} height={16} aria-hidden="true">
      <use href={`#${symbol}`} />
    </svg>
  );
  return (
    <>
      <li>
        <svg viewBox="0 0 40 12" width={40} height={12} aria-hidden="true">
          <rect x={1} y={1} width={28} height={10} className={BAR_CLASSES.ACTIVE} />
          <use href={`#${ids.openEnd}`} x={29} y={6} />
        </svg>
        Ongoing
      </li>
      <li>
        <svg viewBox="0 0 40 12" width={40} height={12} aria-hidden="true">
          <rect x={1} y={1} width={38} height={10} rx={2} className={BAR_CLASSES.COMPLETED} />
        </svg>
        Completed
      </li>
      <li>
        <svg viewBox="0 0 40 12" width={40} height={12} aria-hidden="true">
          <rect x={1} y={1} width={38} height={10} rx={2} fill={`url(#${ids.hatch})`} className={BAR_CLASSES.STOPPED} />
        </svg>
        Stopped
      </li>
      <li>
        {sample(ids.start)}
        Start
      </li>
      <li>
        {sample(ids.completed)}
        End
      </li>
      <li>
        {sample(ids.stopped)}
        Stop
      </li>
      <li>
        {sample(ids.procedure)}
        Procedure, with its relief
      </li>
    </>
  );
}
