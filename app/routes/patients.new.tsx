import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
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
    throw redirect(`/patients/${patient.id}`);
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
      <PatientForm today={today} lastResult={actionData?.result} physicians={physicians} />
    </Page>
  );
}
