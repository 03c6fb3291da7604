import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET, type Rule } from "~/domain/referral/rule-set";
import { displayDate } from "~/domain/iso-date";
import { createRuleSetDraft } from "~/models/rule-set.server";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { browserSuite, waitForHydration } from "../helpers/browser";
import { seedDemoClinicWithImport, type DemoRole as Role } from "../helpers/demo-clinic";
import { makeContext } from "../helpers/fixtures";
import { openEvidence } from "../helpers/screens";
import { signInBrowser } from "../helpers/session";

const { openPage, origin } = browserSuite();

let users: Record<Role, string>;
let pages: { url: string; as: Role; then?: (page: Page) => Promise<void> }[] = [];

beforeAll(async () => {
  users = await seedDemoClinicWithImport();
  const db = getDb();
  const flag = await db.flag.findFirstOrThrow({ where: { status: "OPEN" }, select: { id: true, patientId: true } });
  const referral = await db.referral.findFirstOrThrow({ select: { id: true, patientId: true } });
  const therapy = await db.therapyTrial.findFirstOrThrow({
    where: { endDate: null, patientId: flag.patientId },
    select: { id: true },
  });
  const diagnosis = await db.painDiagnosis.findFirstOrThrow({
    where: { patientId: flag.patientId },
    select: { id: true },
  });
  const run = await db.importRun.findFirstOrThrow({ select: { id: true } });
  // A draft rule set, whose page shows when and by whom it was made.
  const parameters = Object.fromEntries(
    Object.entries(DEFAULT_RULE_SET.rules as Record<string, Rule>).map(([key, rule]) => [
      key,
      Object.fromEntries(Object.entries(rule.parameters).map(([name, parameter]) => [name, parameter.value])),
    ]),
  );
  parameters.function = { ...parameters.function, pegThreshold: 5 };
  const ruleSet = await createRuleSetDraft(
    { basedOn: DEFAULT_RULE_SET.version, version: "2099.1", reason: "Dates test", parameters },
    { id: users.admin, role: "ADMIN" },
    makeContext(),
    clinicToday(),
  );
  const admin = users.nurse;
  const patient = `/patients/${flag.patientId}`;
  pages = [
    { url: "/worklist", as: "physician" },
    { url: "/patients?q=a", as: "nurse" },
    {
      url: patient,
      as: "physician",
      then: openEvidence,
    },
    { url: `${patient}/assessments/new`, as: "nurse" },
    { url: `${patient}/therapies/new`, as: "physician" },
    { url: `${patient}/therapies/${therapy.id}/stop`, as: "physician" },
    { url: `${patient}/procedures/new`, as: "physician" },
    { url: `${patient}/imaging/new`, as: "physician" },
    { url: `${patient}/diagnoses/new`, as: "physician" },
    { url: `${patient}/diagnoses/${diagnosis.id}/edit`, as: "physician" },
    { url: `${patient}/edit`, as: "physician" },
    { url: `${patient}/referrals/new?flag=${flag.id}`, as: "physician" },
    { url: `/patients/${referral.patientId}/referrals/${referral.id}`, as: "physician" },
    { url: `/patients/${referral.patientId}/referrals/${referral.id}/summary`, as: "physician" },
    { url: "/patients/new", as: "nurse" },
    { url: "/my-patients", as: "physician" },
    { url: "/needs-data", as: "nurse" },
    { url: "/imports/review", as: "nurse" },
    { url: "/reports", as: "admin" },
    { url: "/admin/audit", as: "admin" },
    { url: "/admin/audit/integrity", as: "admin" },
    { url: "/admin/users", as: "admin" },
    { url: `/admin/users/${admin}`, as: "admin" },
    { url: "/admin/sign-ins", as: "admin" },
    { url: "/admin/rules", as: "admin" },
    { url: `/admin/rules/${ruleSet.id}`, as: "admin" },
    { url: "/admin/rules/new", as: "admin" },
    { url: "/admin/imports", as: "admin" },
    { url: `/admin/imports/${run.id}`, as: "admin" },
    { url: "/admin/security", as: "admin" },
    { url: "/admin/cds-issuers", as: "admin" },
    { url: "/account/sessions", as: "physician" },
    { url: "/account/security", as: "physician" },
  ];
}, 300_000);

describe("dates", () => {
  it("no page shows a date as YYYY-MM-DD outside <time>, inputs and code", async () => {
    const found: string[] = [];
    let dateInputs = 0;
    for (const { url, as, then } of pages) {
      const { page } = await openPage();
      await signInBrowser(page, users[as], origin());
      const response = await page.goto(url);
      if (!response?.ok()) found.push(`${url}: HTTP ${response?.status()}`);
      try {
        await waitForHydration(page);
        await then?.(page);
      } catch (error) {
        found.push(`${url}: ${String(error).split("\n")[0]}`);
      }
      const texts = await page.evaluate(() => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const hits: string[] = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement?.closest("script, style, code, pre, textarea")) continue;
          if (/\b\d{4}-\d{2}-\d{2}\b/.test(node.textContent ?? "")) hits.push((node.textContent ?? "").trim());
        }
        return hits;
      });
      found.push(...texts.map((text) => `${url}: ${text.slice(0, 100)}`));
      // Each date input says which dates it takes, in the pages' format, and its bounds match.
      const inputs = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLInputElement>('input[type="date"]')].map((input) => {
          const hint = (input.getAttribute("aria-describedby") ?? "")
            .split(" ")
            .map((id) => document.getElementById(id)?.textContent ?? "")
            .join(" ");
          return { name: input.name, hint, min: input.min, max: input.max };
        }),
      );
      for (const input of inputs) {
        if (!/On or before|On or after|Between|Any date/.test(input.hint))
          found.push(`${url}: ${input.name} has no hint`);
        if (input.max && !input.hint.includes(displayDate(input.max)))
          found.push(`${url}: ${input.name} max not in hint`);
        if (input.min && !input.hint.includes(displayDate(input.min)))
          found.push(`${url}: ${input.name} min not in hint`);
      }
      dateInputs += inputs.length;
      await page.context().close();
    }
    expect(found).toEqual([]);
    expect(dateInputs).toBeGreaterThan(10);
  }, 600_000);
});
