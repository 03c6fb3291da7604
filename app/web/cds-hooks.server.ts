import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import type * as z from "zod";
import { asDismissReason, planCards, type DiagnosisFinding } from "~/domain/cds/cards";
import { ehrIdentity, evaluateEhrRecord } from "~/domain/cds/ehr-record";
import {
  feedbackRequestSchema,
  filledPrefetchQueries,
  hookRequestSchema,
  PATIENT_VIEW_SERVICE_ID,
  PREFETCH_KEYS,
  type HookRequest,
  type PrefetchKey,
} from "~/domain/cds/service";
import { recordAudit } from "~/models/audit.server";
import {
  findPatientByMrnAndBirthDate,
  loadPatientFindings,
  recordFeedback,
  recordIssuedCards,
} from "~/models/cds.server";
import { getActiveRuleSet } from "~/models/rule-set.server";
import { clinicToday } from "~/server/clinic-time.server";
import {
  BodyTooLargeError,
  CDS_MAX_BODY_BYTES,
  FHIR_FETCH_TIMEOUT_MS,
  FhirFetchError,
  readCapped,
  readFhir,
} from "~/server/fhir-client.server";
import { logger } from "~/server/logger.server";
import type { CdsCaller } from "./cds-auth.server";
import { publicOrigin } from "./cds-auth.server";

/** The request's JSON, validated; 413, 415 or 400 otherwise. */
export async function readCdsJson<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.infer<Schema>> {
  if (!/^application\/json\b/i.test(request.headers.get("Content-Type") ?? "")) {
    throw Response.json({ error: "Send the request as application/json." }, { status: 415 });
  }
  let text: string;
  try {
    text = await readCapped(request, CDS_MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw Response.json({ error: "The request is too large." }, { status: 413 });
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw Response.json({ error: "The request body is not JSON." }, { status: 400 });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // Paths only: a message could quote the request's patient data back into logs or answers.
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(body)"))];
    throw Response.json({ error: `These fields are missing or not valid: ${fields.join(", ")}.` }, { status: 400 });
  }
  return parsed.data as z.infer<Schema>;
}

/** A prefetch key the client filled with `null` had no data (2.0 §Prefetch Template): an empty result. */
const EMPTY_SEARCHSET = { resourceType: "Bundle", type: "searchset", entry: [] };

/**
 * The prefetched data of these keys; what the client did not send is read from its FHIR server.
 * Throws 412 when something needed cannot be had (2.0 §HTTP Status Codes).
 */
async function prefetched(
  call: HookRequest,
  keys: readonly PrefetchKey[],
  already: Partial<Record<PrefetchKey, unknown>> = {},
): Promise<Partial<Record<PrefetchKey, unknown>>> {
  const given = { ...call.prefetch, ...already };
  const missing = keys.filter((key) => !(key in given));
  const result: Partial<Record<PrefetchKey, unknown>> = {};
  for (const key of keys) {
    if (key in given) result[key] = given[key] ?? (key === "patient" ? null : EMPTY_SEARCHSET);
  }
  if (missing.length === 0) return result;
  if (!call.fhirServer) {
    throw Response.json(
      { error: `Prefetch ${missing.join(", ")} missing and no fhirServer to read it from.` },
      { status: 412 },
    );
  }
  const queries = filledPrefetchQueries(call.context.patientId);
  const access = {
    fhirServer: call.fhirServer,
    accessToken: call.fhirAuthorization?.access_token,
    signal: AbortSignal.timeout(FHIR_FETCH_TIMEOUT_MS),
  };
  try {
    const fetched = await Promise.all(missing.map((key) => readFhir(access, queries[key])));
    missing.forEach((key, index) => (result[key] = fetched[index]));
  } catch (error) {
    if (!(error instanceof FhirFetchError)) throw error;
    throw Response.json({ error: `The EHR's FHIR server could not be read: ${error.message}` }, { status: 412 });
  }
  return result;
}

export interface PatientViewAnswer {
  cards: ReturnType<typeof planCards>[number]["card"][];
}

/**
 * The patient-view hook: PainPath's own standing for a patient it follows (MRN and birth date of
 * the EHR's Patient), otherwise the engine run over the EHR's prefetch. Audited like a patient read.
 */
export async function answerPatientView(
  request: Request,
  context: AppLoadContext,
  caller: CdsCaller,
): Promise<PatientViewAnswer> {
  const call = await readCdsJson(request, hookRequestSchema);
  const today = clinicToday();
  const { patient } = await prefetched(call, ["patient"]);
  const identity = ehrIdentity(patient, caller.issuer.mrnSystem);
  const patientId = identity ? await findPatientByMrnAndBirthDate(identity.mrn, identity.birthDate) : null;

  let findings: DiagnosisFinding[];
  if (patientId) {
    findings = await loadPatientFindings(patientId, today);
  } else {
    const record = await prefetched(call, PREFETCH_KEYS, { patient });
    const evaluated = evaluateEhrRecord(
      { patient: record.patient, bundles: PREFETCH_KEYS.filter((key) => key !== "patient").map((key) => record[key]) },
      { fhirPatientId: call.context.patientId, fhirServer: call.fhirServer, today, ruleSet: await getActiveRuleSet() },
    );
    if (!evaluated) {
      throw Response.json(
        { error: "The EHR's Patient could not be read (a Patient with a full birth date is needed)." },
        { status: 412 },
      );
    }
    findings = evaluated;
  }
  const plans = planCards(findings, { origin: publicOrigin(request), patientId, newId: randomUUID });
  await recordIssuedCards(plans, {
    issuerId: caller.issuer.id,
    serviceId: PATIENT_VIEW_SERVICE_ID,
    hookInstance: call.hookInstance,
    patientId,
  });
  await recordAudit(context, {
    action: patientId ? "patient.view" : "cds.patient_view",
    entityType: "CdsIssuer",
    entityId: caller.issuer.id,
    patientId: patientId ?? undefined,
    detail: {
      via: "cds-hooks",
      hookInstance: call.hookInstance,
      ehrUser: call.context.userId,
      ...(patientId ? {} : { ehrPatientId: call.context.patientId }),
      diagnosesEvaluated: findings.length,
      cards: plans.map((plan) => ({ uuid: plan.card.uuid, kind: plan.kind })),
    },
  });
  logger.info(
    { requestId: context.requestId, known: patientId !== null, cards: plans.length },
    "CDS Hooks patient-view",
  );
  return { cards: plans.map((plan) => plan.card) };
}

/**
 * Feedback on cards (2.0 §Feedback): each outcome is recorded on the card; an override of a
 * referral card counts as a dismissal of the flag episode it showed (decision 014). Only the
 * issuer a card was returned to may report on it. One audit row per card, like a flag action.
 */
export async function recordCdsFeedback(
  request: Request,
  context: AppLoadContext,
  caller: CdsCaller,
  serviceId: string,
) {
  const { feedback } = await readCdsJson(request, feedbackRequestSchema);
  const result = await recordFeedback(
    caller.issuer.id,
    serviceId,
    feedback.map((item) => ({
      card: item.card,
      outcome: item.outcome,
      overrideReason: asDismissReason(item.overrideReason?.reason?.code),
      outcomeAt: new Date(item.outcomeTimestamp),
    })),
  );
  for (const recorded of result.recorded) {
    await recordAudit(context, {
      action: "cds.feedback",
      entityType: "CdsCard",
      entityId: recorded.card,
      patientId: recorded.patientId ?? undefined,
      detail: {
        issuerId: caller.issuer.id,
        outcome: feedback.find((item) => item.card.toLowerCase() === recorded.card)?.outcome ?? null,
        countedAsDismissal: recorded.countedAsDismissal,
      },
    });
  }
  if (result.unknown.length > 0) {
    await recordAudit(context, {
      action: "cds.feedback",
      outcome: "denied",
      entityType: "CdsIssuer",
      entityId: caller.issuer.id,
      detail: { reason: "card-not-issued-to-this-client", cards: result.unknown.slice(0, 20) },
    });
  }
}
