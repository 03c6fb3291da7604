import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { ROLE_HOME } from "~/domain/roles";
import { getUser } from "~/web/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  throw redirect(user ? ROLE_HOME[user.role] : "/sign-in");
}
