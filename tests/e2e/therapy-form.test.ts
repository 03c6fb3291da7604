import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { browserSuite, waitForHydration } from "../helpers/browser";
import { createPatient, createUser } from "../helpers/fixtures";
import { signInBrowser } from "../helpers/session";

const { openPage, origin } = browserSuite();

describe("the therapy form", () => {
  it("shows only the fields of the chosen kind of therapy, and sends only those", async () => {
    const physician = await createUser("PHYSICIAN");
    const nurse = await createUser("NURSE");
    const { patient } = await createPatient(physician.id);
    const { page, problems } = await openPage();
    await signInBrowser(page, nurse.id, origin());
    await page.goto(`/patients/${patient.id}/therapies/new`);
    await waitForHydration(page);
    const medication = page.getByRole("group", { name: "Medication" });
    const sessions = page.getByRole("group", { name: "Sessions" });
    const shown = async () => [await medication.isVisible(), await sessions.isVisible()];

    expect(await shown()).toEqual([false, false]);
    await page.getByLabel("Therapy").selectOption("PHYSICAL_THERAPY");
    expect(await shown()).toEqual([false, true]);
    await page.getByLabel("Sessions planned").fill("8");
    await page.getByLabel("Therapy").selectOption("NSAID");
    expect(await shown()).toEqual([true, false]);
    await page.getByLabel("Drug").fill("Ibuprofen");
    await page.getByLabel("Therapy").selectOption("HOME_EXERCISE");
    expect(await shown()).toEqual([false, false]);

    // Back to physical therapy: the sessions typed are still there; the drug typed is not sent.
    await page.getByLabel("Therapy").selectOption("PHYSICAL_THERAPY");
    expect(await page.getByLabel("Sessions planned").inputValue()).toBe("8");
    await page.getByRole("button", { name: "Save therapy" }).click();
    await page.waitForURL((url) => url.pathname === `/patients/${patient.id}`);
    const saved = await getDb().therapyTrial.findFirstOrThrow({
      where: { patientId: patient.id, modality: "PHYSICAL_THERAPY" },
    });
    expect(saved).toMatchObject({ sessionsPlanned: 8, drug: null });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
