import type { ReactNode } from "react";

/**
 * A wide table or chart that scrolls sideways inside itself on a narrow screen, so the page never
 * does. It is a named, focusable region so keyboard users can scroll it too (WCAG 2.1.1; axe
 * `scrollable-region-focusable`). `relative` keeps screen-reader-only text inside it from
 * widening the page: an absolutely placed element escapes the clipping of a scroller that is not
 * its containing block.
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`scroll-region${className ? ` ${className}` : ""}`} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
