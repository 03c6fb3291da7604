/** Pieces the charts share. */
import { useId } from "react";

/** useId without its ":R1:"-style colons, which would need escaping in url(#…) and CSS selectors. */
export function useSvgId(): string {
  return useId().replace(/[^\w-]/g, "");
}
