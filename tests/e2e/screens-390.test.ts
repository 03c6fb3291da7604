import { describe, expect, it } from "vitest";
import { expectNoAxeViolations, sidewaysOverflow } from "../helpers/accessibility";
import { demoClinicScreenSuite } from "../helpers/screens";

const { open, checkEveryScreenAt } = demoClinicScreenSuite();

checkEveryScreenAt(390);

describe("the header at 390 px", () => {
  it("folds into a menu that the keyboard opens and closes", async () => {
    const { page, problems } = await open({ url: "/worklist", as: "physician" }, 390);
    const nav = page.getByRole("navigation", { name: "Main" });
    // A <details> summary, which opens without JavaScript too (menu-and-rule-ranges.test.ts).
    const menu = nav.locator("summary", { hasText: "Menu" });
    const patientsLink = nav.getByRole("link", { name: "Patients", exact: true });
    // Hydrated, the summary gains aria-expanded in an effect: a moment after Remix's router exists.
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");
    expect(await patientsLink.isVisible()).toBe(false);

    await menu.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("true");
    expect(await patientsLink.isVisible()).toBe(true);
    expect(await sidewaysOverflow(page)).toBe(0);
    await expectNoAxeViolations(page, "worklist, menu open, 390 px");

    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Menu");

    // A link in the open menu navigates, and the menu is closed on the new page.
    await page.keyboard.press("Space");
    await patientsLink.click();
    await page.waitForURL("**/patients");
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");

    // At 1440 px there is no menu button: every link is in the bar.
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await menu.isVisible()).toBe(false);
    expect(await nav.getByRole("link", { name: "Worklist" }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
