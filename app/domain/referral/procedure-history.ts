/** Procedure history as the procedure rules read it: relief on the same scale, rolling counters. */
import { percentChange } from "~/domain/clinical/scores";
import type { BodyRegion, ProcedureType } from "~/generated/prisma/enums";
import { type Check, met, notMet, unknown } from "./criterion";
import { counterEvidence, PROCEDURE_ABBREVIATIONS, regionLabel, type Relief } from "./evidence";
import { type Diagnosis, type Procedure, type SnapshotIndex, windowStart } from "./snapshot-index";
import type { Caution, Evidence } from "./types";

/** LCD caps count sessions in a rolling 12 months: the 365 days up to and including the evaluation date. */
const ROLLING_YEAR_DAYS = 365;

/**
 * Relief from pain before and after on the same scale when both are recorded (the LCDs' same-scale
 * rule), otherwise the bare recorded percentage, which the evidence then labels as such.
 */
export function reliefOf(procedure: Procedure): Relief | null {
  const { painBefore, painAfter, reliefPercent } = procedure;
  if (painBefore !== null && painAfter !== null && painBefore > 0) {
    const change = percentChange(painBefore, painAfter) as number;
    return { percent: -change, scores: `pain ${painBefore} → ${painAfter}` };
  }
  return reliefPercent === null ? null : { percent: reliefPercent, scores: null };
}

/**
 * A diagnosis's procedures of some types, oldest first: linked to it, or unlinked and in its region
 * (in any region for devices such as SCS, whose leads sit in the spine whatever the painful region).
 */
export function historyOf(
  index: SnapshotIndex,
  diagnosis: Diagnosis,
  types: readonly ProcedureType[],
  { anyRegion = false }: { anyRegion?: boolean } = {},
): Procedure[] {
  return index.procedures.filter(
    (procedure) =>
      types.includes(procedure.type) &&
      (procedure.diagnosisId === diagnosis.id ||
        (procedure.diagnosisId === null && (anyRegion || procedure.region === diagnosis.bodyRegion))),
  );
}

export interface RegionCounter {
  count: number;
  check: Check;
  evidence: Evidence;
}

/** Sessions of some types in one region in the rolling 12 months, against a cap (whatever the diagnosis). */
export function regionCounter(
  index: SnapshotIndex,
  region: BodyRegion,
  types: readonly ProcedureType[],
  cap: number,
): RegionCounter {
  const since = windowStart(index, ROLLING_YEAR_DAYS - 1);
  let count = 0;
  let last: Procedure | undefined;
  for (const procedure of index.procedures) {
    if (procedure.region !== region || !types.includes(procedure.type)) continue;
    last = procedure;
    if (procedure.performedOn >= since) count++;
  }
  const what = `${types.map((type) => PROCEDURE_ABBREVIATIONS[type]).join(" or ")} sessions in the ${regionLabel(region)}`;
  const counted = `${count} of at most ${cap} ${what} in the last 12 months`;
  return {
    count,
    check: count >= cap ? notMet(`${counted}: the limit is reached`) : met(counted),
    evidence: counterEvidence(`${counted}${last ? `; last on ${last.performedOn}` : "; none recorded"}`),
  };
}

export interface ReliefThreshold {
  percent: number;
  /** Null when the rule sets no duration. */
  days: number | null;
  /** How the threshold reads: "at least" or "more than". */
  strictlyAbove?: boolean;
}

/** Did this procedure give the required relief, for long enough? Unknown when it was not recorded. */
export function reliefCheck(procedure: Procedure, threshold: ReliefThreshold): Check {
  const name = `${PROCEDURE_ABBREVIATIONS[procedure.type]} of ${procedure.performedOn}`;
  const relief = reliefOf(procedure);
  if (!relief)
    return unknown(`relief after the ${name} is not recorded`, [`Relief after the ${name} (pain before and after)`]);
  const required = `${threshold.strictlyAbove ? "more than" : "at least"} ${threshold.percent} %`;
  const enough = threshold.strictlyAbove ? relief.percent > threshold.percent : relief.percent >= threshold.percent;
  if (!enough) return notMet(`the ${name} gave ${relief.percent} % relief (needs ${required})`);
  if (threshold.days === null) return met(`the ${name} gave ${relief.percent} % relief (${required})`);
  const lasted = procedure.reliefDurationDays;
  if (lasted === null) {
    return unknown(`how long relief lasted after the ${name} is not recorded`, [
      `How long relief lasted after the ${name}`,
    ]);
  }
  if (lasted < threshold.days) {
    return notMet(`the ${name} gave ${relief.percent} % relief for ${lasted} days (needs ${threshold.days} days)`);
  }
  return met(`the ${name} gave ${relief.percent} % relief for ${lasted} days`);
}

/** The LCDs treat a bare "% relief" as insufficient: say so when a deciding procedure has no before/after scores. */
export function percentOnlyCaution(procedures: readonly Procedure[], source: string): Caution[] {
  if (!procedures.some((procedure) => reliefOf(procedure)?.scores === null)) return [];
  return [
    {
      code: "RELIEF_PERCENT_ONLY",
      message: "Relief recorded as a bare percentage: record pain before and after on the same named scale.",
      source: `${source} (same-scale rule)`,
    },
  ];
}
