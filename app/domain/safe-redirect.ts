const BASE = "http://painpath.invalid";

/**
 * Returns `target` only when it is a path on this site; anything that could leave the site
 * (absolute URLs, protocol-relative `//host`, backslash tricks, control characters) yields `fallback`.
 */
export function safeRedirectPath(target: unknown, fallback: string): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!target.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  if (!URL.canParse(target, BASE)) return fallback;
  const parsed = new URL(target, BASE);
  if (parsed.origin !== BASE) return fallback;
  // The checks apply to what is returned: normalising `/.//host`, `/a/..//host` or `/%2e%2e//host`
  // yields `//host`, which a browser reads as another site.
  const path = parsed.pathname + parsed.search + parsed.hash;
  return path.startsWith("//") ? fallback : path;
}
