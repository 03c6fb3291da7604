import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { EmptyState, Page } from "~/components/page";
import { PERMISSIONS } from "~/domain/permissions";
import { requireUser } from "~/server/auth.server";

export const meta: MetaFunction = () => [{ title: "Referral reports · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["reports:view"] });
  return null;
}

export default function Reports() {
  return (
    <Page title="Referral reports">
      <EmptyState>No referrals have been recorded yet.</EmptyState>
    </Page>
  );
}
