import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DiagnosisForm } from "~/components/diagnosis-form";
import { PatientFormPage } from "~/components/patient-form-page";
import { diagnosisEditSchema } from "~/domain/pathway-forms";
import { findDiagnosisToCorrect, updateDiagnosis } from "~/models/pathway.server";
import { loadPatientChildForm, submitPatientForm } from "~/web/patient-forms.server";
import { requireId } from "~/web/route-helpers.server";

export const meta: MetaFunction = () => [{ title: "Correct diagnosis · PainPath" }];

export async function loader(args: LoaderFunctionArgs) {
  const { patient, today, child } = await loadPatientChildForm(args, "correct-diagnosis", {
    entity: "PainDiagnosis",
    param: "diagnosisId",
    find: findDiagnosisToCorrect,
  });
  return { patient, today, diagnosis: child, diagnosisId: requireId(args.params.diagnosisId) };
}

export function action(args: ActionFunctionArgs) {
  // The id is checked after the role (inside the save): a malformed id tells a stranger nothing.
  return submitPatientForm(
    args,
    diagnosisEditSchema,
    (value, write) => updateDiagnosis(requireId(args.params.diagnosisId), value, write),
    { form: `correct-diagnosis-${args.params.diagnosisId}`, message: "Diagnosis corrected." },
  );
}

export default function CorrectDiagnosis() {
  const { patient, today, diagnosis, diagnosisId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { version, ...values } = diagnosis;
  return (
    <PatientFormPage title="Correct diagnosis" patient={patient}>
      <DiagnosisForm
        draft={{ formId: `correct-diagnosis-${diagnosisId}`, patientId: patient.id }}
        today={today}
        lastResult={actionData?.result}
        conflict={actionData?.conflict}
        defaultValue={values}
        editingVersion={version}
      />
    </PatientFormPage>
  );
}
