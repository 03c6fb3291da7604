/** "FAMILY, Given" as clinics write names on lists. */
export function patientDisplayName(patient: { givenName: string; familyName: string }): string {
  return `${patient.familyName.toUpperCase()}, ${patient.givenName}`;
}
