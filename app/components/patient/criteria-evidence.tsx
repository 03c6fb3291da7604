import { useFetcher } from "@remix-run/react";
import { displayDatesIn } from "~/domain/iso-date";
import { DateTime } from "~/components/dates";
import type { CriterionResult } from "~/domain/referral/types";
import type { loader as evidenceLoader } from "~/routes/patients.$patientId.diagnoses.$diagnosisId.evidence";

const STATUS_BADGES: Record<CriterionResult["status"], { text: string; className: string }> = {
  met: { text: "✓ Met", className: "border-green-700 text-green-900" },
  "not-met": { text: "✗ Not met", className: "border-slate-500 text-slate-700" },
  "not-enough-data": { text: "? Not enough data", className: "border-amber-600 text-amber-900" },
};

function Criterion({ criterion }: { criterion: CriterionResult }) {
  const badge = STATUS_BADGES[criterion.status];
  return (
    <li className="border-l-4 border-slate-200 pl-3 text-sm">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className={`rounded border px-1 text-xs font-semibold ${badge.className}`}>{badge.text}</span>
        <strong>{criterion.title}</strong>
        <span className="text-xs text-slate-500">
          {criterion.ruleId} v{criterion.ruleVersion}
        </span>
      </div>
      <p>{displayDatesIn(criterion.explanation)}</p>
      {criterion.missing.length > 0 ? (
        <p className="text-amber-900">Missing: {displayDatesIn(criterion.missing.join("; "))}</p>
      ) : null}
      {criterion.evidence.length > 0 ? (
        <ul className="list-disc pl-5 text-slate-700">
          {criterion.evidence.map((evidence, index) => (
            <li key={index}>
              {evidence.id &&
              (evidence.kind === "assessment" ||
                evidence.kind === "therapy" ||
                evidence.kind === "procedure" ||
                evidence.kind === "imaging") ? (
                <a href={`#${evidence.kind}-${evidence.id}`} className="underline">
                  {displayDatesIn(evidence.summary)}
                </a>
              ) : (
                displayDatesIn(evidence.summary)
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {criterion.parameters.length > 0 ? (
        <p className="text-xs text-slate-600">
          {criterion.parameters
            .map(
              (parameter) =>
                `${parameter.label}: ${parameter.value} ${parameter.unit}` +
                (parameter.alternatives.length > 0
                  ? ` (${parameter.alternatives.map((alternative) => `${displayDatesIn(alternative.source)}: ${alternative.value}`).join("; ")})`
                  : ""),
            )
            .join(" · ")}
        </p>
      ) : null}
      <p className="text-xs text-slate-500">Source: {displayDatesIn(criterion.source)}</p>
    </li>
  );
}

/**
 * The criteria behind an evaluation, with their evidence, thresholds and sources. Closed at first and
 * loaded from the server when opened: the page itself stays light, and the read is audited.
 */
export function CriteriaEvidence({
  patientId,
  diagnosisId,
  ruleSetVersion,
  evaluatedAt,
}: {
  patientId: string;
  diagnosisId: string;
  ruleSetVersion: string;
  evaluatedAt: string;
}) {
  const fetcher = useFetcher<typeof evidenceLoader>();
  const evidence = fetcher.data;
  return (
    <details
      className="mt-3 print:hidden"
      onToggle={(event) => {
        if (event.currentTarget.open && !evidence && fetcher.state === "idle") {
          fetcher.load(`/patients/${patientId}/diagnoses/${diagnosisId}/evidence`);
        }
      }}
    >
      <summary className="cursor-pointer text-sm font-medium text-blue-900">
        Criteria and evidence (rule set {ruleSetVersion}, evaluated <DateTime at={evaluatedAt} />)
      </summary>
      <div aria-live="polite" aria-busy={fetcher.state !== "idle"}>
        {evidence ? (
          <>
            <ul className="mt-2 space-y-3">
              {evidence.criteria.map((criterion) => (
                <Criterion key={criterion.ruleId} criterion={criterion} />
              ))}
            </ul>
            <p className="mt-3 text-xs text-slate-600">{evidence.disclaimer}</p>
          </>
        ) : (
          <p className="mt-2 text-sm text-slate-600">Loading the criteria…</p>
        )}
      </div>
    </details>
  );
}
