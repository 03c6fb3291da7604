import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import { PASSWORD_FIELDS } from "~/domain/user-forms";
import { ConcurrentEditError } from "~/models/record-revision.server";
import { UserChangeRefusedError, UserNotFoundError } from "~/models/user-admin.server";

/**
 * Turns a refused change to a user account into the form's reply. Passwords are never sent back,
 * whatever the outcome. Anything unexpected is rethrown; nothing was written in any of these cases.
 */
export function replyToUserRefusal(error: unknown, submission: Submission<Record<string, unknown>>) {
  if (error instanceof UserNotFoundError) throw new Response("Not found", { status: 404 });
  if (error instanceof UserChangeRefusedError) {
    const messages = [error.message];
    return data(
      {
        result: submission.reply({
          ...(error.field ? { fieldErrors: { [error.field]: messages } } : { formErrors: messages }),
          hideFields: PASSWORD_FIELDS,
        }),
        conflict: null,
      },
      { status: 400 },
    );
  }
  if (error instanceof ConcurrentEditError) {
    const conflict = Object.entries(error.current)
      .filter(([name]) => name in submission.payload && name !== "version")
      .map(([name, value]) => ({ name, current: String(value) }))
      .filter(({ name, current }) => current !== String(submission.payload[name] ?? ""));
    return data(
      {
        result: submission.reply({
          formErrors: [
            "Someone else changed this user after you opened the page. Nothing was saved: check the current values, then try again.",
          ],
          hideFields: PASSWORD_FIELDS,
        }),
        conflict,
      },
      { status: 409 },
    );
  }
  throw error;
}

/** The reply to a form that failed validation: status 400, passwords not echoed. */
export function replyToInvalidUserForm(submission: Submission<Record<string, unknown>>) {
  return data({ result: submission.reply({ hideFields: PASSWORD_FIELDS }), conflict: null }, { status: 400 });
}
