import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import * as z from "zod";
import { SIGN_IN_THROTTLE } from "~/models/sign-in-throttle.server";
import { action as signInAction } from "~/routes/sign-in";
import { getDb } from "~/server/db.server";
import { FORM_LIMITS, parseForm } from "~/web/form-input.server";
import { MAX_BODY_BYTES } from "~/server/http-app";
import { createUser, makeContext, TEST_PASSWORD } from "../helpers/fixtures";
import { postForm } from "../helpers/http";
import { callRoute, statusOf } from "../helpers/remix";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function formRequest(body: string, contentType = "application/x-www-form-urlencoded") {
  return new Request("http://painpath.test/form", { method: "POST", headers: { "Content-Type": contentType }, body });
}

async function refusal(work: Promise<unknown>): Promise<Response> {
  const thrown = await work.then(
    () => null,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(Response);
  return thrown as Response;
}

describe("form bodies are bounded before they are parsed", () => {
  const schema = z.object({ note: z.string().optional() });

  it("refuses 100,000 fields with 413 without parsing them", async () => {
    const parse = vi.spyOn(schema, "safeParse");
    const urlSearchParams = vi.spyOn(globalThis, "URLSearchParams");
    const response = await refusal(parseForm(formRequest("a&".repeat(100_000)), schema));
    expect(response.status).toBe(413);
    expect(parse).not.toHaveBeenCalled();
    expect(urlSearchParams).not.toHaveBeenCalled();
    urlSearchParams.mockRestore();
  });

  it("refuses a field longer than the limit", async () => {
    const response = await refusal(parseForm(formRequest(`note=${"x".repeat(FORM_LIMITS.fieldBytes + 1)}`), schema));
    expect(response.status).toBe(413);
  });

  it("accepts a form at the limits", async () => {
    const fields = Array.from({ length: FORM_LIMITS.fields - 1 }, () => "other=1");
    const body = [`note=${"x".repeat(FORM_LIMITS.fieldBytes - 5)}`, ...fields].join("&");
    const submission = await parseForm(formRequest(body), schema);
    expect(submission.status).toBe("success");
  });

  it("refuses a body that is not a URL-encoded form", async () => {
    const response = await refusal(parseForm(formRequest("note=1", "multipart/form-data; boundary=x"), schema));
    expect(response.status).toBe(415);
  });

  it("drops fields the form does not have, so they are never echoed", async () => {
    const strict = z.object({ email: z.email(), nested: z.object({ a: z.string() }), list: z.array(z.string()) });
    const submission = await parseForm(
      formRequest("email=bad&nested.a=1&nested.b=2&list[0]=x&role=ADMIN&__proto__=1"),
      strict,
    );
    expect(submission.status).toBe("error");
    expect(submission.payload).toEqual({ email: "bad", nested: { a: "1" }, list: ["x"] });
  });
});

describe("over HTTP", () => {
  it("answers a 100,000-field sign-in with 413 and echoes nothing", async () => {
    const before = await getDb().auditEvent.count();
    // 200 KB: within the total size, so the field count is what refuses it.
    const response = await postForm(server, "/sign-in", `email=a&password=b&${"z&".repeat(100_000)}`);
    expect(response.status).toBe(413);
    const text = await response.text();
    expect(text).toContain("This form has too many fields.");
    expect(text).not.toContain("z&");
    expect(await getDb().auditEvent.count()).toBe(before);
  });

  it("refuses a body over the total size before reading it", async () => {
    const response = await postForm(server, "/sign-in", `note=${"x".repeat(MAX_BODY_BYTES)}`);
    expect(response.status).toBe(413);
    expect(MAX_BODY_BYTES).toBeLessThanOrEqual(256 * 1024);
  });

  it("never echoes an unknown field back", async () => {
    const response = await postForm(server, "/sign-in", {
      email: "not-an-email",
      password: "x",
      smuggled: "UNKNOWN-FIELD-VALUE",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("Enter a valid email address.");
    expect(html).not.toContain("UNKNOWN-FIELD-VALUE");
  });
});

describe("unauthenticated requests that fail validation", () => {
  it("are throttled per client address like failed sign-ins", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    onTestFinished(() => void vi.useRealTimers());
    const context = () => makeContext("198.51.100.77");
    for (let attempt = 0; attempt < SIGN_IN_THROTTLE.address.free; attempt++) {
      const result = await callRoute(signInAction, { path: "/sign-in", form: { email: "x" }, context: context() });
      expect(statusOf(result)).toBe(400);
    }
    const invalid = await callRoute(signInAction, { path: "/sign-in", form: { email: "x" }, context: context() });
    expect(statusOf(invalid)).toBe(429);
    const user = await createUser("NURSE");
    const valid = await callRoute(signInAction, {
      path: "/sign-in",
      form: { email: user.email, password: TEST_PASSWORD },
      context: context(),
    });
    expect(statusOf(valid)).toBe(429);
  });
});
