import { describe, expect, it } from "vitest";
import { addDays, ageOn } from "~/domain/clinical/duration";
import { displayDate } from "~/domain/iso-date";
import { UNDO_SECONDS } from "~/components/patient/evaluation-panel";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import { reevaluatePatients } from "~/models/evaluation.server";
import { action as recordOutcome } from "~/routes/patients.$patientId.assessments.new";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { expectNoAxeViolations } from "../helpers/accessibility";
import { browserSuite, signInThroughForm, waitForHydration } from "../helpers/browser";
import { auditEvents, createPatient, createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

const { openPage } = browserSuite();

/** A patient of `physician` whose severe, functionally limiting pain raises a flag. */
async function flaggedPatient(physicianId: string, familyName: string) {
  const nurseCookie = await sessionCookie((await createUser("NURSE")).id);
  const created = await createPatient(physicianId, { familyName, givenName: "Vera", nonDrugCareFailed: true });
  await callRoute(recordOutcome, {
    path: "/a",
    params: { patientId: created.patient.id },
    cookie: nurseCookie,
    form: {
      assessedOn: clinicToday(),
      painNow: "7",
      painAverage: "7",
      painWorst: "9",
      pegPain: "7",
      pegEnjoyment: "7",
      pegActivity: "8",
      limitation: "SEVERE",
    },
  });
  return created;
}

describe("the physician's referral journey in a browser", () => {
  it("goes from the worklist to a referral and its printable summary", async () => {
    const physician = await createUser("PHYSICIAN", { name: "Dr. Journey" });
    const { patient, diagnosis } = await flaggedPatient(physician.id, "Worklistova");

    const { page, problems } = await openPage();
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/worklist");

    const row = page.getByRole("row", { name: /WORKLISTOVA, Vera/ });
    expect(await row.textContent()).toContain("Limits function");
    await row.getByRole("link", { name: "WORKLISTOVA, Vera" }).click();
    await page.waitForURL((url) => url.pathname === `/patients/${patient.id}`);
    const panel = page.locator(`#flag-${diagnosis.id}`);
    await panel.getByText("Consider interventional referral:").waitFor();
    expect(await panel.getByText("rule set 2026.2", { exact: false }).count()).toBeGreaterThan(0);

    // The flag's actions are in the summary band at the top of the page.
    await page.getByRole("region", { name: "Summary" }).getByRole("link", { name: "Refer…" }).click();
    await page.waitForURL((url) => url.pathname.endsWith("/referrals/new"));
    await waitForHydration(page);
    await expectNoAxeViolations(page, "new referral");
    expect(await page.getByLabel("Reason for referral").inputValue()).toContain(
      "Pain limits mobility or quality of life",
    );
    await page.getByLabel("Procedure").selectOption("EPIDURAL_STEROID_INJECTION");
    await page.getByLabel("Receiving clinic or physician").fill("Riverside Interventional Pain Clinic");
    await page.getByRole("button", { name: "Create referral" }).click();
    await page.waitForURL((url) => url.pathname === `/patients/${patient.id}`);

    const referral = await getDb().referral.findFirstOrThrow({ where: { patientId: patient.id } });
    expect(referral).toMatchObject({
      status: "PENDING",
      receivingClinic: "Riverside Interventional Pain Clinic",
      createdById: physician.id,
    });
    await page.getByRole("link", { name: /Referral for Epidural steroid injection/ }).click();
    await page.waitForURL((url) => url.pathname === `/patients/${patient.id}/referrals/${referral.id}`);
    await page.getByRole("link", { name: "Printable referral summary" }).click();
    await page.waitForURL((url) => url.pathname.endsWith("/summary"));
    await page.getByRole("heading", { name: "Criteria met" }).waitFor();
    await expectNoAxeViolations(page, "printable referral summary");
    expect(await page.getByText(/not a coverage determination/).isVisible()).toBe(true);
    await page.pdf?.({ path: "tests/.artifacts/referral-summary.pdf" }).catch(() => undefined);

    await page.goto("/worklist");
    expect(await page.getByRole("row", { name: /WORKLISTOVA, Vera/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("shows a refused snooze next to its field, then dismisses the flag from the patient page", async () => {
    const physician = await createUser("PHYSICIAN");
    const { patient, diagnosis } = await flaggedPatient(physician.id, "Snoozewell");
    const { page, problems } = await openPage();
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/worklist");
    await page.goto(`/patients/${patient.id}`);
    await waitForHydration(page);
    const panel = page.getByRole("region", { name: "Summary" });

    // Past the browser's own check (as an old browser or a script would be): the server refuses today.
    await panel.locator("form").evaluateAll((forms) => forms.forEach((form) => form.setAttribute("novalidate", "")));
    await panel.getByLabel("Snooze until").fill(clinicToday());
    await panel.getByRole("button", { name: "Snooze" }).click();
    const message = panel.getByText("Snooze until a date after today.");
    await message.waitFor();
    expect(await panel.getByLabel("Snooze until").getAttribute("aria-describedby")).toBe(
      await message.locator("xpath=ancestor::*[@role='alert'][1]").getAttribute("id"),
    );
    expect((await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } })).status).toBe("OPEN");

    await panel.getByLabel("Dismiss because").selectOption("PATIENT_DECLINES");
    await panel.getByRole("button", { name: "Dismiss" }).click();
    await expect
      .poll(async () => (await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } })).status, {
        timeout: (UNDO_SECONDS + 5) * 1000,
      })
      .toBe("DISMISSED");
    // The refused snooze, and nothing else (no script or policy error).
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
    await page.context().close();
  }, 60_000);

  it("lets an acknowledgement be undone, shows until when a flag is snoozed, and words its history", async () => {
    const physician = await createUser("PHYSICIAN");
    const { patient, diagnosis } = await flaggedPatient(physician.id, "Undoable");
    const { page, problems } = await openPage();
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/worklist");
    await page.goto(`/patients/${patient.id}`);
    await waitForHydration(page);
    const band = page.getByRole("region", { name: "Summary" });
    const statusOf = async () =>
      (await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } })).status;

    // Acknowledge, then Undo within the seconds given: nothing reaches the server.
    await band.getByRole("button", { name: "Acknowledge" }).click();
    const undo = band.getByRole("button", { name: "Undo" });
    await expect.poll(() => undo.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await band.getByRole("status").first().textContent()).toContain("Flag acknowledged.");
    await undo.click();
    await band.getByText("Undone: flag acknowledged.").waitFor();
    expect(await band.getByRole("button", { name: "Acknowledge" }).evaluate((b) => b === document.activeElement)).toBe(
      true,
    );
    await page.waitForTimeout((UNDO_SECONDS + 1) * 1000);
    expect(await statusOf()).toBe("OPEN");
    expect(await auditEvents({ action: "flag.acknowledge" })).toHaveLength(0);

    // Snooze: sent once the seconds pass; the band then says until when, in the one date format.
    const until = addDays(clinicToday(), 14);
    await band.getByLabel("Snooze until").fill(until);
    await band.getByRole("button", { name: "Snooze" }).click();
    await band.getByText(`Flag snoozed until ${displayDate(until)}.`).waitFor();
    await expect.poll(statusOf, { timeout: (UNDO_SECONDS + 5) * 1000 }).toBe("SNOOZED");
    await band
      .getByText(`snoozed until ${displayDate(until)}`, { exact: false })
      .first()
      .waitFor();

    // Dismiss as "Other" with its note; the history says so in words, never OTHER or an ISO date.
    await band.getByLabel("Dismiss because").selectOption("OTHER");
    await band.getByLabel("Note", { exact: true }).fill("Discussed at the MDT");
    await band.getByRole("button", { name: "Dismiss" }).click();
    await expect.poll(statusOf, { timeout: (UNDO_SECONDS + 5) * 1000 }).toBe("DISMISSED");
    const history = page.locator(`#flag-${diagnosis.id}`).locator("details", { hasText: "Flag history" });
    await history.locator("summary").click();
    await expect.poll(() => history.textContent()).toContain("dismissed — Other (see note) (Discussed at the MDT)");
    const text = (await history.textContent()) ?? "";
    expect(text).toContain(`snoozed — until ${displayDate(until)}`);
    expect(text).not.toMatch(/OTHER|\d{4}-\d{2}-\d{2} —|until \d{4}-/);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("shows a red flag as “Evaluate now”, offers no snooze, dismissal or referral, and closes it with what was done", async () => {
    const physician = await createUser("PHYSICIAN");
    const { patient, diagnosis } = await flaggedPatient(physician.id, "Redflagg");
    await getDb().painDiagnosis.update({ where: { id: diagnosis.id }, data: { redFlags: ["CAUDA_EQUINA"] } });
    await reevaluatePatients(getDb(), [patient.id], {
      ruleSet: DEFAULT_RULE_SET,
      now: new Date(),
      today: clinicToday(),
    });
    const { page, problems } = await openPage();
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/worklist");
    await page.goto(`/patients/${patient.id}`);
    await waitForHydration(page);
    const panel = page.locator(`#flag-${diagnosis.id}`);

    await panel.getByText("Evaluate now:").waitFor();
    // The age stands next to the date of birth.
    expect(await page.getByText(`born 4 May 1970 (${ageOn("1970-05-04", clinicToday())} y)`).count()).toBe(1);
    expect(await panel.getByText("Consider interventional referral").count()).toBe(0);
    expect(await page.getByRole("button", { name: /Snooze|Dismiss/ }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Refer…" }).count()).toBe(0);
    // No procedure criterion beneath it: the ESI rule this patient would otherwise meet is not shown.
    await panel.getByText(/Criteria and evidence/).click();
    await panel.getByText("GEN-PERSIST v2").waitFor();
    expect(await panel.getByText("ESI v2").count()).toBe(0);

    const band = page.getByRole("region", { name: "Summary" });
    await band.getByLabel("What was done").selectOption("SENT_TO_EMERGENCY_DEPARTMENT");
    await band.getByLabel("Note (required)").fill("Sent to St Mary's ED by ambulance");
    await band.getByRole("button", { name: "Record and close" }).click();
    await expect
      .poll(async () => (await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: diagnosis.id } })).status)
      .toBe("RESOLVED");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("marks an assessment entered in error from its row, with a reason", async () => {
    const physician = await createUser("PHYSICIAN");
    const { patient } = await flaggedPatient(physician.id, "Errorsson");
    const assessment = await getDb().outcomeAssessment.findFirstOrThrow({ where: { patientId: patient.id } });
    const { page, problems } = await openPage();
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL((url) => url.pathname === "/worklist");
    await page.goto(`/patients/${patient.id}`);
    await waitForHydration(page);

    const row = page.locator(`#assessment-${assessment.id}`);
    await row.getByText("Entered in error…").click();
    await row.getByLabel("Why is this entry wrong?").fill("Scores of another patient");
    await row.getByRole("button", { name: "Mark" }).click();
    await expect
      .poll(
        async () =>
          (await getDb().outcomeAssessment.findUniqueOrThrow({ where: { id: assessment.id } })).enteredInErrorReason,
      )
      .toBe("Scores of another patient");
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
