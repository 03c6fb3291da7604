import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { expectNoAxeViolations } from "../helpers/accessibility";
import { browserSuite, signInThroughForm, waitForHydration } from "../helpers/browser";

const { openPage } = browserSuite();

describe("the FHIR upload page in a browser", () => {
  it("runs a dry run, then the import, in the background and keeps each report", async () => {
    const admin = await createUser("ADMIN");
    await createUser("PHYSICIAN", { name: "Dr Upload" });
    const { page, problems } = await openPage();
    await signInThroughForm(page, admin.email, TEST_PASSWORD);
    await page.waitForURL("**/reports");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "FHIR imports" }).click();
    await page.waitForURL("**/admin/imports");
    await waitForHydration(page);

    const fixture = path.join(__dirname, "../fixtures/fhir/synthea-transaction.json");
    const upload = async (dryRun: boolean) => {
      await page.getByLabel("File").setInputFiles(fixture);
      await page.getByLabel("New patients' physician").selectOption({ label: "Dr Upload" });
      await page.getByLabel("Dry run (write nothing)").setChecked(dryRun);
      await page.getByRole("button", { name: "Upload and import" }).click();
      await page.waitForURL(/\/admin\/imports\/[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByRole("status").filter({ hasText: "Status:" }).textContent(), { timeout: 30_000 }).toContain("succeeded");
      return page.getByTestId("totals").textContent();
    };

    expect(await upload(true)).toMatch(/1 patients \(1 would import, 0 failed\)/);
    expect(await getDb().patient.count({ where: { familyName: "Kub800" } })).toBe(0);

    await page.getByRole("link", { name: "All imports" }).click();
    await page.waitForURL("**/admin/imports");
    await waitForHydration(page);
    expect(await upload(false)).toMatch(/1 patients \(1 imported, 0 failed\)/);
    expect(await getDb().patient.count({ where: { familyName: "Kub800" } })).toBe(1);
    expect(await page.getByRole("cell", { name: /^SYN-/ }).count()).toBe(1);
    await expectNoAxeViolations(page, "an import's report");

    await page.getByRole("link", { name: "All imports" }).click();
    await expect.poll(() => page.getByRole("row").count()).toBe(3);
    expect(problems).toEqual([]);
    // Two imports and a browser: longer than the default on a loaded machine.
  }, 90_000);
});
