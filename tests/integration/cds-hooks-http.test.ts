import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeMarkdown } from "~/domain/cds/cards";
import { filledPrefetchQueries, PATIENT_VIEW_SERVICE_ID, PREFETCH_KEYS } from "~/domain/cds/service";
import { addDays } from "~/domain/clinical/duration";
import { DISMISS_REASON_LABELS } from "~/domain/pathway-vocabulary";
import { DECISION_SUPPORT_DISCLAIMER } from "~/domain/referral/rule-set";
import { loadReferralReport } from "~/models/reports.server";
import { action as recordOutcome } from "~/routes/patients.$patientId.assessments.new";
import { clinicTimeZone, clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import {
  type cardSpec,
  discoveryResponseSpec,
  feedbackRequestSpec,
  hookRequestSpec,
  hookResponseSpec,
  nullOrEmptyPaths,
} from "../helpers/cds-hooks-spec";
import { startTestEhr, unsignedJwt, type TestEhr } from "../helpers/ehr";
import { createPatient, createUser } from "../helpers/fixtures";
import { callRoute, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let ehr: TestEhr;
let issuerId: string;
const MR = { system: "http://terminology.hl7.org/CodeSystem/v2-0203", code: "MR" };
const EHR_MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";

type Card = ReturnType<typeof cardSpec.parse>;

/** PainPath patients in four situations, each made through the app's own writes and evaluation. */
const known = {} as Record<
  "redFlag" | "referral" | "notYet" | "nothingDue",
  { id: string; mrn: string; flagId?: string }
>;

const discoveryUrl = () => `${server.origin}/cds-services`;
const serviceUrl = () => `${server.origin}/cds-services/${PATIENT_VIEW_SERVICE_ID}`;
const feedbackUrl = () => `${serviceUrl()}/feedback`;

function fhirPatient(id: string, mrn: string, birthDate = "1970-05-04") {
  return {
    resourceType: "Patient",
    id,
    identifier: [
      { type: { coding: [MR] }, system: EHR_MRN_SYSTEM, value: mrn },
      {
        type: { coding: [{ system: MR.system, code: "SS" }] },
        system: "http://hl7.org/fhir/sid/us-ssn",
        value: "999-45-6789",
      },
    ],
    birthDate,
  };
}

function hookRequest(patientId: string, prefetch?: Record<string, unknown>, fhir?: { token: string }) {
  const request = {
    hook: "patient-view",
    hookInstance: randomUUID(),
    ...(fhir
      ? {
          fhirServer: ehr.fhirBase,
          fhirAuthorization: {
            access_token: fhir.token,
            token_type: "Bearer",
            expires_in: 300,
            scope: "patient/Patient.read patient/Condition.read patient/Observation.read",
            subject: "painpath-cds",
          },
        }
      : {}),
    context: { userId: "Practitioner/ehr-dr-1", patientId },
    ...(prefetch ? { prefetch } : {}),
  };
  expect(hookRequestSpec.safeParse(request).error).toBeUndefined();
  return request;
}

async function post(url: string, body: unknown, token: string | null, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function callHook(body: unknown): Promise<Card[]> {
  const response = await post(serviceUrl(), body, await ehr.sign(serviceUrl()));
  const json: unknown = await response.json();
  expect(response.status, JSON.stringify(json)).toBe(200);
  const parsed = hookResponseSpec.safeParse(json);
  expect(parsed.error).toBeUndefined();
  expect(nullOrEmptyPaths(json, ["cards"])).toEqual([]);
  return (json as { cards: Card[] }).cards;
}

async function cardsFor(patient: { id: string; mrn: string }): Promise<Card[]> {
  return callHook(hookRequest(`ehr-${patient.mrn}`, { patient: fhirPatient(`ehr-${patient.mrn}`, patient.mrn) }));
}

beforeAll(async () => {
  server = await startTestServer();
  ehr = await startTestEhr();
  const admin = await createUser("ADMIN");
  const physicianId = (await createUser("PHYSICIAN")).id;
  const nurse = await sessionCookie((await createUser("NURSE")).id);
  issuerId = (
    await getDb().cdsIssuer.create({
      data: {
        label: "Test EHR",
        issuer: ehr.issuer,
        jwksUrl: ehr.jwksUrl,
        mrnSystem: EHR_MRN_SYSTEM,
        createdById: admin.id,
      },
    })
  ).id;

  const record = async (patientId: string, painAverage: number, peg: number, limitation: string) => {
    const response = await callRoute(recordOutcome, {
      path: "/a",
      params: { patientId },
      cookie: nurse,
      form: {
        assessedOn: clinicToday(),
        painNow: String(painAverage),
        painAverage: String(painAverage),
        painWorst: String(Math.min(10, painAverage + 1)),
        pegPain: String(peg),
        pegEnjoyment: String(peg),
        pegActivity: String(peg),
        limitation,
      },
    });
    expect(statusOf(response)).toBe(302);
  };
  const make = async (
    key: keyof typeof known,
    options: { nonDrugCareFailed: boolean },
    scores: [number, number, string],
  ) => {
    const { patient, diagnosis } = await createPatient(physicianId, { nonDrugCareFailed: options.nonDrugCareFailed });
    if (key === "redFlag") {
      await getDb().painDiagnosis.update({ where: { id: diagnosis.id }, data: { redFlags: ["CAUDA_EQUINA"] } });
    }
    await record(patient.id, ...scores);
    const flag = await getDb().flag.findUnique({ where: { diagnosisId: diagnosis.id } });
    known[key] = { id: patient.id, mrn: patient.mrn, flagId: flag?.id };
  };
  await make("redFlag", { nonDrugCareFailed: true }, [5, 6, "MODERATE"]);
  await make("referral", { nonDrugCareFailed: true }, [5, 6, "MODERATE"]);
  await make("notYet", { nonDrugCareFailed: false }, [5, 6, "MODERATE"]);
  await make("nothingDue", { nonDrugCareFailed: true }, [3, 2, "MILD"]);
});

afterAll(async () => {
  await server?.close();
  await ehr?.close();
});

describe("discovery", () => {
  it("lists the patient-view service with its prefetch templates, to a signed call only", async () => {
    const response = await fetch(discoveryUrl(), {
      headers: { Authorization: `Bearer ${await ehr.sign(discoveryUrl())}` },
    });
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    const discovery = discoveryResponseSpec.parse(body);
    expect(nullOrEmptyPaths(body)).toEqual([]);
    expect(discovery.services).toEqual([
      expect.objectContaining({
        hook: "patient-view",
        id: PATIENT_VIEW_SERVICE_ID,
        prefetch: {
          patient: "Patient/{{context.patientId}}",
          conditions: "Condition?patient={{context.patientId}}",
          medications: "MedicationRequest?patient={{context.patientId}}",
          painScores: "Observation?patient={{context.patientId}}&code=http://loinc.org|72514-3",
          procedures: "Procedure?patient={{context.patientId}}",
        },
      }),
    ]);
    expect((await fetch(discoveryUrl())).status).toBe(401);
  });
});

describe("patient-view for patients PainPath follows", () => {
  it("shows a red flag as a critical card: evaluate now, no referral link and no override reasons", async () => {
    const [card, ...others] = await cardsFor(known.redFlag);
    expect(others).toEqual([]);
    expect(card).toMatchObject({ indicator: "critical", source: { label: "PainPath" } });
    expect(card?.summary).toMatch(
      /^Red flag \(Radiculopathy, lumbar region\): Possible cauda equina syndrome\. Evaluate now/,
    );
    expect(card?.detail).toContain("**Red flag:**");
    expect(card?.links?.map((link) => link.url)).toEqual([`${server.origin}/patients/${known.redFlag.id}`]);
    expect(card?.overrideReasons).toBeUndefined();
  });

  it("shows a referral suggestion as a warning card with the criteria met, their sources, links and override reasons", async () => {
    const [card, ...others] = await cardsFor(known.referral);
    expect(others).toEqual([]);
    const flag = await getDb().flag.findUniqueOrThrow({ where: { id: known.referral.flagId } });
    expect(card).toMatchObject({
      indicator: "warning",
      source: { label: "PainPath" },
      selectionBehavior: "at-most-one",
    });
    expect(card?.summary).toContain(flag.summary.slice(0, 40));
    expect([...(card?.summary ?? "")].length).toBeLessThan(140);
    expect(card?.detail).toContain("**Criteria met**");
    expect(card?.detail).toMatch(/GEN-FUNCTION v\d+\): .+ Source: /);
    expect(card?.detail).toContain(DECISION_SUPPORT_DISCLAIMER.slice(0, 40));
    expect(card?.links).toEqual([
      {
        label: "Open the pathway in PainPath",
        url: `${server.origin}/patients/${known.referral.id}`,
        type: "absolute",
      },
      {
        label: "Start a referral in PainPath",
        url: expect.stringMatching(
          new RegExp(
            `^${server.origin}/patients/${known.referral.id}/referrals/new\\?diagnosisId=[0-9a-f-]+&flagId=${flag.id}$`,
          ),
        ),
        type: "absolute",
      },
    ]);
    expect(card?.overrideReasons?.map((reason) => [reason.code, reason.display])).toEqual(
      Object.entries(DISMISS_REASON_LABELS),
    );
  });

  it("says conservative care is not yet exhausted as an info card", async () => {
    const [card, ...others] = await cardsFor(known.notYet);
    expect(others).toEqual([]);
    expect(card?.indicator).toBe("info");
    expect(card?.summary).toMatch(/^Not yet \(Radiculopathy, lumbar region\): Conservative care not yet exhausted/);
    expect(card?.overrideReasons).toBeUndefined();
  });

  it("answers no card when nothing is due", async () => {
    expect(await cardsFor(known.nothingDue)).toEqual([]);
  });

  it("matches by MRN of the configured system and birth date: a different birth date or system is not this patient", async () => {
    const patient = fhirPatient("ehr-x", known.referral.mrn, "1981-01-01");
    // Not PainPath's patient: evaluated from the EHR's own (empty) data, so nothing of PainPath's record shows.
    const cards = await callHook(
      hookRequest("ehr-x", { patient, conditions: null, medications: null, painScores: null, procedures: null }),
    );
    expect(cards).toEqual([]);
    const otherSystem = fhirPatient("ehr-y", known.referral.mrn);
    otherSystem.identifier[0] = {
      ...otherSystem.identifier[0],
      system: "urn:oid:9.9.9",
    } as (typeof otherSystem.identifier)[0];
    expect(
      await callHook(
        hookRequest("ehr-y", {
          patient: otherSystem,
          conditions: null,
          medications: null,
          painScores: null,
          procedures: null,
        }),
      ),
    ).toEqual([]);
  });

  it("reads what was not prefetched from the EHR's FHIR server with the access token it gave", async () => {
    ehr.fhir.set("/fhir/Patient/ehr-fetch-1", fhirPatient("ehr-fetch-1", known.referral.mrn));
    const before = ehr.fhirRequests.length;
    const cards = await callHook(hookRequest("ehr-fetch-1", undefined, { token: "opaque-fhir-token-1" }));
    expect(cards.map((card) => card.indicator)).toEqual(["warning"]);
    expect(ehr.fhirRequests.slice(before)).toEqual([
      { url: "/fhir/Patient/ehr-fetch-1", authorization: "Bearer opaque-fhir-token-1" },
    ]);
  });

  it("answers 412 when data is missing and there is no FHIR server, or the FHIR server cannot give it in time", async () => {
    const missing = await post(serviceUrl(), hookRequest("ehr-none"), await ehr.sign(serviceUrl()));
    expect(missing.status).toBe(412);
    ehr.fhir.set("/fhir/Patient/ehr-slow", fhirPatient("ehr-slow", known.referral.mrn));
    ehr.fhirDelayMs = 6000;
    try {
      const started = Date.now();
      const slow = await post(
        serviceUrl(),
        hookRequest("ehr-slow", undefined, { token: "t" }),
        await ehr.sign(serviceUrl()),
      );
      expect(slow.status).toBe(412);
      // The service gives up after its 2 s deadline, long before the FHIR server would answer.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      ehr.fhirDelayMs = 0;
    }
  });

  it("answers 412, not an error, when the FHIR server's answer starts but stalls past the deadline", async () => {
    ehr.fhirStalled.add("/fhir/Patient/ehr-stalled");
    const stalled = await post(
      serviceUrl(),
      hookRequest("ehr-stalled", undefined, { token: "t" }),
      await ehr.sign(serviceUrl()),
    );
    expect(stalled.status).toBe(412);
    expect(await stalled.text()).toContain("did not arrive in time");
  });

  it("audits every call like a patient read, without the request's patient data in the audit detail", async () => {
    await cardsFor(known.referral);
    const [event] = await getDb().auditEvent.findMany({
      where: { action: "patient.view", patientId: known.referral.id, entityType: "CdsIssuer" },
      orderBy: { id: "desc" },
      take: 1,
    });
    expect(event).toMatchObject({ entityId: issuerId, userId: null, outcome: "success" });
    expect(JSON.stringify(event?.detail)).not.toContain("999-45-6789");
    expect(event?.detail).toMatchObject({ via: "cds-hooks", ehrUser: "Practitioner/ehr-dr-1" });
  });
});

/** A US Core export split as a FHIR server answers the five prefetch templates. */
function usCorePrefetch() {
  const bundle = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/fhir/us-core-bundle.json"), "utf8")) as {
    entry: Array<{ fullUrl: string; resource: { resourceType: string; code?: { coding?: Array<{ code?: string }> } } }>;
  };
  const searchset = (type: string, keep = (_resource: unknown) => true) => ({
    resourceType: "Bundle",
    type: "searchset",
    entry: bundle.entry
      .filter((entry) => entry.resource.resourceType === type && keep(entry.resource))
      .map((entry) => ({ fullUrl: entry.fullUrl, resource: entry.resource, search: { mode: "match" } })),
  });
  return {
    patient: bundle.entry.find((entry) => entry.resource.resourceType === "Patient")?.resource,
    conditions: searchset("Condition"),
    medications: searchset("MedicationRequest"),
    painScores: searchset("Observation", (resource) =>
      Boolean(
        (resource as { code?: { coding?: Array<{ code?: string }> } }).code?.coding?.some((c) => c.code === "72514-3"),
      ),
    ),
    procedures: searchset("Procedure"),
  };
}

describe("patient-view for patients PainPath does not follow", () => {
  const lastEhrEvaluation = async () =>
    (await getDb().auditEvent.findMany({ where: { action: "cds.patient_view" }, orderBy: { id: "desc" }, take: 1 }))[0];

  it("evaluates the prefetch with the same engine: a single pain score a visit is not enough data, so no card", async () => {
    const cards = await callHook(hookRequest("us-core-pt-1", usCorePrefetch()));
    expect(cards).toEqual([]);
    const event = await lastEhrEvaluation();
    expect(event).toMatchObject({ patientId: null, entityId: issuerId });
    // The radiculopathy and knee osteoarthritis of the export were mapped and evaluated.
    expect(event?.detail).toMatchObject({ ehrPatientId: "us-core-pt-1", diagnosesEvaluated: 2, cards: [] });
    expect(JSON.stringify(event?.detail)).not.toContain("O'Brien");
  });

  it("reads the whole record from the EHR's FHIR server when nothing was prefetched", async () => {
    const prefetch = usCorePrefetch();
    ehr.fhir.set("/fhir/Patient/us-core-pt-1", prefetch.patient);
    ehr.fhir.set("/fhir/Condition?patient=us-core-pt-1", prefetch.conditions);
    ehr.fhir.set("/fhir/MedicationRequest?patient=us-core-pt-1", prefetch.medications);
    ehr.fhir.set("/fhir/Observation?patient=us-core-pt-1&code=http://loinc.org|72514-3", prefetch.painScores);
    ehr.fhir.set("/fhir/Procedure?patient=us-core-pt-1", prefetch.procedures);
    const before = ehr.fhirRequests.length;
    expect(await callHook(hookRequest("us-core-pt-1", undefined, { token: "opaque-fhir-token-2" }))).toEqual([]);
    const requests = ehr.fhirRequests.slice(before);
    expect(requests.map((request) => decodeURIComponent(request.url)).sort()).toEqual([
      "/fhir/Condition?patient=us-core-pt-1",
      "/fhir/MedicationRequest?patient=us-core-pt-1",
      "/fhir/Observation?patient=us-core-pt-1&code=http://loinc.org|72514-3",
      "/fhir/Patient/us-core-pt-1",
      "/fhir/Procedure?patient=us-core-pt-1",
    ]);
    expect(requests.every((request) => request.authorization === "Bearer opaque-fhir-token-2")).toBe(true);
    expect((await lastEhrEvaluation())?.detail).toMatchObject({ diagnosesEvaluated: 2 });
  });

  it("answers 412 when the EHR's Patient has no full birth date", async () => {
    const { patient, ...rest } = usCorePrefetch();
    const response = await post(
      serviceUrl(),
      hookRequest("us-core-pt-1", { ...rest, patient: { ...patient, birthDate: "1971" } }),
      await ehr.sign(serviceUrl()),
    );
    expect(response.status).toBe(412);
  });
});

/**
 * An Epic- or Cerner-style record as the five prefetch templates return it, for a patient PainPath
 * does not follow: a problem-list Condition in ICD-10-CM (and a non-pain one), MedicationRequests in
 * RxNorm SCD codes with their order dates, physical-therapy sessions by CPT, and flowsheet pain
 * scores in LOINC 72514-3. Dates count back from the clinic's today.
 */
function epicStylePrefetch(fhirId: string, options: { onsetDaysAgo: number; painScore: number }) {
  const today = clinicToday();
  const day = (daysAgo: number) => addDays(today, -daysAgo);
  const subject = { reference: `Patient/${fhirId}` };
  const searchset = (resources: Array<Record<string, unknown>>) => ({
    resourceType: "Bundle",
    type: "searchset",
    total: resources.length,
    link: [{ relation: "self", url: `https://ehr.example/fhir/R4/search?patient=${fhirId}` }],
    entry: resources.map((resource) => ({
      fullUrl: `https://ehr.example/fhir/R4/${resource.resourceType as string}/${resource.id as string}`,
      resource,
      search: { mode: "match" },
    })),
  });
  const problem = (id: string, icd10: string, display: string, onset: string) => ({
    resourceType: "Condition",
    id,
    clinicalStatus: {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }],
    },
    verificationStatus: {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-ver-status", code: "confirmed" }],
    },
    category: [
      {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-category", code: "problem-list-item" }],
      },
    ],
    code: { coding: [{ system: "http://hl7.org/fhir/sid/icd-10-cm", code: icd10, display }], text: display },
    subject,
    onsetDateTime: onset,
    recordedDate: `${onset}T14:02:00Z`,
  });
  const order = (id: string, rxcui: string, name: string, start: string, end: string | null, status: string) => ({
    resourceType: "MedicationRequest",
    id,
    status,
    intent: "order",
    category: [
      {
        coding: [{ system: "http://terminology.hl7.org/CodeSystem/medicationrequest-category", code: "outpatient" }],
      },
    ],
    medicationCodeableConcept: {
      coding: [{ system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: rxcui, display: name }],
      text: name,
    },
    subject,
    authoredOn: `${start}T09:30:00Z`,
    dosageInstruction: [
      {
        text: "1 tablet by mouth 3 times daily",
        timing: {
          repeat: { boundsPeriod: { start, ...(end ? { end } : {}) }, frequency: 3, period: 1, periodUnit: "d" },
        },
        doseAndRate: [
          { doseQuantity: { value: 1, unit: "tablet", system: "http://unitsofmeasure.org", code: "{tbl}" } },
        ],
      },
    ],
  });
  const session = (index: number, daysAgo: number) => ({
    resourceType: "Procedure",
    id: `pt-${fhirId}-${index}`,
    status: "completed",
    code: {
      coding: [{ system: "http://www.ama-assn.org/go/cpt", code: "97110", display: "Therapeutic exercises" }],
      text: "PT therapeutic exercise",
    },
    subject,
    performedDateTime: `${day(daysAgo)}T15:00:00Z`,
  });
  const score = (index: number, daysAgo: number, value: number) => ({
    resourceType: "Observation",
    id: `pain-${fhirId}-${index}`,
    status: "final",
    category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "survey" }] }],
    code: {
      coding: [
        {
          system: "http://loinc.org",
          code: "72514-3",
          display: "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        },
      ],
      text: "Pain Score",
    },
    subject,
    effectiveDateTime: `${day(daysAgo)}T10:15:00Z`,
    valueQuantity: { value, unit: "{score}", system: "http://unitsofmeasure.org", code: "{score}" },
  });
  const onset = day(options.onsetDaysAgo);
  const last = Math.min(options.onsetDaysAgo - 1, 300);
  return {
    patient: {
      resourceType: "Patient",
      id: fhirId,
      identifier: [
        { use: "usual", type: { text: "EPI" }, system: "urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.0", value: "E4005" },
        { ...fhirPatient(fhirId, `EHR-${fhirId}`).identifier[0], use: "usual" },
        { use: "usual", system: "http://hl7.org/fhir/sid/us-ssn", value: "999-12-3456" },
      ],
      name: [{ use: "official", family: "Ehronly", given: ["Jordan"] }],
      gender: "female",
      birthDate: "1968-11-02",
    },
    conditions: searchset([
      problem(`lr-${fhirId}`, "M54.16", "Radiculopathy, lumbar region", onset),
      problem(`htn-${fhirId}`, "I10", "Essential (primary) hypertension", day(2000)),
    ]),
    medications: searchset(
      last > 60
        ? [
            order(`ibu-${fhirId}`, "197806", "Ibuprofen 600 MG Oral Tablet", day(last), day(last - 90), "completed"),
            order(`gaba-${fhirId}`, "310431", "Gabapentin 300 MG Oral Capsule", day(150), null, "active"),
          ]
        : [order(`ibu-${fhirId}`, "197806", "Ibuprofen 600 MG Oral Tablet", day(last), null, "active")],
    ),
    painScores: searchset(
      [score(1, last, options.painScore), score(2, 100, options.painScore), score(3, 20, options.painScore)].filter(
        (_, index) => last > 100 || index === 0,
      ),
    ),
    procedures: searchset(
      last > 100 ? [0, 7, 14, 21, 28, 35, 42, 49].map((offset, index) => session(index, 280 - offset)) : [],
    ),
  };
}

describe("patient-view from the EHR's data alone", () => {
  const lastEhrEvaluation = async () =>
    (await getDb().auditEvent.findMany({ where: { action: "cds.patient_view" }, orderBy: { id: "desc" }, take: 1 }))[0];

  it("asks for what PainPath needs when chronic pain persists after adequate trials: an info card, never a referral", async () => {
    const cards = await callHook(
      hookRequest("eEhrOnly1", epicStylePrefetch("eEhrOnly1", { onsetDaysAgo: 400, painScore: 7 })),
    );
    expect(cards).toHaveLength(1);
    const [card] = cards as [Card];
    expect(card.indicator).toBe("info");
    expect(card.source.label).toBe("PainPath");
    expect(card.summary).toBe(
      "More data needed (Radiculopathy, lumbar region): 13 months of pain, 3 therapies tried adequately, latest pain 7/10",
    );
    expect([...card.summary].length).toBeLessThan(140);
    // What the EHR data show, each with the resource it came from.
    expect(card.detail).toContain("Pain since");
    expect(card.detail).toContain("Condition/lr-eEhrOnly1");
    expect(card.detail).toContain("Ibuprofen, ");
    expect(card.detail).toContain("MedicationRequest/gaba-eEhrOnly1");
    expect(card.detail).toContain("Physical therapy, 8 sessions");
    expect(card.detail).toContain("Latest reported pain 7/10");
    expect(card.detail).toContain("Observation/pain-eEhrOnly1-3");
    // What PainPath would need, what it did not check, and no claim beyond the data.
    expect(card.detail).toContain("**What PainPath would need to decide**");
    expect(card.detail).toContain("- A complete assessment (pain now, on average and at worst");
    expect(card.detail).toContain("before and during the Gabapentin trial");
    expect(card.detail).toContain("**Not checked from the EHR data:** red flags");
    expect(card.detail).toContain("no referral is suggested");
    expect(card.detail).toContain(escapeMarkdown(DECISION_SUPPORT_DISCLAIMER));
    expect(card.suggestions).toBeUndefined();
    expect(card.overrideReasons).toBeUndefined();
    expect(card.links?.map((link) => link.url)).toEqual([
      `${server.origin}/patients/new`,
      `${server.origin}/admin/imports`,
    ]);
    const stored = await getDb().cdsCard.findUniqueOrThrow({ where: { id: card.uuid } });
    expect(stored).toMatchObject({ kind: "NEEDS_DATA", patientId: null, metCriteria: [] });
    const event = await lastEhrEvaluation();
    expect(event?.detail).toMatchObject({ ehrPatientId: "eEhrOnly1", diagnosesEvaluated: 1 });
    expect(JSON.stringify(event?.detail)).not.toContain("Ehronly");
  });

  it("reads the same record from the EHR's FHIR server with the fhirAuthorization token, and answers the same card", async () => {
    const prefetch = epicStylePrefetch("eEhrOnly2", { onsetDaysAgo: 400, painScore: 7 });
    const queries = filledPrefetchQueries("eEhrOnly2");
    for (const key of PREFETCH_KEYS) ehr.fhir.set(`/fhir/${decodeURIComponent(queries[key])}`, prefetch[key]);
    const before = ehr.fhirRequests.length;
    const cards = await callHook(hookRequest("eEhrOnly2", undefined, { token: "opaque-fhir-token-3" }));
    expect(ehr.fhirRequests.slice(before)).toHaveLength(PREFETCH_KEYS.length);
    expect(cards.map((card) => [card.indicator, card.summary])).toEqual([
      [
        "info",
        "More data needed (Radiculopathy, lumbar region): 13 months of pain, 3 therapies tried adequately, latest pain 7/10",
      ],
    ]);
  });

  it("answers no card when the EHR data do not point towards failed care: recent pain, or pain below the threshold", async () => {
    expect(
      await callHook(hookRequest("eEhrOnly3", epicStylePrefetch("eEhrOnly3", { onsetDaysAgo: 40, painScore: 8 }))),
    ).toEqual([]);
    expect(
      await callHook(hookRequest("eEhrOnly4", epicStylePrefetch("eEhrOnly4", { onsetDaysAgo: 400, painScore: 2 }))),
    ).toEqual([]);
  });
});

describe("refusals", () => {
  const body = () => hookRequest("ehr-r", { patient: fhirPatient("ehr-r", known.referral.mrn) });
  const refusals = async () =>
    (await getDb().auditEvent.findMany({ where: { action: "cds.refused" }, orderBy: { id: "asc" } })).map(
      (event) => (event.detail as { reason: string }).reason,
    );

  it.each([
    ["no token", async () => null, "missing-token"],
    [
      "an unsigned token (alg none)",
      async () =>
        unsignedJwt({
          iss: ehr.issuer,
          aud: serviceUrl(),
          exp: Math.floor(Date.now() / 1000) + 60,
          iat: Math.floor(Date.now() / 1000),
          jti: randomUUID(),
        }),
      "unsigned-or-symmetric",
    ],
    ["an expired token", async () => ehr.sign(serviceUrl(), { expiresIn: -120 }), "expired"],
    [
      "a token that expires more than 5 minutes ahead",
      async () => ehr.sign(serviceUrl(), { expiresIn: 3600 }),
      "expiry-too-far",
    ],
    ["a token for another audience", async () => ehr.sign(discoveryUrl()), "wrong-audience"],
    [
      "a token signed with a key the EHR never published",
      async () => ehr.sign(serviceUrl(), { foreignKey: true }),
      "bad-signature",
    ],
    ["a token naming an unknown key", async () => ehr.sign(serviceUrl(), { header: { kid: "nobody" } }), "unknown-key"],
    [
      "a token pointing at another key set (jku)",
      async () => ehr.sign(serviceUrl(), { header: { jku: "http://attacker.test/jwks" } }),
      "untrusted-jku",
    ],
    [
      "a token from an unknown issuer",
      async () => ehr.sign(serviceUrl(), { claims: { iss: "https://stranger.test/" } }),
      "unknown-issuer",
    ],
  ])("refuses %s with 401 and an audit row", async (_name, token, reason) => {
    const before = (await refusals()).length;
    const response = await post(serviceUrl(), body(), await token());
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain(known.referral.mrn);
    const after = await refusals();
    expect(after.slice(before)).toEqual([reason]);
  });

  it("refuses a replayed jti, also after the first call was answered", async () => {
    const token = await ehr.sign(serviceUrl());
    expect((await post(serviceUrl(), body(), token)).status).toBe(200);
    const replay = await post(serviceUrl(), body(), token);
    expect(replay.status).toBe(401);
    expect((await refusals()).at(-1)).toBe("replayed");
  });

  it("answers 503 when a trusted issuer's key set cannot be fetched, and does not wait past the timeout", async () => {
    const admin = await createUser("ADMIN");
    await getDb().cdsIssuer.create({
      // Port 9 (discard) on loopback: nothing listens, the connection is refused.
      data: {
        label: "Down EHR",
        issuer: "https://down-ehr.test/",
        jwksUrl: "http://127.0.0.1:9/jwks",
        createdById: admin.id,
      },
    });
    const token = await ehr.sign(serviceUrl(), {
      claims: { iss: "https://down-ehr.test/" },
      header: { jku: "http://127.0.0.1:9/jwks" },
    });
    const started = Date.now();
    const response = await post(serviceUrl(), body(), token);
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await refusals()).at(-1)).toBe("keys-unavailable");
  });

  it("refuses every call from an issuer the administrator deactivated", async () => {
    await getDb().cdsIssuer.update({ where: { id: issuerId }, data: { active: false, version: { increment: 1 } } });
    try {
      expect((await post(serviceUrl(), body(), await ehr.sign(serviceUrl()))).status).toBe(401);
      expect((await refusals()).at(-1)).toBe("unknown-issuer");
    } finally {
      await getDb().cdsIssuer.update({ where: { id: issuerId }, data: { active: true, version: { increment: 1 } } });
    }
  });

  it("is a JSON API: no Origin or a foreign Origin is fine, but the session cookie opens nothing", async () => {
    const foreign = await post(serviceUrl(), body(), await ehr.sign(serviceUrl()), {
      Origin: "https://ehr.example.org",
    });
    expect(foreign.status).toBe(200);
    const physicianCookie = await sessionCookie((await createUser("PHYSICIAN")).id);
    const withCookieOnly = await post(serviceUrl(), body(), null, { Cookie: physicianCookie });
    expect(withCookieOnly.status).toBe(401);
  });

  it("refuses a body over its limit with 413 and a malformed one with 400, naming fields but not values", async () => {
    const huge = JSON.stringify({ ...body(), prefetch: { padding: "x".repeat(5 * 1024 * 1024) } });
    expect((await post(serviceUrl(), huge, await ehr.sign(serviceUrl()))).status).toBe(413);
    const bad = await post(
      serviceUrl(),
      { ...body(), context: { userId: "u", patientId: "../../etc" } },
      await ehr.sign(serviceUrl()),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain("etc");
  });
});

describe("feedback", () => {
  const reportRange = () => ({ from: clinicToday(), to: clinicToday() });
  const dismissedAs = async (reason: string) =>
    (await loadReferralReport(reportRange(), clinicTimeZone(), ["funnel"])).flagOutcomes
      .filter((row) => row.outcome === "DISMISSED" && row.dismissReason === reason)
      .reduce((sum, row) => sum + row.count, 0);

  it("counts an overridden referral card as a dismissal, under its reason, where the reports count PainPath's", async () => {
    const [card] = await cardsFor(known.referral);
    const before = await dismissedAs("PATIENT_DECLINES");
    const reason = card?.overrideReasons?.find((candidate) => candidate.code === "PATIENT_DECLINES");
    const feedback = {
      feedback: [
        {
          card: card?.uuid,
          outcome: "overridden",
          overrideReason: { reason: { code: reason?.code, system: reason?.system }, userComment: "Prefers to wait." },
          outcomeTimestamp: new Date().toISOString(),
        },
      ],
    };
    expect(feedbackRequestSpec.safeParse(feedback).error).toBeUndefined();
    const response = await post(feedbackUrl(), feedback, await ehr.sign(feedbackUrl()));
    expect(response.status).toBe(200);
    expect(await dismissedAs("PATIENT_DECLINES")).toBe(before + 1);
    expect(await getDb().cdsCard.findUniqueOrThrow({ where: { id: card?.uuid } })).toMatchObject({
      outcome: "OVERRIDDEN",
      overrideReason: "PATIENT_DECLINES",
      patientId: known.referral.id,
    });
    // The physician's flag in PainPath is left as it was.
    expect((await getDb().flag.findUniqueOrThrow({ where: { id: known.referral.flagId } })).status).toBe("OPEN");
  });

  it("records an accepted suggestion on the card without counting it as a referral", async () => {
    const [card] = await cardsFor(known.referral);
    const suggestion = card?.suggestions?.[0];
    const response = await post(
      feedbackUrl(),
      {
        feedback: [
          {
            card: card?.uuid,
            outcome: "accepted",
            acceptedSuggestions: [{ id: suggestion?.uuid }],
            outcomeTimestamp: new Date().toISOString(),
          },
        ],
      },
      await ehr.sign(feedbackUrl()),
    );
    expect(response.status).toBe(200);
    expect((await getDb().cdsCard.findUniqueOrThrow({ where: { id: card?.uuid } })).outcome).toBe("ACCEPTED");
    const referred = (await loadReferralReport(reportRange(), clinicTimeZone(), ["funnel"])).flagOutcomes.filter(
      (row) => row.outcome === "REFERRED",
    );
    expect(referred).toEqual([]);
  });

  it("ignores feedback on a card that was never returned to this EHR, and audits it as refused", async () => {
    const before = await dismissedAs("OTHER");
    const response = await post(
      feedbackUrl(),
      { feedback: [{ card: randomUUID(), outcome: "overridden", outcomeTimestamp: new Date().toISOString() }] },
      await ehr.sign(feedbackUrl()),
    );
    expect(response.status).toBe(200);
    expect(await dismissedAs("OTHER")).toBe(before);
    const [event] = await getDb().auditEvent.findMany({
      where: { action: "cds.feedback" },
      orderBy: { id: "desc" },
      take: 1,
    });
    expect(event?.outcome).toBe("denied");
  });

  it("needs a signed JWT for its own address", async () => {
    const response = await post(feedbackUrl(), { feedback: [] }, await ehr.sign(serviceUrl()));
    expect(response.status).toBe(401);
  });
});
