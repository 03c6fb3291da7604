import { pino } from "pino";

declare global {
  var __painpathLogger: pino.Logger | undefined;
}

/**
 * One structured JSON logger per process. Callers must never pass patient data, form bodies,
 * passwords or session tokens; the redact list is a second line of defence.
 */
export const logger: pino.Logger = (globalThis.__painpathLogger ??= pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "painpath" },
  redact: ["password", "token", "cookie", "*.password", "*.token", "*.cookie"],
}));
