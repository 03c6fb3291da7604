/** Per-request facts the HTTP server hands to every loader and action as Remix's load context. */
export interface RequestContext {
  requestId: string;
  clientAddress: string;
  cspNonce: string;
  /** Set once the request's user is known, so the request log can name them. */
  state: { userId?: string };
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}
}
