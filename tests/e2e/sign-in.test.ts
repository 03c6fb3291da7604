import { describe, expect, it } from "vitest";
import type { Role } from "~/domain/roles";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { expectNoAxeViolations } from "../helpers/accessibility";
import { browserSuite, waitForHydration } from "../helpers/browser";

const { openPage } = browserSuite();

const JOURNEYS: Array<{ role: Role; home: string; heading: string; forbidden: string }> = [
  { role: "PHYSICIAN", home: "/worklist", heading: "Review worklist", forbidden: "/reports" },
  { role: "NURSE", home: "/patients", heading: "Patients and follow-ups", forbidden: "/worklist" },
  { role: "ADMIN", home: "/reports", heading: "Referral reports", forbidden: "/patients" },
];

describe("signing in and out in a browser", () => {
  it.each(JOURNEYS)(
    "a $role signs in, is refused another role's page, and signs out",
    async (journey) => {
      const user = await createUser(journey.role, { name: `E2E ${journey.role}` });
      const { page, problems } = await openPage();

      await page.goto(journey.home);
      await expect.poll(() => new URL(page.url()).pathname).toBe("/sign-in");
      await waitForHydration(page);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();

      await page.waitForURL((url) => url.pathname === journey.home);
      await page.getByRole("heading", { level: 1, name: journey.heading }).waitFor();
      await expectNoAxeViolations(page, `${journey.home} as ${journey.role}`);
      expect(await page.getByRole("navigation", { name: "Main" }).getByText(`E2E ${journey.role}`).isVisible()).toBe(
        true,
      );

      const refused = await page.goto(journey.forbidden);
      expect(refused?.status()).toBe(403);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Access denied");
      await expectNoAxeViolations(page, "access denied");

      await page.goto(journey.home);
      await waitForHydration(page);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL("**/sign-in");
      await page.goto(journey.home);
      await expect.poll(() => new URL(page.url()).pathname).toBe("/sign-in");

      expect(problems.filter((problem) => !problem.includes("403"))).toEqual([]);
      await page.context().close();
    },
    60_000,
  );

  it("shows the error next to the field when Sign in is pressed, and a clear message for a wrong password", async () => {
    const user = await createUser("NURSE");
    const { page, problems } = await openPage();
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(new URL(request.url()).pathname);
    });
    await page.goto("/sign-in");
    await waitForHydration(page);

    await page.getByLabel("Email").fill("not-an-email");
    // Leaving the field shows nothing yet (an error appearing then would move the button under the pointer).
    await page.getByLabel("Password").focus();
    expect(await page.getByText("Enter a valid email address.").count()).toBe(0);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByText("Enter a valid email address.").isVisible()).toBe(true);
    expect(await page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    await expectNoAxeViolations(page, "sign-in with an invalid email");

    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill("not-the-password-at-all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByText("Email or password is incorrect.").isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    // Typing between the two presses sent nothing: each press is one attempt, and only a press counts.
    expect(posts).toEqual(["/sign-in.data", "/sign-in.data"]);

    // The server checks the form (the page sends no schema library): 400 for the bad email, 401 for the password.
    expect(problems.filter((problem) => !/\b(400|401)\b/.test(problem))).toEqual([]);
    await page.context().close();
  }, 60_000);
});
