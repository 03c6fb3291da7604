import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser, TEST_PASSWORD } from "../helpers/fixtures";
import { browserSuite, signInThroughForm, waitForHydration } from "../helpers/browser";
import { totpCodeAt } from "../helpers/totp";

const { openPage } = browserSuite();

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
}

/**
 * A platform authenticator in Chromium through the DevTools protocol: CTAP2, built in ("internal"),
 * verifying its user (as a fingerprint or PIN would) without a prompt.
 * https://chromedevtools.github.io/devtools-protocol/tot/WebAuthn/
 */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

describe("second factors in a browser", () => {
  it("sets up an authenticator app from the page, then signs in with its code", async () => {
    const nurse = await createUser("NURSE");
    const { page, problems } = await openPage();
    await signInThroughForm(page, nurse.email, TEST_PASSWORD);
    await page.waitForURL("**/patients");
    await page.getByRole("link", { name: "Security" }).click();
    await page.getByRole("link", { name: "Set up an authenticator app" }).click();
    await page.waitForURL("**/account/security/totp");
    await waitForHydration(page);
    expect(await page.getByRole("img", { name: /QR code/ }).isVisible()).toBe(true);
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");

    await page.getByLabel("Code from the app").fill("000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect.poll(() => page.getByText("That code is not right").isVisible()).toBe(true);
    await page.getByLabel("Code from the app").fill(totpCodeAt(secret, new Date()));
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect.poll(() => page.getByTestId("recovery-codes").locator("li").count()).toBe(10);

    await page.getByRole("link", { name: "I have kept my recovery codes" }).click();
    await page.waitForURL("**/account/security");
    await signOut(page);
    // A code of the next step: the one used to confirm cannot be used again.
    const later = new Date(Date.now() + 30_000);
    await signInThroughForm(page, nurse.email, TEST_PASSWORD);
    await page.waitForURL("**/sign-in/verify");
    await waitForHydration(page);
    await page.getByLabel("Code from your authenticator app").fill(totpCodeAt(secret, later));
    await page.getByRole("button", { name: "Verify code" }).click();
    await page.waitForURL("**/patients");

    // The enrolment's wrong code was a 400 answer, which Chromium reports; nothing else went wrong.
    expect(problems).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
  }, 60_000);

  it("registers a passkey, signs in with it as the second factor, renames and removes it", async () => {
    const physician = await createUser("PHYSICIAN");
    const { page, problems } = await openPage({ hostname: "localhost" });
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL("**/worklist");

    await page.goto("/account/security");
    await waitForHydration(page);
    await page.getByLabel("Name for a new passkey").fill("Clinic laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => page.getByText("Passkey added.").isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId("recovery-codes").locator("li").count()).toBe(10);
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    const stored = await getDb().passkey.findFirstOrThrow({ where: { userId: physician.id } });
    expect(stored.name).toBe("Clinic laptop");
    expect(Buffer.from(credentials[0]?.credentialId ?? "", "base64").toString("base64url")).toBe(stored.credentialId);

    await signOut(page);
    await signInThroughForm(page, physician.email, TEST_PASSWORD);
    await page.waitForURL("**/sign-in/verify");
    await waitForHydration(page);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.waitForURL("**/worklist", { timeout: 15_000 });
    const [verified] = await auditEvents({ action: "auth.mfa_verified", userId: physician.id });
    expect(verified?.detail).toEqual({ purpose: "sign-in", method: "passkey" });
    const used = await getDb().passkey.findFirstOrThrow({ where: { userId: physician.id } });
    expect(used.lastUsedAt).not.toBeNull();
    // The signature counter moved forward with the assertion (a cloned authenticator would lag).
    expect(used.signCount).toBeGreaterThan(stored.signCount);

    await page.goto("/account/security");
    await waitForHydration(page);
    await page.getByLabel("New name for Clinic laptop").fill("Ward 3 laptop");
    await page.getByRole("button", { name: "Rename" }).click();
    await expect.poll(() => page.getByText("Passkey renamed.").isVisible()).toBe(true);
    // Signed in with the passkey just now, so removing it needs no further verification.
    await page.getByRole("button", { name: "Remove Ward 3 laptop" }).click();
    await expect.poll(() => page.getByText("Passkey removed.").isVisible()).toBe(true);
    expect(await getDb().passkey.count({ where: { userId: physician.id } })).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
