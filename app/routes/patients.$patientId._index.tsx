import { displayBirthDate } from "~/domain/iso-date";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { EvaluationPanel } from "~/components/patient/evaluation-panel";
import {
  AssessmentTable,
  DiagnosisTable,
  ImagingTable,
  ImportedHistory,
  ProcedureTable,
  RECENT_ASSESSMENTS,
  Section,
  TherapyTable,
} from "~/components/patient/record-tables";
import { SummaryBand } from "~/components/patient/summary-band";
import { PathwayTimeline } from "~/components/pathway-timeline";
import { allergyList } from "~/domain/allergies";
import { patientDisplayName } from "~/components/patient-name";
import {
  buildPathwayOverview,
  therapyLabel,
  type PathwayOverview,
  type PathwayRecord,
} from "~/domain/pathway-overview";
import {
  PATIENT_STATUS_LABELS,
  procedureName,
  SEX_LABELS,
  STOP_REASON_LABELS,
  THERAPY_MODALITY_LABELS,
} from "~/domain/pathway-vocabulary";
import { can, PERMISSIONS } from "~/domain/permissions";
import { assemblePathways } from "~/domain/patient-pathways";
import { scoreTrends } from "~/domain/score-trends";
import { recordPatientView } from "~/models/audit.server";
import { DISMISS_REASON_LABELS } from "~/domain/pathway-vocabulary";
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
  // The raw record is not sent: the overview carries its diagnoses and therapies, and the chart all
  // scores; the table shows the latest assessments and loads the rest on request.
  const { record, ...shown } = view;
  return {
    ...shown,
    allergies: allergyList(view.patient.cautions, view.patient.allergyNotes),
    assessments: record.assessments.slice(-RECENT_ASSESSMENTS).map(shownAssessment),
    assessmentCount: record.assessments.length,
    today,
    overview: shownOverview(overview),
    trends: scoreTrends(record.assessments),
    // Each pathway names its diagnosis (the overview has the rest) and sends its evaluation's
    // conclusions; the criteria with their evidence load when opened (…/evidence).
    pathways: pathways.map(({ diagnosis, stage, flag, referrals, evaluation }) => ({
      diagnosis: { id: diagnosis.id, icd10Code: diagnosis.icd10Code, label: diagnosis.label },
      stage,
      flag,
      referrals: referrals.map(({ id, procedure, status, urgency, receivingClinic, createdOn }) => ({
        id,
        procedure,
        status,
        urgency,
        receivingClinic,
        createdOn,
      })),
      evaluation: evaluation && {
        ruleSetVersion: evaluation.ruleSetVersion,
        evaluatedAt: evaluation.evaluatedAt,
        result: {
          flag: evaluation.result.flag,
          summary: evaluation.result.summary,
          suggestions: evaluation.result.suggestions,
          prompts: evaluation.result.prompts,
          urgent: evaluation.result.urgent && { explanation: evaluation.result.urgent.explanation },
        },
      },
    })),
    canActOnFlags: can(user.role, "flags:act"),
    imported,
  };
}

/** An assessment as its table row shows it. */
function shownAssessment(assessment: PathwayRecord["assessments"][number] & { recordedBy: string }) {
  const { id, version, date, painNow, painAverage, painWorst, pegScore, odiPercent, ndiPercent } = assessment;
  const { limitation, adherence, sideEffects, recordedBy, recordedAt, enteredInError } = assessment;
  return {
    ...{ id, version, date, painNow, painAverage, painWorst, pegScore, odiPercent, ndiPercent },
    ...{ limitation, adherence, sideEffects, recordedBy, recordedAt, enteredInError },
  };
}

/** The overview less what the page never shows: it is sent with every view. */
function shownOverview(overview: PathwayOverview) {
  return {
    ...overview,
    therapies: overview.therapies.map((therapy) => ({
      id: therapy.id,
      modality: therapy.modality,
      drug: therapy.drug,
      dose: therapy.dose,
      doseUnit: therapy.doseUnit,
      frequency: therapy.frequency,
      startDate: therapy.startDate,
      endDate: therapy.endDate,
      status: therapy.status,
      stopReason: therapy.stopReason,
      sessionsPlanned: therapy.sessionsPlanned,
      sessionsAttended: therapy.sessionsAttended,
      enteredInError: therapy.enteredInError,
      version: therapy.version,
      response: therapy.response && {
        outcome: therapy.response.outcome,
        missing: therapy.response.missing,
        comparisons: therapy.response.comparisons.map(({ baseline, followUp, change }) => ({
          measure: change.measure,
          baseline: { date: baseline.date, value: baseline.value },
          followUp: { date: followUp.date, value: followUp.value },
        })),
      },
    })),
    currentMedications: overview.currentMedications.map(({ id, modality, drug, dose, doseUnit, frequency, mme }) => ({
      id,
      modality,
      drug,
      dose,
      doseUnit,
      frequency,
      mme,
    })),
  };
}

export default function PatientPage() {
  const data = useLoaderData<typeof loader>();
  const { patient, overview, today } = data;
  const baseline = overview.chartPoints[0] ?? null;
  return (
    <main id="main" className="mx-auto max-w-6xl space-y-8 px-4 py-6 print:space-y-3 print:p-0">
      <header className="flex flex-wrap items-start gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{patientDisplayName(patient)}</h1>
          <p className="text-sm text-slate-700">
            MRN <span className="font-mono">{patient.mrn}</span> · born {displayBirthDate(patient.birthDate, today)} ·{" "}
            {SEX_LABELS[patient.sex]} · {patient.physicianName} · {PATIENT_STATUS_LABELS[patient.status]}
          </p>
        </div>
        <nav className="ml-auto flex flex-wrap gap-2 print:hidden" aria-label="Patient actions">
          <ActionLink to={`/patients/${patient.id}/assessments/new`} primary shortcut="o">
            Record outcome
          </ActionLink>
          <ActionLink to={`/patients/${patient.id}/therapies/new`}>Start therapy</ActionLink>
          <ActionLink to={`/patients/${patient.id}/diagnoses/new`}>Add diagnosis</ActionLink>
          <ActionLink to={`/patients/${patient.id}/procedures/new`}>Add procedure history</ActionLink>
          <ActionLink to={`/patients/${patient.id}/imaging/new`}>Add imaging</ActionLink>
          <ActionLink to={`/patients/${patient.id}/edit`}>Edit patient</ActionLink>
          <a href={`/fhir/Patient/${patient.id}/$everything?download=1`} className="action-link">
            Download FHIR
          </a>
        </nav>
      </header>

      <SummaryBand data={data} />

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
                dismissReasons={DISMISS_REASON_LABELS}
              />
            ))}
          </div>
        )}
      </Section>

      <Section title="Pain, therapies and procedures over time">
        <PathwayTimeline
          today={today}
          points={overview.chartPoints}
          baseline={baseline && { date: baseline.date, painAverage: baseline.painAverage, pegScore: baseline.pegScore }}
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
          procedures={data.procedures
            .filter((procedure) => !procedure.enteredInError)
            .map((procedure) => ({
              id: procedure.id,
              name: procedureName(procedure),
              date: procedure.performedOn,
              reliefPercent: procedure.reliefPercent,
              reliefDurationDays: procedure.reliefDurationDays,
            }))}
        />
      </Section>

      <Section title="Therapy trials">
        <TherapyTable data={data} />
      </Section>

      <Section title="Diagnoses">
        <DiagnosisTable data={data} />
      </Section>

      <Section title="Outcome assessments">
        <AssessmentTable data={data} />
      </Section>

      <Section title="Interventional procedure history">
        <ProcedureTable data={data} />
      </Section>

      <Section title="Imaging">
        <ImagingTable data={data} />
      </Section>

      {data.imported.sources.length > 0 ? (
        <Section title="Imported from the EHR">
          <ImportedHistory imported={data.imported} />
        </Section>
      ) : null}
    </main>
  );
}

function ActionLink({
  to,
  primary,
  shortcut,
  children,
}: {
  to: string;
  primary?: boolean;
  shortcut?: string;
  children: ReactNode;
}) {
  return (
    <Link to={to} className={primary ? "action-link-primary" : "action-link"} aria-keyshortcuts={shortcut}>
      {children}
    </Link>
  );
}
