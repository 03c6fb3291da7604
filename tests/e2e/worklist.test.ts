import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { clinicTimeZone, clinicToday } from "~/server/clinic-time.server";
import { addDays, daysBetween } from "~/domain/clinical/duration";
import { displayDate, fromIsoDate, todayIn } from "~/domain/iso-date";
import { seedDemoData } from "../../tools/demo/demo-data";
import { browserSuite, waitForHydration } from "../helpers/browser";
import { signInBrowser } from "../helpers/session";

const { openPage, origin } = browserSuite();

describe("the review worklist", () => {
  it("sorts by urgency, waiting time and patient, and says how long each has waited", async () => {
    await seedDemoData(getDb());
    const physician = await getDb().user.findUniqueOrThrow({ where: { email: "physician@painpath.test" } });
    const today = clinicToday();
    // Three of the demo's flags are made to have waited 1, 12 and 40 days.
    const some = await getDb().flag.findMany({ where: { status: "OPEN" }, take: 3, orderBy: { id: "asc" } });
    for (const [index, flag] of some.entries()) {
      await getDb().flag.update({
        where: { id: flag.id },
        data: { waitingSince: fromIsoDate(addDays(today, -[1, 12, 40][index]!)) },
      });
    }
    const open = await getDb().flag.findMany({
      where: {
        OR: [
          { status: { in: ["OPEN", "ACKNOWLEDGED"] } },
          { status: "SNOOZED", snoozedUntil: { lte: fromIsoDate(today) } },
        ],
      },
      select: { waitingSince: true },
    });
    expect(open.length).toBeGreaterThan(3);
    const { page, problems } = await openPage();
    await signInBrowser(page, physician.id, origin());
    await page.goto("/worklist");
    await waitForHydration(page);

    const table = page.getByRole("table");
    const header = (label: string) => table.getByRole("columnheader", { name: new RegExp(`^${label}`) });
    const column = (index: number) =>
      table
        .locator("tbody tr")
        .evaluateAll((rows, cell) => rows.map((row) => (row.children[cell] as HTMLElement).innerText.trim()), index);
    await expect.poll(() => header("Why flagged").getAttribute("aria-sort")).toBe("descending");

    // "waiting N days", from the clinic's today, and the date it started in the one date format.
    const longest = open
      .map((flag) => daysBetween(todayIn(clinicTimeZone(), flag.waitingSince), today))
      .sort((a, b) => b - a)[0] as number;
    // While the next page loads (held back here), the bar at the top shows progress.
    const bar = page.locator("div.fixed.inset-x-0.top-0.h-1");
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/worklist.data*", async (route) => {
      await held;
      await route.continue();
    });
    expect(await bar.getAttribute("class")).toContain("scale-x-0");
    await header("Waiting").getByRole("link").click();
    await expect.poll(() => bar.getAttribute("class")).toContain("scale-x-75");
    release();
    await page.waitForURL((url) => url.searchParams.get("sort") === "waiting");
    await expect.poll(() => bar.getAttribute("class")).toContain("scale-x-0");
    await page.unroute("**/worklist.data*");
    await expect.poll(() => header("Waiting").getAttribute("aria-sort")).toBe("descending");
    await expect.poll(() => header("Why flagged").getAttribute("aria-sort")).toBeNull();
    const waiting = await column(3);
    expect(longest).toBe(40);
    expect(waiting[0]).toBe(`waiting 40 days\nsince ${displayDate(addDays(today, -40))}`);
    const label = (days: number) =>
      days === 0
        ? "new today"
        : `waiting ${days} ${days === 1 ? "day" : "days"}\nsince ${displayDate(addDays(today, -days))}`;
    const expected = open.map((flag) => daysBetween(todayIn(clinicTimeZone(), flag.waitingSince), today));
    expect(waiting).toEqual(
      expected
        .sort((a, b) => b - a)
        .slice(0, waiting.length)
        .map(label),
    );
    const days = waiting.map((text) => Number(/waiting (\d+)/.exec(text)?.[1] ?? 0));
    expect(days).toEqual([...days].sort((a, b) => b - a));

    await header("Patient").getByRole("link").click();
    await page.waitForURL((url) => url.searchParams.get("sort") === "patient");
    await expect.poll(() => header("Patient").getAttribute("aria-sort")).toBe("ascending");
    const families = (await column(0)).map((text) => (text.split(",")[0] as string).toLowerCase());
    expect(families.length).toBe(Math.min(open.length, 50));
    expect(families).toEqual([...families].sort());

    // A filter keeps the order chosen.
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL((url) => url.searchParams.has("procedure"));
    expect(new URL(page.url()).searchParams.get("sort")).toBe("patient");

    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
