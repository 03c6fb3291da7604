import { clinicallyImportantWorsening, OUTCOME_MEASURES, type OutcomeMeasure } from "./clinical/scores";
import type { IsoDate } from "./iso-date";
import type { BodyRegion, FlagStatus } from "~/generated/prisma/enums";
import { disabilityIndexFor } from "./referral/criteria/prerequisites";

/** The latest score on each scale the criteria use for a diagnosis (pain, PEG, and ODI or NDI). */
export type FlagScores = Partial<Record<OutcomeMeasure, number>>;

/** What an evaluation says about one diagnosis, reduced to what the flag lifecycle needs. */
export interface FlagSignal {
  flag: boolean;
  urgent: boolean;
  metCriteria: string[];
  /** An important worsening of any of these re-opens a dismissed or snoozed flag. */
  latestScores: FlagScores;
}

export interface StoredFlag {
  status: FlagStatus;
  urgent: boolean;
  snoozedUntil: IsoDate | null;
  /** What the physician saw when they dismissed or snoozed the flag. */
  actedMetCriteria: string[];
  actedScores: FlagScores | null;
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
      // A red flag closed by recording what was done stays closed while it is recorded.
      if (stored.urgent && signal.urgent) return materialChange(stored, signal) ?? { kind: "update" };
      if (stored.urgent)
        return { kind: "transition", to: "OPEN", reason: "The red flag was cleared; the record suggests a referral." };
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
  // Any scale the criteria use, by its clinically important difference (IMMPACT 2008; Ostelo 2008).
  for (const [measure, before] of Object.entries(stored.actedScores ?? {}) as Array<[OutcomeMeasure, number]>) {
    const now = signal.latestScores[measure];
    if (now !== undefined && clinicallyImportantWorsening(measure, before, now)) {
      return {
        kind: "transition",
        to: "OPEN",
        reason: `${OUTCOME_MEASURES[measure].label} worsened from ${before} to ${now}, a clinically important change.`,
      };
    }
  }
  return null;
}

/**
 * The flags a physician can act on, what each action may start from, and whether it is for routine
 * flags or red flags. A red flag is never snoozed, dismissed or referred for a procedure: it is
 * closed only by recording what was done, with a note (AHCPR 1994: urgent evaluation).
 */
export const FLAG_ACTIONS = {
  acknowledge: { from: ["OPEN"], to: "ACKNOWLEDGED", for: "both" },
  dismiss: { from: ["OPEN", "ACKNOWLEDGED", "SNOOZED"], to: "DISMISSED", for: "routine" },
  snooze: { from: ["OPEN", "ACKNOWLEDGED"], to: "SNOOZED", for: "routine" },
  refer: { from: ["OPEN", "ACKNOWLEDGED", "SNOOZED", "DISMISSED"], to: "REFERRED", for: "routine" },
  close: { from: ["OPEN", "ACKNOWLEDGED"], to: "RESOLVED", for: "urgent" },
} as const satisfies Record<
  string,
  { from: readonly FlagStatus[]; to: FlagStatus; for: "routine" | "urgent" | "both" }
>;

export type FlagAction = keyof typeof FLAG_ACTIONS;

export function canTakeFlagAction(status: FlagStatus, action: FlagAction, urgent: boolean): boolean {
  const { from, for: kind } = FLAG_ACTIONS[action];
  return (
    (kind === "both" || kind === (urgent ? "urgent" : "routine")) && (from as readonly FlagStatus[]).includes(status)
  );
}

/** What was done about a red flag: the only way to close one. */
export const RED_FLAG_OUTCOMES = {
  SENT_TO_EMERGENCY_DEPARTMENT: "Sent to the emergency department",
  URGENT_IMAGING: "Urgent imaging arranged",
  URGENT_SPECIALIST_REFERRAL: "Urgent specialist referral",
  EVALUATED_NOT_CONFIRMED: "Evaluated: red flag not confirmed",
  OTHER: "Other (described in the note)",
} as const;

export type RedFlagOutcome = keyof typeof RED_FLAG_OUTCOMES;

interface ScoredAssessment {
  date: IsoDate;
  recordedAt?: string;
  painAverage: number | null;
  pegScore: number | null;
  odiPercent: number | null;
  ndiPercent: number | null;
  enteredInError: boolean;
}

/** The latest valid score on each scale the criteria read for a diagnosis in this region. */
export function latestFlagScores(assessments: readonly ScoredAssessment[], region: BodyRegion): FlagScores {
  const disability = disabilityIndexFor(region);
  const scores: FlagScores = {};
  const valid = assessments
    .filter((assessment) => !assessment.enteredInError)
    .sort((a, b) =>
      a.date === b.date ? (a.recordedAt ?? "").localeCompare(b.recordedAt ?? "") : a.date < b.date ? -1 : 1,
    );
  for (const assessment of valid) {
    if (assessment.painAverage !== null) scores.painNrs = assessment.painAverage;
    if (assessment.pegScore !== null) scores.peg = assessment.pegScore;
    const value = disability === "odi" ? assessment.odiPercent : disability === "ndi" ? assessment.ndiPercent : null;
    if (disability && value !== null) scores[disability] = value;
  }
  return scores;
}
