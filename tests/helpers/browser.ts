import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startTestServer, type TestServer } from "./test-server";
import { totpCodeAt } from "./totp";

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

/**
 * Resolves once React has hydrated the page and run its effects: Remix's router exists as soon as
 * the scripts run, but hydration commits later, and effects (key handlers, aria-expanded on the
 * menu) run after that commit; two animation frames let them run.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(
    () =>
      "__remixRouter" in window &&
      Object.keys(document.getElementById("main") ?? document.body).some((key) => key.startsWith("__reactFiber")),
  );
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

/**
 * A test server and a headless Chromium for the tests of one file, started before them and closed
 * after; `openPage` opens a fresh browser context on the server.
 */
export function browserSuite() {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    /** `hostname: "localhost"` for WebAuthn, which refuses an IP address as the relying party. */
    openPage: (options: { hostname?: string } = {}) => {
      const origin = new URL((server as TestServer).origin);
      if (options.hostname) origin.hostname = options.hostname;
      return newPage(browser as Browser, origin.origin);
    },
    origin: () => (server as TestServer).origin,
  };
}

/** Fills in and sends the sign-in form. */
export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in through both forms: the password, then the authenticator app's current code. */
export async function signInWithTotp(page: Page, email: string, password: string, secret: string) {
  await signInThroughForm(page, email, password);
  await page.waitForURL("**/sign-in/verify");
  await waitForHydration(page);
  await page.getByLabel("Code from your authenticator app").fill(totpCodeAt(secret, new Date()));
  await page.getByRole("button", { name: "Verify code" }).click();
}
