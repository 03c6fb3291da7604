import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { PatientForm } from "~/components/patient-form";
import { patientDisplayName } from "~/components/patient-name";
import { patientEditSchema } from "~/domain/pathway-forms";
import { PERMISSIONS } from "~/domain/permissions";
import { recordPatientView } from "~/models/audit.server";
import { getPatientForEdit, listPhysicians, updatePatient } from "~/models/patient.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { submitPatientForm } from "~/web/patient-forms.server";
import { requireId } from "~/web/route-helpers.server";

export const meta: MetaFunction = () => [{ title: "Edit patient · PainPath" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["pathway:write"] });
  const patientId = requireId(params.patientId);
  const [patient, physicians] = await Promise.all([getPatientForEdit(patientId), listPhysicians()]);
  if (!patient) throw new Response("Not found", { status: 404 });
  await recordPatientView(context, user, patientId, { view: "edit" });
  return { patient, physicians, today: clinicToday() };
}

export function action(args: ActionFunctionArgs) {
  return submitPatientForm(
    args,
    patientEditSchema,
    (value, write) => updatePatient(write.patientId, value, write.actor, write.context),
    { form: "edit-patient", message: "Patient details saved." },
  );
}

export default function EditPatient() {
  const { patient, physicians, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { version, ...values } = patient;
  return (
    <Page title={`Edit ${patientDisplayName(patient)}`}>
      <PatientForm
        draft={{ formId: "edit-patient", patientId: patient.id }}
        today={today}
        lastResult={actionData?.result}
        conflict={actionData?.conflict}
        defaultValue={values}
        physicians={physicians}
        editing={{ version }}
      />
    </Page>
  );
}
