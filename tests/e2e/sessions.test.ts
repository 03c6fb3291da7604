import { describe, expect, it } from "vitest";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { browserSuite, signInThroughForm, waitForHydration } from "../helpers/browser";

const { openPage } = browserSuite();

describe("ending a session from the account page", () => {
  it("a user signed in on two browsers ends the other one, which must sign in again", async () => {
    const user = await createUser("NURSE", { name: "E2E Sessions" });
    const here = await openPage();
    const elsewhere = await openPage();
    for (const { page } of [here, elsewhere]) {
      await signInThroughForm(page, user.email, TEST_PASSWORD);
      await page.waitForURL((url) => url.pathname === "/patients");
    }

    await here.page.getByRole("link", { name: /E2E Sessions/ }).click();
    await here.page.getByRole("heading", { level: 1, name: "Your sessions" }).waitFor();
    await waitForHydration(here.page);
    const rows = here.page.getByRole("table").getByRole("row");
    expect(await rows.count()).toBe(3);
    expect(await here.page.getByText("This browser").count()).toBe(1);
    expect(await rows.nth(1).textContent()).toContain("Chrome on Linux");

    await here.page.getByRole("button", { name: "End session" }).click();
    await expect.poll(() => here.page.getByRole("status").textContent()).toBe("Ended 1 session.");
    expect(await here.page.getByRole("button", { name: "End session" }).count()).toBe(0);

    await elsewhere.page.goto("/patients");
    await expect.poll(() => new URL(elsewhere.page.url()).pathname).toBe("/sign-in");
    await here.page.goto("/patients");
    expect(new URL(here.page.url()).pathname).toBe("/patients");

    expect([...here.problems, ...elsewhere.problems]).toEqual([]);
    await here.page.context().close();
    await elsewhere.page.context().close();
  });
});
