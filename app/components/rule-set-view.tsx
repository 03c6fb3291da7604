import { useRevalidator } from "@remix-run/react";
import { displayDatesIn } from "~/domain/iso-date";
import { DateTime } from "~/components/dates";
import { useEffect } from "react";
import { describeRule, formatValue, type Rule, type RuleParameter, type RuleSet } from "~/domain/referral/rule-set";
import { count } from "~/domain/text";
import type { RuleSetStatus } from "~/generated/prisma/enums";
import { ScrollRegion } from "./scroll-region";

export interface ParameterOutline {
  name: string;
  label: string;
  value: number;
  unit: string;
  min: number;
  max: number;
  wholeNumber: boolean;
  sources: Array<{ source: string; value: number }>;
}

export interface RuleOutline {
  key: string;
  id: string;
  version: number;
  title: string;
  /** The statement with every parameter's value filled in. */
  statement: string;
  source: string;
  revision: string;
  parameters: ParameterOutline[];
}

/** A rule set as the screens show it: plain data a loader can send. */
export function ruleSetOutline(ruleSet: RuleSet): RuleOutline[] {
  return Object.entries(ruleSet.rules as Readonly<Record<string, Rule>>).map(([key, rule]) => ({
    key,
    id: rule.id,
    version: rule.version,
    title: rule.title,
    statement: describeRule(rule),
    source: rule.source,
    revision: rule.revision,
    parameters: Object.entries(rule.parameters as Readonly<Record<string, RuleParameter>>).map(([name, p]) => ({
      name,
      label: p.label,
      value: p.value,
      unit: p.unit,
      min: p.min,
      max: p.max,
      wholeNumber: p.wholeNumber,
      sources: p.sources.map(({ source, value }) => ({ source, value })),
    })),
  }));
}

export const RULE_SET_STATUS_LABELS: Record<RuleSetStatus, string> = {
  DRAFT: "Draft",
  ACTIVE: "Active",
  RETIRED: "Retired",
};

export function RuleList({ rules }: { rules: RuleOutline[] }) {
  return (
    <ol className="space-y-4">
      {rules.map((rule) => (
        <li key={rule.key} id={`rule-${rule.id}`} className="rounded border border-slate-300 bg-white p-4 shadow-sm">
          <h3 className="flex flex-wrap items-baseline gap-2 text-base font-semibold">
            {rule.title}
            <span className="font-mono text-xs font-normal text-slate-600">
              {rule.id} v{rule.version}
            </span>
          </h3>
          <p className="mt-1 text-sm">{displayDatesIn(rule.statement)}</p>
          <p className="mt-1 text-xs text-slate-600">
            Source: {displayDatesIn(rule.source)}. Revision: {displayDatesIn(rule.revision)}.
          </p>
          {rule.parameters.length > 0 ? (
            <ScrollRegion label={`${rule.title}: parameters`} className="mt-2">
              <table className="w-full border-collapse text-sm">
                <thead className="bg-slate-100 text-left">
                  <tr>
                    <th className="px-2 py-1">Parameter</th>
                    <th className="px-2 py-1">Value</th>
                    <th className="px-2 py-1">Safe range</th>
                    <th className="px-2 py-1">Sources</th>
                  </tr>
                </thead>
                <tbody>
                  {rule.parameters.map((parameter) => (
                    <tr key={parameter.name} className="border-t border-slate-200 align-top">
                      <td className="px-2 py-1">
                        {parameter.label}
                        <span className="ml-1 font-mono text-xs text-slate-500">{parameter.name}</span>
                      </td>
                      <td className="px-2 py-1 font-semibold">{formatValue(parameter)}</td>
                      <td className="px-2 py-1">
                        {parameter.min}–{parameter.max} {parameter.unit}
                      </td>
                      <td className="px-2 py-1">
                        <SourceList parameter={parameter} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function SourceList({ parameter }: { parameter: ParameterOutline }) {
  return (
    <ul className="text-xs text-slate-700">
      {parameter.sources.map((source) => (
        <li key={displayDatesIn(source.source)}>
          {displayDatesIn(source.source)}: {formatValue({ value: source.value, unit: parameter.unit })}
        </li>
      ))}
    </ul>
  );
}

/** Reloads the page's data every few seconds while a background run is going. */
export function useRefreshWhile(running: boolean, everyMs = 2000) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [running, everyMs, revalidator]);
}

export function JobStatus({
  job,
  what,
}: {
  job: { running: boolean; failed: boolean; done: number; total: number | null; startedAt: string } | null;
  what: string;
}) {
  if (!job) return null;
  if (job.running) {
    return (
      <p className="rounded border border-blue-300 bg-blue-50 p-2 text-sm" role="status">
        {what}: running since <DateTime at={job.startedAt} /> —{" "}
        {job.total === null
          ? "starting…"
          : `${job.done.toLocaleString("en")} of ${job.total.toLocaleString("en")} patients`}
        . This page refreshes by itself.
      </p>
    );
  }
  if (job.failed) {
    return (
      <p className="rounded border border-red-300 bg-red-50 p-2 text-sm" role="alert">
        {what} failed after {count(job.done, "patient")}; the error is in the server log. Start it again.
      </p>
    );
  }
  return null;
}

/** A version's re-evaluation of every patient: running, failed, or how the last one ended. */
export function ReevaluationStatus({
  job,
  last,
}: {
  job: Parameters<typeof JobStatus>[0]["job"];
  last: { at: string; patients: number; changed: number; stopped: boolean } | null;
}) {
  return (
    <>
      <JobStatus job={job} what="Re-evaluation of every patient with this version" />
      {!job?.running && last ? (
        <p className="text-sm text-slate-700">
          Every patient was re-evaluated with it at <DateTime at={last.at} /> ({count(last.patients, "patient")},{" "}
          {count(last.changed, "evaluation")} changed
          {last.stopped ? "; stopped early by a newer activation" : ""}).
        </p>
      ) : null}
    </>
  );
}
