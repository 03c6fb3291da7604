import type { AppLoadContext } from "@remix-run/node";
import type { CdsIssuerCreateInput } from "~/domain/cds/issuer-forms";
import { Prisma } from "~/generated/prisma/client";
import { getDb } from "~/server/db.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { ConcurrentEditError } from "./record-revision.server";
import { violatesUniqueIndex } from "./unique-violation.server";

/** The EHRs trusted to call the CDS Hooks service, as the administrator's settings page manages them. */

export class IssuerNotFoundError extends Error {}

export class DuplicateIssuerError extends Error {
  constructor() {
    super("This issuer is already trusted: edit it instead.");
  }
}

const ISSUER_FIELDS = {
  id: true,
  label: true,
  issuer: true,
  jwksUrl: true,
  jwks: true,
  mrnSystem: true,
  active: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

export function listCdsIssuers() {
  return getDb().cdsIssuer.findMany({ select: ISSUER_FIELDS, orderBy: [{ active: "desc" }, { label: "asc" }] });
}

export function getCdsIssuer(id: string) {
  return getDb().cdsIssuer.findUnique({ where: { id }, select: ISSUER_FIELDS });
}

type IssuerFields = Omit<CdsIssuerCreateInput, "intent">;

function storedFields(input: IssuerFields) {
  return {
    label: input.label,
    issuer: input.issuer,
    jwksUrl: input.jwksUrl ?? null,
    jwks: input.jwks ? (JSON.parse(input.jwks) as Prisma.InputJsonValue) : undefined,
    mrnSystem: input.mrnSystem ?? null,
  };
}

function refuseDuplicate(error: unknown): never {
  if (violatesUniqueIndex(error, ["CdsIssuer_issuer_key"])) throw new DuplicateIssuerError();
  throw error;
}

export async function createCdsIssuer(input: IssuerFields, actor: AuditActor, context: AppLoadContext) {
  return getDb()
    .$transaction(async (tx) => {
      const created = await tx.cdsIssuer.create({
        data: { ...storedFields(input), createdById: actor.id },
        select: { id: true },
      });
      await recordAudit(
        context,
        {
          action: "cds_issuer.create",
          actor,
          entityType: "CdsIssuer",
          entityId: created.id,
          detail: { issuer: input.issuer, keys: input.jwksUrl ? "address" : "inline" },
        },
        tx,
      );
      return created.id;
    })
    .catch(refuseDuplicate);
}

/**
 * One administrator's change to one issuer: refused when someone changed it since the form was
 * opened (`version`), applied only where id and version still match, audited in the same transaction.
 */
async function changeIssuer(
  id: string,
  expectedVersion: number,
  data: Prisma.CdsIssuerUpdateManyMutationInput,
  audit: { action: string; detail?: Prisma.InputJsonValue },
  actor: AuditActor,
  context: AppLoadContext,
) {
  await getDb()
    .$transaction(async (tx) => {
      const current = await tx.cdsIssuer.findUnique({ where: { id }, select: ISSUER_FIELDS });
      if (!current) throw new IssuerNotFoundError();
      const { version, jwks, ...shown } = current;
      const conflict = { ...shown, jwks: jwks === null ? "" : JSON.stringify(jwks) };
      if (version !== expectedVersion) throw new ConcurrentEditError(conflict);
      const { count } = await tx.cdsIssuer.updateMany({
        where: { id, version: expectedVersion },
        data: { ...data, version: { increment: 1 } },
      });
      if (count === 0) throw new ConcurrentEditError(conflict);
      await recordAudit(context, { ...audit, actor, entityType: "CdsIssuer", entityId: id }, tx);
    })
    .catch(refuseDuplicate);
}

export function updateCdsIssuer(
  id: string,
  input: IssuerFields & { version: number },
  actor: AuditActor,
  context: AppLoadContext,
) {
  const fields = storedFields(input);
  return changeIssuer(
    id,
    input.version,
    { ...fields, jwks: fields.jwks ?? Prisma.DbNull },
    { action: "cds_issuer.update", detail: { issuer: input.issuer, keys: input.jwksUrl ? "address" : "inline" } },
    actor,
    context,
  );
}

export function setCdsIssuerActive(
  id: string,
  input: { version: number; active: boolean },
  actor: AuditActor,
  context: AppLoadContext,
) {
  return changeIssuer(
    id,
    input.version,
    { active: input.active },
    { action: input.active ? "cds_issuer.reactivate" : "cds_issuer.deactivate" },
    actor,
    context,
  );
}
