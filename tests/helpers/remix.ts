import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { makeContext } from "./fixtures";

type RouteFunction = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

export const ORIGIN = "http://painpath.test";

/**
 * Calls a loader or action the way Remix does. A thrown Response (redirect, 403) is returned,
 * so tests can assert on it.
 */
export async function callRoute(
  fn: RouteFunction,
  options: {
    path?: string;
    method?: string;
    form?: Record<string, string>;
    cookie?: string;
    headers?: Record<string, string>;
    context?: AppLoadContext;
    params?: Record<string, string>;
  } = {},
): Promise<unknown> {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set("Cookie", options.cookie);
  const body = options.form ? new URLSearchParams(options.form) : undefined;
  const request = new Request(`${ORIGIN}${options.path ?? "/"}`, {
    method: options.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
  try {
    return await fn({
      request,
      context: options.context ?? makeContext(),
      params: options.params ?? {},
    });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The `name=value` part of a Set-Cookie header, ready to send back as a Cookie header. */
export function cookieFrom(response: Response): string {
  const setCookie = response.headers.get("Set-Cookie");
  if (!setCookie) throw new Error("The response sets no cookie");
  return setCookie.split(";")[0] as string;
}

/** The status and body of a `data()` result or a Response. */
export function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  const init = (result as { init?: { status?: number } } | null)?.init;
  return init?.status ?? 200;
}

/** The payload of a `data()` result. */
export function dataOf<T = Record<string, unknown>>(result: unknown): T {
  return (result as { data: T }).data;
}
