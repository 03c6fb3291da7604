import * as z from "zod";

/**
 * Checked on the server only: the sign-in page is the first a clinician opens, and sends no form
 * library to the browser for two fields (decision 025). Both messages come back with one reply.
 */
export const SignInSchema = z.object({
  email: z
    .string({ error: "Enter your email." })
    .trim()
    .max(254, "An email address has at most 254 characters.")
    .pipe(z.email("Enter a valid email address.")),
  // Long enough for any real passphrase, short enough that hashing cannot be used to exhaust the server.
  password: z.string({ error: "Enter your password." }).max(1024, "A password has at most 1,024 characters."),
  redirectTo: z.string().optional(),
});
