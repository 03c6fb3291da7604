import { createCookie, redirect, type Cookie } from "@remix-run/node";
import * as z from "zod";
import { getEnv } from "~/server/env.server";

/**
 * A one-time message for the next page ("Outcome saved."), and which draft that save made obsolete.
 * It holds no patient data: the message is fixed text and the draft is named by ids.
 */
const noticeSchema = z.object({
  message: z.string().max(200),
  savedDraft: z.object({ patientId: z.string().max(64), form: z.string().max(64) }).optional(),
});
export type Notice = z.infer<typeof noticeSchema>;

let noticeCookie: Cookie | undefined;

function getNoticeCookie(): Cookie {
  const env = getEnv();
  noticeCookie ??= createCookie(env.isProduction ? "__Host-painpath_notice" : "painpath_notice", {
    httpOnly: true,
    sameSite: "lax",
    secure: env.isProduction,
    path: "/",
    maxAge: 60,
    secrets: [env.sessionSecret],
  });
  return noticeCookie;
}

export async function redirectWithNotice(url: string, notice: Notice): Promise<Response> {
  return redirect(url, { headers: { "Set-Cookie": await getNoticeCookie().serialize(notice) } });
}

/** Reads the notice, if any, and the Set-Cookie that removes it so it shows once. */
export async function takeNotice(request: Request): Promise<{ notice: Notice | null; headers: HeadersInit }> {
  const parsed = noticeSchema.safeParse(await getNoticeCookie().parse(request.headers.get("Cookie")));
  if (!parsed.success) return { notice: null, headers: {} };
  return {
    notice: parsed.data,
    headers: { "Set-Cookie": await getNoticeCookie().serialize("", { maxAge: 0 }) },
  };
}
