import { describe, expect, it } from "vitest";
import { DATABASE_UNAVAILABLE_MESSAGE } from "~/models/database-unavailable.server";
import { getDb } from "~/server/db.server";
import { browserSuite, signInThroughForm, waitForHydration } from "../helpers/browser";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { whileDatabaseUnreachable } from "../helpers/outage";

const { openPage } = browserSuite();

describe("a database outage in a browser", () => {
  it("keeps what was typed, says nothing was saved, and lets the same form be sent again", async () => {
    const physician = await createUser("PHYSICIAN", { name: "Dr Outage" });
    const { page } = await openPage();
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await page.goto("/patients/new");
    await waitForHydration(page);

    const typed = { "Given name": "Perpetua", "Family name": "Outagely", "Date of birth": "1958-07-14" };
    await page.getByLabel("Medical record number").fill("OUT-1");
    for (const [label, value] of Object.entries(typed)) await page.getByLabel(label).fill(value);
    await page.getByLabel("Sex").selectOption("FEMALE");
    await page.getByLabel("Assigned physician").selectOption(physician.id);

    await whileDatabaseUnreachable(async () => {
      await page.getByRole("button", { name: "Create patient" }).click();
      await expect.poll(() => page.getByText(DATABASE_UNAVAILABLE_MESSAGE).isVisible()).toBe(true);
      for (const [label, value] of Object.entries(typed)) expect(await page.getByLabel(label).inputValue()).toBe(value);
    });
    expect(await getDb().patient.count({ where: { mrn: "OUT-1" } })).toBe(0);

    await page.getByRole("button", { name: "Create patient" }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    expect(await getDb().patient.findFirst({ where: { mrn: "OUT-1" } })).toMatchObject({ familyName: "Outagely" });
    await page.context().close();
  });
});
