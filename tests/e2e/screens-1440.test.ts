import { describe, expect, it } from "vitest";
import { expectNoAxeViolations } from "../helpers/accessibility";
import { waitForHydration } from "../helpers/browser";
import { demoClinicScreenSuite } from "../helpers/screens";

const { open, checkEveryScreenAt, flagged } = demoClinicScreenSuite();

checkEveryScreenAt(1440);

describe("the keyboard", () => {
  it("skips to the content, searches with /, records an outcome with o, lists the shortcuts with ?", async () => {
    const { page, problems } = await open({ url: "/worklist", as: "physician" }, 1440);
    const active = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element ? `${element.tagName.toLowerCase()}:${element.textContent?.trim() ?? ""}` : "";
      });

    // The skip link is the first stop, visible when focused; it lands in the page's main content.
    await page.keyboard.press("Tab");
    expect(await active()).toBe("a:Skip to main content");
    expect(await page.getByRole("link", { name: "Skip to main content" }).isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("main")?.id)).toBe("main");
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());

    // `/` with no search field on the page opens the patient search, with the cursor in it.
    await page.keyboard.press("/");
    await page.waitForURL("**/patients");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("q");
    // Typed into the field, `/` and `o` are just characters.
    await page.keyboard.type("o/");
    expect(await page.getByLabel("Search by name or MRN").inputValue()).toBe("o/");
    expect(new URL(page.url()).pathname).toBe("/patients");

    // `o` on a patient's page opens the outcome form.
    await page.goto(`/patients/${flagged().patientId}`);
    await waitForHydration(page);
    await page.keyboard.press("o");
    await page.waitForURL(`**/patients/${flagged().patientId}/assessments/new`);
    await page.getByLabel("Pain now").waitFor();

    // `?` lists the shortcuts in a dialog; so does the header's button. Escape closes it.
    await page.getByLabel("Pain now").blur();
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    for (const key of ["/", "o", "?"]) expect(await dialog.locator("kbd", { hasText: key }).count()).toBe(1);
    await expectNoAxeViolations(page, "shortcuts dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
    await dialog.waitFor();

    // They can be turned off (WCAG 2.1.4), and stay off on the next page.
    await dialog.getByLabel("Use single-key shortcuts").uncheck();
    await dialog.getByRole("button", { name: "Close" }).click();
    await page.goto("/worklist");
    await waitForHydration(page);
    await page.keyboard.press("/");
    await page.waitForTimeout(300);
    expect(new URL(page.url()).pathname).toBe("/worklist");
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
