import type { AppLoadContext } from "@remix-run/node";
import * as z from "zod";
import type { IsoDate } from "~/domain/iso-date";
import { evaluatePatient } from "~/domain/referral/engine";
import type { RuleSet } from "~/domain/referral/rule-set";
import type { CriterionResult, DiagnosisEvaluation } from "~/domain/referral/types";
import { clinicToday } from "~/server/clinic-time.server";
import type { Prisma } from "~/generated/prisma/client";
import { getDb, type Db } from "~/server/db.server";
import { recordAudit, type AuditActor } from "./audit.server";
import { patientIdBatches } from "./evaluation.server";
import { getActiveRuleSet } from "./rule-set.server";
import { loadSnapshots } from "./snapshot.server";

export const IMPACT_SAMPLE_SIZE = 10;

/**
 * The replay runs in the server process: between every few patients it lets other requests run,
 * since a whole batch evaluated in one go would hold up every request for a few hundred ms.
 */
const PATIENTS_PER_YIELD = 10;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The criteria whose results decide the flag (with the chronic-duration gate and red flags). */
const FLAG_CRITERIA = ["GEN-PERSIST", "GEN-SIDE-EFFECTS", "GEN-FUNCTION"];

export interface ImpactSample {
  patientId: string;
  diagnosisId: string;
  /** e.g. "GEN-FUNCTION: not met → met". */
  criteria: string[];
}

export interface RuleSetImpact {
  ruleSetVersion: string;
  /** The rule set in force when the impact was computed. */
  baselineVersion: string;
  evaluatedOn: IsoDate;
  patients: number;
  diagnoses: number;
  /** Diagnoses (of active patients) whose stored evaluation is not flagged and the draft's would be. */
  gained: number;
  lost: number;
  gainedPatients: number;
  lostPatients: number;
  /**
   * Of `gained` and `lost`: those the baseline rule set would change too, replayed today, because the
   * record or the calendar moved since the stored evaluation. The rest are the draft's doing.
   */
  gainedAnyway: number;
  lostAnyway: number;
  /** Up to IMPACT_SAMPLE_SIZE each, of changes that are the draft's doing. */
  samples: { gained: ImpactSample[]; lost: ImpactSample[] };
}

const STATUS_WORDS: Record<CriterionResult["status"], string> = {
  met: "met",
  "not-met": "not met",
  "not-enough-data": "not enough data",
};

/** What the draft changed in one diagnosis's result: the flag criteria first, else any criterion. */
export function changedCriteria(before: DiagnosisEvaluation, after: DiagnosisEvaluation): string[] {
  const statusBefore = new Map(before.criteria.map((criterion) => [criterion.ruleId, criterion.status]));
  const changes = after.criteria.flatMap((criterion) => {
    const previous = statusBefore.get(criterion.ruleId);
    return previous && previous !== criterion.status
      ? [
          {
            ruleId: criterion.ruleId,
            line: `${criterion.ruleId}: ${STATUS_WORDS[previous]} → ${STATUS_WORDS[criterion.status]}`,
          },
        ]
      : [];
  });
  const decisive = changes.filter((change) => FLAG_CRITERIA.includes(change.ruleId));
  const lines = (decisive.length > 0 ? decisive : changes).map((change) => change.line);
  return lines.length > 0 ? lines : ["GEN-PERSIST chronic duration (pain now counts as chronic or no longer does)"];
}

/**
 * Replays a rule set over every patient's current record, in batches of `batchSize` patients (one
 * query per table per batch), and compares each diagnosis's flag with its stored current evaluation.
 * Reads only: nothing is written. Discharged patients are left out, since they hold no open flag.
 */
export async function computeRuleSetImpact(
  db: Db,
  draft: RuleSet,
  options: {
    batchSize?: number;
    today?: IsoDate;
    baseline?: RuleSet;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<RuleSetImpact> {
  const batchSize = options.batchSize ?? 100;
  const today = options.today ?? clinicToday();
  const baseline = options.baseline ?? (await getActiveRuleSet(db));
  const total = await db.patient.count();
  const impact: RuleSetImpact = {
    ruleSetVersion: draft.version,
    baselineVersion: baseline.version,
    evaluatedOn: today,
    patients: 0,
    diagnoses: 0,
    gained: 0,
    lost: 0,
    gainedPatients: 0,
    lostPatients: 0,
    gainedAnyway: 0,
    lostAnyway: 0,
    samples: { gained: [], lost: [] },
  };
  for await (const ids of patientIdBatches(db, batchSize)) {
    const [loaded, stored] = await Promise.all([
      loadSnapshots(db, ids, today),
      db.evaluation.findMany({
        where: { patientId: { in: ids }, current: true },
        select: { diagnosisId: true, flagged: true },
      }),
    ]);
    const storedFlag = new Map(stored.map((row) => [row.diagnosisId, row.flagged]));

    for (const [position, { snapshot }] of loaded.entries()) {
      if (position > 0 && position % PATIENTS_PER_YIELD === 0) await yieldToEventLoop();
      impact.patients += 1;
      if (snapshot.patient.status !== "ACTIVE") continue;
      let gainedHere = false;
      let lostHere = false;
      let baselineResults: Map<string, DiagnosisEvaluation> | undefined;
      for (const evaluation of evaluatePatient(snapshot, draft)) {
        impact.diagnoses += 1;
        const was = storedFlag.get(evaluation.diagnosisId) ?? false;
        if (was === evaluation.flag) continue;
        // Only changed patients are replayed with the baseline too: a few percent of the work.
        baselineResults ??= new Map(evaluatePatient(snapshot, baseline).map((result) => [result.diagnosisId, result]));
        const before = baselineResults.get(evaluation.diagnosisId);
        const anyway = before?.flag === evaluation.flag;
        const kind = evaluation.flag ? "gained" : "lost";
        if (kind === "gained") {
          impact.gained += 1;
          if (anyway) impact.gainedAnyway += 1;
          gainedHere = true;
        } else {
          impact.lost += 1;
          if (anyway) impact.lostAnyway += 1;
          lostHere = true;
        }
        if (!anyway && before && impact.samples[kind].length < IMPACT_SAMPLE_SIZE) {
          impact.samples[kind].push({
            patientId: snapshot.patient.id,
            diagnosisId: evaluation.diagnosisId,
            criteria: changedCriteria(before, evaluation),
          });
        }
      }
      if (gainedHere) impact.gainedPatients += 1;
      if (lostHere) impact.lostPatients += 1;
    }
    options.onProgress?.(impact.patients, total);
  }
  return impact;
}

const sampleSchema = z.object({ patientId: z.string(), diagnosisId: z.string(), criteria: z.array(z.string()) });
const storedImpactSchema = z.object({
  ruleSetVersion: z.string(),
  baselineVersion: z.string(),
  evaluatedOn: z.string(),
  patients: z.number(),
  diagnoses: z.number(),
  gained: z.number(),
  lost: z.number(),
  gainedPatients: z.number(),
  lostPatients: z.number(),
  gainedAnyway: z.number(),
  lostAnyway: z.number(),
  samples: z.object({ gained: z.array(sampleSchema), lost: z.array(sampleSchema) }),
  durationMs: z.number(),
});

/**
 * The finished impact is kept as the detail of an audit event (`rules.impact_computed`): who asked
 * and when, append-only, and readable by every app instance. Samples hold ids, never names.
 */
export async function recordImpact(
  context: AppLoadContext,
  actor: AuditActor,
  versionId: string,
  impact: RuleSetImpact,
  durationMs: number,
) {
  const detail: z.input<typeof storedImpactSchema> = { ...impact, durationMs };
  await recordAudit(context, {
    action: "rules.impact_computed",
    actor,
    entityType: "RuleSetVersion",
    entityId: versionId,
    detail: detail as unknown as Prisma.InputJsonValue,
  });
}

export interface ImpactSampleView {
  patientId: string;
  mrn: string;
  diagnosis: string;
  criteria: string[];
}

/** The latest computed impact of a version, with the samples' MRN and diagnosis; null if none. */
export async function latestImpact(versionId: string) {
  const db = getDb();
  const event = await db.auditEvent.findFirst({
    where: { action: "rules.impact_computed", entityType: "RuleSetVersion", entityId: versionId },
    orderBy: { id: "desc" },
    select: { at: true, userId: true, detail: true },
  });
  const parsed = event && storedImpactSchema.safeParse(event.detail);
  if (!event || !parsed?.success) return null;
  const { samples, ...counts } = parsed.data;
  const all = [...samples.gained, ...samples.lost];
  const [diagnoses, patients, user] = await Promise.all([
    db.painDiagnosis.findMany({
      where: { id: { in: all.map((sample) => sample.diagnosisId) } },
      select: { id: true, icd10Code: true, label: true },
    }),
    db.patient.findMany({
      where: { id: { in: all.map((sample) => sample.patientId) } },
      select: { id: true, mrn: true },
    }),
    event.userId ? db.user.findUnique({ where: { id: event.userId }, select: { name: true } }) : null,
  ]);
  const diagnosisById = new Map(diagnoses.map((diagnosis) => [diagnosis.id, diagnosis]));
  const mrnById = new Map(patients.map((patient) => [patient.id, patient.mrn]));
  const view = (sample: ImpactSample): ImpactSampleView => {
    const diagnosis = diagnosisById.get(sample.diagnosisId);
    return {
      patientId: sample.patientId,
      mrn: mrnById.get(sample.patientId) ?? "unknown",
      diagnosis: diagnosis ? `${diagnosis.icd10Code} ${diagnosis.label}` : "unknown",
      criteria: sample.criteria,
    };
  };
  return {
    ...counts,
    computedAt: event.at.toISOString(),
    computedBy: user?.name ?? "unknown user",
    samples: { gained: samples.gained.map(view), lost: samples.lost.map(view) },
  };
}
