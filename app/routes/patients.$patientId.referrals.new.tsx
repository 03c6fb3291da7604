import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import * as z from "zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  CheckboxField,
  FormErrors,
  optionsOf,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from "~/components/forms";
import { FormDraft } from "~/components/form-draft";
import { PatientFormPage } from "~/components/patient-form-page";
import { PacketCriteriaAndSignature, PacketSafety } from "~/components/referral-packet";
import type { IsoDate } from "~/domain/iso-date";
import { buildPathwayOverview } from "~/domain/pathway-overview";
import { PROCEDURE_TYPE_LABELS } from "~/domain/pathway-vocabulary";
import { referralPacket, type PacketInput } from "~/domain/referral-packet";
import type { ProcedureType } from "~/generated/prisma/enums";
import { PERMISSIONS } from "~/domain/permissions";
import { referralSchema } from "~/domain/referral-forms";
import { REFERRAL_URGENCY_LABELS } from "~/domain/pathway-vocabulary";
import { listDiagnosisChoices } from "~/models/pathway.server";
import { createReferral } from "~/models/referral.server";
import { loadPatientRecord } from "~/models/patient-record.server";
import { loadCurrentEvaluation } from "~/models/referral-state.server";
import { loadPatientForm, submitPatientForm } from "~/web/patient-forms.server";

export const meta: MetaFunction = () => [{ title: "New referral · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user, patient, today } = await loadPatientForm(args, "new-referral", PERMISSIONS["referrals:create"]);
  const url = new URL(args.request.url);
  // Only a well-formed id is looked up; anything else leaves the form blank.
  const diagnosisId = z
    .uuid()
    .optional()
    .catch(undefined)
    .parse(url.searchParams.get("diagnosisId") ?? undefined);
  const [diagnoses, result, record] = await Promise.all([
    listDiagnosisChoices(patient.id),
    diagnosisId ? loadCurrentEvaluation(patient.id, diagnosisId) : null,
    loadPatientRecord(patient.id),
  ]);
  if (!record) throw new Response("Not found", { status: 404 });
  const { currentMedications, totalMme } = buildPathwayOverview(record.record, today);
  const met = result?.criteria.filter((criterion) => criterion.status === "met") ?? [];
  return {
    patient,
    today,
    physician: user.name,
    diagnoses,
    // The packet is assembled in the page: its cautions follow the procedure chosen.
    packetInput: {
      cautions: record.patient.cautions,
      antithrombotics: record.patient.antithrombotics,
      allergyNotes: record.patient.allergyNotes,
      overview: { currentMedications, totalMme },
      imaging: record.imaging,
      diagnosisId: diagnosisId ?? null,
      evaluation: result && { ruleSetVersion: result.ruleSetVersion, result },
    },
    defaults: {
      diagnosisId,
      flagId: url.searchParams.get("flagId") ?? undefined,
      procedure: result?.suggestions[0]?.procedure,
      urgency: result?.urgent ? ("URGENT" as const) : ("ROUTINE" as const),
      // Pre-filled from the evaluation: the criteria met, each with its explanation.
      reason: met.map((criterion) => `${criterion.title}: ${criterion.explanation}`).join("\n") || undefined,
      conservativeCareContinues: true,
    },
  };
}

export function action(args: ActionFunctionArgs) {
  return submitPatientForm(
    args,
    () => referralSchema,
    createReferral,
    { form: "referral", message: "Referral created." },
    PERMISSIONS["referrals:create"],
  );
}

export default function NewReferral() {
  const { patient, today, physician, diagnoses, defaults, packetInput } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof referralSchema>>({
    id: "referral",
    lastResult: actionData?.result,
    defaultValue: defaults,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: referralSchema }),
  });
  return (
    <PatientFormPage title="Refer for an interventional procedure" patient={patient}>
      <Form method="post" {...getFormProps(form)} className="max-w-3xl space-y-5">
        <FormErrors id={form.errorId} errors={form.errors} />
        <FormDraft formId={form.id} patientId={patient.id} restore={!actionData} />
        {defaults.flagId ? <input type="hidden" name="flagId" value={defaults.flagId} /> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField field={fields.diagnosisId} label="For diagnosis" placeholder="Choose…" options={diagnoses} />
          <SelectField
            field={fields.procedure}
            label="Procedure"
            placeholder="Choose…"
            options={optionsOf(PROCEDURE_TYPE_LABELS)}
          />
          <TextField field={fields.receivingClinic} label="Receiving clinic or physician" autoFocus />
          <SelectField field={fields.urgency} label="Urgency" options={optionsOf(REFERRAL_URGENCY_LABELS)} />
        </div>
        <TextAreaField
          field={fields.reason}
          label="Reason for referral"
          hint="Pre-filled from the criteria met; edit as needed."
        />
        <CheckboxField
          field={fields.conservativeCareContinues}
          label="Conservative care continues alongside (combined approach)"
        />
        <ReferralPacketPreview
          input={packetInput}
          procedure={fields.procedure.value}
          physician={physician}
          today={today}
        />
        <SubmitButton pending={navigation.state === "submitting"}>Create referral</SubmitButton>
      </Form>
    </PatientFormPage>
  );
}

function ReferralPacketPreview({
  input,
  procedure,
  physician,
  today,
}: {
  input: Omit<PacketInput, "procedure">;
  procedure: string | undefined;
  physician: string;
  today: IsoDate;
}) {
  const chosen = procedure && procedure in PROCEDURE_TYPE_LABELS ? (procedure as ProcedureType) : null;
  const packet = referralPacket({ ...input, procedure: chosen });
  return (
    <section aria-label="Referral packet" className="space-y-3 rounded border border-slate-300 bg-white p-4 text-sm">
      <h2 className="text-base font-semibold">What the referral will carry</h2>
      <PacketSafety packet={packet} />
      <PacketCriteriaAndSignature packet={packet} physician={physician} date={today} />
    </section>
  );
}
