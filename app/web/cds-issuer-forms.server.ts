import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import { DuplicateIssuerError, IssuerNotFoundError } from "~/models/cds-issuer.server";
import { ConcurrentEditError } from "~/models/record-revision.server";

/**
 * A refused change to a trusted issuer as the form's reply; nothing was written in any of these
 * cases. Anything unexpected is rethrown.
 */
export function replyToIssuerRefusal(error: unknown, submission: Submission<Record<string, unknown>>) {
  if (error instanceof IssuerNotFoundError) throw new Response("Not found", { status: 404 });
  if (error instanceof DuplicateIssuerError) {
    return data(
      { result: submission.reply({ fieldErrors: { issuer: [error.message] } }), conflict: null },
      { status: 400 },
    );
  }
  if (error instanceof ConcurrentEditError) {
    const conflict = Object.entries(error.current)
      .filter(([name]) => name in submission.payload)
      .map(([name, value]) => ({ name, current: value === null || value === undefined ? "" : String(value) }))
      .filter(({ name, current }) => current !== String(submission.payload[name] ?? ""));
    return data(
      {
        result: submission.reply({
          formErrors: [
            "Someone else changed this issuer after you opened the page. Nothing was saved: check the current values, then try again.",
          ],
        }),
        conflict,
      },
      { status: 409 },
    );
  }
  throw error;
}
