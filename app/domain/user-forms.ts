import * as z from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordContext } from "./password-policy";
import { plainText } from "./plain-text";
import { ROLES } from "./roles";
import { endSessionForms } from "./session-forms";

/**
 * The forms about user accounts: an administrator's create, edit, deactivate, reactivate and
 * password reset, and anyone's change of their own password. The browser checks length and
 * matching; the server also passes `checkPassword` (the common-password list is server-only).
 */
export type PasswordCheck = (password: string, context: PasswordContext) => string[];

const version = z.number({ error: "The form is missing its version; reload the page." }).int().min(1);

const name = z
  .string({ error: "Enter the name." })
  .trim()
  .min(1, "Enter the name.")
  .max(100, "Use at most 100 characters.")
  .superRefine(plainText("single-line"));

/** Stored lowercase: emails are unique without regard to case, and sign-in lowercases too. */
const email = z
  .string({ error: "Enter the email." })
  .trim()
  .toLowerCase()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email("Enter a valid email address."));

const role = z.enum(ROLES, { error: "Choose a role." });

const newPassword = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);
const confirmPassword = z.string({ error: "Type the password again." });

function addPasswordIssues(
  ctx: z.RefinementCtx,
  value: { password: string; confirmPassword: string },
  context: PasswordContext,
  checkPassword?: PasswordCheck,
) {
  if (value.password !== value.confirmPassword) {
    ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The two passwords differ." });
  }
  for (const message of checkPassword?.(value.password, context) ?? []) {
    ctx.addIssue({ code: "custom", path: ["password"], message });
  }
}

export function userCreateSchema(checkPassword?: PasswordCheck) {
  return z
    .object({ name, email, role, password: newPassword, confirmPassword })
    .superRefine((value, ctx) => addPasswordIssues(ctx, value, value, checkPassword));
}
export type UserCreateInput = z.infer<ReturnType<typeof userCreateSchema>>;

export const USER_INTENTS = [
  "update",
  "deactivate",
  "reactivate",
  "reset-password",
  "end-session",
  "end-other-sessions",
  "reset-mfa",
] as const;
export type UserIntent = (typeof USER_INTENTS)[number];

/**
 * The forms of one user's page, told apart by `intent`, ending the user's sessions included. `target` is the stored user, whose name
 * and email a temporary password must not contain.
 */
export function userActionSchema(options: { checkPassword?: PasswordCheck; target?: PasswordContext } = {}) {
  return z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("update"), version, name, email, role }),
    z.object({ intent: z.literal("deactivate"), version }),
    z.object({ intent: z.literal("reactivate"), version }),
    z
      .object({ intent: z.literal("reset-password"), version, password: newPassword, confirmPassword })
      .superRefine((value, ctx) => addPasswordIssues(ctx, value, options.target ?? {}, options.checkPassword)),
    z.object({ intent: z.literal("reset-mfa") }),
    ...endSessionForms,
  ]);
}
export type UserActionInput = z.infer<ReturnType<typeof userActionSchema>>;

export function passwordChangeSchema(options: { checkPassword?: PasswordCheck; context?: PasswordContext } = {}) {
  return z
    .object({
      // Long enough for any real passphrase, short enough that hashing cannot exhaust the server.
      currentPassword: z.string({ error: "Enter your current password." }).max(1024),
      password: newPassword,
      confirmPassword,
      redirectTo: z.string().optional(),
    })
    .superRefine((value, ctx) => {
      if (value.password === value.currentPassword) {
        ctx.addIssue({
          code: "custom",
          path: ["password"],
          message: "Choose a password different from your current one.",
        });
      }
      addPasswordIssues(ctx, value, options.context ?? {}, options.checkPassword);
    });
}

/** Form fields never sent back to the browser after a refused submission. */
export const PASSWORD_FIELDS = ["password", "confirmPassword", "currentPassword"];

export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters; several unrelated words work well. No other rules.`;

/** The user list shows at most this many at once; the role and status filters narrow it. */
export const USER_LIST_LIMIT = 500;
