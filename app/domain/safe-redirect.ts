/**
 * Returns `target` only when it is a path on this site; anything that could leave the site
 * (absolute URLs, protocol-relative `//host`, backslash tricks, control characters) yields `fallback`.
 */
export function safeRedirectPath(target: unknown, fallback: string): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return fallback;
  if (!target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  const parsed = new URL(target, "http://painpath.invalid");
  if (parsed.origin !== "http://painpath.invalid") return fallback;
  return parsed.pathname + parsed.search + parsed.hash;
}
