import { Link, useSearchParams } from "@remix-run/react";

/**
 * Previous / next links that keep the page's other URL parameters (filters). `lastPage` is
 * unknown past a capped count: then only "Page N" is shown, and "Next" while this page was full.
 */
export function Pagination({
  page,
  lastPage,
  label,
  exact = true,
}: {
  page: number;
  lastPage: number;
  label: string;
  exact?: boolean;
}) {
  const [searchParams] = useSearchParams();
  if (lastPage <= 1) return null;
  const linkTo = (target: number) => {
    const next = new URLSearchParams(searchParams);
    next.set("page", String(target));
    return `?${next}`;
  };
  return (
    <nav className="mt-3 flex gap-3 text-sm print:hidden" aria-label={label}>
      {page > 1 ? (
        <Link to={linkTo(page - 1)} className="text-blue-800 underline">
          Previous
        </Link>
      ) : null}
      <span>
        Page {page}
        {exact ? ` of ${lastPage}` : ""}
      </span>
      {page < lastPage ? (
        <Link to={linkTo(page + 1)} className="text-blue-800 underline">
          Next
        </Link>
      ) : null}
    </nav>
  );
}
