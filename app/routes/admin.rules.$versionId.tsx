import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import * as z from "zod";
import { FormErrors } from "~/components/forms";
import { FieldErrors, invalidWhen } from "~/components/field-errors";
import { Page } from "~/components/page";
import {
  JobStatus,
  RULE_SET_STATUS_LABELS,
  RuleList,
  ruleSetOutline,
  ReevaluationStatus,
  useRefreshWhile,
} from "~/components/rule-set-view";
import { shortTime } from "~/domain/iso-date";
import { count } from "~/domain/text";
import { PERMISSIONS } from "~/domain/permissions";
import { formatValue } from "~/domain/referral/rule-set";
import { ruleSetDifferences } from "~/domain/referral/stored-rule-set";
import { recordAudit } from "~/models/audit.server";
import { latestImpact, type ImpactSampleView } from "~/models/rule-impact.server";
import {
  lastReevaluation,
  ruleSetJobProgress,
  startImpactJob,
  startReevaluationJob,
} from "~/models/rule-set-jobs.server";
import {
  activateRuleSetVersion,
  getRuleSetVersion,
  loadActiveRuleSet,
  RuleSetRefusedError,
} from "~/models/rule-set.server";
import { requireRecentSecondFactor, requireUser } from "~/web/auth.server";
import { requireId } from "~/web/route-helpers.server";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `Rule set ${loaded?.version.version ?? ""} · PainPath` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["rules:manage"] });
  const versionId = requireId(params.versionId);
  const [version, active] = await Promise.all([getRuleSetVersion(versionId), loadActiveRuleSet()]);
  if (!version) throw new Response("Not found", { status: 404 });
  // An impact is a draft's forecast; once the version is active, the re-evaluation is the record.
  const [impact, reevaluated] = await Promise.all([
    version.status === "DRAFT" ? latestImpact(versionId) : null,
    lastReevaluation(versionId),
  ]);
  const patientIds = impact ? [...impact.samples.gained, ...impact.samples.lost].map((sample) => sample.patientId) : [];
  // The samples name patients by MRN: who saw which is on record, as for any line list.
  if (patientIds.length > 0) {
    await recordAudit(context, {
      action: "rules.impact_view",
      actor: user,
      entityType: "RuleSetVersion",
      entityId: versionId,
      detail: { patientIds },
    });
  }
  const { ruleSet, ...row } = version;
  return {
    version: row,
    activeVersion: active.ruleSet.version,
    differences: ruleSetDifferences(active.ruleSet, ruleSet),
    impact,
    impactJob: ruleSetJobProgress("impact", versionId),
    reevaluation: ruleSetJobProgress("reevaluation", versionId),
    reevaluated,
    rules: ruleSetOutline(ruleSet),
  };
}

const versionActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("compute-impact") }),
  z.object({
    intent: z.literal("activate"),
    confirm: z.boolean({ error: "Tick the box to confirm the activation." }),
  }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["rules:manage"] });
  const versionId = requireId(params.versionId);
  const submission = await parseForm(request, versionActionSchema);
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const version = await getRuleSetVersion(versionId);
  if (!version) throw new Response("Not found", { status: 404 });

  if (submission.value.intent === "compute-impact") {
    if (version.status !== "DRAFT") {
      return data(
        { result: submission.reply({ formErrors: ["Only a draft's impact can be computed."] }) },
        { status: 409 },
      );
    }
    const started = startImpactJob({ versionId, ruleSet: version.ruleSet, actor: user, context });
    if (started) {
      await recordAudit(context, {
        action: "rules.impact_requested",
        actor: user,
        entityType: "RuleSetVersion",
        entityId: versionId,
        detail: { version: version.version },
      });
    }
    throw redirect(`/admin/rules/${versionId}`);
  }

  // Step-up: activating changes every patient's evaluation, so the second factor is asked again.
  await requireRecentSecondFactor(request, context, user, "rule-set-activation", `/admin/rules/${versionId}`);
  try {
    const activated = await activateRuleSetVersion(versionId, user, context);
    startReevaluationJob({ versionId, ruleSet: activated.ruleSet, actor: user, context });
  } catch (error) {
    if (!(error instanceof RuleSetRefusedError)) throw error;
    return data({ result: submission.reply({ formErrors: error.formErrors }) }, { status: error.status });
  }
  throw redirect(`/admin/rules/${versionId}`);
}

export default function RuleSetVersionPage() {
  const { version, activeVersion, differences, impact, impactJob, reevaluation, reevaluated, rules } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  useRefreshWhile(Boolean(impactJob?.running || reevaluation?.running));
  const { confirm: confirmErrors, ...otherErrors } = actionData?.result.error ?? {};
  // The confirmation's message goes next to its box; the rest refuse the whole action.
  const errors = Object.values(otherErrors)
    .flat()
    .filter((error): error is string => typeof error === "string");
  const isDraft = version.status === "DRAFT";
  const staleBase = isDraft && version.basedOn !== activeVersion;

  return (
    <Page title={`Rule set ${version.version}`}>
      <p className="text-sm">
        <Link to="/admin/rules" className="text-blue-800 underline">
          ← Rule settings
        </Link>
      </p>
      <dl className="mt-3 grid max-w-3xl grid-cols-[10rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-600">Status</dt>
        <dd className="font-semibold">{RULE_SET_STATUS_LABELS[version.status]}</dd>
        <dt className="text-slate-600">Based on</dt>
        <dd className="font-mono">{version.basedOn}</dd>
        <dt className="text-slate-600">Made</dt>
        <dd>
          by {version.createdBy}, {shortTime(version.createdAt)}
        </dd>
        <dt className="text-slate-600">Why</dt>
        <dd className="whitespace-pre-line">{version.reason}</dd>
        {version.activatedAt ? (
          <>
            <dt className="text-slate-600">Activated</dt>
            <dd>
              by {version.activatedBy ?? "unknown user"}, {shortTime(version.activatedAt)}
            </dd>
          </>
        ) : null}
      </dl>

      <FormErrors id="version-errors" errors={errors} />

      <section aria-labelledby="differences-heading" className="mt-6">
        <h2 id="differences-heading" className="text-lg font-semibold">
          Differences from the active rule set ({activeVersion})
        </h2>
        {differences.length === 0 ? (
          <p className="text-sm text-slate-700">
            {version.version === activeVersion
              ? "This is the active rule set."
              : "Same thresholds as the active rule set."}
          </p>
        ) : (
          <table className="mt-2 w-full max-w-4xl border-collapse bg-white text-sm shadow-sm">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-2">Rule</th>
                <th className="px-3 py-2">Parameter</th>
                <th className="px-3 py-2">Active ({activeVersion})</th>
                <th className="px-3 py-2">This version</th>
              </tr>
            </thead>
            <tbody>
              {differences.map((difference) => (
                <tr key={`${difference.ruleId}.${difference.parameter}`} className="border-t border-slate-200">
                  <td className="px-3 py-2">
                    <span className="font-mono">{difference.ruleId}</span> {difference.ruleTitle}
                  </td>
                  <td className="px-3 py-2">{difference.label}</td>
                  <td className="px-3 py-2">{formatValue({ value: difference.from, unit: difference.unit })}</td>
                  <td className="px-3 py-2 font-semibold">
                    {formatValue({ value: difference.to, unit: difference.unit })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {staleBase ? (
          <p className="mt-2 rounded border border-amber-400 bg-amber-50 p-2 text-sm" role="alert">
            This draft was made from {version.basedOn}, but {activeVersion} is active now: it cannot be activated. Make
            a new draft from the active rule set.
          </p>
        ) : null}
      </section>

      {isDraft ? (
        <section aria-labelledby="impact-heading" className="mt-6 space-y-2">
          <h2 id="impact-heading" className="text-lg font-semibold">
            Impact on current patients
          </h2>
          <JobStatus job={impactJob} what="Computing the impact" />
          {impact ? <Impact impact={impact} activeVersion={activeVersion} /> : null}
          {!impact && !impactJob?.running ? (
            <p className="text-sm text-slate-700">
              Not computed yet. It replays this draft over every patient&apos;s current record and compares the flags
              with the stored results; on a large clinic it takes a minute or so and runs in the background.
            </p>
          ) : null}
          {isDraft && !impactJob?.running ? (
            <Form method="post">
              <input type="hidden" name="intent" value="compute-impact" />
              <button
                type="submit"
                disabled={busy}
                className="rounded border border-blue-800 px-4 py-2 font-medium text-blue-800 hover:bg-blue-50 disabled:opacity-60"
              >
                {impact ? "Compute the impact again" : "Compute impact"}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {isDraft && !staleBase ? (
        <section aria-labelledby="activate-heading" className="mt-6">
          <h2 id="activate-heading" className="text-lg font-semibold">
            Activate
          </h2>
          <Form method="post" className="mt-2 max-w-3xl space-y-2 rounded border border-red-300 bg-red-50 p-4 text-sm">
            <input type="hidden" name="intent" value="activate" />
            <p>
              Activating retires {activeVersion}. Every later evaluation uses {version.version}, and every patient is
              re-evaluated with it now, in the background; flags appear and resolve accordingly, and each evaluation
              names the version that produced it.
            </p>
            <label className="flex items-start gap-2">
              <input
                type="checkbox"
                name="confirm"
                required
                className="mt-1 h-4 w-4"
                {...invalidWhen("confirm-errors", confirmErrors)}
              />
              <span>
                I have reviewed the differences{impact ? " and the impact" : ""}: activate {version.version} for every
                patient.
              </span>
            </label>
            <FieldErrors id="confirm-errors" errors={confirmErrors} />
            <button
              type="submit"
              disabled={busy}
              className="rounded bg-red-800 px-4 py-2 font-medium text-white hover:bg-red-900 disabled:opacity-60"
            >
              Activate {version.version}
            </button>
          </Form>
        </section>
      ) : null}

      {version.status !== "DRAFT" ? (
        <section className="mt-6 space-y-2">
          <ReevaluationStatus job={reevaluation} last={reevaluated} />
        </section>
      ) : null}

      <details className="mt-6">
        <summary className="cursor-pointer text-lg font-semibold">All rules of {version.version}</summary>
        <div className="mt-2">
          <RuleList rules={rules} />
        </div>
      </details>
    </Page>
  );
}

type ImpactView = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["impact"]>;

function Impact({ impact, activeVersion }: { impact: ImpactView; activeVersion: string }) {
  return (
    <div className="space-y-3 text-sm">
      <p>
        Computed by {impact.computedBy} at {shortTime(impact.computedAt)} over {count(impact.patients, "patient")} (
        {count(impact.diagnoses, "diagnosis", "diagnoses")} of active patients), against the stored results of{" "}
        {impact.baselineVersion}.
      </p>
      {impact.baselineVersion !== activeVersion ? (
        <p className="rounded border border-amber-400 bg-amber-50 p-2" role="alert">
          {activeVersion} has been activated since: compute the impact again.
        </p>
      ) : null}
      <ul className="grid max-w-3xl gap-2 sm:grid-cols-2">
        <li className="rounded border border-slate-300 bg-white p-3">
          <strong className="text-2xl">{impact.gained.toLocaleString("en")}</strong>{" "}
          {impact.gained === 1 ? "flag" : "flags"} would be raised ({count(impact.gainedPatients, "patient")})
          {impact.gainedAnyway > 0 ? (
            <span className="block text-xs text-slate-600">
              {impact.gainedAnyway.toLocaleString("en")} of them would be raised under {impact.baselineVersion} too:
              their record or the calendar has moved since they were last evaluated.
            </span>
          ) : null}
        </li>
        <li className="rounded border border-slate-300 bg-white p-3">
          <strong className="text-2xl">{impact.lost.toLocaleString("en")}</strong>{" "}
          {impact.lost === 1 ? "flag" : "flags"} would be resolved ({count(impact.lostPatients, "patient")})
          {impact.lostAnyway > 0 ? (
            <span className="block text-xs text-slate-600">
              {impact.lostAnyway.toLocaleString("en")} of them would be resolved under {impact.baselineVersion} too.
            </span>
          ) : null}
        </li>
      </ul>
      <Samples title="Examples of flags raised" samples={impact.samples.gained} />
      <Samples title="Examples of flags resolved" samples={impact.samples.lost} />
    </div>
  );
}

function Samples({ title, samples }: { title: string; samples: ImpactSampleView[] }) {
  if (samples.length === 0) return null;
  return (
    <div>
      <h3 className="font-medium">{title}</h3>
      <table className="mt-1 w-full max-w-4xl border-collapse bg-white shadow-sm">
        <thead className="bg-slate-100 text-left">
          <tr>
            <th className="px-3 py-1">MRN</th>
            <th className="px-3 py-1">Diagnosis</th>
            <th className="px-3 py-1">What changed</th>
          </tr>
        </thead>
        <tbody>
          {samples.map((sample, index) => (
            <tr key={index} className="border-t border-slate-200 align-top">
              <td className="px-3 py-1 font-mono">{sample.mrn}</td>
              <td className="px-3 py-1">{sample.diagnosis}</td>
              <td className="px-3 py-1">{sample.criteria.join("; ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
