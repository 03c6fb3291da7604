/** Opens the browser's print dialog; hidden on paper. */
export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded border border-slate-400 bg-white px-3 py-1 hover:bg-slate-100 print:hidden"
    >
      Print
    </button>
  );
}
