import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

function chromiumPath(): string {
  const found = CANDIDATES.find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)));
  if (!found) {
    throw new Error(
      "No Chromium found for the browser tests. Install it (Debian: `apt-get install -y chromium`) " +
        "or set CHROMIUM_PATH to a Chromium or Chrome executable.",
    );
  }
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // The closed network here refuses Chromium's background connections; these flags stop them.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A page that records console errors and failed requests, so a test can assert there were none
 * (a Content-Security-Policy violation shows up as a console error).
 */
export async function newPage(browser: Browser, baseURL: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return { page, problems };
}

/** Resolves once Remix has hydrated the page, i.e. its scripts were allowed to run. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => "__remixRouter" in window);
}
