import { Transform, type TransformCallback } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { logger } from "./server/logger.server";

const ABORT_DELAY_MS = 5_000;
export const streamTimeout = ABORT_DELAY_MS;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const abortTimer = setTimeout(() => abort(), ABORT_DELAY_MS);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        // Past the shell, a render error is the page's own (onShellError answers the others): logged.
        onShellReady() {
          shellRendered = true;
        },
        // No page defers data, so nothing is gained by sending the shell first, and the whole
        // document sent at once is compressed in one piece: at 16 clients streaming it cost the
        // search page 4 ms of server CPU a request more (flushes through brotli, docs/benchmarks.md).
        onAllReady() {
          // A pending abort timer holds the whole render (loader data included) for its full delay:
          // at 100 pages a second that was hundreds of megabytes kept alive for nothing.
          clearTimeout(abortTimer);
          startStreaming();
        },
        onShellError(error: unknown) {
          clearTimeout(abortTimer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error, requestId: loadContext.requestId }, "render error");
        },
      },
    );

    function startStreaming() {
      const body = new CoalescingStream();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    }
  });
}

/**
 * React writes the document in 2 KB pieces, and each reaches the socket (and the compressor) as its
 * own write: at 128 KB a page, that was a tenth of the server's CPU. This joins what is written in
 * one tick into one chunk, so a document rendered whole goes out in one write.
 */
class CoalescingStream extends Transform {
  private pending: Buffer[] = [];
  private scheduled = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.pending.push(chunk);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.release());
    }
    done();
  }

  override _flush(done: TransformCallback) {
    this.release();
    done();
  }

  private release() {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    this.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending));
    this.pending = [];
  }
}

/** Unexpected loader, action and render errors: logged with the request id, never with form data. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  logger.error(
    {
      err: error,
      requestId: context.requestId,
      route: new URL(request.url).pathname,
    },
    "unhandled server error",
  );
};
