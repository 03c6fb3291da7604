import { EmptyState } from "~/components/page";
import { displayDate, displayDatesIn } from "~/domain/iso-date";
import { DateGrid, HALO, maxDateTicks, useSvgId } from "./chart-parts";
import { type IsoDate } from "~/domain/clinical/duration";
import { roundCoordinate, timeDomain, timeScale } from "./chart-scale";

export type TherapyTimelineStatus = "ACTIVE" | "COMPLETED" | "STOPPED";
export type TherapyTimelineResponse = "responded" | "not-responded" | "not-enough-data";

export interface TherapyTimelineItem {
  id: string;
  label: string;
  /** Display label of the modality, e.g. "Physical therapy". */
  modality: string;
  startDate: IsoDate;
  /** Null while the therapy is ongoing: the bar then runs to `to` with an open end. */
  endDate: IsoDate | null;
  status: TherapyTimelineStatus;
  stopReasonLabel?: string | null;
  responded?: TherapyTimelineResponse | null;
}

export interface TherapyTimelineProps {
  therapies: TherapyTimelineItem[];
  /** Last day shown, usually today. */
  to: IsoDate;
  /**
   * The id of a visible table on the page with the same therapies: the chart then points screen
   * readers to it instead of carrying a hidden copy of it.
   */
  tableId?: string;
}

const WIDTH = 760;
const ROW_HEIGHT = 44;
const TOP = 8;
const AXIS_HEIGHT = 28;
const LABEL_MAX_CHARS = 26;
const PLOT = { left: 210, right: 612 };
const BADGE_LEFT = 628;
const BAR = { offset: 8, height: 16 };
/** About one date label per 75 units keeps "Jan 2024"-long labels apart. */
const MAX_X_TICKS = maxDateTicks(PLOT.right - PLOT.left);
/** Rough advance of one character at 10–11 px, for placing text before it is measured (it never is). */
const CHAR_WIDTH = 6;

const STATUS_LABELS: Record<TherapyTimelineStatus, string> = {
  ACTIVE: "Active",
  COMPLETED: "Completed",
  STOPPED: "Stopped",
};

/** Symbol and words, so the response reads the same in greyscale and to a screen reader. */
const RESPONSE_BADGES: Record<TherapyTimelineResponse, { text: string; className: string }> = {
  responded: { text: "✓ responded", className: "fill-emerald-50 stroke-emerald-700" },
  "not-responded": { text: "✗ no response", className: "fill-rose-50 stroke-rose-700" },
  "not-enough-data": { text: "? not enough data", className: "fill-slate-50 stroke-slate-500" },
};

const BAR_CLASSES: Record<TherapyTimelineStatus, string> = {
  ACTIVE: "fill-sky-700 stroke-sky-900 print:fill-slate-500 print:stroke-black",
  COMPLETED: "fill-sky-100 stroke-sky-800 print:fill-white print:stroke-black",
  STOPPED: "stroke-slate-700 print:stroke-black",
};

export function TherapyTimeline({ therapies, to, tableId }: TherapyTimelineProps) {
  const id = useSvgId();
  const ids = { title: `${id}-title`, desc: `${id}-desc`, hatch: `${id}-hatch` };

  if (therapies.length === 0) return <EmptyState>No therapies recorded yet.</EmptyState>;

  // Array.prototype.sort is stable, so therapies started on the same day keep the caller's order.
  const rows = [...therapies].sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : 0));
  const domain = timeDomain(
    rows.map((therapy) => therapy.startDate),
    to,
  );
  const x = timeScale(domain, [PLOT.left, PLOT.right]);
  const clampX = (date: IsoDate) => x(date < domain.from ? domain.from : date > domain.to ? domain.to : date);
  const plotBottom = TOP + rows.length * ROW_HEIGHT;
  const height = plotBottom + AXIS_HEIGHT;
  const ongoing = rows.filter((therapy) => isOpen(therapy, domain.to)).length;

  return (
    <figure className="relative print:break-inside-avoid">
      <div className="overflow-x-auto" role="region" aria-label="Therapy timeline" tabIndex={0}>
        <svg
          role="img"
          aria-labelledby={ids.title}
          aria-describedby={tableId ? `${ids.desc} ${tableId}` : ids.desc}
          viewBox={`0 0 ${WIDTH} ${height}`}
          width="100%"
          className="block h-auto min-w-[36rem] print:min-w-0"
          fontSize={11}
        >
          <title id={ids.title}>Therapy timeline</title>
          <desc id={ids.desc}>
            {`${rows.length} ${rows.length === 1 ? "therapy" : "therapies"} from ${displayDate(rows[0]!.startDate)} ` +
              `to ${displayDate(domain.to)}, ${ongoing} ongoing.`}
          </desc>
          <defs>
            <pattern id={ids.hatch} width={5} height={5} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width={5} height={5} className="fill-slate-200 print:fill-white" />
              <line x1={0} y1={0} x2={0} y2={5} strokeWidth={2} className="stroke-slate-600 print:stroke-black" />
            </pattern>
          </defs>

          <g aria-hidden="true">
            {rows.map((therapy, index) =>
              index % 2 === 1 ? (
                <rect
                  key={therapy.id}
                  x={0}
                  y={TOP + index * ROW_HEIGHT}
                  width={WIDTH}
                  height={ROW_HEIGHT}
                  className="fill-slate-50 print:hidden"
                />
              ) : null,
            )}
            <DateGrid domain={domain} x={x} top={TOP} bottom={plotBottom} maxTicks={MAX_X_TICKS} />
            <line x1={PLOT.left} x2={PLOT.right} y1={plotBottom} y2={plotBottom} className="stroke-slate-500" />
          </g>

          {rows.map((therapy, index) => {
            const rowTop = TOP + index * ROW_HEIGHT;
            const start = clampX(therapy.startDate);
            const open = isOpen(therapy, domain.to);
            const end = Math.max(clampX(therapy.endDate ?? domain.to), roundCoordinate(start + 3));
            const barY = rowTop + BAR.offset;
            const barMiddle = barY + BAR.height / 2;
            const note = placeEndNote(endNoteText(therapy, open), end, open);
            const badge = therapy.responded ? RESPONSE_BADGES[therapy.responded] : null;
            return (
              <g key={therapy.id} data-therapy-id={therapy.id}>
                <title>{rowSummary(therapy)}</title>
                <text x={8} y={rowTop + 18} fontSize={12} fontWeight={600} className="chart-strong">
                  {truncate(therapy.label, LABEL_MAX_CHARS)}
                </text>
                <text x={8} y={rowTop + 34} fontSize={10} className="chart-label">
                  {truncate(therapy.modality, LABEL_MAX_CHARS + 4)}
                </text>
                <rect
                  x={start}
                  y={barY}
                  width={roundCoordinate(end - start)}
                  height={BAR.height}
                  rx={open ? 0 : 2}
                  strokeWidth={1}
                  fill={therapy.status === "STOPPED" ? `url(#${ids.hatch})` : undefined}
                  className={BAR_CLASSES[therapy.status]}
                  data-chart-part="bar"
                />
                {open ? (
                  <path
                    d={`M${end} ${barY - 2} L${end + 8} ${barMiddle} L${end} ${barY + BAR.height + 2} Z`}
                    className="chart-text"
                    data-chart-part="open-end"
                  />
                ) : null}
                <text
                  x={note.x}
                  y={note.besideBar ? barMiddle : barY + BAR.height + 12}
                  dy={note.besideBar ? "0.32em" : undefined}
                  fontSize={10}
                  {...HALO}
                  className="chart-text"
                >
                  {displayDatesIn(note.text)}
                </text>
                {badge ? (
                  <g>
                    <rect
                      x={BADGE_LEFT}
                      y={barY - 1}
                      width={badge.text.length * CHAR_WIDTH + 12}
                      height={BAR.height + 2}
                      rx={9}
                      strokeWidth={1}
                      className={`${badge.className} print:fill-white print:stroke-black`}
                    />
                    <text x={BADGE_LEFT + 6} y={barMiddle} dy="0.32em" fontSize={10} className="chart-strong">
                      {badge.text}
                    </text>
                  </g>
                ) : null}
              </g>
            );
          })}
        </svg>
      </div>

      <figcaption>
        <ul className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-700 print:text-black">
          <li className="flex items-center gap-2">
            <svg viewBox="0 0 40 12" width={40} height={12} aria-hidden="true">
              <rect x={1} y={1} width={28} height={10} className={BAR_CLASSES.ACTIVE} />
              <path d="M29 0 L37 6 L29 12 Z" className="chart-text" />
            </svg>
            Ongoing
          </li>
          <li className="flex items-center gap-2">
            <svg viewBox="0 0 40 12" width={40} height={12} aria-hidden="true">
              <rect x={1} y={1} width={38} height={10} rx={2} className={BAR_CLASSES.COMPLETED} />
            </svg>
            Completed
          </li>
          <li className="flex items-center gap-2">
            <svg viewBox="0 0 40 12" width={40} height={12} aria-hidden="true">
              <rect
                x={1}
                y={1}
                width={38}
                height={10}
                rx={2}
                fill={`url(#${ids.hatch})`}
                className={BAR_CLASSES.STOPPED}
              />
            </svg>
            Stopped
          </li>
        </ul>
      </figcaption>

      {tableId ? null : (
        <div className="sr-only print:not-sr-only print:mt-3">
          <table className="text-sm [&_tbody_th]:pr-4 [&_tbody_th]:text-left [&_tbody_th]:font-normal [&_td]:pr-4">
            <caption className="text-left font-medium">Therapies by start date</caption>
            <thead>
              <tr>
                {["Therapy", "Modality", "Start", "End", "Status", "Stop reason", "Response"].map((heading) => (
                  <th key={heading} scope="col" className="pr-4 text-left">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((therapy) => (
                <tr key={therapy.id}>
                  <th scope="row">{therapy.label}</th>
                  <td>{therapy.modality}</td>
                  <td className="whitespace-nowrap">{displayDate(therapy.startDate)}</td>
                  <td className="whitespace-nowrap">{therapy.endDate ? displayDate(therapy.endDate) : "ongoing"}</td>
                  <td>{STATUS_LABELS[therapy.status]}</td>
                  <td>{therapy.stopReasonLabel || "—"}</td>
                  <td>{therapy.responded ? RESPONSE_BADGES[therapy.responded].text : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}

/** Ongoing, or planned to end after the last day shown: either way the bar runs off the chart. */
function isOpen({ endDate }: TherapyTimelineItem, to: IsoDate): boolean {
  return endDate === null || endDate > to;
}

function endNoteText({ status, stopReasonLabel }: TherapyTimelineItem, open: boolean): string {
  if (status === "STOPPED") return stopReasonLabel ? `Stopped: ${stopReasonLabel}` : "Stopped";
  return open ? "ongoing" : STATUS_LABELS[status];
}

/**
 * Where the note at a bar's end goes: on the bar's line just after its end when it fits before
 * the response column, else on the line under the bar, ending at the bar's end but never running
 * into the labels; shortened when even the whole plot width is too narrow (the table has it all).
 */
function placeEndNote(text: string, barEnd: number, open: boolean): { text: string; x: number; besideBar: boolean } {
  const limit = BADGE_LEFT - 6;
  const after = barEnd + (open ? 14 : 6);
  if (after + text.length * CHAR_WIDTH <= limit) return { text, x: after, besideBar: true };
  const fitted = truncate(text, Math.floor((limit - PLOT.left) / CHAR_WIDTH));
  const width = fitted.length * CHAR_WIDTH;
  return { text: fitted, x: Math.min(Math.max(PLOT.left, barEnd - width), limit - width), besideBar: false };
}

function rowSummary(therapy: TherapyTimelineItem): string {
  const end = therapy.endDate ? displayDate(therapy.endDate) : "ongoing";
  const parts = [
    `${therapy.label} (${therapy.modality}): ${displayDate(therapy.startDate)} – ${end}`,
    STATUS_LABELS[therapy.status] + (therapy.stopReasonLabel ? `: ${therapy.stopReasonLabel}` : ""),
    ...(therapy.responded ? [RESPONSE_BADGES[therapy.responded].text] : []),
  ];
  return parts.join("; ");
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}
