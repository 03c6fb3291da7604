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
  it("checks at most the limit of 30 simultaneous wrong passwords for one account", async () => {
    const user = await createUser("NURSE");
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, attempt) =>
        postForm(server, "/sign-in", { email: user.email, password: `wrong-password-guess-${attempt}` }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(SIGN_IN_THROTTLE.perAccount);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - SIGN_IN_THROTTLE.perAccount);
    expect(await auditEvents({ action: "auth.sign_in_failed", userId: user.id })).toHaveLength(
      SIGN_IN_THROTTLE.perAccount,
    );
  });
});
