import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { expectNoAxeViolations } from "../helpers/accessibility";
import { browserSuite, launchBrowser, waitForHydration } from "../helpers/browser";
import { createUser } from "../helpers/fixtures";
import { signInBrowser } from "../helpers/session";

const { openPage, origin } = browserSuite();

let nurseId: string;
let adminId: string;

beforeAll(async () => {
  nurseId = (await createUser("NURSE")).id;
  adminId = (await createUser("ADMIN")).id;
});

describe("the folded header menu", () => {
  it("opens without JavaScript at 390 px, and a link inside it navigates", async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({
        baseURL: origin(),
        javaScriptEnabled: false,
        viewport: { width: 390, height: 800 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await signInBrowser(page, nurseId, origin());
      await page.goto("/worklist");
      const nav = page.getByRole("navigation", { name: "Main" });
      const patients = nav.getByRole("link", { name: "Patients", exact: true });
      expect(await patients.isVisible()).toBe(false);

      await nav.getByText("Menu", { exact: true }).click();
      // The open menu is checked with axe-core in screens-390.test.ts: axe needs scripts.
      expect(await patients.isVisible()).toBe(true);

      await patients.click();
      await page.waitForURL("**/patients");
      await page.getByRole("heading", { level: 1 }).waitFor();
      // A new page: the menu is folded again.
      expect(await nav.getByRole("link", { name: "Worklist" }).isVisible()).toBe(false);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("is not folded at 1024 px, with or without JavaScript", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const browser = await launchBrowser();
      try {
        const context = await browser.newContext({
          baseURL: origin(),
          javaScriptEnabled,
          viewport: { width: 1024, height: 800 },
        });
        const page = await context.newPage();
        await signInBrowser(page, nurseId, origin());
        await page.goto("/worklist");
        const nav = page.getByRole("navigation", { name: "Main" });
        expect(await nav.getByText("Menu", { exact: true }).isVisible()).toBe(false);
        expect(await nav.getByRole("link", { name: "Patients", exact: true }).isVisible()).toBe(true);
        expect(await nav.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
      } finally {
        await browser.close();
      }
    }
  }, 60_000);
});

describe("rule settings: safe ranges in the browser", () => {
  it("shows each allowed range, and refuses every out-of-range value at once without sending the form", async () => {
    const { page, problems } = await openPage();
    await signInBrowser(page, adminId, origin());
    await page.goto("/admin/rules/new");
    await waitForHydration(page);
    const peg = page.locator('input[name="parameters.function.pegThreshold"]');
    const hint = page.locator(`[id="${await peg.getAttribute("id")}-hint"]`);
    expect(await hint.textContent()).toMatch(/^Allowed 3–8 \/10; now 4\./);
    expect(await peg.getAttribute("min")).toBe("3");
    expect(await peg.getAttribute("max")).toBe("8");
    expect(await peg.getAttribute("step")).toBe("1");

    // A second field with a range, found from the page itself.
    const other = page.locator('input[type="number"]:not([name="parameters.function.pegThreshold"])').first();
    const otherMax = Number(await other.getAttribute("max"));

    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await peg.fill("2");
    await other.fill(String(otherMax + 1));
    await page.getByLabel("Why (required)").fill("Testing the bounds.");
    await page.getByRole("button", { name: "Save draft" }).click();

    const errorOf = async (input: typeof peg) => {
      await expect.poll(() => input.getAttribute("aria-invalid")).toBe("true");
      const ids = ((await input.getAttribute("aria-describedby")) ?? "").split(" ");
      const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
      return texts.join(" ");
    };
    expect(await errorOf(peg)).toContain("2 is outside the safe range 3–8 /10.");
    expect(await errorOf(other)).toMatch(new RegExp(`${otherMax + 1} is outside the safe range`));
    await page.waitForTimeout(300);
    expect(posts).toEqual([]);
    expect(new URL(page.url()).pathname).toBe("/admin/rules/new");
    await expectNoAxeViolations(page, "rule settings with range errors");

    // The drafts table is untouched: nothing reached the server.
    expect(await getDb().ruleSetVersion.count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
