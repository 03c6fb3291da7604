import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { axeViolations, expectNoAxeViolations, sidewaysOverflow } from "../helpers/accessibility";
import { browserSuite, waitForHydration } from "../helpers/browser";
import { seedDemoClinicWithImport, type DemoRole } from "../helpers/demo-clinic";
import { sessionCookie } from "../helpers/session";

const { openPage, origin } = browserSuite();

const WIDTHS = [1440, 1024, 390] as const;

interface Screen {
  name: string;
  url: string;
  as: "anonymous" | "physician" | "nurse" | "admin";
  /** Brings the page into a further state worth checking (errors shown, a menu open). */
  then?: (page: Page) => Promise<void>;
}

let screens: Screen[] = [];
let users: Record<DemoRole, string>;
let flagged: { patientId: string };

beforeAll(async () => {
  users = await seedDemoClinicWithImport();
  const db = getDb();
  const demo = await db.patient.findMany({ where: { mrn: { startsWith: "DEMO-" } }, select: { id: true } });
  // The flagged demo patient with the most assessments: the longest chart and tables.
  const flags = await db.flag.findMany({
    where: { status: "OPEN", patientId: { in: demo.map((patient) => patient.id) } },
    select: { id: true, patientId: true },
  });
  const counts = await db.outcomeAssessment.groupBy({
    by: ["patientId"],
    where: { patientId: { in: flags.map((flag) => flag.patientId) } },
    _count: true,
  });
  const busiest = counts.sort((a, b) => b._count - a._count)[0];
  const flag = flags.find((candidate) => candidate.patientId === busiest?.patientId);
  if (!flag) throw new Error("The demo data has no flagged patient with assessments");
  flagged = flag;
  const referral = await db.referral.findFirstOrThrow({ select: { id: true, patientId: true } });
  screens = [
    { name: "sign-in", url: "/sign-in", as: "anonymous" },
    {
      name: "sign-in, refused",
      url: "/sign-in",
      as: "anonymous",
      then: async (page) => {
        await page.getByLabel("Email").fill("nobody@clinic.test");
        await page.getByLabel("Password").fill("not-the-password-at-all");
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("alert").first().waitFor();
      },
    },
    { name: "worklist", url: "/worklist", as: "physician" },
    { name: "patient search", url: "/patients?q=a", as: "nurse" },
    { name: "patient page", url: `/patients/${flag.patientId}`, as: "physician" },
    {
      name: "patient page, evidence open",
      url: `/patients/${flag.patientId}`,
      as: "physician",
      then: async (page) => {
        await page
          .getByText(/Criteria and evidence/)
          .first()
          .click();
        await page
          .getByText(/GEN-PERSIST v\d/)
          .first()
          .waitFor();
      },
    },
    { name: "record outcome", url: `/patients/${flag.patientId}/assessments/new`, as: "nurse" },
    {
      name: "record outcome, refused",
      url: `/patients/${flag.patientId}/assessments/new`,
      as: "nurse",
      then: async (page) => {
        await page.getByRole("button", { name: /Save/ }).click();
        await page.getByRole("alert").first().waitFor();
      },
    },
    { name: "referral", url: `/patients/${referral.patientId}/referrals/${referral.id}`, as: "physician" },
    { name: "new referral", url: `/patients/${flag.patientId}/referrals/new?flag=${flag.id}`, as: "physician" },
    { name: "reports", url: "/reports", as: "admin" },
    { name: "audit trail", url: "/admin/audit", as: "admin" },
    { name: "users", url: "/admin/users", as: "admin" },
    { name: "import review", url: "/imports/review", as: "nurse" },
    { name: "my patients", url: "/my-patients", as: "physician" },
    { name: "needs data", url: "/needs-data", as: "nurse" },
    { name: "rule settings", url: "/admin/rules", as: "admin" },
    { name: "FHIR imports", url: "/admin/imports", as: "admin" },
    { name: "sessions", url: "/account/sessions", as: "physician" },
    { name: "sign-in security", url: "/account/security", as: "physician" },
    { name: "sign-in policy", url: "/admin/security", as: "admin" },
    { name: "EHR connections", url: "/admin/cds-issuers", as: "admin" },
  ];
}, 300_000);

async function open(screen: Screen, options: { width: number; dark?: boolean }) {
  const { page, problems } = await openPage();
  await page.setViewportSize({ width: options.width, height: 900 });
  if (options.dark) await page.emulateMedia({ colorScheme: "dark" });
  if (screen.as !== "anonymous") {
    const [name, ...value] = (await sessionCookie(users[screen.as])).split("=");
    await page.context().addCookies([{ name: name as string, value: value.join("="), url: origin() }]);
  }
  await page.goto(screen.url);
  await waitForHydration(page);
  await screen.then?.(page);
  return { page, problems };
}

describe("every screen size", () => {
  it.each(WIDTHS)(
    "no page scrolls sideways at %i px, and axe-core finds nothing",
    async (width) => {
      const overflowing: string[] = [];
      const violations: string[] = [];
      for (const screen of screens) {
        const { page } = await open(screen, { width });
        const overflow = await sidewaysOverflow(page);
        if (overflow > 0) overflowing.push(`${screen.name}: ${overflow} px too wide`);
        violations.push(...(await axeViolations(page)).map((violation) => `${screen.name}: ${violation}`));
        await page.context().close();
      }
      expect(overflowing).toEqual([]);
      expect(violations).toEqual([]);
    },
    // About 90 s on an idle machine; the suite runs with other files on two cores.
    600_000,
  );

  it("at 390 px the header folds into a menu that the keyboard opens and closes", async () => {
    const { page, problems } = await open({ name: "worklist", url: "/worklist", as: "physician" }, { width: 390 });
    const nav = page.getByRole("navigation", { name: "Main" });
    // A <details> summary, which opens without JavaScript too (menu-and-rule-ranges.test.ts).
    const menu = nav.locator("summary", { hasText: "Menu" });
    const patientsLink = nav.getByRole("link", { name: "Patients", exact: true });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await patientsLink.isVisible()).toBe(false);

    await menu.focus();
    await page.keyboard.press("Enter");
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    expect(await patientsLink.isVisible()).toBe(true);
    expect(await sidewaysOverflow(page)).toBe(0);
    await expectNoAxeViolations(page, "worklist, menu open, 390 px");

    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Menu");

    // A link in the open menu navigates, and the menu is closed on the new page.
    await page.keyboard.press("Space");
    await patientsLink.click();
    await page.waitForURL("**/patients");
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");

    // At 1440 px there is no menu button: every link is in the bar.
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await menu.isVisible()).toBe(false);
    expect(await nav.getByRole("link", { name: "Worklist" }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});

describe("dark mode", () => {
  it.each(WIDTHS)(
    "follows the system setting, and axe-core finds no contrast problem at %i px",
    async (width) => {
      const violations: string[] = [];
      for (const screen of screens) {
        const { page } = await open(screen, { width, dark: true });
        violations.push(...(await axeViolations(page)).map((found) => `${screen.name}: ${found}`));
        await page.context().close();
      }
      expect(violations).toEqual([]);
      const { page } = await open(screens[0] as Screen, { width, dark: true });
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      // The page background is dark: each channel of rgb(r, g, b) under 64.
      expect(
        background
          .match(/\d+/g)
          ?.slice(0, 3)
          .map(Number)
          .every((channel) => channel < 64),
      ).toBe(true);
      await page.context().close();
    },
    600_000,
  );
});

describe("the keyboard", () => {
  it("skips to the content, searches with /, records an outcome with o, lists the shortcuts with ?", async () => {
    const worklist = { name: "worklist", url: "/worklist", as: "physician" } as const;
    const { page, problems } = await open(worklist, { width: 1440 });
    const active = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element ? `${element.tagName.toLowerCase()}:${element.textContent?.trim() ?? ""}` : "";
      });

    // The skip link is the first stop, visible when focused; it lands in the page's main content.
    await page.keyboard.press("Tab");
    expect(await active()).toBe("a:Skip to main content");
    expect(await page.getByRole("link", { name: "Skip to main content" }).isVisible()).toBe(true);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("main")?.id)).toBe("main");
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());

    // `/` with no search field on the page opens the patient search, with the cursor in it.
    await page.keyboard.press("/");
    await page.waitForURL("**/patients");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("q");
    // Typed into the field, `/` and `o` are just characters.
    await page.keyboard.type("o/");
    expect(await page.getByLabel("Search by name or MRN").inputValue()).toBe("o/");
    expect(new URL(page.url()).pathname).toBe("/patients");

    // `o` on a patient's page opens the outcome form.
    await page.goto(`/patients/${flagged.patientId}`);
    await waitForHydration(page);
    await page.keyboard.press("o");
    await page.waitForURL(`**/patients/${flagged.patientId}/assessments/new`);
    await page.getByLabel("Pain now").waitFor();

    // `?` lists the shortcuts in a dialog; so does the header's button. Escape closes it.
    await page.getByLabel("Pain now").blur();
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    for (const key of ["/", "o", "?"]) expect(await dialog.locator("kbd", { hasText: key }).count()).toBe(1);
    await expectNoAxeViolations(page, "shortcuts dialog");
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
    await dialog.waitFor();

    // They can be turned off (WCAG 2.1.4), and stay off on the next page.
    await dialog.getByLabel("Use single-key shortcuts").uncheck();
    await dialog.getByRole("button", { name: "Close" }).click();
    await page.goto("/worklist");
    await waitForHydration(page);
    await page.keyboard.press("/");
    await page.waitForTimeout(300);
    expect(new URL(page.url()).pathname).toBe("/worklist");
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
