import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { therapyLabel } from "~/domain/pathway-overview";
import { getDb } from "~/server/db.server";
import { seedDemoData } from "../../tools/demo/demo-data";
import { expectNoAxeViolations, sidewaysOverflow } from "../helpers/accessibility";
import { browserSuite, waitForHydration } from "../helpers/browser";
import { signInBrowser } from "../helpers/session";

const { openPage, origin } = browserSuite();

/** The demo patient with procedures and the most therapies: the busiest time axis the demo has. */
async function busiestDemoPatient() {
  await seedDemoData(getDb());
  const patients = await getDb().patient.findMany({
    where: { mrn: { startsWith: "DEMO-" }, procedures: { some: { enteredInErrorAt: null } } },
    select: {
      id: true,
      assignedPhysicianId: true,
      therapies: {
        where: { enteredInErrorAt: null },
        select: { modality: true, drug: true, dose: true, doseUnit: true, frequency: true },
      },
    },
  });
  const patient = patients.sort((a, b) => b.therapies.length - a.therapies.length)[0];
  if (!patient) throw new Error("No demo patient has a procedure");
  return patient;
}

async function openPatient(width: number, patient: Awaited<ReturnType<typeof busiestDemoPatient>>) {
  const { page, problems } = await openPage();
  await page.setViewportSize({ width, height: 900 });
  await signInBrowser(page, patient.assignedPhysicianId, origin());
  await page.goto(`/patients/${patient.id}`);
  await waitForHydration(page);
  return { page, problems, figure: page.getByRole("region", { name: "Pain, therapies and procedures over time" }) };
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error("Not rendered");
  return found;
}

/** The visible tooltip's text, or null. */
async function tooltip(page: Page): Promise<string | null> {
  const tip = page.locator(".timeline-tip");
  return (await tip.count()) > 0 && (await tip.isVisible()) ? tip.innerText() : null;
}

describe("one time axis for the pain chart and the therapy lanes", () => {
  it.each([1440, 1024, 390])(
    "lines the chart and every lane up, cuts no name and does not scroll sideways at %i px",
    async (width) => {
      const patient = await busiestDemoPatient();
      expect(patient.therapies.length).toBeGreaterThan(2);
      const { page, problems, figure } = await openPatient(width, patient);

      const chart = await box(figure.locator('svg[data-plot="pain"]'));
      const lanes = figure.locator(".timeline-plot > svg:not([data-plot])");
      expect(await lanes.count()).toBeGreaterThan(patient.therapies.length);
      for (const plot of [
        ...(await lanes.all()),
        figure.locator('svg[data-plot="axis"]'),
        figure.locator(".timeline-guides"),
      ]) {
        const lane = await box(plot);
        expect(Math.abs(lane.x - chart.x), `left edge at ${width} px`).toBeLessThan(0.5);
        expect(Math.abs(lane.width - chart.width), `width at ${width} px`).toBeLessThan(0.5);
      }
      expect(chart.width).toBeGreaterThan(width >= 1024 ? 600 : 280);

      // Every therapy's whole name is on the page, and no label is clipped.
      const labels = await figure.locator(".timeline-label").evaluateAll((elements) =>
        elements.map((element) => ({
          text: element.textContent ?? "",
          fits: element.scrollWidth <= element.clientWidth && element.scrollHeight <= element.clientHeight,
        })),
      );
      expect(labels.filter((label) => !label.fits)).toEqual([]);
      for (const therapy of patient.therapies) {
        expect(labels.some((label) => label.text.startsWith(therapyLabel(therapy)))).toBe(true);
      }
      expect(labels.some((label) => label.text.includes("…"))).toBe(false);

      expect(await sidewaysOverflow(page)).toBe(0);
      await expectNoAxeViolations(page, `patient page time axis at ${width} px`);
      expect(problems).toEqual([]);
      await page.context().close();
    },
    60_000,
  );

  it("shows a procedure's relief on keyboard focus and on hover, and hides it on Escape", async () => {
    const patient = await busiestDemoPatient();
    const { page, problems, figure } = await openPatient(1024, patient);
    const marks = figure.getByRole("button", { name: /— .*relief/ });
    const procedure = marks.first();
    const name = (await procedure.getAttribute("aria-label")) ?? "";
    expect(name).toMatch(/, \d{1,2} [A-Z][a-z]{2} \d{4} — (\d+ % relief|relief not recorded)/);

    // Keyboard: Tab from the mark before it.
    const allMarks = figure.locator(".timeline-mark");
    const index = await allMarks.evaluateAll(
      (elements, label) => elements.findIndex((element) => element.getAttribute("aria-label") === label),
      name,
    );
    expect(index).toBeGreaterThan(0);
    await allMarks.nth(index - 1).focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(name);
    await expect.poll(() => tooltip(page)).toBe(name);
    await expectNoAxeViolations(page, "time axis with a mark's tooltip open");
    await page.keyboard.press("Escape");
    await expect.poll(() => tooltip(page)).toBeNull();
    await page.keyboard.press("Enter");
    await expect.poll(() => tooltip(page)).toBe(name);
    await page.keyboard.press("Tab");
    await expect.poll(() => tooltip(page)).not.toBe(name);

    // Pointer: hover shows it; it stays while the pointer moves onto it; Escape hides it.
    await page.locator("h1").click();
    await expect.poll(() => tooltip(page)).toBeNull();
    // The last mark is drawn over any close one before it. Playwright's hover() waits for a
    // "visible" element, which an SVG <g> never is to it: point at its symbol.
    const hovered = marks.last();
    const hoveredName = (await hovered.getAttribute("aria-label")) ?? "";
    expect(hoveredName).toMatch(/— (\d+ % relief|relief not recorded)/);
    await hovered.evaluate((element) => element.scrollIntoView({ block: "center" }));
    const mark = await box(hovered.locator("use"));
    await page.mouse.move(mark.x + mark.width / 2, mark.y + mark.height / 2, { steps: 4 });
    await expect.poll(() => tooltip(page)).toBe(hoveredName);
    const tip = await box(page.locator(".timeline-tip"));
    await page.mouse.move(tip.x + tip.width / 2, tip.y + tip.height / 2, { steps: 4 });
    await page.waitForTimeout(500);
    expect(await tooltip(page)).toBe(hoveredName);
    await page.keyboard.press("Escape");
    await expect.poll(() => tooltip(page)).toBeNull();

    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
