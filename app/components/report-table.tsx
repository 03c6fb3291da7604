import type { ReportTable, TableCell } from "~/domain/referral-report";

/** A report table as built by `reportTable`: the same rows its CSV export writes. */
export function ReportTableView({ table, caption }: { table: ReportTable; caption?: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse bg-white text-sm shadow-sm" id={`table-${table.id}`}>
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
              className={`border-t border-slate-200 ${row.total ? "bg-slate-50 font-semibold" : ""} ${row.detail ? "text-slate-600" : ""}`}
            >
              {row.cells.map((cell, index) =>
                index === 0 ? (
                  <th
                    key={index}
                    scope="row"
                    className={`px-3 py-1.5 text-left ${row.total ? "font-semibold" : "font-normal"} ${row.detail ? "pl-8" : ""}`}
                  >
                    {formatCell(cell)}
                  </th>
                ) : (
                  <td
                    key={index}
                    className={`px-3 py-1.5 ${table.columns[index]?.numeric ? "text-right tabular-nums" : "text-left"}`}
                  >
                    {formatCell(cell)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Numbers exactly as the CSV writes them, so the page and the file can be compared by eye. */
function formatCell(cell: TableCell): string {
  if (cell === null) return "—";
  return String(cell);
}
