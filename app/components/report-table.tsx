import type { ReportTable, TableCell } from "~/domain/referral-report";
import { ScrollRegion } from "./scroll-region";

/** A report table as built by `reportTable`: the same rows its CSV export writes. */
export function ReportTableView({ table, caption }: { table: ReportTable; caption?: string }) {
  return (
    <ScrollRegion label={`${table.title}, table`}>
      {/* The body's cell styles are set once here, not on each of a large table's thousand cells. */}
      <table
        className="w-full border-collapse bg-white text-sm shadow-sm [&_tbody_td]:px-3 [&_tbody_td]:py-1.5 [&_tbody_td]:text-right [&_tbody_td]:tabular-nums [&_tbody_th]:px-3 [&_tbody_th]:py-1.5 [&_tbody_th]:text-left [&_tbody_tr]:border-t [&_tbody_tr]:border-slate-200"
        id={`table-${table.id}`}
      >
        {caption ? <caption className="px-3 py-2 text-left text-xs text-slate-600">{caption}</caption> : null}
        <thead className="bg-slate-100">
          <tr>
            {table.columns.map((column, index) => (
              <th
                key={`${index}-${column.label}`}
                scope="col"
                className={`px-3 py-2 align-bottom ${column.numeric ? "text-right" : "text-left"}`}
              >
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, rowIndex) => (
            <tr
              key={rowIndex}
              className={row.total ? "bg-slate-50 font-semibold" : row.detail ? "text-slate-600" : undefined}
            >
              {row.cells.map((cell, index) =>
                index === 0 ? (
                  <th
                    key={index}
                    scope="row"
                    className={row.total ? "font-semibold" : row.detail ? "!pl-8 font-normal" : "font-normal"}
                  >
                    {formatCell(cell)}
                  </th>
                ) : (
                  // Text columns override the numeric default: `!` outranks the table's descendant rule.
                  <td key={index} className={table.columns[index]?.numeric ? undefined : "!text-left"}>
                    {formatCell(cell)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** Numbers exactly as the CSV writes them, so the page and the file can be compared by eye. */
function formatCell(cell: TableCell): string {
  if (cell === null) return "—";
  return String(cell);
}
