import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState, Page } from "~/components/page";
import { PERMISSIONS } from "~/domain/permissions";
import { requireUser } from "~/server/auth.server";

export const meta: MetaFunction = () => [{ title: "Review worklist · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["worklist:view"] });
  return null;
}

export default function Worklist() {
  return (
    <Page title="Review worklist">
      <EmptyState>No patients are flagged for interventional review.</EmptyState>
    </Page>
  );
}
