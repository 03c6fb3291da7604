import type { CardPlan, DiagnosisFinding } from "~/domain/cds/cards";
import { fromIsoDate, type IsoDate } from "~/domain/iso-date";
import type { CdsCardKind, DismissReason } from "~/generated/prisma/enums";
import type { Selectable } from "kysely";
import type { DB } from "~/generated/kysely/types";
import { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/server/db.server";
import { expandStoredEvaluation } from "./rule-set.server";

/**
 * Storage of the CDS Hooks service: the trusted issuers it reads, the JWT ids it has seen, the
 * cards it returned and the feedback on them (decisions 013 and 014).
 */

// These statements stay SQL for now; their row types are taken from the generated table types
// (docs/decisions/020-typed-sql.md).
export type TrustedIssuer = Pick<
  Selectable<DB["CdsIssuer"]>,
  "id" | "issuer" | "jwksUrl" | "jwks" | "mrnSystem" | "version"
>;
type Diagnosis = Selectable<DB["PainDiagnosis"]>;
type Flag = Selectable<DB["Flag"]>;

/** The active issuer with this `iss`, or null: a token from any other issuer is refused. */
export async function findTrustedIssuer(iss: string): Promise<TrustedIssuer | null> {
  // Plain SQL: on every call, the ORM would compile the query each time.
  const [row] = await getDb().$queryRaw<TrustedIssuer[]>`
    SELECT id::text, issuer, "jwksUrl", jwks, "mrnSystem", version
      FROM "CdsIssuer" WHERE issuer = ${iss} AND active`;
  return row ?? null;
}

/**
 * Takes a JWT id for its issuer until the token expires. False when it was taken before: a replay.
 * One INSERT … ON CONFLICT, so two instances given the same token at once cannot both accept it.
 */
export async function takeTokenId(issuer: string, jti: string, expiresAt: Date): Promise<boolean> {
  const taken = await getDb().$executeRaw`
    INSERT INTO "CdsTokenUse" (issuer, jti, "expiresAt") VALUES (${issuer}, ${jti}, ${expiresAt})
    ON CONFLICT DO NOTHING`;
  return taken === 1;
}

/** Expired ids can never be replayed (their token is refused as expired), so they are dropped. */
export async function purgeExpiredTokenIds(before: Date): Promise<number> {
  return getDb().$executeRaw`DELETE FROM "CdsTokenUse" WHERE "expiresAt" < ${before}`;
}

/**
 * The PainPath patient with one of these MRNs and this birth date. Both must agree: an MRN typed
 * into the wrong facility's system must never show another person's pathway in the EHR.
 */
export async function findPatientByMrnAndBirthDate(mrn: string, birthDate: IsoDate): Promise<string | null> {
  const [row] = await getDb().$queryRaw<Array<Pick<Selectable<DB["Patient"]>, "id">>>`
    SELECT id::text FROM "Patient" WHERE mrn = ${mrn} AND "birthDate" = ${fromIsoDate(birthDate)}::date`;
  return row?.id ?? null;
}

/**
 * The patient's current evaluation of every diagnosis, with the flag that stands on it today (open,
 * acknowledged, or snoozed until a date now past) and the flag's latest episode.
 */
export async function loadPatientFindings(patientId: string, today: IsoDate): Promise<DiagnosisFinding[]> {
  const rows = await getDb().$queryRaw<
    Array<{
      diagnosisId: Diagnosis["id"];
      label: Diagnosis["label"];
      icd10Code: Diagnosis["icd10Code"];
      result: Selectable<DB["Evaluation"]>["result"];
      flagId: Flag["id"] | null;
      flagSummary: Flag["summary"] | null;
      urgent: Flag["urgent"] | null;
      /** A bigint id, sent as text. */
      raiseEventId: string | null;
    }>
  >`
    SELECT d.id::text AS "diagnosisId", d.label, d."icd10Code", e.result,
           f.id::text AS "flagId", f.summary AS "flagSummary", f.urgent,
           (SELECT max(ep."raiseEventId")::text FROM "FlagEpisode" ep WHERE ep."flagId" = f.id) AS "raiseEventId"
      FROM "Evaluation" e
      JOIN "PainDiagnosis" d ON d.id = e."diagnosisId" AND d."enteredInErrorAt" IS NULL
      LEFT JOIN "Flag" f ON f."diagnosisId" = d.id
            AND (f.status IN ('OPEN', 'ACKNOWLEDGED')
                 OR (f.status = 'SNOOZED' AND f."snoozedUntil" <= ${fromIsoDate(today)}::date))
     WHERE e."patientId" = ${patientId}::uuid AND e.current
     ORDER BY d."createdAt", d.id`;
  return Promise.all(
    rows.map(async (row) => ({
      diagnosis: { id: row.diagnosisId, label: row.label, icd10Code: row.icd10Code },
      evaluation: await expandStoredEvaluation(row.result),
      flag:
        row.flagId === null
          ? null
          : {
              id: row.flagId,
              summary: row.flagSummary ?? "",
              urgent: row.urgent ?? false,
              raiseEventId: row.raiseEventId,
            },
    })),
  );
}

/** The cards returned to an issuer, so that feedback can name them. One INSERT for all. */
export async function recordIssuedCards(
  plans: readonly CardPlan[],
  call: { issuerId: string; serviceId: string; hookInstance: string; patientId: string | null },
) {
  if (plans.length === 0) return;
  const values = plans.map(
    (plan) => Prisma.sql`(${plan.card.uuid}::uuid, ${call.issuerId}::uuid, ${call.serviceId}, ${call.hookInstance},
      ${plan.kind}::"CdsCardKind", ${call.patientId}::uuid, ${plan.flagId}::uuid, ${plan.raiseEventId}::bigint,
      ${plan.metCriteria}::text[])`,
  );
  await getDb().$executeRaw`
    INSERT INTO "CdsCard" (id, "issuerId", "serviceId", "hookInstance", kind, "patientId", "flagId", "raiseEventId", "metCriteria")
    VALUES ${Prisma.join(values)}`;
}

export interface FeedbackItem {
  card: string;
  outcome: "accepted" | "overridden";
  /** A PainPath dismiss reason, OTHER for any other, null when the clinician gave none. */
  overrideReason: DismissReason | null;
  outcomeAt: Date;
}

export interface FeedbackResult {
  /** Cards this issuer was given, with their kind and PainPath patient. */
  recorded: Array<{ card: string; kind: CdsCardKind; patientId: string | null; countedAsDismissal: boolean }>;
  /** Card ids this issuer was never given (or that are not uuids). */
  unknown: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Records the outcome of cards an issuer was given. An override of a referral card that showed a
 * flag episode also dismisses that episode in the reports' read model (FlagEpisode), under the
 * reason given, exactly as a dismissal in PainPath does; the flag itself stays as it is for the
 * physician in PainPath (decision 014). All in one transaction.
 */
export async function recordFeedback(issuerId: string, serviceId: string, items: readonly FeedbackItem[]) {
  const ids = items.map((item) => item.card).filter((id) => UUID.test(id));
  return getDb().$transaction(async (tx): Promise<FeedbackResult> => {
    const cards = await tx.cdsCard.findMany({
      where: { id: { in: ids }, issuerId, serviceId },
      select: { id: true, kind: true, patientId: true, raiseEventId: true },
    });
    const byId = new Map(cards.map((card) => [card.id, card]));
    const result: FeedbackResult = { recorded: [], unknown: [] };
    for (const item of items) {
      const card = byId.get(item.card.toLowerCase());
      if (!card) {
        result.unknown.push(item.card);
        continue;
      }
      const overridden = item.outcome === "overridden";
      await tx.cdsCard.update({
        where: { id: card.id },
        data: {
          outcome: overridden ? "OVERRIDDEN" : "ACCEPTED",
          overrideReason: overridden ? (item.overrideReason ?? "OTHER") : null,
          outcomeAt: item.outcomeAt,
          feedbackAt: new Date(),
        },
      });
      const countedAsDismissal = overridden && card.kind === "REFERRAL" && card.raiseEventId !== null;
      if (countedAsDismissal) {
        await tx.$executeRaw`
          UPDATE "FlagEpisode" SET dismissed = true, "lastDismissReason" = ${item.overrideReason ?? "OTHER"}
           WHERE "raiseEventId" = ${card.raiseEventId}`;
      }
      result.recorded.push({ card: card.id, kind: card.kind, patientId: card.patientId, countedAsDismissal });
    }
    return result;
  });
}
