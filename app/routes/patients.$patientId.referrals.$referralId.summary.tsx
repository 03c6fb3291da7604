import { displayBirthDate, displayDate } from "~/domain/iso-date";
import { DateTime } from "~/components/dates";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { patientDisplayName } from "~/components/patient-name";
import { PrintButton } from "~/components/print-button";
import { PacketCriteriaAndSignature, PacketSafety } from "~/components/referral-packet";
import { drugName } from "~/domain/clinical/drugs";
import { buildPathwayOverview } from "~/domain/pathway-overview";
import { referralPacket } from "~/domain/referral-packet";
import { PROCEDURE_TYPE_LABELS, STOP_REASON_LABELS, THERAPY_MODALITY_LABELS } from "~/domain/pathway-vocabulary";
import { PERMISSIONS } from "~/domain/permissions";
import { REFERRAL_URGENCY_LABELS } from "~/domain/pathway-vocabulary";
import { loadPatientRecord } from "~/models/patient-record.server";
import { loadReferral } from "~/models/referral-view.server";
import { loadPatientChildForm } from "~/web/patient-forms.server";

export const meta: MetaFunction = () => [{ title: "Referral summary · PainPath" }];

/** The referral with the record it summarises; null unless the referral is this patient's. */
async function findReferralWithRecord(patientId: string, referralId: string) {
  const [view, record] = await Promise.all([loadReferral(patientId, referralId), loadPatientRecord(patientId)]);
  return view && record ? { view, record } : null;
}

export async function loader(args: LoaderFunctionArgs) {
  const { today, child } = await loadPatientChildForm(
    args,
    "referral-summary",
    { entity: "Referral", param: "referralId", find: findReferralWithRecord },
    PERMISSIONS["patients:view"],
  );
  const { view, record } = child;
  const overview = buildPathwayOverview(record.record, today);
  const diagnosisId = view.diagnosis.id;
  return {
    today,
    patient: record.patient,
    ...view,
    diagnosis: overview.diagnoses.find((diagnosis) => diagnosis.id === diagnosisId),
    therapies: overview.therapies.filter((therapy) => therapy.diagnosisId === diagnosisId && !therapy.enteredInError),
    packet: referralPacket({
      cautions: record.patient.cautions,
      antithrombotics: record.patient.antithrombotics,
      allergyNotes: record.patient.allergyNotes,
      imaging: record.imaging,
      diagnosisId,
      overview,
      evaluation: view.evaluation,
      procedure: view.referral.procedure,
    }),
    recentAssessments: overview.chartPoints.slice(-6),
    procedures: record.procedures.filter((procedure) => !procedure.enteredInError),
  };
}

/** Typed text sits in <bdi> (or dir="auto"): a direction character in it cannot reorder what surrounds it. */
export default function ReferralSummary() {
  const data = useLoaderData<typeof loader>();
  const { patient, referral, diagnosis, evaluation } = data;
  return (
    <main
      id="main"
      className="mx-auto max-w-4xl space-y-5 bg-white p-8 text-sm print:max-w-none print:space-y-3 print:p-0 print:text-xs"
    >
      <p className="flex items-center gap-3 print:hidden">
        <Link to=".." relative="path" className="text-blue-800 underline">
          Back to the referral
        </Link>
        <PrintButton />
      </p>
      <header className="border-b border-slate-400 pb-3">
        <h1 className="text-xl font-semibold">Referral for {PROCEDURE_TYPE_LABELS[referral.procedure]}</h1>
        <p>
          <bdi>{patientDisplayName(patient)}</bdi> · MRN <bdi>{patient.mrn}</bdi> · born{" "}
          {displayBirthDate(patient.birthDate, data.today)} · referred {displayDate(referral.createdOn)} by{" "}
          <bdi>{data.author}</bdi> to <bdi>{referral.receivingClinic}</bdi> · urgency:{" "}
          {REFERRAL_URGENCY_LABELS[referral.urgency]}
        </p>
        <p>
          Conservative care continues alongside: {referral.conservativeCareContinues ? "yes (combined approach)" : "no"}
        </p>
      </header>

      <section>
        <h2 className="font-semibold">Diagnosis</h2>
        <p>
          {diagnosis?.icd10Code} <bdi>{diagnosis?.label}</bdi>
          {diagnosis
            ? `, onset ${displayDate(diagnosis.onsetDate)} (${diagnosis.duration.months} months, ${diagnosis.duration.category})`
            : ""}
        </p>
      </section>

      <PacketSafety packet={data.packet} />

      <section>
        <h2 className="font-semibold">Reason for referral</h2>
        <p className="whitespace-pre-line" dir="auto">
          {referral.reason}
        </p>
      </section>

      <section>
        <h2 className="font-semibold">Conservative care tried</h2>
        <table className="w-full border-collapse">
          <thead>
            <tr className="border-b text-left">
              <th className="py-1">Therapy</th>
              <th>From – to</th>
              <th>Ended because</th>
              <th>Response</th>
            </tr>
          </thead>
          <tbody>
            {data.therapies.map((therapy) => (
              <tr key={therapy.id} className="border-b align-top">
                <td className="py-1">
                  {therapy.drug ? (
                    <>
                      <bdi>{drugName(therapy.drug)}</bdi> {therapy.dose ?? ""} <bdi>{therapy.doseUnit ?? ""}</bdi>
                    </>
                  ) : (
                    THERAPY_MODALITY_LABELS[therapy.modality]
                  )}
                </td>
                <td>
                  {displayDate(therapy.startDate)} – {therapy.endDate ? displayDate(therapy.endDate) : "ongoing"}
                </td>
                <td>{therapy.stopReason ? STOP_REASON_LABELS[therapy.stopReason] : "—"}</td>
                <td>{therapy.response ? therapy.response.outcome.replace(/-/g, " ") : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section>
        <h2 className="font-semibold">Recent scores</h2>
        <p>
          {data.recentAssessments
            .map((point) => `${displayDate(point.date)}: pain ${point.painAverage}, PEG ${point.pegScore}`)
            .join(" · ") || "None recorded."}
        </p>
      </section>

      {data.procedures.length > 0 ? (
        <section>
          <h2 className="font-semibold">Procedure history</h2>
          <ul>
            {data.procedures.map((procedure) => (
              <li key={procedure.id}>
                {displayDate(procedure.performedOn)} {PROCEDURE_TYPE_LABELS[procedure.type]}
                {procedure.reliefPercent !== null ? `, ${procedure.reliefPercent} % relief` : ""}
                {procedure.reliefDurationDays !== null ? ` for ${procedure.reliefDurationDays} days` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <PacketCriteriaAndSignature packet={data.packet} physician={data.author} date={referral.createdOn} />

      {evaluation ? (
        <p className="text-xs">
          Evaluated <DateTime at={evaluation.evaluatedAt} />. {evaluation.result.disclaimer}
        </p>
      ) : null}
    </main>
  );
}
