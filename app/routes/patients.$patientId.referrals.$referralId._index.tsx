import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { PatientFormPage } from "~/components/patient-form-page";
import { PROCEDURE_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import { can, PERMISSIONS } from "~/domain/permissions";
import { FieldErrors, formLevelErrors, invalidWhen } from "~/components/field-errors";
import { referralUpdateSchema } from "~/domain/referral-forms";
import { REFERRAL_URGENCY_LABELS } from "~/domain/pathway-vocabulary";
import { loadReferral } from "~/models/referral-view.server";
import { ReferralTransitionError, updateReferral } from "~/models/referral.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { loadPatientChildForm } from "~/web/patient-forms.server";
import { auditForeignRecord, replyToRefusal, requireId } from "~/web/route-helpers.server";
import { parseForm } from "~/web/form-input.server";

export const meta: MetaFunction = () => [{ title: "Referral · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { patient, today, user, child } = await loadPatientChildForm(
    args,
    "referral",
    { entity: "Referral", param: "referralId", find: loadReferral },
    PERMISSIONS["patients:view"],
  );
  return { patient, today, ...child, canUpdate: can(user.role, "referrals:update") };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["referrals:update"] });
  const patientId = requireId(params.patientId);
  const referralId = requireId(params.referralId);
  const submission = await parseForm(request, referralUpdateSchema(clinicToday()));
  if (submission.status !== "success") return data({ result: submission.reply(), conflict: null }, { status: 400 });
  try {
    await updateReferral(referralId, submission.value, { patientId, actor: user, context });
  } catch (error) {
    if (error instanceof ReferralTransitionError) {
      return data({ result: submission.reply({ formErrors: [error.message] }), conflict: null }, { status: 409 });
    }
    await auditForeignRecord(error, request, { patientId, actor: user, context });
    return replyToRefusal(error, submission);
  }
  throw redirect(`/patients/${patientId}/referrals/${referralId}`);
}

export default function ReferralPage() {
  const { patient, referral, diagnosis, author, canUpdate, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // Each field's message goes next to it; the banner keeps refusals of the whole change.
  const fieldErrors = actionData?.result.error ?? {};
  const errorsOf = (name: string) => fieldErrors[name] ?? undefined;
  const errors = formLevelErrors(fieldErrors);
  const open = referral.status === "PENDING" || referral.status === "SCHEDULED";
  return (
    <PatientFormPage title={`Referral for ${PROCEDURE_TYPE_LABELS[referral.procedure]}`} patient={patient}>
      <dl className="grid max-w-3xl grid-cols-[12rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-600">Diagnosis</dt>
        <dd>
          {diagnosis.icd10Code} {diagnosis.label}
        </dd>
        <dt className="text-slate-600">To</dt>
        <dd>{referral.receivingClinic}</dd>
        <dt className="text-slate-600">Urgency</dt>
        <dd>{REFERRAL_URGENCY_LABELS[referral.urgency]}</dd>
        <dt className="text-slate-600">Status</dt>
        <dd className="font-semibold">{referral.status.toLowerCase()}</dd>
        <dt className="text-slate-600">Referred</dt>
        <dd>
          {referral.createdOn} by {author}
        </dd>
        <dt className="text-slate-600">Conservative care continues</dt>
        <dd>{referral.conservativeCareContinues ? "Yes (combined approach)" : "No"}</dd>
        {referral.scheduledFor ? (
          <>
            <dt className="text-slate-600">Scheduled for</dt>
            <dd>{referral.scheduledFor}</dd>
          </>
        ) : null}
        {referral.procedureDate ? (
          <>
            <dt className="text-slate-600">Procedure done</dt>
            <dd>{referral.procedureDate}</dd>
          </>
        ) : null}
        {referral.reliefPercent !== null ? (
          <>
            <dt className="text-slate-600">Relief reported</dt>
            <dd>
              {referral.reliefPercent} % for {referral.reliefDurationDays} days
            </dd>
          </>
        ) : null}
        {referral.cancelReason ? (
          <>
            <dt className="text-slate-600">Cancelled because</dt>
            <dd>{referral.cancelReason}</dd>
          </>
        ) : null}
        <dt className="text-slate-600">Reason</dt>
        <dd className="whitespace-pre-line">{referral.reason}</dd>
      </dl>
      <p className="mt-4">
        <Link to="summary" className="text-blue-800 underline">
          Printable referral summary
        </Link>
      </p>
      {errors.length > 0 ? (
        <p className="mt-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800" role="alert">
          {errors.join(" ")}
        </p>
      ) : null}
      {canUpdate ? (
        <div className="mt-4 flex flex-wrap gap-4 text-sm">
          {open ? (
            <>
              <Update action="schedule" version={referral.version} label="Schedule">
                <DateInput
                  name="scheduledFor"
                  label="Procedure scheduled for"
                  min={today}
                  errors={errorsOf("scheduledFor")}
                />
              </Update>
              <Update action="complete" version={referral.version} label="Mark procedure done">
                <DateInput name="procedureDate" label="Procedure date" max={today} errors={errorsOf("procedureDate")} />
              </Update>
              <Update action="cancel" version={referral.version} label="Cancel referral">
                <label className="flex flex-col">
                  <span>Why</span>
                  <input
                    name="cancelReason"
                    required
                    minLength={3}
                    maxLength={500}
                    className="rounded border border-slate-300 px-2 py-1"
                    {...invalidWhen("cancelReason-errors", errorsOf("cancelReason"))}
                  />
                  <FieldErrors id="cancelReason-errors" errors={errorsOf("cancelReason")} />
                </label>
              </Update>
            </>
          ) : null}
          {referral.status === "COMPLETED" ? (
            <Update action="record-result" version={referral.version} label="Record relief">
              <NumberInput name="reliefPercent" label="Relief %" max={100} errors={errorsOf("reliefPercent")} />
              <NumberInput
                name="reliefDurationDays"
                label="Lasted (days)"
                max={3650}
                errors={errorsOf("reliefDurationDays")}
              />
              <NumberInput
                name="painBefore"
                label="Pain before (NRS)"
                max={10}
                optional
                errors={errorsOf("painBefore")}
              />
              <NumberInput name="painAfter" label="Pain after (NRS)" max={10} optional errors={errorsOf("painAfter")} />
            </Update>
          ) : null}
        </div>
      ) : null}
    </PatientFormPage>
  );
}

function Update({
  action,
  version,
  label,
  children,
}: {
  action: string;
  version: number;
  label: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" className="flex flex-wrap items-end gap-2 rounded border border-slate-200 bg-white p-3">
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="version" value={version} />
      {children}
      <button type="submit" className="rounded bg-blue-800 px-3 py-1 font-medium text-white">
        {label}
      </button>
    </Form>
  );
}

function DateInput({
  name,
  label,
  min,
  max,
  errors,
}: {
  name: string;
  label: string;
  min?: string;
  max?: string;
  errors?: string[];
}) {
  return (
    <label className="flex flex-col">
      <span>{label}</span>
      <input
        type="date"
        name={name}
        required
        min={min}
        max={max}
        className="rounded border border-slate-300 px-2 py-1"
        {...invalidWhen(`${name}-errors`, errors)}
      />
      <FieldErrors id={`${name}-errors`} errors={errors} />
    </label>
  );
}

function NumberInput({
  name,
  label,
  max,
  optional,
  errors,
}: {
  name: string;
  label: string;
  max: number;
  optional?: boolean;
  errors?: string[];
}) {
  return (
    <label className="flex flex-col">
      <span>{label}</span>
      <input
        type="number"
        name={name}
        required={!optional}
        min={0}
        max={max}
        inputMode="numeric"
        className="w-28 rounded border border-slate-300 px-2 py-1"
        {...invalidWhen(`${name}-errors`, errors)}
      />
      <FieldErrors id={`${name}-errors`} errors={errors} />
    </label>
  );
}
