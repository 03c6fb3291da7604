import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/page";
import { PatientForm } from "~/components/patient-form";
import { patientSchema } from "~/domain/pathway-forms";
import { PERMISSIONS } from "~/domain/permissions";
import { createPatient, listPhysicians } from "~/models/patient.server";
import { requireUser } from "~/web/auth.server";
import { clinicToday } from "~/server/clinic-time.server";
import { replyToRefusal } from "~/web/route-helpers.server";
import { parseForm } from "~/web/form-input.server";
import { redirectWithNotice } from "~/web/notice.server";

/** A patient not yet created has no id: their draft is filed under "new". */
const NEW_PATIENT_DRAFT = { formId: "new-patient", patientId: "new" };

export const meta: MetaFunction = () => [{ title: "New patient · PainPath" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: PERMISSIONS["pathway:write"] });
  return { physicians: await listPhysicians(), today: clinicToday() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, { roles: PERMISSIONS["pathway:write"] });
  const submission = await parseForm(request, patientSchema(clinicToday()));
  if (submission.status !== "success") return data({ result: submission.reply(), conflict: null }, { status: 400 });
  try {
    const patient = await createPatient(submission.value, user, context);
    throw await redirectWithNotice(`/patients/${patient.id}`, {
      message: "Patient added.",
      savedDraft: { patientId: NEW_PATIENT_DRAFT.patientId, form: NEW_PATIENT_DRAFT.formId },
    });
  } catch (error) {
    if (error instanceof Response) throw error;
    return replyToRefusal(error, submission);
  }
}

export default function NewPatient() {
  const { physicians, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <Page title="New patient">
      <PatientForm draft={NEW_PATIENT_DRAFT} today={today} lastResult={actionData?.result} physicians={physicians} />
    </Page>
  );
}
