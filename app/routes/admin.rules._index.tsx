import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { displayDate } from "~/domain/iso-date";
import { DateTime } from "~/components/dates";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/page";
import {
  RULE_SET_STATUS_LABELS,
  RuleList,
  ruleSetOutline,
  ReevaluationStatus,
  useRefreshWhile,
} from "~/components/rule-set-view";
import { PERMISSIONS } from "~/domain/permissions";
import { lastReevaluation, ruleSetJobProgress } from "~/models/rule-set-jobs.server";
import { listRuleSetVersions, loadActiveRuleSet } from "~/models/rule-set.server";
import { requireUser } from "~/web/auth.server";
import { ScrollRegion } from "~/components/scroll-region";

export const meta: MetaFunction = () => [{ title: "Rule settings · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["rules:manage"] });
  const [active, versions] = await Promise.all([loadActiveRuleSet(), listRuleSetVersions()]);
  const stored = versions.find((version) => version.id === active.id) ?? null;
  return {
    active: {
      id: active.id,
      version: active.ruleSet.version,
      releasedOn: active.ruleSet.releasedOn,
      activatedBy: stored?.activatedBy ?? null,
      activatedAt: stored?.activatedAt ?? null,
    },
    reevaluation: active.id ? ruleSetJobProgress("reevaluation", active.id) : null,
    lastReevaluation: active.id ? await lastReevaluation(active.id) : null,
    rules: ruleSetOutline(active.ruleSet),
    versions,
  };
}

export default function RuleSettings() {
  const { active, reevaluation, lastReevaluation, rules, versions } = useLoaderData<typeof loader>();
  useRefreshWhile(Boolean(reevaluation?.running));
  return (
    <Page title="Rule settings">
      <section aria-labelledby="active-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline gap-4">
          <h2 id="active-heading" className="text-lg font-semibold">
            Active rule set {active.version}
          </h2>
          <Link
            to="/admin/rules/new"
            className="ml-auto rounded border border-blue-800 px-4 py-2 font-medium text-blue-800 hover:bg-blue-50"
          >
            New draft…
          </Link>
        </div>
        <p className="text-sm text-slate-700">
          Released {displayDate(active.releasedOn)}.{" "}
          {active.id ? (
            <>
              Activated by {active.activatedBy ?? "unknown user"} at{" "}
              {active.activatedAt ? <DateTime at={active.activatedAt} /> : "an unknown time"}.
            </>
          ) : (
            "The rule set built into this PainPath release: no administrator's version has been activated."
          )}
        </p>
        <ReevaluationStatus job={reevaluation} last={lastReevaluation} />
      </section>

      <section aria-labelledby="versions-heading" className="mt-6">
        <h2 id="versions-heading" className="text-lg font-semibold">
          Versions
        </h2>
        {versions.length === 0 ? (
          <EmptyState>
            No version has been made yet: every evaluation uses the built-in rule set {active.version}.
          </EmptyState>
        ) : (
          <ScrollRegion label="Rule set versions" className="mt-2">
            <table className="w-full border-collapse bg-white text-sm shadow-sm">
              <thead className="bg-slate-100 text-left">
                <tr>
                  <th className="px-3 py-2">Version</th>
                  <th className="px-3 py-2">Status</th>
                  <th className="px-3 py-2">Based on</th>
                  <th className="px-3 py-2">Made</th>
                  <th className="px-3 py-2">Why</th>
                  <th className="px-3 py-2">Activated</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((version) => (
                  <tr key={version.id} className="border-t border-slate-200 align-top">
                    <td className="px-3 py-2">
                      <Link to={`/admin/rules/${version.id}`} className="font-mono text-blue-800 underline">
                        {version.version}
                      </Link>
                    </td>
                    <td className="px-3 py-2">{RULE_SET_STATUS_LABELS[version.status]}</td>
                    <td className="px-3 py-2 font-mono">{version.basedOn}</td>
                    <td className="px-3 py-2">
                      {version.createdBy}, <DateTime at={version.createdAt} />
                    </td>
                    <td className="max-w-md whitespace-pre-line px-3 py-2">{version.reason}</td>
                    <td className="px-3 py-2">
                      {version.activatedAt ? (
                        <>
                          {version.activatedBy ?? "unknown user"}, <DateTime at={version.activatedAt} />
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>

      <section aria-labelledby="rules-heading" className="mt-6">
        <h2 id="rules-heading" className="mb-2 text-lg font-semibold">
          Rules of {active.version}
        </h2>
        <RuleList rules={rules} />
      </section>
    </Page>
  );
}
