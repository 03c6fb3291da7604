import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { DateTime } from "~/components/dates";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { PERMISSIONS } from "~/domain/permissions";
import { verifyAuditTrail } from "~/models/audit-chain.server";
import { recordAudit } from "~/models/audit.server";
import { getEnv } from "~/server/env.server";
import { requireUser } from "~/web/auth.server";

export const meta: MetaFunction = () => [{ title: "Audit trail integrity · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireUser(request, context, { roles: PERMISSIONS["audit:view"] });
  // Reads every row: seconds per million. Kept checkpoints are checked by npm run audit:verify.
  const report = await verifyAuditTrail(getEnv().auditChainKey);
  await recordAudit(context, {
    action: "audit.integrity_checked",
    actor: admin,
    outcome: report.intact ? "success" : "failure",
    detail: { sealed: report.sealed, brokenAt: report.firstBreak?.id ?? null },
  });
  return report;
}

export default function AuditIntegrity() {
  const { intact, sealed, unsealed, lastSealed, firstBreak } = useLoaderData<typeof loader>();
  return (
    <Page title="Audit trail integrity">
      <p className="max-w-2xl text-sm text-slate-700">
        Every audit event is sealed into a hash chain a few seconds after it is written. This page recomputes the whole
        chain and names the first row that does not hold.{" "}
        <Link to="/admin/audit" className="text-blue-800 underline">
          Back to the audit trail
        </Link>
      </p>
      {firstBreak ? (
        <div className="mt-6 rounded bg-red-50 p-4 text-sm text-red-900" role="alert">
          <p className="font-semibold">The chain is broken at row {firstBreak.id}.</p>
          <p className="mt-1">
            {firstBreak.at ? (
              <>
                Recorded <DateTime at={firstBreak.at} />:{" "}
              </>
            ) : null}
            {firstBreak.problem}.
          </p>
          <p className="mt-1">{sealed} rows before it hold.</p>
        </div>
      ) : (
        <p className="mt-6 rounded bg-green-50 p-4 text-sm text-green-900" role="status">
          Intact: {sealed} rows sealed
          {lastSealed ? (
            <>
              , the last {lastSealed.id} at <DateTime at={lastSealed.at} />
            </>
          ) : null}
          .
        </p>
      )}
      <dl className="mt-4 grid max-w-xl grid-cols-2 gap-2 text-sm">
        <dt className="text-slate-600">Waiting to be sealed</dt>
        <dd>{unsealed}</dd>
        <dt className="text-slate-600">Last sealed hash</dt>
        <dd className="break-all font-mono text-xs">{intact && lastSealed ? lastSealed.hash : "–"}</dd>
      </dl>
    </Page>
  );
}
