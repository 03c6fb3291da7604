import type { ReactNode } from "react";
import { daysBetween } from "~/domain/clinical/duration";
import { displayDate } from "~/domain/iso-date";
import { MME_CAVEATS } from "~/domain/clinical/mme";
import { OUTCOME_MEASURES } from "~/domain/clinical/scores";
import { therapyLabel } from "~/domain/pathway-overview";
import { PATHWAY_STAGE_LABELS } from "~/domain/pathway-stage";
import { CAUTION_LABELS, PSYCH_EVALUATION_STATUS_LABELS, THERAPY_MODALITY_LABELS } from "~/domain/pathway-vocabulary";
import { DISMISS_REASON_LABELS } from "~/domain/pathway-vocabulary";
import type { ScoreTrend } from "~/domain/score-trends";
import { ANTITHROMBOTIC_DRUGS } from "~/domain/clinical/antithrombotics";
import { ACTIONABLE_FLAG_STATUSES, FlagActionsFor } from "./evaluation-panel";
import type { PatientPageData } from "./types";

type LoaderData = PatientPageData;

/** "12 days", "5 months", "2 years": how long a diagnosis has been in its stage. */
export function elapsed(days: number): string {
  if (days < 60) return `${days} ${days === 1 ? "day" : "days"}`;
  if (days < 730) return `${Math.floor(days / 30.44)} months`;
  return `${Math.floor(days / 365.25)} years`;
}

/**
 * What a clinician needs first, above everything else: open flags with their reason and actions,
 * active diagnoses with their stage, current medications with total MME, latest scores against
 * baseline, cautions and allergies. Printing the page prints this band.
 */
export function SummaryBand({ data }: { data: LoaderData }) {
  const { pathways, today } = data;
  const openFlags = pathways.flatMap((pathway) =>
    pathway.flag && ACTIONABLE_FLAG_STATUSES.includes(pathway.flag.status) ? [{ ...pathway, flag: pathway.flag }] : [],
  );
  return (
    <section aria-labelledby="summary-heading" className="space-y-4 print:space-y-2 print:text-xs">
      <h2 id="summary-heading" className="sr-only">
        Summary
      </h2>
      {openFlags.length > 0 ? (
        <Card title={openFlags.length === 1 ? "Open flag" : `Open flags (${openFlags.length})`} tone="flag">
          <ul className="space-y-3">
            {openFlags.map(({ diagnosis, flag, evaluation }) => {
              const urgent = Boolean(evaluation?.result.urgent ?? flag.urgent);
              return (
                <li key={flag.id} id={`open-flag-${flag.id}`}>
                  <p>
                    {urgent ? (
                      <span className="mr-2 rounded bg-red-700 px-2 text-xs font-semibold text-white">RED FLAG</span>
                    ) : null}
                    <strong>{diagnosis.label}</strong>{" "}
                    <span className="text-slate-700">
                      {`· ${
                        flag.status === "SNOOZED" && flag.snoozedUntil
                          ? `snoozed until ${displayDate(flag.snoozedUntil)}`
                          : flag.status === "ACKNOWLEDGED"
                            ? "acknowledged"
                            : "open"
                      }, waiting ${elapsed(daysBetween(flag.waitingSince, today))}`}
                    </span>
                  </p>
                  <p className="text-sm">{evaluation?.result.summary ?? flag.summary}</p>
                  {data.canActOnFlags ? (
                    <FlagActionsFor
                      patientId={data.patient.id}
                      diagnosisId={diagnosis.id}
                      flag={flag}
                      urgent={urgent}
                      dismissReasons={DISMISS_REASON_LABELS}
                      today={today}
                    />
                  ) : null}
                </li>
              );
            })}
          </ul>
        </Card>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4 print:grid-cols-2 print:gap-2">
        <Card title="Active diagnoses">
          {pathways.length === 0 ? (
            <p className="text-slate-600">No diagnosis recorded yet.</p>
          ) : (
            <ul className="space-y-1">
              {pathways.map(({ diagnosis, stage }) => (
                <li key={diagnosis.id}>
                  <span className="font-mono text-xs">{diagnosis.icd10Code}</span> {diagnosis.label}
                  <span className="block text-slate-700">
                    {`${PATHWAY_STAGE_LABELS[stage.stage]} for ${elapsed(daysBetween(stage.since, today))}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Current medications">
          <CurrentMedications overview={data.overview} />
        </Card>
        <Card title="Latest scores">
          <LatestScores data={data} />
        </Card>
        <Card title="Cautions and allergies">
          <CautionsAndAllergies data={data} />
        </Card>
      </div>
    </section>
  );
}

function Card({ title, tone, children }: { title: string; tone?: "flag"; children: ReactNode }) {
  return (
    <div className={tone === "flag" ? "summary-card border-amber-500 bg-amber-50" : "summary-card"}>
      <h3 className="mb-1 font-semibold">{title}</h3>
      {children}
    </div>
  );
}

const TREND_TEXT: Record<ScoreTrend["direction"], { text: string; className: string }> = {
  improved: { text: "clinically important improvement", className: "text-green-800" },
  worse: { text: "clinically important worsening", className: "text-red-800" },
  "no-important-change": { text: "no important change", className: "text-slate-700" },
};

function LatestScores({ data }: { data: LoaderData }) {
  const latest = data.overview.latestAssessment;
  if (!latest) return <p className="text-slate-600">No outcome assessment recorded yet.</p>;
  return (
    <div className="space-y-1">
      <p>
        {`${latest.date}: pain now ${latest.painNow}, average ${latest.painAverage}, worst ${latest.painWorst}; PEG ${latest.pegScore}`}
      </p>
      {data.trends.length === 0 ? (
        <p className="text-slate-600">One assessment so far: no trend yet.</p>
      ) : (
        <ul>
          {data.trends.map((trend) => {
            const tone = TREND_TEXT[trend.direction];
            return (
              <li key={trend.measure}>
                {OUTCOME_MEASURES[trend.measure].label}: {trend.baseline} → <strong>{trend.current}</strong>
                {trend.percentChange !== null
                  ? ` (${trend.percentChange > 0 ? "+" : ""}${trend.percentChange} %)`
                  : ""}{" "}
                <span className={tone.className}>
                  {trend.direction === "improved" ? "↓ " : trend.direction === "worse" ? "↑ " : ""}
                  {tone.text}
                </span>
                <span className="block text-xs text-slate-600">{`baseline ${trend.baselineDate}`}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function CautionsAndAllergies({ data }: { data: LoaderData }) {
  const { patient, allergies } = data;
  const cautions = [
    ...patient.antithrombotics.map((drug) => ANTITHROMBOTIC_DRUGS[drug].name),
    ...(Object.keys(CAUTION_LABELS) as Array<keyof typeof CAUTION_LABELS>)
      .filter((key) => patient.cautions[key])
      .map((key) => CAUTION_LABELS[key]),
  ];
  return (
    <div className="space-y-1">
      <p>
        {allergies.length > 0 ? (
          <span className="inline-block rounded border border-red-700 bg-red-50 px-2 text-red-900">
            Allergies: {allergies.join(", ")}
          </span>
        ) : (
          <span className="text-slate-600">No allergies recorded.</span>
        )}
      </p>
      {cautions.length > 0 ? (
        <ul className="flex flex-wrap gap-1">
          {cautions.map((label) => (
            <li key={label} className="rounded border border-amber-500 bg-amber-50 px-2 text-amber-900">
              <span aria-hidden="true">⚠ </span>
              {label}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-600">No clinical cautions recorded.</p>
      )}
      <p className="text-slate-700">
        Psychological evaluation: {PSYCH_EVALUATION_STATUS_LABELS[patient.psychEvaluationStatus]}
        {patient.psychEvaluationDate ? ` (${patient.psychEvaluationDate})` : ""}
      </p>
      <p className="text-slate-700">Naloxone offered: {patient.naloxoneOfferedOn ?? "not recorded"}</p>
    </div>
  );
}

function CurrentMedications({ overview }: { overview: LoaderData["overview"] }) {
  if (overview.currentMedications.length === 0) return <p className="text-slate-600">No active medication.</p>;
  return (
    <div className="space-y-2 text-sm">
      <ul className="space-y-1">
        {overview.currentMedications.map((medication) => (
          <li key={medication.id}>
            <strong>{therapyLabel(medication)}</strong>{" "}
            <span className="text-slate-600">({THERAPY_MODALITY_LABELS[medication.modality]})</span>
            {medication.mme ? (
              <div className="text-slate-700">
                {medication.mme.status === "calculated"
                  ? medication.mme.working
                  : `${medication.mme.drugName}: ${medication.mme.message}`}
                {medication.mme.caveat ? <div className="text-amber-900">⚠ {medication.mme.caveat}</div> : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {overview.totalMme ? (
        <p className="rounded border border-slate-300 bg-slate-50 p-2">
          Total daily MME: <strong>{overview.totalMme.totalMme}</strong>
          {overview.totalMme.caution === "avoid-or-justify"
            ? " — at or above 90 MME/day: avoid or justify carefully (CDC)."
            : overview.totalMme.caution === "reassess"
              ? " — at or above 50 MME/day: reassess benefits and risks (CDC)."
              : ""}
          {overview.totalMme.excluded.length > 0
            ? ` Not included (no CDC factor): ${overview.totalMme.excluded.map((drug) => drug.drugName).join(", ")}.`
            : ""}
          <span className="block text-xs text-slate-600">
            {overview.totalMme.tableVersion} conversion factors. {MME_CAVEATS.notForConversion}
          </span>
        </p>
      ) : null}
    </div>
  );
}
