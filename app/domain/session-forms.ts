import * as z from "zod";

/**
 * The forms that end sessions, on a user's own sessions page and on an administrator's page of a
 * user. A session is named by its public id; which user it must belong to comes from the page.
 */
export const endSessionForms = [
  z.object({
    intent: z.literal("end-session"),
    session: z.uuid({ error: "This session no longer exists; reload the page." }),
  }),
  z.object({ intent: z.literal("end-other-sessions") }),
] as const;

export const endSessionSchema = z.discriminatedUnion("intent", [...endSessionForms]);
