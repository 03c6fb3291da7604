import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_THROTTLE } from "~/models/sign-in-throttle.server";
import { auditEvents, createUser } from "../helpers/fixtures";
import { postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("the sign-in throttle under parallel requests", () => {
  it("checks at most the free attempts of 30 simultaneous wrong passwords for one account", async () => {
    const user = await createUser("NURSE");
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, attempt) =>
        postForm(server, "/sign-in", { email: user.email, password: `wrong-password-guess-${attempt}` }),
      ),
    );
    // Beyond the free attempts the delays are 1 s, 2 s, 4 s…: a slow machine may let a few more
    // through while the 30 requests are answered, never more than that time allows.
    const elapsedSeconds = (Date.now() - started) / 1000;
    const allowed = SIGN_IN_THROTTLE.pair.free + Math.floor(Math.log2(elapsedSeconds + 1));
    const checked = responses.filter((response) => response.status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(SIGN_IN_THROTTLE.pair.free);
    expect(checked).toBeLessThanOrEqual(allowed);
    expect(responses.filter((response) => response.status === 429)).toHaveLength(30 - checked);
    expect(await auditEvents({ action: "auth.sign_in_failed", userId: user.id })).toHaveLength(checked);
  });
});
