import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { constants as zlibConstants } from "node:zlib";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import onHeaders from "on-headers";
import { answerDatabaseOutages } from "./database-outage.server";
import { FHIR_UPLOAD_PATH, MAX_UPLOAD_BYTES } from "./fhir-upload.server";
import { CDS_MAX_BODY_BYTES } from "./fhir-client.server";
import type { Env } from "./env.server";
import { logger } from "./logger.server";
import type { RequestContext } from "./request-context";

/**
 * Form posts are small (see FORM_LIMITS); anything larger is refused before Remix reads it. The FHIR
 * upload alone may be larger: it is streamed to disk and bounded as it arrives (fhir-upload.server.ts).
 */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * The CDS Hooks endpoints (https://cds-hooks.hl7.org/2.0/): JSON APIs an EHR's server calls with a
 * signed JWT, never with PainPath's session cookie, so the browser Origin check does not apply.
 */
function isCdsHooksPath(path: string): boolean {
  return path === "/cds-services" || path.startsWith("/cds-services/");
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Browser features PainPath never uses are off for its pages and anything they could embed, so an
 * injected script cannot ask for a workstation's camera or location. WebAuthn (passkeys) and full
 * screen stay available to PainPath's own origin.
 */
const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "camera=()",
  "display-capture=()",
  "fullscreen=(self)",
  "geolocation=()",
  "gyroscope=()",
  "hid=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "picture-in-picture=()",
  "publickey-credentials-create=(self)",
  "publickey-credentials-get=(self)",
  "screen-wake-lock=()",
  "serial=()",
  "usb=()",
  "xr-spatial-tracking=()",
].join(", ");

interface Locals {
  requestId: string;
  cspNonce: string;
  state: RequestContext["state"];
}

function locals(res: Response): Locals {
  return res.locals as Locals;
}

export function createHttpApp(env: Env, build: ServerBuild | (() => Promise<ServerBuild>)) {
  const app = express();
  app.disable("x-powered-by");
  if (env.TRUST_PROXY) app.set("trust proxy", env.TRUST_PROXY);

  app.use(assignRequestIdentity);
  app.use(logRequests);
  app.use(securityHeaders(env));
  app.use((_req, res, next) => {
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    next();
  });

  app.use(compression({ filter: compressible, brotli: { params: BROTLI_PARAMS } }));
  // File names under /build carry a hash of their content, so a browser may keep them for a year unasked.
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  // Only the files public/ holds at its top: a catch-all static handler would look for every page on disk first.
  for (const file of readdirSync("public", { withFileTypes: true }).filter((entry) => entry.isFile())) {
    app.get(`/${file.name}`, (_req, res) => res.sendFile(file.name, { root: "public", maxAge: "1h" }));
  }

  app.use(refuseLegacyDataRequests);
  app.use(limitBodySize);
  app.use(refuseCrossSiteRequests(env));
  app.use((_req, res, next) => {
    // Pages show patient data: no browser or proxy may keep a copy, unless a route says otherwise.
    onHeaders(res, () => {
      if (!res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", "no-store");
    });
    next();
  });

  app.all(
    "*",
    createRequestHandler({
      build:
        typeof build === "function" ? async () => answerDatabaseOutages(await build()) : answerDatabaseOutages(build),
      mode: env.NODE_ENV,
      getLoadContext: (req, res): AppLoadContext => ({
        requestId: locals(res).requestId,
        clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown",
        cspNonce: locals(res).cspNonce,
        state: locals(res).state,
      }),
    }),
  );
  return app;
}

/**
 * Every page is compressed as it is sent, so cheap settings beat dense ones: quality 2 with a
 * 256 KB window (longer than any page) took 0.9 ms for 80 KB of HTML, the library's quality 4 with
 * brotli's 4 MB window 1.8 ms, for a few per cent fewer bytes (decision 025).
 */
const BROTLI_PARAMS = { [zlibConstants.BROTLI_PARAM_QUALITY]: 2, [zlibConstants.BROTLI_PARAM_LGWIN]: 18 };

/**
 * Brotli or gzip for text, with one exception against BREACH (https://www.breachattack.com/): a page
 * or data answer that a cross-site request caused is sent uncompressed, so another site cannot pair
 * a reflected search term with the session's patient data and read matches off the encrypted
 * length. The session cookie is SameSite=Lax, so a cross-site link still arrives signed in.
 */
function compressible(req: Request, res: Response): boolean {
  const site = req.headers["sec-fetch-site"];
  const crossSite = site !== undefined && site !== "same-origin" && site !== "none";
  if (crossSite && !req.path.startsWith("/build/")) return false;
  return compression.filter(req, res);
}

function assignRequestIdentity(_req: Request, res: Response, next: NextFunction) {
  res.locals.requestId = randomUUID();
  res.locals.cspNonce = randomBytes(16).toString("base64");
  res.locals.state = {};
  res.setHeader("X-Request-Id", res.locals.requestId);
  next();
}

/** One line per request. The path only, never the query string: searches may hold patient names. */
function logRequests(req: Request, res: Response, next: NextFunction) {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info(
      {
        requestId: locals(res).requestId,
        userId: locals(res).state.userId,
        method: req.method,
        route: req.path,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
      },
      "request",
    );
  });
  next();
}

function securityHeaders(env: Env) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", (_req, res) => `'nonce-${locals(res as Response).cspNonce}'`],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        // Remix's dev live reload talks over a websocket.
        "connect-src": env.isProduction ? ["'self'"] : ["'self'", "ws:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        ...(env.isProduction ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    strictTransportSecurity: env.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
    xFrameOptions: { action: "deny" },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * Remix v1 data requests (`?_data=`): with single fetch they reach route code that cannot answer
 * them, a 500 with two error-level log lines each. Single fetch asks for `.data` addresses instead.
 */
function refuseLegacyDataRequests(req: Request, res: Response, next: NextFunction) {
  if (!new URLSearchParams(req.originalUrl.split("?")[1] ?? "").has("_data")) return next();
  res.status(400).type("text/plain").send("This address is not supported.");
}

function limitBodySize(req: Request, res: Response, next: NextFunction) {
  if (!UNSAFE_METHODS.has(req.method)) return next();
  const cds = isCdsHooksPath(req.path);
  const declared = req.headers["content-length"];
  if (declared === undefined) {
    // A chunked CDS Hooks request is counted while the route reads it.
    if (req.headers["transfer-encoding"] && !cds) {
      res.status(411).type("text/plain").send("A Content-Length header is required.");
      return;
    }
    return next();
  }
  const limit = cds ? CDS_MAX_BODY_BYTES : req.path === FHIR_UPLOAD_PATH ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
  if (Number(declared) > limit) {
    res.setHeader("Connection", "close");
    res.status(413).type("text/plain").send("The request is too large.");
    return;
  }
  next();
}

/**
 * CSRF defence: a state-changing request must come from a page of this site. Browsers send
 * Origin on every POST; its absence or mismatch is refused before any application code runs.
 */
function refuseCrossSiteRequests(env: Env) {
  const configuredOrigin = env.APP_ORIGIN ? new URL(env.APP_ORIGIN).origin : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!UNSAFE_METHODS.has(req.method) || isCdsHooksPath(req.path)) return next();
    const origin = req.headers.origin;
    const expected = configuredOrigin ?? `${req.protocol}://${req.headers.host}`;
    if (origin === expected) return next();
    logger.warn({ requestId: locals(res).requestId, route: req.path }, "cross-site request refused");
    res.status(403).type("text/plain").send("Cross-site request refused.");
  };
}
