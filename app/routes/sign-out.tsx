import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/models/audit.server";
import { endCurrentSession, getUser } from "~/web/auth.server";

export function loader() {
  throw redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await getUser(request, context);
  const clearCookie = await endCurrentSession(request);
  if (user) await recordAudit(context, { action: "auth.sign_out", actor: user });
  // Form drafts in this browser hold patient data; the page's script removes them too, but this also
  // covers a tab without script. https://www.w3.org/TR/clear-site-data/#grammardef-storage
  throw redirect("/sign-in", { headers: { "Set-Cookie": clearCookie, "Clear-Site-Data": '"storage"' } });
}
