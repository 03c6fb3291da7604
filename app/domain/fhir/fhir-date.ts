/** A full FHIR date or dateTime as its calendar day as written; partial dates ("2020-03") give null. */
export function dayOf(value: string | undefined): string | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2})/.exec(value) : null;
  return match?.[1] ?? null;
}
