import type { AppLoadContext } from "@remix-run/node";
import type { IsoDate } from "~/domain/iso-date";
import { DEFAULT_RULE_SET, withParameterChanges, type RuleSet } from "~/domain/referral/rule-set";
import { RETIRED_BUILT_IN_VERSIONS, retiredBuiltInRuleSet } from "~/domain/referral/retired-rule-sets";
import { expandEvaluation, type StoredEvaluation } from "~/domain/referral/stored-evaluation";
import { parseRetiredRuleSet, parseStoredRuleSet, ruleSetDifferences } from "~/domain/referral/stored-rule-set";
import type { DiagnosisEvaluation } from "~/domain/referral/types";
import { draftChanges, draftErrors, type RuleSetDraftInput } from "~/domain/rule-set-forms";
import type { Prisma } from "~/generated/prisma/client";
import type { RuleSetStatus } from "~/generated/prisma/enums";
import { getDb, type Db, type Tx } from "~/server/db.server";
import { logger } from "~/server/logger.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { userNames } from "./user-names.server";

export interface ActiveRuleSet {
  ruleSet: RuleSet;
  /** The stored RuleSetVersion row, or null while the code's DEFAULT_RULE_SET is in force. */
  id: string | null;
}

// A stored version never changes once active, so its parsed form can be kept while it stays active.
let parsed: { id: string; ruleSet: RuleSet } | undefined;

/**
 * The rule set in force: the ACTIVE stored version, or the code's default while none is. One
 * indexed query per call tells which version that is, so every app instance follows an activation
 * at once; the JSON is read and validated only when the version changes. Pass the transaction of a
 * write so its evaluation and its choice of rule set see the same moment.
 */
export async function loadActiveRuleSet(db: Db | Tx = getDb()): Promise<ActiveRuleSet> {
  const active = await db.ruleSetVersion.findMany({
    where: { status: "ACTIVE" },
    select: { id: true, version: true },
    take: 2,
  });
  const [current, other] = active;
  if (!current) return { ruleSet: DEFAULT_RULE_SET, id: null };
  if (other) throw new Error(`Rule-set versions ${current.version} and ${other.version} are both ACTIVE.`);
  if (parsed?.id === current.id) return parsed;
  const row = await db.ruleSetVersion.findUniqueOrThrow({ where: { id: current.id }, select: { ruleSet: true } });
  try {
    const ruleSet = parseStoredRuleSet(row.ruleSet, current.version);
    if (ruleSet.version !== current.version) {
      throw new Error(`Stored rule set ${current.version} names itself ${ruleSet.version}.`);
    }
    parsed = { id: current.id, ruleSet };
    return parsed;
  } catch (error) {
    logger.error({ err: error, ruleSetVersion: current.version }, "The active rule set cannot be used");
    throw error;
  }
}

/** The rule set every evaluation uses now (see `loadActiveRuleSet`). */
export async function getActiveRuleSet(db: Db | Tx = getDb()): Promise<RuleSet> {
  return (await loadActiveRuleSet(db)).ruleSet;
}

const byVersion = new Map<string, RuleSet>();

/** The rule set of a given version, to show a stored evaluation: versions never change once made. */
export async function getRuleSetByVersion(version: string): Promise<RuleSet> {
  if (version === DEFAULT_RULE_SET.version) return DEFAULT_RULE_SET;
  const cached = byVersion.get(version);
  if (cached) return cached;
  const retired = retiredBuiltInRuleSet(version);
  if (retired) {
    byVersion.set(version, retired);
    return retired;
  }
  const row = await getDb().ruleSetVersion.findUniqueOrThrow({
    where: { version },
    select: { ruleSet: true, status: true },
  });
  const ruleSet = readStoredRuleSet(row.ruleSet, row.status, version);
  byVersion.set(version, ruleSet);
  return ruleSet;
}

/** A stored evaluation with everything its rule-set version holds put back. */
export async function expandStoredEvaluation(result: unknown): Promise<DiagnosisEvaluation> {
  const stored = result as StoredEvaluation;
  return expandEvaluation(stored, await getRuleSetByVersion(stored.ruleSetVersion));
}

export interface RuleSetVersionRow {
  id: string;
  version: string;
  basedOn: string;
  status: RuleSetStatus;
  reason: string;
  createdBy: string;
  createdAt: string;
  activatedBy: string | null;
  activatedAt: string | null;
}

/** Every stored version, newest first, with who made and activated it. */
export async function listRuleSetVersions(): Promise<RuleSetVersionRow[]> {
  const rows = await getDb().ruleSetVersion.findMany({
    select: {
      id: true,
      version: true,
      basedOn: true,
      status: true,
      reason: true,
      createdById: true,
      createdAt: true,
      activatedById: true,
      activatedAt: true,
    },
    orderBy: { createdAt: "desc" },
  });
  const names = await userNames(
    rows.flatMap((row) => [row.createdById, ...(row.activatedById ? [row.activatedById] : [])]),
  );
  return rows.map(({ createdById, activatedById, ...row }) => ({
    ...row,
    createdBy: names.get(createdById) ?? "unknown user",
    createdAt: row.createdAt.toISOString(),
    activatedBy: activatedById ? (names.get(activatedById) ?? "unknown user") : null,
    activatedAt: row.activatedAt?.toISOString() ?? null,
  }));
}

/** One stored version with its rule set, validated as on activation; null when there is none. */
export async function getRuleSetVersion(id: string) {
  const row = await getDb().ruleSetVersion.findUnique({ where: { id } });
  if (!row) return null;
  const names = await userNames([row.createdById, ...(row.activatedById ? [row.activatedById] : [])]);
  return {
    id: row.id,
    version: row.version,
    basedOn: row.basedOn,
    status: row.status,
    reason: row.reason,
    createdBy: names.get(row.createdById) ?? "unknown user",
    createdAt: row.createdAt.toISOString(),
    activatedBy: row.activatedById ? (names.get(row.activatedById) ?? "unknown user") : null,
    activatedAt: row.activatedAt?.toISOString() ?? null,
    ruleSet: readStoredRuleSet(row.ruleSet, row.status, row.version),
  };
}

/** A version that may still run must fit this release's rules; a retired one is only shown. */
function readStoredRuleSet(value: unknown, status: RuleSetStatus, version: string): RuleSet {
  return status === "RETIRED" ? parseRetiredRuleSet(value, version) : parseStoredRuleSet(value, version);
}

/** Every name a new version may not take: the stored ones and the code's default. */
export async function takenVersionNames(): Promise<string[]> {
  const rows = await getDb().ruleSetVersion.findMany({ select: { version: true } });
  return [DEFAULT_RULE_SET.version, ...RETIRED_BUILT_IN_VERSIONS, ...rows.map((row) => row.version)];
}

/** Nothing was saved: messages for the form's fields and for the form as a whole. */
export class RuleSetRefusedError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly fieldErrors: Record<string, string[]>,
    readonly formErrors: string[],
  ) {
    super([...formErrors, ...Object.values(fieldErrors).flat()].join(" "));
    this.name = "RuleSetRefusedError";
  }
}

const refuse = (status: 400 | 404 | 409, message: string, field?: string) =>
  new RuleSetRefusedError(status, field ? { [field]: [message] } : {}, field ? [] : [message]);

/**
 * Saves a new DRAFT version: the active rule set with the submitted thresholds, each checked against
 * its safe bounds by `withParameterChanges`. An existing version is never edited.
 */
export async function createRuleSetDraft(
  input: RuleSetDraftInput,
  actor: AuditActor,
  context: AppLoadContext,
  today: IsoDate,
): Promise<{ id: string }> {
  const { ruleSet: base } = await loadActiveRuleSet();
  if (input.basedOn !== base.version) {
    throw refuse(
      409,
      `The active rule set is now ${base.version} (the form showed ${input.basedOn}). Nothing was saved: ` +
        "reload the form to start from the active values.",
    );
  }
  if ((await takenVersionNames()).some((name) => name.toLowerCase() === input.version.toLowerCase())) {
    throw refuse(400, `Version ${input.version} already exists: choose a new name.`, "version");
  }
  const releasedOn = today > base.releasedOn ? today : base.releasedOn;
  const changed = withParameterChanges(base, draftChanges(base, input.parameters), input.version, releasedOn);
  if (!changed.ok) {
    const { fieldErrors, formErrors } = draftErrors(base, changed.errors);
    throw new RuleSetRefusedError(400, fieldErrors, formErrors);
  }
  try {
    return await getDb().$transaction(async (tx) => {
      const draft = await tx.ruleSetVersion.create({
        data: {
          version: input.version,
          basedOn: base.version,
          status: "DRAFT",
          ruleSet: changed.ruleSet as unknown as Prisma.InputJsonValue,
          reason: input.reason,
          createdById: actor.id,
        },
        select: { id: true },
      });
      await recordAudit(
        context,
        {
          action: "rules.draft_create",
          actor,
          entityType: "RuleSetVersion",
          entityId: draft.id,
          detail: {
            version: input.version,
            basedOn: base.version,
            reason: input.reason,
            changes: ruleSetDifferences(base, changed.ruleSet).map(({ ruleId, parameter, from, to }) => ({
              ruleId,
              parameter,
              from,
              to,
            })),
          },
        },
        tx,
      );
      return draft;
    });
  } catch (error) {
    // Two administrators choosing the same new name at once: the unique index decides.
    if ((error as { code?: string }).code === "P2002") {
      throw refuse(400, `Version ${input.version} already exists: choose a new name.`, "version");
    }
    throw error;
  }
}

// Any fixed number: activations queue on it, whichever versions they concern.
const ACTIVATION_LOCK = 734_020_061;

/**
 * Makes a draft the ACTIVE version and retires the one it replaces, in one transaction. Activations
 * are serialised by an advisory lock and everything is re-read after it, so two administrators
 * activating at once end with exactly one ACTIVE version: the second is refused, because its draft
 * was based on a version that is no longer active (or is itself no longer a draft).
 */
export async function activateRuleSetVersion(id: string, actor: AuditActor, context: AppLoadContext) {
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ACTIVATION_LOCK})`;
    const target = await tx.ruleSetVersion.findUnique({ where: { id } });
    if (!target) throw refuse(404, "There is no such rule-set version.");
    if (target.status !== "DRAFT") {
      throw refuse(409, `Version ${target.version} is ${target.status.toLowerCase()}: only a draft can be activated.`);
    }
    const current = await loadActiveRuleSet(tx);
    if (target.basedOn !== current.ruleSet.version) {
      throw refuse(
        409,
        `This draft was made from ${target.basedOn}, but ${current.ruleSet.version} is active now: activating it ` +
          `would undo ${current.ruleSet.version}'s changes. Make a new draft from the active rule set instead.`,
      );
    }
    const ruleSet = parseStoredRuleSet(target.ruleSet, target.version);
    if (current.id) await tx.ruleSetVersion.update({ where: { id: current.id }, data: { status: "RETIRED" } });
    await tx.ruleSetVersion.update({
      where: { id },
      data: { status: "ACTIVE", activatedById: actor.id, activatedAt: new Date() },
    });
    await recordAudit(
      context,
      {
        action: "rules.activate",
        actor,
        entityType: "RuleSetVersion",
        entityId: id,
        detail: { version: target.version, previous: current.ruleSet.version },
      },
      tx,
    );
    return { id, ruleSet, previous: current.ruleSet.version };
  });
}

/** The id of the ACTIVE stored version (null: the code's default), read cheaply. */
export async function activeRuleSetVersionId(db: Db | Tx = getDb()): Promise<string | null> {
  const row = await db.ruleSetVersion.findFirst({ where: { status: "ACTIVE" }, select: { id: true } });
  return row?.id ?? null;
}
