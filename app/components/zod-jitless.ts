/**
 * In the browser zod probes `new Function` before compiling fast parsers; our Content-Security-Policy
 * (no 'unsafe-eval') refuses it and the browser reports every refusal as an issue. zod reads its
 * settings from this global when it loads (zod/v4/core/core.js), and root calls this as it loads,
 * before any route module brings zod in; importing zod's `config` here would put zod on every page.
 * The server keeps the compiled parsers.
 */
export function parseWithoutEvalInBrowser() {
  if (typeof document === "undefined") return;
  const global = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
  global.__zod_globalConfig = { ...global.__zod_globalConfig, jitless: true };
}
