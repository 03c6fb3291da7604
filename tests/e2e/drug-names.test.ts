import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { expectNoAxeViolations } from "../helpers/accessibility";
import { browserSuite, waitForHydration } from "../helpers/browser";
import { createPatient, createUser } from "../helpers/fixtures";
import { signInBrowser } from "../helpers/session";

const { openPage, origin } = browserSuite();

describe("the drug field", () => {
  it("finds a drug typed in lower case, offers names only, and the patient page shows names, never ids", async () => {
    const physician = await createUser("PHYSICIAN");
    const nurse = await createUser("NURSE");
    const { patient, therapy } = await createPatient(physician.id);
    // The fixture's trial becomes a fentanyl patch, whose id differs from its name by more than case.
    await getDb().therapyTrial.update({
      where: { id: therapy.id },
      data: {
        drug: "fentanyl-transdermal",
        dose: 25,
        doseUnit: "mcg/hr",
        frequency: "continuous",
        route: "transdermal",
      },
    });
    const { page, problems } = await openPage();
    await signInBrowser(page, nurse.id, origin());
    await page.goto(`/patients/${patient.id}/therapies/new`);
    await waitForHydration(page);
    const offered = () =>
      page
        .locator("#drug-names option")
        .evaluateAll((nodes) =>
          nodes.map((node) => [(node as HTMLOptionElement).value, (node as HTMLOptionElement).label]),
        );
    await page.getByLabel("Therapy").selectOption("NSAID");
    expect((await offered()).map(([name]) => name)).toEqual([
      "Ibuprofen",
      "Naproxen",
      "Meloxicam",
      "Celecoxib",
      "Diclofenac",
    ]);
    expect(await page.getByLabel("Not in the list: keep the name as typed").isVisible()).toBe(true);
    await expectNoAxeViolations(page, "the therapy form, NSAID chosen");

    await page.getByLabel("Therapy").selectOption("OPIOID");
    expect(await page.getByLabel("Not in the list: keep the name as typed").count()).toBe(0);
    const options = await offered();
    expect(options).toContainEqual(["Fentanyl (transdermal patch)", "Fentanyl (transdermal patch) — Duragesic"]);
    expect(options).toContainEqual(["Oxycodone", "Oxycodone — OxyContin, Roxicodone, Xtampza ER"]);
    expect(options.flat().filter((text) => /^[a-z]|-transdermal/.test(text))).toEqual([]);
    await expectNoAxeViolations(page, "the therapy form, opioid chosen");

    await page.getByLabel("Drug").fill("oxycodon");
    await page.getByLabel("Dose per administration").fill("10");
    await page.getByLabel("Unit").fill("mg");
    await page.getByLabel("Frequency").selectOption("twice-daily");
    await page.getByLabel("Route").selectOption("oral");
    await page.getByRole("button", { name: "Save therapy" }).click();
    await expect
      .poll(() => page.getByRole("alert").allInnerTexts())
      .toContainEqual(expect.stringContaining("No drug called 'oxycodon'. Did you mean Oxycodone?"));
    expect(await page.getByLabel("Drug").getAttribute("aria-invalid")).toBe("true");
    await expectNoAxeViolations(page, "the therapy form, unknown drug refused");

    await page.getByLabel("Drug").fill("oxycodone");
    await page.getByRole("button", { name: "Save therapy" }).click();
    await page.waitForURL((url) => url.pathname === `/patients/${patient.id}`);
    const saved = await getDb().therapyTrial.findFirstOrThrow({
      where: { patientId: patient.id, NOT: { id: therapy.id } },
    });
    expect(saved).toMatchObject({ modality: "OPIOID", drug: "oxycodone", dose: 10 });

    // The URL changes as the navigation commits; under load the new page renders a moment later.
    await page.getByText("Oxycodone 10 mg").first().waitFor();
    const text = await page.locator("body").innerText();
    expect(text).toContain("Oxycodone 10 mg");
    expect(text).toContain("Fentanyl (transdermal patch) 25 mcg/hr");
    expect(text).not.toMatch(/oxycodone|fentanyl-transdermal/);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);
});
