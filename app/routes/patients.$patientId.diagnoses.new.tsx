import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DiagnosisForm } from "~/components/diagnosis-form";
import { PatientFormPage } from "~/components/patient-form-page";
import { diagnosisSchema } from "~/domain/pathway-forms";
import { addDiagnosis } from "~/models/pathway.server";
import { loadPatientForm, submitPatientForm } from "~/web/patient-forms.server";

export const meta: MetaFunction = () => [{ title: "Add diagnosis · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { patient, today } = await loadPatientForm(args, "add-diagnosis");
  return { patient, today };
}

export function action(args: ActionFunctionArgs) {
  return submitPatientForm(args, diagnosisSchema, addDiagnosis, { form: "add-diagnosis", message: "Diagnosis added." });
}

export default function AddDiagnosis() {
  const { patient, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <PatientFormPage title="Add diagnosis" patient={patient}>
      <DiagnosisForm
        draft={{ formId: "add-diagnosis", patientId: patient.id }}
        today={today}
        lastResult={actionData?.result}
        defaultValue={{ surgicalStatus: "NOT_EVALUATED" }}
      />
    </PatientFormPage>
  );
}
