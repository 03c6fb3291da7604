import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { seedDemoData } from "../../tools/demo/demo-data";
import { browserSuite, waitForHydration } from "../helpers/browser";
import { sessionCookie, signInBrowser } from "../helpers/session";

const { openPage, origin } = browserSuite();

/** zod's class names survive minification: a script holding one carries the schema library. */
const ZOD_MARK = '"$ZodType"';
/**
 * React, React DOM and Remix (266 KB unpacked), the route manifest (35 KB) and the page's own code:
 * 353 KB on 6 Dec 2026, 815 KB before zod left the page.
 */
const FIRST_PAGE_SCRIPT_BUDGET = 360_000;

interface Script {
  url: string;
  encoding: string | undefined;
  cacheControl: string | undefined;
  body: string;
}

async function scriptsOf(page: Page, path: string): Promise<Script[]> {
  const pending: Array<Promise<Script>> = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    const headers = response.headers();
    pending.push(
      response.text().then((body) => ({
        url: response.url(),
        encoding: headers["content-encoding"],
        cacheControl: headers["cache-control"],
        body,
      })),
    );
  });
  const document = await page.goto(path);
  expect(document?.headers()["content-encoding"]).toBe("br");
  expect(document?.headers()["cache-control"]).toBe("no-store");
  await waitForHydration(page);
  await page.waitForLoadState("networkidle");
  return Promise.all(pending);
}

describe("what a page costs to load", () => {
  it("sends sign-in, the worklist and the patient page without zod, compressed, and lets the browser keep hashed scripts a year", async () => {
    await seedDemoData(getDb());
    const physician = await getDb().user.findUniqueOrThrow({ where: { email: "physician@painpath.test" } });
    const { page, problems } = await openPage();

    const signIn = await scriptsOf(page, "/sign-in");
    await signInBrowser(page, physician.id, origin());
    const worklist = await scriptsOf(page, "/worklist");

    for (const [name, scripts] of [
      ["sign-in", signIn],
      ["worklist", worklist],
    ] as const) {
      expect(scripts.length, name).toBeGreaterThan(2);
      expect(
        scripts.filter((script) => script.body.includes(ZOD_MARK)).map((script) => script.url),
        name,
      ).toEqual([]);
      const bytes = scripts.reduce((sum, script) => sum + Buffer.byteLength(script.body), 0);
      console.info(`${name}: ${scripts.length} scripts, ${bytes} bytes unpacked`);
      for (const script of scripts) {
        // compression leaves bodies under 1 KB as they are: the headers would outweigh the gain.
        if (Buffer.byteLength(script.body) > 1024) expect(script.encoding, script.url).toBe("br");
        expect(script.cacheControl, script.url).toBe("public, max-age=31536000, immutable");
      }
    }
    const first = signIn.reduce((sum, script) => sum + Buffer.byteLength(script.body), 0);
    expect(first).toBeLessThanOrEqual(FIRST_PAGE_SCRIPT_BUDGET);

    // The patient page needs no schema library either (its flag forms check their few fields by hand).
    const flag = await getDb().flag.findFirstOrThrow({ where: { status: "OPEN", physicianId: physician.id } });
    const patient = await scriptsOf(page, `/patients/${flag.patientId}`);
    expect(patient.filter((script) => script.body.includes(ZOD_MARK))).toEqual([]);

    // A form page validates in the browser with the tree-shaken zod (about 100 KB, was 454 KB), and
    // parses without `new Function`, which the Content-Security-Policy refuses: Chromium reports no issue.
    const issues: string[] = [];
    const devtools = await page.context().newCDPSession(page);
    await devtools.send("Audits.enable");
    devtools.on("Audits.issueAdded", ({ issue }) => issues.push(JSON.stringify(issue)));
    const form = await scriptsOf(page, `/patients/${flag.patientId}/assessments/new`);
    expect(issues).toEqual([]);
    const withZod = form.filter((script) => script.body.includes(ZOD_MARK));
    expect(withZod).toHaveLength(1);
    expect(Buffer.byteLength(withZod[0]?.body ?? "")).toBeLessThan(150_000);

    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("leaves a page that another site's link opened uncompressed (BREACH)", async () => {
    const physician = await getDb().user.findFirstOrThrow({ where: { role: "PHYSICIAN" } });
    const headers = { Cookie: await sessionCookie(physician.id), "Accept-Encoding": "br, gzip" };
    const sameOrigin = await fetch(`${origin()}/worklist`, {
      headers: { ...headers, "Sec-Fetch-Site": "same-origin" },
    });
    const crossSite = await fetch(`${origin()}/worklist`, { headers: { ...headers, "Sec-Fetch-Site": "cross-site" } });
    expect(sameOrigin.headers.get("content-encoding")).toBe("br");
    expect(crossSite.status).toBe(200);
    expect(crossSite.headers.get("content-encoding")).toBeNull();
  });
});
