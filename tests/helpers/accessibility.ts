import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { expect } from "vitest";

/**
 * Runs axe-core on the page as it is now and expects no violation of any impact. The message lists
 * each rule with the first elements it found, so a failure says what to fix.
 */
export async function expectNoAxeViolations(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core on ${state}`).toEqual([]);
}

/** axe-core's violations on the page as it is now (of every rule, or only of `rules`), one line per rule. */
export async function axeViolations(page: Page, rules?: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const { violations } = await (rules ? builder.withRules(rules) : builder).analyze();
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.nodes
        .slice(0, 3)
        .map((node) => `${node.target.join(" ")} ${node.failureSummary?.split("\n")[1]?.trim() ?? ""}`)
        .join(" | ")}`,
  );
}

/** The page's width beyond the viewport, in CSS pixels (0 when nothing scrolls sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
