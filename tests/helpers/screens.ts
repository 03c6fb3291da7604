import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { axeViolations, sidewaysOverflow } from "./accessibility";
import { browserSuite, waitForHydration } from "./browser";
import { seedDemoClinicWithImport, type DemoRole } from "./demo-clinic";
import { signInBrowser } from "./session";

/** Opens the patient page's criteria and evidence, which load on demand. */
export async function openEvidence(page: Page) {
  await page
    .getByText(/Criteria and evidence/)
    .first()
    .click();
  await page
    .getByText(/GEN-PERSIST v\d/)
    .first()
    .waitFor();
}

interface Screen {
  name: string;
  url: string;
  as: "anonymous" | DemoRole;
  /** Brings the page into a further state worth checking (errors shown, a panel open). */
  then?: (page: Page) => Promise<void>;
}

/** Every screen of the demo clinic a user reaches, with the states that change its layout. */
async function demoClinicScreens(): Promise<{
  users: Record<DemoRole, string>;
  flagged: { patientId: string };
  screens: Screen[];
}> {
  const users = await seedDemoClinicWithImport();
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
  const referral = await db.referral.findFirstOrThrow({ select: { id: true, patientId: true } });
  const screens: Screen[] = [
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
    { name: "patient page, evidence open", url: `/patients/${flag.patientId}`, as: "physician", then: openEvidence },
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
  return { users, flagged: flag, screens };
}

/** The rules whose outcome depends on colours: all that the dark theme can change. */
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

/**
 * A browser suite over the demo clinic, with `checkEveryScreenAt(width)`: each screen is opened
 * once at that width and checked in the light theme (no sideways scrolling, no axe-core violation
 * of any rule), then switched to the dark system setting (a dark background, no colour violation).
 */
export function demoClinicScreenSuite() {
  const { openPage, origin } = browserSuite();
  let clinic: Awaited<ReturnType<typeof demoClinicScreens>>;
  beforeAll(async () => {
    clinic = await demoClinicScreens();
  }, 300_000);

  async function open(screen: Pick<Screen, "url" | "as" | "then">, width: number) {
    const { page, problems } = await openPage();
    await page.setViewportSize({ width, height: 900 });
    if (screen.as !== "anonymous") await signInBrowser(page, clinic.users[screen.as], origin());
    await page.goto(screen.url);
    await waitForHydration(page);
    await screen.then?.(page);
    return { page, problems };
  }

  function checkEveryScreenAt(width: number) {
    describe(`every screen at ${width} px`, () => {
      it(
        "scrolls no page sideways, and axe-core finds nothing in the light theme nor a colour problem in the dark",
        async () => {
          const found: string[] = [];
          for (const screen of clinic.screens) {
            const { page } = await open(screen, width);
            const overflow = await sidewaysOverflow(page);
            if (overflow > 0) found.push(`${screen.name}: ${overflow} px too wide`);
            found.push(...(await axeViolations(page)).map((violation) => `${screen.name}: ${violation}`));

            await page.emulateMedia({ colorScheme: "dark" });
            const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
            // A dark page background: each channel of rgb(r, g, b) under 64.
            const channels = background.match(/\d+/g)?.slice(0, 3).map(Number) ?? [];
            if (channels.length !== 3 || channels.some((channel) => channel >= 64)) {
              found.push(`${screen.name}, dark: background ${background}`);
            }
            found.push(
              ...(await axeViolations(page, COLOUR_RULES)).map((violation) => `${screen.name}, dark: ${violation}`),
            );
            await page.context().close();
          }
          expect(found).toEqual([]);
        },
        // About 60 s on an idle machine; the suite runs with other files on two cores.
        600_000,
      );
    });
  }

  return { open, checkEveryScreenAt, flagged: () => clinic.flagged };
}
