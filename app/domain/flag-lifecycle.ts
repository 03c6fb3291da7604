import type { IsoDate } from "./iso-date";
import type { FlagStatus } from "~/generated/prisma/enums";

/** What an evaluation says about one diagnosis, reduced to what the flag lifecycle needs. */
export interface FlagSignal {
  flag: boolean;
  urgent: boolean;
  metCriteria: string[];
  /** Latest valid average pain, the "worse score" that re-opens a dismissed flag. */
  latestPain: number | null;
}

export interface StoredFlag {
  status: FlagStatus;
  urgent: boolean;
  snoozedUntil: IsoDate | null;
  /** What the physician saw when they dismissed or snoozed the flag. */
  actedMetCriteria: string[];
  actedPain: number | null;
}

export type FlagChange =
  { kind: "none" } | { kind: "raise" } | { kind: "update" } | { kind: "transition"; to: FlagStatus; reason: string };

/**
 * How a new evaluation moves a diagnosis's standing flag (domain.md, flag lifecycle): raised when
 * the record first suggests a referral; resolved when it no longer does; a dismissed or snoozed
 * flag comes back when the evidence changes materially (a new criterion met, a worse score, a red
 * flag) or the snooze ends. A referred flag stays with its referral.
 */
export function nextFlagChange(stored: StoredFlag | null, signal: FlagSignal, today: IsoDate): FlagChange {
  if (!stored) return signal.flag ? { kind: "raise" } : { kind: "none" };
  switch (stored.status) {
    case "REFERRED":
      return { kind: "update" };
    case "RESOLVED":
      if (!signal.flag) return { kind: "none" };
      // Resolved by a completed referral: only new evidence brings it back, as after a dismissal.
      if (stored.actedMetCriteria.length > 0) return materialChange(stored, signal) ?? { kind: "update" };
      return { kind: "transition", to: "OPEN", reason: "The record suggests a referral again." };
    case "OPEN":
    case "ACKNOWLEDGED":
      return signal.flag
        ? { kind: "update" }
        : { kind: "transition", to: "RESOLVED", reason: "The record no longer suggests a referral." };
    case "SNOOZED":
      if (!signal.flag)
        return { kind: "transition", to: "RESOLVED", reason: "The record no longer suggests a referral." };
      if (stored.snoozedUntil !== null && stored.snoozedUntil <= today) {
        return { kind: "transition", to: "OPEN", reason: "The snooze ended." };
      }
      return materialChange(stored, signal) ?? { kind: "update" };
    case "DISMISSED":
      return signal.flag ? (materialChange(stored, signal) ?? { kind: "update" }) : { kind: "update" };
  }
}

function materialChange(stored: StoredFlag, signal: FlagSignal): FlagChange | null {
  if (signal.urgent && !stored.urgent) return { kind: "transition", to: "OPEN", reason: "A red flag was recorded." };
  const added = signal.metCriteria.filter((criterion) => !stored.actedMetCriteria.includes(criterion));
  if (added.length > 0) return { kind: "transition", to: "OPEN", reason: `New criterion met: ${added.join(", ")}.` };
  if (signal.latestPain !== null && stored.actedPain !== null && signal.latestPain > stored.actedPain) {
    return {
      kind: "transition",
      to: "OPEN",
      reason: `Pain worsened from ${stored.actedPain} to ${signal.latestPain}.`,
    };
  }
  return null;
}

/** The flags a physician can act on, and what each action may start from. */
export const FLAG_ACTIONS = {
  acknowledge: { from: ["OPEN"], to: "ACKNOWLEDGED" },
  dismiss: { from: ["OPEN", "ACKNOWLEDGED", "SNOOZED"], to: "DISMISSED" },
  snooze: { from: ["OPEN", "ACKNOWLEDGED"], to: "SNOOZED" },
  refer: { from: ["OPEN", "ACKNOWLEDGED", "SNOOZED", "DISMISSED"], to: "REFERRED" },
} as const satisfies Record<string, { from: readonly FlagStatus[]; to: FlagStatus }>;

export type FlagAction = keyof typeof FLAG_ACTIONS;

export function canTakeFlagAction(status: FlagStatus, action: FlagAction): boolean {
  return (FLAG_ACTIONS[action].from as readonly FlagStatus[]).includes(status);
}
