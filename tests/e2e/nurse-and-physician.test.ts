import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { expectNoAxeViolations } from "../helpers/accessibility";
import { browserSuite, signInThroughForm, waitForHydration } from "../helpers/browser";
import { createPatient, createUser, TEST_PASSWORD } from "../helpers/fixtures";

const { openPage } = browserSuite();

async function signIn(page: Page, email: string) {
  await signInThroughForm(page, email, TEST_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

describe("the pathway record in a browser", () => {
  it("a nurse records an outcome with the keyboard; a physician sees the new point on the chart", async () => {
    const physician = await createUser("PHYSICIAN");
    const nurse = await createUser("NURSE");
    const { patient } = await createPatient(physician.id, { familyName: "Quillfeather", givenName: "Imogen" });

    const { page, problems } = await openPage();
    await signIn(page, nurse.email);
    await page.getByLabel("Search by name or MRN").fill("quillfeather");
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: "QUILLFEATHER, Imogen" }).click();
    await page.waitForURL(`**/patients/${patient.id}`);
    await page.getByRole("link", { name: "Record outcome" }).click();
    await page.waitForURL("**/assessments/new");
    await waitForHydration(page);
    // The address changes when the navigation completes; React renders the form just after it.
    await page.getByLabel("Pain now").waitFor();

    // Keyboard only: the first score field has focus; Tab moves through the form.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("painNow");
    for (const value of ["5", "7", "4"]) {
      await page.keyboard.type(value);
      await page.keyboard.press("Tab");
    }
    for (const value of ["7", "6", "6"]) {
      await page.keyboard.type(value);
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("ArrowDown"); // limitation select: first real option
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter"); // submits the form from the text field
    await page.screenshot({ path: "tests/.artifacts/record-outcome-error.png", fullPage: true });
    await expect.poll(() => page.getByText("Worst pain cannot be lower than average pain.").isVisible()).toBe(true);
    expect(await getDb().outcomeAssessment.count({ where: { patientId: patient.id } })).toBe(0);
    await expectNoAxeViolations(page, "record outcome with an error");

    await page.getByLabel("Worst pain").fill("9");
    await page.getByLabel("Worst pain").press("Enter");
    await page.waitForURL(`**/patients/${patient.id}`);
    const saved = await getDb().outcomeAssessment.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(saved).toMatchObject({ painNow: 5, painAverage: 7, painWorst: 9, pegScore: 6.3, recordedById: nurse.id });
    await page.context().close();

    const physicianSession = await openPage();
    await signIn(physicianSession.page, physician.email);
    await physicianSession.page.goto(`/patients/${patient.id}`);
    const point = physicianSession.page.locator('svg[data-plot="pain"] g > title', {
      hasText: /: average pain 7, PEG 6\.3$/,
    });
    expect(await point.count()).toBe(1);
    expect(
      await physicianSession.page
        .getByRole("heading", { name: "Pain, therapies and procedures over time" })
        .isVisible(),
    ).toBe(true);
    await expectNoAxeViolations(physicianSession.page, "patient page with one assessment");
    await physicianSession.page.screenshot({ path: "tests/.artifacts/patient-page.png", fullPage: true });
    await physicianSession.page.context().close();

    expect([...problems, ...physicianSession.problems]).toEqual([]);
  }, 60_000);
});
