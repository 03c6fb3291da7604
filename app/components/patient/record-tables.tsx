import { Link, useFetcher } from "@remix-run/react";
import { displayDate, displayDatesIn } from "~/domain/iso-date";
import { DateTime } from "~/components/dates";
import type { ReactNode } from "react";
import { OUTCOME_MEASURES } from "~/domain/clinical/scores";
import { therapyLabel } from "~/domain/pathway-overview";
import {
  ADHERENCE_LABELS,
  BODY_REGION_LABELS,
  ESI_APPROACH_LABELS,
  IMAGING_CONCORDANCE_LABELS,
  IMAGING_MODALITY_LABELS,
  LIMITATION_LABELS,
  PAIN_TYPE_LABELS,
  procedureName,
  RED_FLAG_DEFINITIONS,
  SIDE_EFFECT_KIND_LABELS,
  SIDE_EFFECT_SEVERITY_LABELS,
  STOP_REASON_LABELS,
  SURGICAL_STATUS_LABELS,
  THERAPY_MODALITY_LABELS,
  THERAPY_STATUS_LABELS,
} from "~/domain/pathway-vocabulary";
import { EnteredInErrorForm } from "../entered-in-error-form";
import { ScrollRegion } from "../scroll-region";
import type { loader as historyLoader } from "~/routes/patients.$patientId.assessments._index";
import type { PatientPageData } from "./types";

type LoaderData = PatientPageData;

export function DiagnosisTable({ data }: { data: LoaderData }) {
  const { overview, patient } = data;
  return (
    <>
      {data.overview.diagnoses.length === 0 ? (
        <p className="text-slate-600">No diagnosis recorded yet.</p>
      ) : (
        <Table label="Diagnoses" headings={["Diagnosis", "Region and type", "Onset and duration", "Surgery", ""]}>
          {overview.diagnoses.map((diagnosis) => (
            <Row key={diagnosis.id} struck={diagnosis.enteredInError} reason={data.enteredInErrorReasons[diagnosis.id]}>
              <td>
                <span className="font-mono">{diagnosis.icd10Code}</span> {diagnosis.label}
                {diagnosis.redFlags.map((flag) => (
                  <span
                    key={flag}
                    className="ml-2 inline-block rounded bg-red-700 px-2 text-xs font-semibold text-white"
                    title={RED_FLAG_DEFINITIONS[flag].description}
                  >
                    RED FLAG: {RED_FLAG_DEFINITIONS[flag].label}
                  </span>
                ))}
              </td>
              <td>
                {BODY_REGION_LABELS[diagnosis.bodyRegion]}, {PAIN_TYPE_LABELS[diagnosis.painType]}
              </td>
              <td>
                {displayDate(diagnosis.onsetDate)}: {formatDuration(diagnosis.duration)}
              </td>
              <td>{SURGICAL_STATUS_LABELS[diagnosis.surgicalStatus]}</td>
              <td>
                {diagnosis.enteredInError ? null : (
                  <div className="flex flex-col gap-2">
                    <Link
                      to={`/patients/${patient.id}/diagnoses/${diagnosis.id}/edit`}
                      className="text-xs text-blue-800 underline print:hidden"
                    >
                      Correct
                    </Link>
                    <EnteredInErrorForm
                      patientId={patient.id}
                      entity="PainDiagnosis"
                      id={diagnosis.id}
                      version={diagnosis.version}
                    />
                  </div>
                )}
              </td>
            </Row>
          ))}
        </Table>
      )}
    </>
  );
}

export function ProcedureTable({ data }: { data: LoaderData }) {
  const { patient } = data;
  return (
    <>
      {data.procedures.length === 0 ? (
        <p className="text-slate-600">No procedure recorded.</p>
      ) : (
        <Table label="Procedures" headings={["Date", "Procedure", "Pain before → after", "Relief", ""]}>
          {data.procedures.map((procedure) => (
            <Row key={procedure.id} struck={procedure.enteredInError} reason={data.enteredInErrorReasons[procedure.id]}>
              <td>{displayDate(procedure.performedOn)}</td>
              <td>
                {procedureName(procedure)}
                {procedure.approach ? `, ${ESI_APPROACH_LABELS[procedure.approach].toLowerCase()}` : ""}
                {procedure.injectate ? `, ${procedure.injectate}` : ""}
              </td>
              <td>
                {procedure.painBefore !== null
                  ? `${procedure.painBefore} → ${procedure.painAfter} (${procedure.scaleName})`
                  : "—"}
              </td>
              <td>
                {procedure.reliefPercent !== null ? `${procedure.reliefPercent} %` : "—"}
                {procedure.reliefDurationDays !== null ? ` for ${procedure.reliefDurationDays} days` : ""}
              </td>
              <td>
                {procedure.enteredInError ? null : (
                  <EnteredInErrorForm
                    patientId={patient.id}
                    entity="ProcedureRecord"
                    id={procedure.id}
                    version={procedure.version}
                  />
                )}
              </td>
            </Row>
          ))}
        </Table>
      )}
    </>
  );
}

export function ImagingTable({ data }: { data: LoaderData }) {
  const { patient } = data;
  if (data.imaging.length === 0) return <p className="text-slate-600">No imaging recorded.</p>;
  const diagnosisLabels = new Map(data.overview.diagnoses.map((diagnosis) => [diagnosis.id, diagnosis.label]));
  return (
    <Table label="Imaging" headings={["Date", "Imaging", "Diagnosis", "Finding", ""]}>
      {data.imaging.map((study) => (
        <Row
          key={study.id}
          id={`imaging-${study.id}`}
          struck={study.enteredInError}
          reason={data.enteredInErrorReasons[study.id]}
        >
          <td>{displayDate(study.performedOn)}</td>
          <td>{IMAGING_MODALITY_LABELS[study.modality]}</td>
          <td>{diagnosisLabels.get(study.diagnosisId) ?? "—"}</td>
          <td>
            <bdi>{study.finding}</bdi> ({IMAGING_CONCORDANCE_LABELS[study.concordance].toLowerCase()})
          </td>
          <td>
            {study.enteredInError ? null : (
              <EnteredInErrorForm patientId={patient.id} entity="ImagingStudy" id={study.id} version={study.version} />
            )}
          </td>
        </Row>
      ))}
    </Table>
  );
}

/** What came from the EHR, from which source and when, and the reported pain scores the rules do not read. */
export function ImportedHistory({ imported }: { imported: LoaderData["imported"] }) {
  return (
    <div className="space-y-2 text-sm">
      <ul className="list-disc pl-6">
        {imported.sources.map((source) => (
          <li key={`${source.what} ${source.sourceSystem}`}>
            {source.count} {source.what} from <bdi>{source.sourceSystem}</bdi>, last imported{" "}
            {source.lastImportedAt ? <DateTime at={source.lastImportedAt} /> : "—"}
          </li>
        ))}
      </ul>
      {imported.scores.length > 0 ? (
        <p>
          Latest reported pain scores (LOINC 72514-3, one number each: not an outcome assessment, so the referral
          criteria do not read them):{" "}
          {imported.scores
            .map(
              (score) =>
                `${displayDate(score.observedOn)}: ${score.value}${score.scale === "PEG_MEAN" ? " (PEG)" : ""}`,
            )
            .join(" · ")}
        </p>
      ) : null}
    </div>
  );
}

function formatDuration(duration: { months: number; days: number; category: string }) {
  const years = Math.floor(duration.months / 12);
  const months = duration.months % 12;
  const parts = [
    years ? `${years} y` : "",
    months ? `${months} mo` : "",
    !years && !months ? `${duration.days} d` : "",
  ];
  return `${parts.filter(Boolean).join(" ")} (${duration.category})`;
}

type Therapy = LoaderData["overview"]["therapies"][number];

export function TherapyTable({ data }: { data: LoaderData }) {
  const { overview, patient } = data;
  if (overview.therapies.length === 0) return null;
  return (
    <Table label="Therapy trials" headings={["Therapy", "From – to", "Status", "Response", ""]}>
      {overview.therapies.map((therapy) => (
        <Row
          key={therapy.id}
          id={`therapy-${therapy.id}`}
          struck={therapy.enteredInError}
          reason={data.enteredInErrorReasons[therapy.id]}
        >
          <td>
            {therapyLabel(therapy)}
            <div className="text-xs text-slate-600">
              {THERAPY_MODALITY_LABELS[therapy.modality] +
                (therapy.sessionsPlanned
                  ? ` · sessions ${therapy.sessionsAttended ?? 0} of ${therapy.sessionsPlanned}`
                  : "")}
            </div>
          </td>
          <td>{`${displayDate(therapy.startDate)} – ${therapy.endDate ? displayDate(therapy.endDate) : "ongoing"}`}</td>
          <td>
            {THERAPY_STATUS_LABELS[therapy.status] +
              (therapy.stopReason ? `: ${STOP_REASON_LABELS[therapy.stopReason]}` : "")}
          </td>
          <td>{therapy.response ? <ResponseSummary response={therapy.response} /> : "—"}</td>
          <td>
            {therapy.enteredInError ? null : (
              <div className="flex flex-col gap-2">
                {therapy.status === "ACTIVE" ? (
                  <Link
                    to={`/patients/${patient.id}/therapies/${therapy.id}/stop`}
                    className="text-xs text-blue-800 underline print:hidden"
                  >
                    Stop or complete
                  </Link>
                ) : null}
                <EnteredInErrorForm
                  patientId={patient.id}
                  entity="TherapyTrial"
                  id={therapy.id}
                  version={therapy.version}
                />
              </div>
            )}
          </td>
        </Row>
      ))}
    </Table>
  );
}

function ResponseSummary({ response }: { response: NonNullable<Therapy["response"]> }) {
  const headline = {
    responded: "✓ Responded",
    "not-responded": "✗ No important improvement",
    "not-enough-data": "? Not enough data",
  }[response.outcome];
  return (
    <div>
      <strong>{headline}</strong>
      <ul className="text-xs text-slate-700">
        {response.comparisons.map((comparison) => (
          <li key={comparison.measure}>
            {`${OUTCOME_MEASURES[comparison.measure].label}: ${comparison.baseline.value} (${displayDate(comparison.baseline.date)}) → ` +
              `${comparison.followUp.value} (${displayDate(comparison.followUp.date)})`}
          </li>
        ))}
        {response.missing.map((missing) => (
          <li key={missing}>{displayDatesIn(missing)}</li>
        ))}
      </ul>
    </div>
  );
}

/** How many of the latest assessments the page shows; the rest load on request. */
export const RECENT_ASSESSMENTS = 3;

// The history route sends the stored shape, in which the recording time may be absent.
type Assessment = Omit<LoaderData["assessments"][number], "recordedAt"> & { recordedAt?: string | null };

export function AssessmentTable({ data }: { data: LoaderData }) {
  const { assessments, patient } = data;
  if (assessments.length === 0) return <p className="text-slate-600">No outcome assessment recorded yet.</p>;
  const therapyNames = Object.fromEntries(
    data.overview.therapies.map((therapy) => [therapy.id, therapyLabel(therapy)]),
  );
  return (
    <>
      <AssessmentRows
        label="Latest outcome assessments"
        assessments={[...assessments].reverse()}
        therapyNames={therapyNames}
        reasons={data.enteredInErrorReasons}
        patientId={patient.id}
      />
      {data.assessmentCount > assessments.length ? (
        <EarlierAssessments patientId={patient.id} count={data.assessmentCount - assessments.length} />
      ) : null}
    </>
  );
}

function EarlierAssessments({ patientId, count }: { patientId: string; count: number }) {
  const fetcher = useFetcher<typeof historyLoader>();
  const history = fetcher.data;
  return (
    <details
      className="mt-2"
      onToggle={(event) => {
        if (event.currentTarget.open && !history && fetcher.state === "idle") {
          fetcher.load(`/patients/${patientId}/assessments`);
        }
      }}
    >
      <summary className="cursor-pointer text-sm font-medium text-blue-900">Earlier assessments ({count})</summary>
      <div aria-live="polite" aria-busy={fetcher.state !== "idle"}>
        {history ? (
          <AssessmentRows
            label="Earlier outcome assessments"
            assessments={history.assessments.slice(0, -RECENT_ASSESSMENTS).reverse()}
            therapyNames={history.therapyNames}
            reasons={history.enteredInErrorReasons}
            patientId={patientId}
          />
        ) : (
          <p className="mt-2 text-sm text-slate-600">Loading…</p>
        )}
      </div>
    </details>
  );
}

function AssessmentRows({
  label,
  assessments,
  therapyNames,
  reasons,
  patientId,
}: {
  label: string;
  assessments: Assessment[];
  therapyNames: Record<string, string>;
  reasons: Record<string, string>;
  patientId: string;
}) {
  return (
    <Table
      label={label}
      headings={["Date", "Pain now / avg / worst", "PEG", "ODI / NDI", "Limitation", "Side effects", "Recorded", ""]}
    >
      {assessments.map((assessment) => (
        <Row
          key={assessment.id}
          id={`assessment-${assessment.id}`}
          struck={assessment.enteredInError}
          reason={reasons[assessment.id]}
        >
          <td>{displayDate(assessment.date)}</td>
          <td>{`${assessment.painNow} / ${assessment.painAverage} / ${assessment.painWorst}`}</td>
          <td>{assessment.pegScore}</td>
          <td>{`${assessment.odiPercent ?? "—"} / ${assessment.ndiPercent ?? "—"}`}</td>
          <td>
            {LIMITATION_LABELS[assessment.limitation]}
            {assessment.adherence ? (
              <div className="text-xs text-slate-600">{ADHERENCE_LABELS[assessment.adherence]}</div>
            ) : null}
          </td>
          <td className="text-xs">
            {assessment.sideEffects
              .filter((effect) => effect.severity !== "NONE")
              .map(
                (effect) =>
                  `${therapyNames[effect.therapyTrialId] ?? "medication"}: ${SIDE_EFFECT_SEVERITY_LABELS[effect.severity]}` +
                  (effect.kinds?.length
                    ? ` (${effect.kinds.map((kind) => SIDE_EFFECT_KIND_LABELS[kind].toLowerCase()).join(", ")})`
                    : ""),
              )
              .join("; ") || "none"}
          </td>
          <td className="text-xs text-slate-600">
            {assessment.recordedBy}
            <div>{assessment.recordedAt ? <DateTime at={assessment.recordedAt} /> : null}</div>
          </td>
          <td>
            {assessment.enteredInError ? null : (
              <EnteredInErrorForm
                patientId={patientId}
                entity="OutcomeAssessment"
                id={assessment.id}
                version={assessment.version}
              />
            )}
          </td>
        </Row>
      ))}
    </Table>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="page-section">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/**
 * A record table that scrolls sideways inside its own keyboard-focusable region on a narrow screen,
 * so the page never does. An empty heading is named for screen readers ("Actions").
 */
function Table({ label, headings, children }: { label: string; headings: string[]; children: ReactNode }) {
  return (
    <ScrollRegion label={`${label}, table`}>
      <table className="record-table">
        <thead className="bg-slate-100 text-left">
          <tr>
            {headings.map((heading, index) => (
              <th key={index}>{heading || <span className="sr-only">Actions</span>}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </ScrollRegion>
  );
}

function Row({ id, struck, reason, children }: { id?: string; struck: boolean; reason?: string; children: ReactNode }) {
  return (
    <tr
      id={id}
      className={struck ? "text-slate-500 line-through" : undefined}
      title={struck ? `Entered in error: ${reason ?? ""}` : undefined}
    >
      {children}
    </tr>
  );
}
