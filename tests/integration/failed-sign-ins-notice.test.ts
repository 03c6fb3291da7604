import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { getPage, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** The page's text as a reader sees it: without the markers React puts between pieces of text. */
async function textOf(response: Response) {
  return (await response.text()).replaceAll("<!-- -->", "");
}

async function signIn(email: string, password: string) {
  const response = await postForm(server, "/sign-in", { email, password });
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
}

describe("failed sign-ins since the last one", () => {
  it("are told once, on the first page after the next sign-in", async () => {
    const user = await createUser("NURSE");
    await signIn(user.email, TEST_PASSWORD);
    for (let attempt = 0; attempt < 3; attempt++) await signIn(user.email, "not-my-password-at-all");

    const cookie = await signIn(user.email, TEST_PASSWORD);
    const first = await textOf(await getPage(server, "/patients", cookie));
    expect(first).toContain("There were 3 failed sign-in attempts to your account since you last signed in.");
    const second = await textOf(await getPage(server, "/patients", cookie));
    expect(second).not.toContain("failed sign-in attempt");

    const again = await signIn(user.email, TEST_PASSWORD);
    expect(await textOf(await getPage(server, "/patients", again))).not.toContain("failed sign-in attempt");
  });
});
