/**
 * The CDS Hooks patient-view service under load, as an EHR calls it: a signed JWT per call (each
 * with its own jti, signed before the run so signing never slows the load generator) and a typical
 * prefetch: the Patient, two conditions, three medication requests, 24 monthly pain scores and two
 * procedures, about 40 kB. Two cases: a patient PainPath follows (matched by MRN and birth date)
 * and one it does not (the prefetch is mapped and evaluated by the engine).
 */
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import type pg from "pg";
import { PATIENT_VIEW_SERVICE_ID } from "~/domain/cds/service";
import type { Inputs, Scenario, ScenarioRequest } from "./scenarios";

const ISSUER = "https://bench-ehr.invalid/";
const KEY_ID = "bench-es256";
const PATH = `/cds-services/${PATIENT_VIEW_SERVICE_ID}`;
/** Calls per second the pool of signed tokens is sized for; a used-up pool shows as 401 errors. */
const TOKENS_PER_SECOND = 1000;

interface Subject {
  mrn: string;
  birthDate: string;
}

const MR = { system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR" };

function day(today: string, daysAgo: number): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - daysAgo);
  return date.toISOString().slice(0, 10);
}

/** A typical prefetch of one patient, as an EHR fills PainPath's five templates. */
export function typicalPrefetch(subject: Subject, fhirId: string, today: string) {
  const ref = { reference: `Patient/${fhirId}` };
  const searchset = (resources: Array<Record<string, unknown>>) => ({
    resourceType: "Bundle",
    type: "searchset",
    entry: resources.map((resource) => ({
      fullUrl: `https://bench-ehr.invalid/fhir/${String(resource.resourceType)}/${String(resource.id)}`,
      resource,
      search: { mode: "match" },
    })),
  });
  const condition = (id: string, coding: Record<string, string>, onsetDaysAgo: number) => ({
    resourceType: "Condition",
    id,
    clinicalStatus: {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }],
    },
    code: { coding: [coding] },
    subject: ref,
    onsetDateTime: day(today, onsetDaysAgo),
  });
  const medication = (id: string, code: string, display: string, startDaysAgo: number) => ({
    resourceType: "MedicationRequest",
    id,
    status: "active",
    intent: "order",
    medicationCodeableConcept: { coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code, display }] },
    subject: ref,
    authoredOn: day(today, startDaysAgo),
    reasonReference: [{ reference: "Condition/c-lbp" }],
    dosageInstruction: [{ text: "as directed" }],
  });
  return {
    patient: {
      resourceType: "Patient",
      id: fhirId,
      identifier: [{ type: { coding: [MR] }, system: "urn:oid:2.16.840.1.113883.19.5", value: subject.mrn }],
      name: [{ family: "Bench", given: ["Patient"] }],
      gender: "female",
      birthDate: subject.birthDate,
    },
    conditions: searchset([
      condition(
        "c-lbp",
        { system: "http://snomed.info/sct", code: "278860009", display: "Chronic low back pain" },
        600,
      ),
      condition(
        "c-knee",
        { system: "http://snomed.info/sct", code: "239873007", display: "Osteoarthritis of knee" },
        900,
      ),
    ]),
    medications: searchset([
      medication("m-1", "198440", "Acetaminophen 500 MG Oral Tablet", 500),
      medication("m-2", "310431", "Gabapentin 100 MG Oral Capsule", 300),
      medication("m-3", "1049621", "Oxycodone Hydrochloride 5 MG Oral Tablet", 200),
    ]),
    painScores: searchset(
      Array.from({ length: 24 }, (_, month) => ({
        resourceType: "Observation",
        id: `o-${month}`,
        status: "final",
        code: { coding: [{ system: "http://loinc.org", code: "72514-3" }] },
        subject: ref,
        effectiveDateTime: day(today, month * 30),
        valueQuantity: {
          value: 4 + (month % 5),
          unit: "{score}",
          system: "http://unitsofmeasure.org",
          code: "{score}",
        },
      })),
    ),
    procedures: searchset([
      {
        resourceType: "Procedure",
        id: "p-1",
        status: "completed",
        code: {
          coding: [{ system: "http://snomed.info/sct", code: "91251008", display: "Physical therapy procedure" }],
        },
        subject: ref,
        performedDateTime: day(today, 400),
      },
      {
        resourceType: "Procedure",
        id: "p-2",
        status: "completed",
        code: {
          coding: [{ system: "http://snomed.info/sct", code: "91251008", display: "Physical therapy procedure" }],
        },
        subject: ref,
        performedDateTime: day(today, 380),
      },
    ]),
  };
}

/**
 * Trusts a benchmark EHR (its key set stored inline, so no key fetch is timed) and returns the two
 * CDS scenarios. `origin` is the server's APP_ORIGIN: every token names its address as `aud`.
 */
export async function cdsScenarios(client: pg.Client, inputs: Inputs, origin: string): Promise<Scenario[]> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: KEY_ID, alg: "ES256", use: "sig" }] };
  await client.query(
    `INSERT INTO "CdsIssuer" (id, issuer, label, jwks, "createdById", "updatedAt")
     VALUES ($1, $2, 'Benchmark EHR', $3, $4, now())
     ON CONFLICT (issuer) DO UPDATE SET jwks = EXCLUDED.jwks, "jwksUrl" = NULL, "mrnSystem" = NULL, active = true,
                                        version = "CdsIssuer".version + 1, "updatedAt" = now()`,
    [randomUUID(), ISSUER, JSON.stringify(jwks), inputs.users.ADMIN],
  );
  const { rows } = await client.query<Subject>(
    `SELECT mrn, to_char("birthDate", 'YYYY-MM-DD') AS "birthDate" FROM "Patient" WHERE id = ANY($1::uuid[])`,
    [inputs.viewPatients.slice(0, 200)],
  );
  const known = rows.map((row, index) => ({ fhirId: `bench-known-${index}`, subject: row }));
  const unknown = Array.from({ length: 200 }, (_, index) => ({
    fhirId: `bench-unknown-${index}`,
    subject: {
      mrn: `NOT-IN-PAINPATH-${index}`,
      birthDate: `19${50 + (index % 40)}-0${1 + (index % 9)}-1${index % 10}`,
    },
  }));
  return [
    scenario("cds-known", "CDS Hooks patient-view, known patient", known),
    scenario("cds-unknown", "CDS Hooks patient-view, EHR data only", unknown),
  ];

  function scenario(id: string, title: string, patients: Array<{ fhirId: string; subject: Subject }>): Scenario {
    const bodies = patients.map(({ fhirId, subject }) =>
      JSON.stringify({
        hook: "patient-view",
        hookInstance: randomUUID(),
        context: { userId: "Practitioner/bench", patientId: fhirId },
        prefetch: typicalPrefetch(subject, fhirId, inputs.today),
      }),
    );
    let tokens: string[] = [];
    let used = 0;
    return {
      id,
      title,
      role: "ADMIN",
      routeId: "routes/cds-services.$serviceId",
      expectStatus: 200,
      targetP95Ms: 150,
      rawSide: false,
      prepare: async (calls: number) => {
        tokens = await signTokens(privateKey, `${origin}${PATH}`, calls);
        used = 0;
      },
      request: (index): ScenarioRequest => ({
        method: "POST",
        path: PATH,
        params: { serviceId: PATIENT_VIEW_SERVICE_ID },
        headers: {
          authorization: `Bearer ${tokens[used++ % Math.max(1, tokens.length)] ?? ""}`,
          "content-type": "application/json",
        },
        body: bodies[index % bodies.length],
      }),
    };
  }
}

async function signTokens(key: CryptoKey, aud: string, count: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    tokens.push(
      await new SignJWT({})
        .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: KEY_ID })
        .setIssuer(ISSUER)
        .setAudience(aud)
        .setIssuedAt(now)
        // The tokens must outlive the runs that use them: the service accepts up to 5 minutes.
        .setExpirationTime(now + 290)
        .setJti(randomUUID())
        .sign(key),
    );
  }
  return tokens;
}

/** Tokens one scenario needs: every run at the given rate, plus the warm-up. */
export function tokensFor(seconds: number, clients: number[], warmUpSeconds: number): number {
  return (warmUpSeconds + seconds * clients.length) * TOKENS_PER_SECOND;
}
