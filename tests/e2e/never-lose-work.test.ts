import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { getEnv } from "~/server/env.server";
import { browserSuite, signInThroughForm, waitForHydration } from "../helpers/browser";
import { createPatient, createUser, TEST_PASSWORD } from "../helpers/fixtures";

const { openPage } = browserSuite();

const NOTE = "Interrupted by a phone call; knee worse on stairs";

async function signIn(page: Page, email: string) {
  await signInThroughForm(page, email, TEST_PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

async function openOutcomeForm(page: Page, patientId: string) {
  await page.goto(`/patients/${patientId}/assessments/new`);
  await waitForHydration(page);
  await page.getByLabel("Pain now").waitFor();
}

async function fillOutcome(page: Page) {
  const values: Array<[string, string]> = [
    ["Pain now", "6"],
    ["Average pain", "5"],
    ["Worst pain", "8"],
    ["P: average pain", "5"],
    ["E: interference with enjoyment of life", "6"],
    ["G: interference with general activity", "7"],
  ];
  for (const [label, value] of values) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByLabel("Limitation of mobility or daily life").selectOption({ index: 2 });
  await page.getByLabel("Note (optional)").fill(NOTE);
}

const draftsIn = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith("painpath:draft:"))
      .map((key) => ({ key, value: localStorage.getItem(key) ?? "" })),
  );

/** Moves the session's last activity back, as if the user had been away that long. */
async function idleFor(userId: string, minutes: number) {
  await getDb().session.updateMany({
    where: { userId, endedAt: null },
    data: { lastSeenAt: new Date(Date.now() - minutes * 60_000) },
  });
}

describe("a clinician's entry is never lost", () => {
  it("warns before idle expiry, keeps the entry through a sign-in, and forgets it once saved", async () => {
    const idle = getEnv().SESSION_IDLE_MINUTES;
    const physician = await createUser("PHYSICIAN");
    const nurse = await createUser("NURSE");
    const { patient } = await createPatient(physician.id);
    const { page, problems } = await openPage();
    await page.clock.install();
    await signIn(page, nurse.email);
    await openOutcomeForm(page, patient.id);
    await fillOutcome(page);

    // The draft is in this browser, sealed: the note cannot be read from storage.
    await expect.poll(async () => (await draftsIn(page)).length).toBe(1);
    const [draft] = await draftsIn(page);
    expect(draft?.key).toBe(`painpath:draft:${nurse.id}:${patient.id}:record-outcome`);
    expect(draft?.value).not.toContain("phone call");

    // Away for all but a minute: the browser asks the server, which says a minute is left.
    await idleFor(nurse.id, idle - 1);
    await page.clock.fastForward((idle - 1) * 60_000);
    const warning = page.getByRole("dialog", { name: "You will be signed out soon" });
    await warning.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Stay signed in");
    await page.getByRole("button", { name: "Stay signed in" }).click();
    await warning.waitFor({ state: "hidden" });
    const session = await getDb().session.findFirstOrThrow({ where: { userId: nurse.id, endedAt: null } });
    expect(Date.now() - session.lastSeenAt.getTime()).toBeLessThan(30_000);

    // Interrupted again, long enough this time; Save meets an expired session.
    await idleFor(nurse.id, idle + 1);
    await page.getByRole("button", { name: "Save outcome" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(page.url()).searchParams.get("expired")).toBe("1");
    expect(await getDb().outcomeAssessment.count({ where: { patientId: patient.id } })).toBe(0);

    await page.getByLabel("Email").fill(nurse.email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`**/patients/${patient.id}/assessments/new`);
    await page.getByText(/Your unsaved entry from .* was restored/).waitFor();
    expect(await page.getByLabel("Note (optional)").inputValue()).toBe(NOTE);
    expect(await page.getByLabel("Worst pain").inputValue()).toBe("8");

    await page.getByRole("button", { name: "Save outcome" }).click();
    await page.waitForURL(`**/patients/${patient.id}`);
    await page.getByText("Outcome saved.").waitFor();
    const saved = await getDb().outcomeAssessment.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(saved).toMatchObject({ painNow: 6, painWorst: 8, note: NOTE, recordedById: nurse.id });
    await expect.poll(async () => (await draftsIn(page)).length).toBe(0);

    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("signing out removes every draft from the browser", async () => {
    const physician = await createUser("PHYSICIAN");
    const { patient } = await createPatient(physician.id);
    const { page, problems } = await openPage();
    await signIn(page, physician.email);
    await openOutcomeForm(page, patient.id);
    await page.getByLabel("Note (optional)").fill(NOTE);
    await expect.poll(async () => (await draftsIn(page)).length).toBe(1);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(await draftsIn(page)).toEqual([]);

    // Signing in again finds an empty form.
    await signIn(page, physician.email);
    await openOutcomeForm(page, patient.id);
    expect(await page.getByLabel("Note (optional)").inputValue()).toBe("");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("the first click on Save shows every error at once, and leaving a field moves nothing", async () => {
    const physician = await createUser("PHYSICIAN");
    const { patient } = await createPatient(physician.id);
    const { page, problems } = await openPage();
    await signIn(page, physician.email);
    await openOutcomeForm(page, patient.id);

    const save = page.getByRole("button", { name: "Save outcome" });
    await page.getByLabel("Pain now").fill("11");
    const before = await save.boundingBox();
    await page.getByLabel("Pain now").press("Tab");
    expect(await save.boundingBox()).toEqual(before);
    expect(await page.locator("[aria-invalid=true]").count()).toBe(0);

    await save.click();
    // Pain now out of range, and the five other required scores and the limitation are missing.
    await expect.poll(() => page.locator("[aria-invalid=true]").count()).toBe(7);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("painNow");
    expect(await getDb().outcomeAssessment.count({ where: { patientId: patient.id } })).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
