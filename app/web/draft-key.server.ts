import { createHmac } from "node:crypto";
import { getEnv } from "~/server/env.server";

/**
 * The key that seals one user's form drafts in their browser (app/components/form-draft.tsx). It is
 * derived, not stored: the same user gets the same key at every sign-in, so a draft saved before an
 * idle sign-out opens again after the next one, and nobody else's key opens it. Changing
 * SESSION_SECRET makes every old draft unreadable, which the browser then drops.
 */
export function draftKeyOf(userId: string): string {
  return createHmac("sha256", getEnv().sessionSecret).update(`painpath-form-drafts:${userId}`).digest("base64url");
}
