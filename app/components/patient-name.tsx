import { Link } from "@remix-run/react";

/** "FAMILY, Given" as clinics write names on lists. */
export function patientDisplayName(patient: { givenName: string; familyName: string }): string {
  return `${patient.familyName.toUpperCase()}, ${patient.givenName}`;
}

/** The first cell of a patient list: the name, linked to the record (at `hash` when given), and the MRN. */
export function PatientCell({
  patient,
  hash,
}: {
  patient: { patientId: string; givenName: string; familyName: string; mrn: string };
  hash?: string;
}) {
  return (
    <td className="px-3 py-2">
      <Link
        to={`/patients/${patient.patientId}${hash ? `#${hash}` : ""}`}
        className="font-medium text-blue-800 underline"
      >
        {patientDisplayName(patient)}
      </Link>
      <div className="font-mono text-xs text-slate-600">{patient.mrn}</div>
    </td>
  );
}
