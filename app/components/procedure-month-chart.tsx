import { useSvgId } from "./chart-parts";
import { EmptyState } from "~/components/page";
import { PROCEDURE_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import { monthLabel } from "~/domain/referral-report";
import { niceCeiling, type CrossTab, type MonthKey } from "~/domain/report-math";
import type { ProcedureType } from "~/generated/prisma/enums";
import { roundCoordinate } from "./chart-scale";
import { count } from "~/domain/text";

/**
 * Referrals per month as small multiples: one bar chart per procedure that had any referral, all
 * on the same scale, so heights compare across panels. Server-rendered SVG styled with
 * presentation attributes and Tailwind classes only (the CSP allows no inline style).
 */

const COLUMNS = 3;
const PANEL = { width: 300, height: 110 };
const PLOT = { left: 28, right: PANEL.width - 8, top: 26, bottom: PANEL.height - 22 };

export function ProcedureMonthChart({
  tab,
  partial,
}: {
  tab: CrossTab<ProcedureType, MonthKey>;
  /** Months the range covers only in part: drawn paler. */
  partial: ReadonlySet<MonthKey>;
}) {
  const id = useSvgId();
  const panels = tab.rows.filter((row) => row.total > 0);
  if (panels.length === 0) return <EmptyState>No referrals were made in this period.</EmptyState>;

  const months = tab.columns;
  const top = niceCeiling(Math.max(...panels.flatMap((row) => row.counts)));
  const slot = (PLOT.right - PLOT.left) / months.length;
  const barWidth = roundCoordinate(Math.max(1, slot * 0.7));
  const y = (value: number) => roundCoordinate(PLOT.bottom - ((PLOT.bottom - PLOT.top) * value) / top);
  const rows = Math.ceil(panels.length / COLUMNS);
  const width = PANEL.width * COLUMNS;
  const height = PANEL.height * rows;
  const first = months[0] as MonthKey;
  const last = months[months.length - 1] as MonthKey;
  const busiest = [...panels].sort((a, b) => b.total - a.total)[0];

  return (
    <figure>
      <svg
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        className="block h-auto"
        fontSize={10}
      >
        <title id={`${id}-title`}>Referrals per month, one small chart per procedure</title>
        <desc id={`${id}-desc`}>
          {`${count(tab.total, "referral")} from ${monthLabel(first)} to ${monthLabel(last)} across ` +
            `${count(panels.length, "procedure")}, all charts on a scale of 0 to ${top} per month.` +
            (busiest ? ` Most: ${PROCEDURE_TYPE_LABELS[busiest.key]}, ${busiest.total}.` : "") +
            (partial.size > 0 ? " Paler bars are months the period covers only in part." : "") +
            " The table gives every count."}
        </desc>
        {panels.map((row, index) => {
          const x0 = (index % COLUMNS) * PANEL.width;
          const y0 = Math.floor(index / COLUMNS) * PANEL.height;
          return (
            <g key={row.key} transform={`translate(${x0} ${y0})`}>
              <text x={PLOT.left} y={12} fontWeight={600} className="fill-slate-800">
                {`${PROCEDURE_TYPE_LABELS[row.key]} (${row.total})`}
              </text>
              <g aria-hidden="true">
                <line x1={PLOT.left} x2={PLOT.right} y1={y(top)} y2={y(top)} className="stroke-slate-200" />
                <text x={PLOT.left - 4} y={y(top)} dy="0.32em" textAnchor="end" className="fill-slate-600">
                  {top}
                </text>
                <text x={PLOT.left - 4} y={PLOT.bottom} dy="0.32em" textAnchor="end" className="fill-slate-600">
                  0
                </text>
                <text x={PLOT.left} y={PLOT.bottom + 14} className="fill-slate-600">
                  {monthLabel(first)}
                </text>
                <text x={PLOT.right} y={PLOT.bottom + 14} textAnchor="end" className="fill-slate-600">
                  {monthLabel(last)}
                </text>
              </g>
              {row.counts.map((value, monthIndex) =>
                value > 0 ? (
                  <rect
                    key={months[monthIndex]}
                    x={roundCoordinate(PLOT.left + slot * monthIndex + (slot - barWidth) / 2)}
                    y={y(value)}
                    width={barWidth}
                    height={roundCoordinate(PLOT.bottom - y(value))}
                    className={partial.has(months[monthIndex] as MonthKey) ? "fill-sky-300" : "fill-sky-700"}
                  >
                    <title>{`${monthLabel(months[monthIndex] as MonthKey)}: ${value}`}</title>
                  </rect>
                ) : null,
              )}
              <line
                x1={PLOT.left}
                x2={PLOT.right}
                y1={PLOT.bottom}
                y2={PLOT.bottom}
                className="stroke-slate-500"
                aria-hidden="true"
              />
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-1 text-xs text-slate-600">
        {`Each bar is one month; all charts share the scale 0–${top}.`}
        {partial.size > 0 ? " Paler bars: months the period covers only in part." : ""} Procedures without referrals are
        left out of the chart; the table lists them.
      </figcaption>
    </figure>
  );
}
