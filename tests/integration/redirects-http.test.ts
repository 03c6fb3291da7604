import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { getPage, postForm } from "../helpers/http";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

// Each of these normalises to `//evil.example…`, which a browser reads as another site.
const LEAVING = ["/.//evil.example", "/..//evil.example", "/a/..//evil.example", "/%2e%2e//evil.example"];

describe("redirects after sign-in and password change", () => {
  it.each(LEAVING)("sign-in with redirectTo=%s stays on the site", async (redirectTo) => {
    const user = await createUser("NURSE");
    const response = await postForm(server, "/sign-in", { email: user.email, password: TEST_PASSWORD, redirectTo });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/patients");
  });

  it.each(LEAVING)("the password page with redirectTo=%s stays on the site", async (redirectTo) => {
    const user = await createUser("PHYSICIAN");
    const cookie = await sessionCookie(user.id);
    const page = await getPage(server, `/account/password?${new URLSearchParams({ redirectTo })}`, cookie);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="redirectTo" value=""');

    const newPassword = "copper-meadow-signal-harbor-77";
    const response = await postForm(
      server,
      "/account/password",
      { currentPassword: TEST_PASSWORD, password: newPassword, confirmPassword: newPassword, redirectTo },
      { cookie },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/worklist");
  });
});
