import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Page } from "./page";
import { patientDisplayName } from "./patient-name";

/** The frame of every form about one patient: whose record it is, and the way back. */
export function PatientFormPage({
  title,
  patient,
  children,
}: {
  title: string;
  patient: { id: string; mrn: string; givenName: string; familyName: string };
  children: ReactNode;
}) {
  return (
    <Page title={`${title}: ${patientDisplayName(patient)}`}>
      <p className="text-sm text-slate-700">
        MRN <span className="font-mono">{patient.mrn}</span> ·{" "}
        <Link to={`/patients/${patient.id}`} className="text-blue-800 underline">
          Back to the patient
        </Link>
      </p>
      <div className="mt-4">{children}</div>
    </Page>
  );
}
