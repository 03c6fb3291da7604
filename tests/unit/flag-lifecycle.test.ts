import { describe, expect, it } from "vitest";
import {
  canTakeFlagAction,
  type FlagSignal,
  nextFlagChange,
  RED_FLAG_OUTCOMES,
  type StoredFlag,
} from "~/domain/flag-lifecycle";

const TODAY = "2026-06-01";

const stored = (overrides: Partial<StoredFlag> = {}): StoredFlag => ({
  status: "DISMISSED",
  urgent: false,
  snoozedUntil: null,
  actedMetCriteria: ["GEN-PERSIST"],
  actedScores: { painNrs: 7, peg: 7, odi: 48 },
  ...overrides,
});

const signal = (latestScores: FlagSignal["latestScores"], overrides: Partial<FlagSignal> = {}): FlagSignal => ({
  flag: true,
  urgent: false,
  metCriteria: ["GEN-PERSIST"],
  latestScores,
  ...overrides,
});

describe("a dismissed or snoozed flag comes back on a clinically important worsening only (IMMPACT 2008; Ostelo 2008)", () => {
  it.each<{ case: string; scores: FlagSignal["latestScores"]; reopens: boolean }>([
    { case: "ODI 48 → 60 (+12 points), pain unchanged", scores: { painNrs: 7, peg: 7, odi: 60 }, reopens: true },
    { case: "ODI 48 → 57 (+9 points)", scores: { painNrs: 7, peg: 7, odi: 57 }, reopens: false },
    {
      case: "pain 7 → 8 (+1 point, below the 2-point difference)",
      scores: { painNrs: 8, peg: 7, odi: 48 },
      reopens: false,
    },
    { case: "pain 7 → 9 (+2 points)", scores: { painNrs: 9, peg: 7, odi: 48 }, reopens: true },
    { case: "PEG 7 → 9.1 (+30 %)", scores: { painNrs: 7, peg: 9.1, odi: 48 }, reopens: true },
    { case: "PEG 7 → 9 (+28.6 %)", scores: { painNrs: 7, peg: 9, odi: 48 }, reopens: false },
    { case: "everything better", scores: { painNrs: 4, peg: 4, odi: 30 }, reopens: false },
  ])("$case → re-opens: $reopens", ({ scores, reopens }) => {
    for (const status of ["DISMISSED", "SNOOZED"] as const) {
      const change = nextFlagChange(
        stored({ status, snoozedUntil: status === "SNOOZED" ? "2026-07-01" : null }),
        signal(scores),
        TODAY,
      );
      expect(change.kind, status).toBe(reopens ? "transition" : "update");
      if (reopens) expect(change).toMatchObject({ to: "OPEN", reason: expect.stringMatching(/worsened/) });
    }
  });

  it("compares a scale only when the physician saw a score on it", () => {
    const change = nextFlagChange(stored({ actedScores: { painNrs: 7 } }), signal({ painNrs: 7, ndi: 60 }), TODAY);
    expect(change.kind).toBe("update");
  });
});

describe("a red flag cannot be snoozed, dismissed or referred; it is closed by recording what was done (AHCPR 1994)", () => {
  it.each(["dismiss", "snooze", "refer"] as const)("refuses %s", (action) => {
    expect(canTakeFlagAction("OPEN", action, true)).toBe(false);
    expect(canTakeFlagAction("ACKNOWLEDGED", action, true)).toBe(false);
  });

  it("allows acknowledging and closing it, and closing only it", () => {
    expect(canTakeFlagAction("OPEN", "acknowledge", true)).toBe(true);
    expect(canTakeFlagAction("ACKNOWLEDGED", "close", true)).toBe(true);
    expect(canTakeFlagAction("OPEN", "close", false)).toBe(false);
    expect(canTakeFlagAction("OPEN", "dismiss", false)).toBe(true);
  });

  it("offers the outcomes of an urgent evaluation, emergency department first", () => {
    expect(Object.keys(RED_FLAG_OUTCOMES)[0]).toBe("SENT_TO_EMERGENCY_DEPARTMENT");
  });

  it("stays closed while the red flag is recorded; once it is cleared, a routine flag comes back", () => {
    const closed = stored({ status: "RESOLVED", urgent: true, actedMetCriteria: [] });
    expect(nextFlagChange(closed, signal({}, { urgent: true, metCriteria: [] }), TODAY).kind).toBe("update");
    expect(nextFlagChange(closed, signal({}, { urgent: false }), TODAY)).toMatchObject({
      kind: "transition",
      to: "OPEN",
    });
  });
});
