/** Pieces the charts share: ids safe in SVG references, label halos and the date axis grid. */
import { useId } from "react";
import type { IsoDate } from "~/domain/iso-date";
import { dateTicks, type TimeDomain } from "./chart-scale";

/** A white outline behind a label, so it stays legible over bars and lines. */
export const HALO = { stroke: "white", strokeWidth: 3, paintOrder: "stroke" } as const;

/** About one date label per 75 px of plot width. */
export function maxDateTicks(plotWidth: number): number {
  return Math.floor(plotWidth / 75);
}

/** useId without its ":R1:"-style colons, which would need escaping in url(#…) and CSS selectors. */
export function useSvgId(): string {
  return useId().replace(/[^\w-]/g, "");
}

/** Vertical grid lines with their date labels under the plot, one per tick of the domain. */
export function DateGrid({
  domain,
  x,
  top,
  bottom,
  maxTicks,
}: {
  domain: TimeDomain;
  x: (date: IsoDate) => number;
  top: number;
  bottom: number;
  maxTicks: number;
}) {
  return (
    <>
      {dateTicks(domain, maxTicks).map((tick) => (
        <g key={tick.date}>
          <line x1={x(tick.date)} x2={x(tick.date)} y1={top} y2={bottom + 4} className="chart-grid" />
          <text x={x(tick.date)} y={bottom + 18} textAnchor="middle" className="chart-label">
            {tick.label}
          </text>
        </g>
      ))}
    </>
  );
}
