import { describe, expect, it } from "vitest";
import { createPatient, createUser, enrolTotp, TEST_PASSWORD } from "../helpers/fixtures";
import { expectNoAxeViolations } from "../helpers/accessibility";
import { browserSuite, signInThroughForm, signInWithTotp, waitForHydration } from "../helpers/browser";

const { openPage } = browserSuite();

async function signIn(email: string, password: string) {
  const { page, problems } = await openPage();
  await signInThroughForm(page, email, password);
  return { page, problems };
}

describe("administrators in a browser", () => {
  it("create a user, who must choose their own password at first sign-in", async () => {
    const admin = await createUser("ADMIN");
    const { page, problems } = await signIn(admin.email, TEST_PASSWORD);
    await page.waitForURL("**/reports");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
    await page.getByRole("link", { name: "New user" }).click();
    await waitForHydration(page);

    const email = `e2e-${Date.now()}@clinic.test`;
    await page.getByLabel("Name").fill("Ellis Wren");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Role").selectOption("NURSE");
    await page.getByLabel("Password", { exact: true }).fill("harbour-violet-compass-maple");
    await page.getByLabel("Password again").fill("harbour-violet-compass-maple");
    await page.getByRole("button", { name: "Create user" }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Ellis Wren");
    expect(await page.getByText("Temporary: must be changed at next sign-in").isVisible()).toBe(true);
    await expectNoAxeViolations(page, "a new user's page");

    const nurse = await signIn(email, "harbour-violet-compass-maple");
    await nurse.page.waitForURL("**/account/password?redirectTo=%2Fpatients");
    await waitForHydration(nurse.page);
    await nurse.page.goto("/needs-data");
    await nurse.page.waitForURL("**/account/password?redirectTo=%2Fneeds-data");
    await waitForHydration(nurse.page);
    await nurse.page.getByLabel("Current password").fill("harbour-violet-compass-maple");
    await nurse.page.getByLabel("New password", { exact: true }).fill("orchid-lighthouse-tundra-sparrow");
    await nurse.page.getByLabel("New password again").fill("orchid-lighthouse-tundra-sparrow");
    await nurse.page.getByRole("button", { name: "Change password" }).click();
    await nurse.page.waitForURL("**/needs-data");

    // Back on the user's page: a weak temporary password is refused next to its field; deactivation works.
    await page.reload();
    await waitForHydration(page);
    await page.getByLabel("Temporary password", { exact: true }).fill("password1234567890");
    await page.getByLabel("Temporary password again").fill("password1234567890");
    await page.getByRole("button", { name: "Reset password" }).click();
    await expect.poll(() => page.getByText("This password is too common").isVisible()).toBe(true);
    await page.getByRole("button", { name: "Deactivate user" }).click();
    await expect.poll(() => page.getByText("Deactivated. The user was signed out everywhere.").isVisible()).toBe(true);
    await nurse.page.goto("/patients");
    await nurse.page.waitForURL("**/sign-in?redirectTo=%2Fpatients");

    // The refused password was a 400 answer, which Chromium reports; nothing else went wrong.
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
    expect(nurse.problems).toEqual([]);
  }, 60_000);

  it("find who viewed a patient's record, and export it", async () => {
    const admin = await createUser("ADMIN");
    const physician = await createUser("PHYSICIAN", { name: "Dr Audit Trail" });
    const { patient } = await createPatient(physician.id, { mrn: "E2E-AUDIT-1" });
    const viewer = await signIn(physician.email, TEST_PASSWORD);
    await viewer.page.waitForURL("**/worklist");
    await viewer.page.goto(`/patients/${patient.id}`);

    // Exporting the trail is a step-up action: this administrator signed in with a second factor just now.
    const secret = await enrolTotp(admin.id);
    const { page, problems } = await openPage();
    await signInWithTotp(page, admin.email, TEST_PASSWORD, secret);
    await page.waitForURL("**/reports");
    await page.goto("/admin/audit");
    await waitForHydration(page);
    await page.getByLabel("Patient (medical record number)").fill("e2e-audit-1");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(`**/admin/audit?patient=${patient.id}`);
    await page.getByRole("link", { name: "Views of this patient, last 30 days" }).click();
    await page.waitForURL(/action=patient\.view/);
    expect(await page.getByRole("cell", { name: /Dr Audit Trail/ }).count()).toBeGreaterThan(0);
    expect(await page.getByLabel("Patient (medical record number)").inputValue()).toBe("E2E-AUDIT-1");
    await expectNoAxeViolations(page, "audit trail filtered by patient");

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export these entries (CSV)" }).click();
    expect((await download).suggestedFilename()).toMatch(/^audit-trail_patient-[0-9a-f-]{36}_action-patient\.view_/);
    expect(problems).toEqual([]);
  }, 60_000);
});
