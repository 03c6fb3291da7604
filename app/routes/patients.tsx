import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState, Page } from "~/components/page";
import { PERMISSIONS } from "~/domain/permissions";
import { requireUser } from "~/server/auth.server";

export const meta: MetaFunction = () => [{ title: "Patients · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["patients:view"] });
  return null;
}

export default function Patients() {
  return (
    <Page title="Patients and follow-ups">
      <EmptyState>No patients are due for follow-up.</EmptyState>
    </Page>
  );
}
