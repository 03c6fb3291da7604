import { describe, expect, it } from "vitest";
import { browserSuite, signInThroughForm, waitForHydration } from "../helpers/browser";
import { createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { PACKET_MRI_FINDING, referredPatientWithCautions } from "../helpers/packet-patient";
import { addDays } from "~/domain/clinical/duration";
import { clinicToday } from "~/server/clinic-time.server";

const { openPage } = browserSuite();

/** Page objects of a PDF: Chromium's writer leaves them uncompressed ("/Type /Pages" is the tree). */
const pageCount = (pdf: Buffer) => pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;

describe("the referral packet in a browser", () => {
  it("prints the summary on one or two pages with the allergy and the cautions, and no buttons", async () => {
    const physician = await createUser("PHYSICIAN", { name: "Dr Printwell" });
    const { patient, referral } = await referredPatientWithCautions(physician.id, "Printova");
    const { page, problems } = await openPage();
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/worklist");
    await page.goto(`/patients/${patient.id}/referrals/${referral.id}/summary`);
    await waitForHydration(page);
    const print = page.getByRole("button", { name: "Print" });
    expect(await print.isVisible()).toBe(true);

    await page.emulateMedia({ media: "print" });
    expect(await print.isVisible()).toBe(false);
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    // innerText follows the print CSS, so this is the text that reaches the paper.
    const printed = await page.locator("main").innerText();
    expect(printed).toMatch(/Allergies\s+Contrast, Latex, Penicillin: rash/);
    expect(printed).toContain("Apixaban: stop 3–5 days before (intermediate bleeding risk); restart 24 hours after");
    expect(printed).toContain("Contrast allergy: spinal injections use fluoroscopy with contrast");
    expect(printed).toContain(`MRI ${addDays(clinicToday(), -30)}: ${PACKET_MRI_FINDING} (concordant with the clinical findings)`);
    expect(printed).toContain("Signature:");

    for (const format of ["A4", "Letter"]) {
      const pages = pageCount(await page.pdf({ format, printBackground: false }));
      expect(pages, format).toBeGreaterThanOrEqual(1);
      expect(pages, format).toBeLessThanOrEqual(2);
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("on the referral form, shows the cautions of the procedure chosen", async () => {
    const physician = await createUser("PHYSICIAN");
    const { patient, diagnosis } = await referredPatientWithCautions(physician.id, "Formova");
    const { page, problems } = await openPage();
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/worklist");
    await page.goto(`/patients/${patient.id}/referrals/new?diagnosisId=${diagnosis.id}`);
    await waitForHydration(page);
    const packet = page.getByRole("region", { name: "Referral packet" });
    await packet.getByText("Contrast allergy: spinal injections use fluoroscopy").waitFor();
    await page.getByLabel("Procedure").selectOption("SPINAL_CORD_STIMULATOR_TRIAL");
    await packet.getByText("The evaluation did not suggest this procedure").waitFor();
    expect(await packet.getByText("No hold guidance from the evaluation for this procedure").isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
