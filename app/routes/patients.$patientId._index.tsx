import { ageOn } from "~/domain/clinical/duration";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { EnteredInErrorForm } from "~/components/entered-in-error-form";
import { EvaluationPanel } from "~/components/evaluation-panel";
import { PainChart } from "~/components/pain-chart";
import { CAUTION_LABELS } from "~/components/patient-form";
import { ANTITHROMBOTIC_DRUGS } from "~/domain/clinical/antithrombotics";
import { allergyList } from "~/domain/allergies";
import { patientDisplayName } from "~/components/patient-name";
import { TherapyTimeline } from "~/components/therapy-timeline";
import { MME_CAVEATS } from "~/domain/clinical/mme";
import { OUTCOME_MEASURES } from "~/domain/clinical/scores";
import { shortTime } from "~/domain/iso-date";
import { buildPathwayOverview, therapyLabel } from "~/domain/pathway-overview";
import {
  ADHERENCE_LABELS,
  BODY_REGION_LABELS,
  ESI_APPROACH_LABELS,
  LIMITATION_LABELS,
  PAIN_TYPE_LABELS,
  PATIENT_STATUS_LABELS,
  PROCEDURE_TYPE_LABELS,
  PSYCH_EVALUATION_STATUS_LABELS,
  RED_FLAG_DEFINITIONS,
  SEX_LABELS,
  SIDE_EFFECT_KIND_LABELS,
  SIDE_EFFECT_SEVERITY_LABELS,
  IMAGING_CONCORDANCE_LABELS,
  IMAGING_MODALITY_LABELS,
  STOP_REASON_LABELS,
  SURGICAL_STATUS_LABELS,
  THERAPY_MODALITY_LABELS,
  THERAPY_STATUS_LABELS,
} from "~/domain/pathway-vocabulary";
import { can, PERMISSIONS } from "~/domain/permissions";
import { assemblePathways } from "~/domain/patient-pathways";
import { recordPatientView } from "~/models/audit.server";
import { DISMISS_REASON_LABELS } from "~/domain/referral-forms";
import { loadReferralState } from "~/models/referral-state.server";
import { loadPatientRecord } from "~/models/patient-record.server";
import { loadImportedHistory } from "~/models/fhir-import-runs.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { requireId } from "~/web/route-helpers.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${patientDisplayName(data.patient)} · PainPath` : "Patient · PainPath" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["patients:view"] });
  const patientId = requireId(params.patientId);
  const [view, referralState, imported] = await Promise.all([
    loadPatientRecord(patientId),
    loadReferralState(patientId),
    loadImportedHistory(patientId),
  ]);
  if (!view) throw new Response("Not found", { status: 404 });
  await recordPatientView(context, user, patientId);
  const today = clinicToday();
  const overview = buildPathwayOverview(view.record, today);
  const pathways = assemblePathways(overview, referralState, view.patient.status, today);
  // The raw record is not sent: the overview carries its diagnoses and therapies; only the assessments are needed.
  const { record, ...shown } = view;
  return {
    ...shown,
    allergies: allergyList(view.patient.cautions, view.patient.allergyNotes),
    assessments: record.assessments,
    today,
    overview,
    pathways,
    canActOnFlags: can(user.role, "flags:act"),
    imported,
  };
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function PatientPage() {
  const data = useLoaderData<typeof loader>();
  const { patient, overview, today } = data;
  const cautions = [
    ...patient.antithrombotics.map((drug) => ANTITHROMBOTIC_DRUGS[drug].name),
    ...(Object.keys(CAUTION_LABELS) as Array<keyof typeof CAUTION_LABELS>)
      .filter((key) => patient.cautions[key])
      .map((key) => CAUTION_LABELS[key]),
  ];
  const baseline = overview.chartPoints[0] ?? null;
  const diagnosisLabels = new Map(overview.diagnoses.map((diagnosis) => [diagnosis.id, diagnosis.label]));
  return (
    <main className="mx-auto max-w-6xl space-y-8 px-4 py-6">
      <header className="flex flex-wrap items-start gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{patientDisplayName(patient)}</h1>
          <p className="text-sm text-slate-700">
            MRN <span className="font-mono">{patient.mrn}</span> · born {patient.birthDate} (
            {ageOn(patient.birthDate, today)} y) · {SEX_LABELS[patient.sex]} · {patient.physicianName} ·{" "}
            {PATIENT_STATUS_LABELS[patient.status]}
          </p>
          <p className="mt-1 text-sm">
            {cautions.length > 0 ? (
              cautions.map((label) => (
                <span
                  key={label}
                  className="mr-2 inline-block rounded border border-amber-500 bg-amber-50 px-2 text-amber-900"
                >
                  ⚠ {label}
                </span>
              ))
            ) : (
              <span className="text-slate-600">No clinical cautions recorded.</span>
            )}{" "}
            <span className="text-slate-700">
              Psychological evaluation: {PSYCH_EVALUATION_STATUS_LABELS[patient.psychEvaluationStatus]}
              {patient.psychEvaluationDate ? ` (${patient.psychEvaluationDate})` : ""}
            </span>{" "}
            <span className="text-slate-700">· Naloxone offered: {patient.naloxoneOfferedOn ?? "not recorded"}</span>
          </p>
          <p className="mt-1 text-sm">
            {data.allergies.length > 0 ? (
              <span className="inline-block rounded border border-red-700 bg-red-50 px-2 text-red-900">
                Allergies: {data.allergies.join(", ")}
              </span>
            ) : (
              <span className="text-slate-600">No allergies recorded.</span>
            )}
          </p>
        </div>
        <nav className="ml-auto flex flex-wrap gap-2 print:hidden" aria-label="Patient actions">
          <ActionLink to={`/patients/${patient.id}/assessments/new`} primary>
            Record outcome
          </ActionLink>
          <ActionLink to={`/patients/${patient.id}/therapies/new`}>Start therapy</ActionLink>
          <ActionLink to={`/patients/${patient.id}/diagnoses/new`}>Add diagnosis</ActionLink>
          <ActionLink to={`/patients/${patient.id}/procedures/new`}>Add procedure history</ActionLink>
          <ActionLink to={`/patients/${patient.id}/imaging/new`}>Add imaging</ActionLink>
          <ActionLink to={`/patients/${patient.id}/edit`}>Edit patient</ActionLink>
          <a
            href={`/fhir/Patient/${patient.id}/$everything?download=1`}
            className="rounded border border-blue-800 px-3 py-2 text-sm font-medium text-blue-800 hover:bg-blue-50"
          >
            Download FHIR
          </a>
        </nav>
      </header>

      <Section title="Pathway and referral criteria">
        {data.pathways.length === 0 ? (
          <p className="text-slate-600">Add a diagnosis to see its pathway.</p>
        ) : (
          <div className="space-y-3">
            {data.pathways.map((pathway) => (
              <EvaluationPanel
                key={pathway.diagnosis.id}
                patientId={patient.id}
                diagnosis={pathway.diagnosis}
                stage={pathway.stage}
                evaluation={pathway.evaluation}
                flag={pathway.flag}
                referrals={pathway.referrals}
                canAct={data.canActOnFlags}
                dismissReasons={DISMISS_REASON_LABELS}
                today={today}
              />
            ))}
          </div>
        )}
      </Section>

      <Section title="Diagnoses">
        {data.overview.diagnoses.length === 0 ? (
          <p className="text-slate-600">No diagnosis recorded yet.</p>
        ) : (
          <Table headings={["Diagnosis", "Region and type", "Onset and duration", "Surgery", ""]}>
            {overview.diagnoses.map((diagnosis) => (
              <Row
                key={diagnosis.id}
                struck={diagnosis.enteredInError}
                reason={data.enteredInErrorReasons[diagnosis.id]}
              >
                <td className="px-3 py-2">
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
                <td className="px-3 py-2">
                  {BODY_REGION_LABELS[diagnosis.bodyRegion]}, {PAIN_TYPE_LABELS[diagnosis.painType]}
                </td>
                <td className="px-3 py-2">
                  {diagnosis.onsetDate}: {formatDuration(diagnosis.duration)}
                </td>
                <td className="px-3 py-2">{SURGICAL_STATUS_LABELS[diagnosis.surgicalStatus]}</td>
                <td className="px-3 py-2">
                  {diagnosis.enteredInError ? null : (
                    <div className="flex flex-col gap-1">
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
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Current medications">
          <CurrentMedications overview={overview} />
        </Section>
        <Section title="Latest assessment">
          <LatestAssessment assessment={overview.latestAssessment} />
        </Section>
      </div>

      <Section title="Pain and PEG over time">
        <PainChart
          points={overview.chartPoints}
          baseline={baseline && { date: baseline.date, painAverage: baseline.painAverage, pegScore: baseline.pegScore }}
          from={overview.firstDate ?? undefined}
          to={today}
        />
      </Section>

      <Section title="Therapy trials">
        <TherapyTimeline
          to={today}
          therapies={overview.therapies
            .filter((therapy) => !therapy.enteredInError)
            .map((therapy) => ({
              id: therapy.id,
              label: therapyLabel(therapy),
              modality: THERAPY_MODALITY_LABELS[therapy.modality],
              startDate: therapy.startDate,
              endDate: therapy.endDate,
              status: therapy.status,
              stopReasonLabel: therapy.stopReason ? STOP_REASON_LABELS[therapy.stopReason] : null,
              responded: therapy.response?.outcome ?? null,
            }))}
        />
        <TherapyTable data={data} />
      </Section>

      <Section title="Outcome assessments">
        <AssessmentTable data={data} />
      </Section>

      {data.imported.sources.length > 0 ? (
        <Section title="Imported from the EHR">
          <ImportedHistory imported={data.imported} />
        </Section>
      ) : null}

      <Section title="Interventional procedure history">
        {data.procedures.length === 0 ? (
          <p className="text-slate-600">No procedure recorded.</p>
        ) : (
          <Table headings={["Date", "Procedure", "Pain before → after", "Relief", ""]}>
            {data.procedures.map((procedure) => (
              <Row
                key={procedure.id}
                struck={procedure.enteredInError}
                reason={data.enteredInErrorReasons[procedure.id]}
              >
                <td className="px-3 py-2">{procedure.performedOn}</td>
                <td className="px-3 py-2">
                  {PROCEDURE_TYPE_LABELS[procedure.type]}, {BODY_REGION_LABELS[procedure.region]}
                  {procedure.level ? ` ${procedure.level}` : ""}
                  {procedure.approach ? `, ${ESI_APPROACH_LABELS[procedure.approach].toLowerCase()}` : ""}
                  {procedure.injectate ? `, ${procedure.injectate}` : ""}
                </td>
                <td className="px-3 py-2">
                  {procedure.painBefore !== null
                    ? `${procedure.painBefore} → ${procedure.painAfter} (${procedure.scaleName})`
                    : "—"}
                </td>
                <td className="px-3 py-2">
                  {procedure.reliefPercent !== null ? `${procedure.reliefPercent} %` : "—"}
                  {procedure.reliefDurationDays !== null ? ` for ${procedure.reliefDurationDays} days` : ""}
                </td>
                <td className="px-3 py-2">
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
      </Section>

      <Section title="Imaging">
        {data.imaging.length === 0 ? (
          <p className="text-slate-600">No imaging recorded.</p>
        ) : (
          <Table headings={["Date", "Imaging", "Diagnosis", "Finding", ""]}>
            {data.imaging.map((study) => (
              <Row
                key={study.id}
                id={`imaging-${study.id}`}
                struck={study.enteredInError}
                reason={data.enteredInErrorReasons[study.id]}
              >
                <td className="px-3 py-2">{study.performedOn}</td>
                <td className="px-3 py-2">{IMAGING_MODALITY_LABELS[study.modality]}</td>
                <td className="px-3 py-2">{diagnosisLabels.get(study.diagnosisId) ?? "—"}</td>
                <td className="px-3 py-2">
                  <bdi>{study.finding}</bdi> ({IMAGING_CONCORDANCE_LABELS[study.concordance].toLowerCase()})
                </td>
                <td className="px-3 py-2">
                  {study.enteredInError ? null : (
                    <EnteredInErrorForm
                      patientId={patient.id}
                      entity="ImagingStudy"
                      id={study.id}
                      version={study.version}
                    />
                  )}
                </td>
              </Row>
            ))}
          </Table>
        )}
      </Section>
    </main>
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

function LatestAssessment({ assessment }: { assessment: LoaderData["overview"]["latestAssessment"] }) {
  if (!assessment) return <p className="text-slate-600">No outcome assessment recorded yet.</p>;
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-600">Date</dt>
      <dd>{assessment.date}</dd>
      <dt className="text-slate-600">Pain now / average / worst</dt>
      <dd>
        {assessment.painNow} / {assessment.painAverage} / {assessment.painWorst}
      </dd>
      <dt className="text-slate-600">PEG score</dt>
      <dd>{assessment.pegScore}</dd>
      {assessment.odiPercent !== null ? (
        <>
          <dt className="text-slate-600">Oswestry Disability Index</dt>
          <dd>{assessment.odiPercent} %</dd>
        </>
      ) : null}
      {assessment.ndiPercent !== null ? (
        <>
          <dt className="text-slate-600">Neck Disability Index</dt>
          <dd>{assessment.ndiPercent} %</dd>
        </>
      ) : null}
    </dl>
  );
}

function TherapyTable({ data }: { data: LoaderData }) {
  const { overview, patient } = data;
  if (overview.therapies.length === 0) return null;
  return (
    <Table headings={["Therapy", "From – to", "Status", "Response", ""]}>
      {overview.therapies.map((therapy) => (
        <Row
          key={therapy.id}
          id={`therapy-${therapy.id}`}
          struck={therapy.enteredInError}
          reason={data.enteredInErrorReasons[therapy.id]}
        >
          <td className="px-3 py-2">
            {therapyLabel(therapy)}
            <div className="text-xs text-slate-600">
              {THERAPY_MODALITY_LABELS[therapy.modality]}
              {therapy.sessionsPlanned
                ? ` · sessions ${therapy.sessionsAttended ?? 0} of ${therapy.sessionsPlanned}`
                : ""}
            </div>
          </td>
          <td className="px-3 py-2">
            {therapy.startDate} – {therapy.endDate ?? "ongoing"}
          </td>
          <td className="px-3 py-2">
            {THERAPY_STATUS_LABELS[therapy.status]}
            {therapy.stopReason ? `: ${STOP_REASON_LABELS[therapy.stopReason]}` : ""}
          </td>
          <td className="px-3 py-2">{therapy.response ? <ResponseSummary response={therapy.response} /> : "—"}</td>
          <td className="px-3 py-2">
            {therapy.enteredInError ? null : (
              <div className="flex flex-col gap-1">
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
          <li key={comparison.baseline.assessmentId + comparison.followUp.assessmentId}>
            {OUTCOME_MEASURES[comparison.change.measure].label}: {comparison.baseline.value} ({comparison.baseline.date}
            ) → {comparison.followUp.value} ({comparison.followUp.date})
          </li>
        ))}
        {response.missing.map((missing) => (
          <li key={missing}>{missing}</li>
        ))}
      </ul>
    </div>
  );
}

function AssessmentTable({ data }: { data: LoaderData }) {
  const { assessments, patient } = data;
  if (assessments.length === 0) return <p className="text-slate-600">No outcome assessment recorded yet.</p>;
  const therapyNames = new Map(data.overview.therapies.map((therapy) => [therapy.id, therapyLabel(therapy)]));
  return (
    <Table
      headings={["Date", "Pain now / avg / worst", "PEG", "ODI / NDI", "Limitation", "Side effects", "Recorded", ""]}
    >
      {[...assessments].reverse().map((assessment) => (
        <Row
          key={assessment.id}
          id={`assessment-${assessment.id}`}
          struck={assessment.enteredInError}
          reason={data.enteredInErrorReasons[assessment.id]}
        >
          <td className="px-3 py-2">{assessment.date}</td>
          <td className="px-3 py-2">
            {assessment.painNow} / {assessment.painAverage} / {assessment.painWorst}
          </td>
          <td className="px-3 py-2">{assessment.pegScore}</td>
          <td className="px-3 py-2">
            {assessment.odiPercent ?? "—"} / {assessment.ndiPercent ?? "—"}
          </td>
          <td className="px-3 py-2">
            {"limitation" in assessment
              ? LIMITATION_LABELS[assessment.limitation as keyof typeof LIMITATION_LABELS]
              : ""}
            {"adherence" in assessment && assessment.adherence ? (
              <div className="text-xs text-slate-600">
                {ADHERENCE_LABELS[assessment.adherence as keyof typeof ADHERENCE_LABELS]}
              </div>
            ) : null}
          </td>
          <td className="px-3 py-2 text-xs">
            {assessment.sideEffects
              .filter((effect) => effect.severity !== "NONE")
              .map(
                (effect) =>
                  `${therapyNames.get(effect.therapyTrialId) ?? "medication"}: ${SIDE_EFFECT_SEVERITY_LABELS[effect.severity]}` +
                  (effect.kinds?.length
                    ? ` (${effect.kinds.map((kind) => SIDE_EFFECT_KIND_LABELS[kind].toLowerCase()).join(", ")})`
                    : ""),
              )
              .join("; ") || "none"}
          </td>
          <td className="px-3 py-2 text-xs text-slate-600">
            {assessment.recordedBy}
            <div>{assessment.recordedAt ? shortTime(assessment.recordedAt) : null}</div>
          </td>
          <td className="px-3 py-2">
            {assessment.enteredInError ? null : (
              <EnteredInErrorForm
                patientId={patient.id}
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

function ImportedHistory({ imported }: { imported: LoaderData["imported"] }) {
  return (
    <div className="space-y-2 text-sm">
      <ul className="list-disc pl-6">
        {imported.sources.map((source) => (
          <li key={`${source.what} ${source.sourceSystem}`}>
            {source.count} {source.what} from <bdi>{source.sourceSystem}</bdi>, last imported{" "}
            {source.lastImportedAt ? shortTime(source.lastImportedAt) : "—"}
          </li>
        ))}
      </ul>
      {imported.scores.length > 0 ? (
        <p>
          Latest reported pain scores (LOINC 72514-3, one number each: not an outcome assessment, so the referral
          criteria do not read them):{" "}
          {imported.scores
            .map((score) => `${score.observedOn}: ${score.value}${score.scale === "PEG_MEAN" ? " (PEG)" : ""}`)
            .join(" · ")}
        </p>
      ) : null}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="break-inside-avoid">
      <h2 className="mb-2 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function Table({ headings, children }: { headings: string[]; children: ReactNode }) {
  return (
    <table className="w-full border-collapse bg-white text-sm shadow-sm">
      <thead className="bg-slate-100 text-left">
        <tr>
          {headings.map((heading, index) => (
            <th key={index} className="px-3 py-2">
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function Row({ id, struck, reason, children }: { id?: string; struck: boolean; reason?: string; children: ReactNode }) {
  return (
    <tr
      id={id}
      className={`border-t border-slate-200 align-top ${struck ? "text-slate-400 line-through" : ""}`}
      title={struck ? `Entered in error: ${reason ?? ""}` : undefined}
    >
      {children}
    </tr>
  );
}

function ActionLink({ to, primary, children }: { to: string; primary?: boolean; children: ReactNode }) {
  return (
    <Link
      to={to}
      className={`rounded px-3 py-2 text-sm font-medium ${primary ? "bg-blue-800 text-white hover:bg-blue-900" : "border border-blue-800 text-blue-800 hover:bg-blue-50"}`}
    >
      {children}
    </Link>
  );
}
