import type { TestServer } from "./test-server";

/** A same-origin form POST to the test server, as a browser sends it; redirects are not followed. */
export function postForm(
  server: TestServer,
  path: string,
  form: Record<string, string> | string,
  options: { cookie?: string; clientAddress?: string } = {},
) {
  return fetch(`${server.origin}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: server.origin,
      ...(options.cookie ? { Cookie: options.cookie } : {}),
    },
    body: typeof form === "string" ? form : new URLSearchParams(form).toString(),
  });
}

export function getPage(server: TestServer, path: string, cookie?: string) {
  return fetch(`${server.origin}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
}
