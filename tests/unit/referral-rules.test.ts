import { describe, expect, it } from "vitest";
import {
  DEFAULT_RULE_SET,
  describeRule,
  type ParameterChange,
  type Rule,
  type RuleSet,
  withParameterChanges,
} from "~/domain/referral/rule-set";
import {
  AXIAL_LUMBAR,
  KNEE_OA,
  NEUROPATHY,
  POST_LAMINECTOMY,
  SHOULDER,
  type Assessment,
  type Diagnosis,
  type Patient,
  type Procedure,
  type Therapy,
  ago,
  assessment,
  changed,
  criterion,
  diagnosis,
  evaluation,
  expectStatus,
  longerCare,
  persisting,
  procedure,
  scoresFor,
  snapshot,
  status,
  therapy,
  twoFailedTrials,
} from "../helpers/referral-snapshot";
import { evaluateDiagnosis } from "~/domain/referral/engine";
import type { PatientSnapshot } from "~/domain/referral/types";

// ---------------------------------------------------------------------------------------------------

describe("the rule set as data", () => {
  const rules: Rule[] = Object.values(DEFAULT_RULE_SET.rules);

  it("has unique ids, a statement, a source and a revision for every rule", () => {
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.version).toBeGreaterThanOrEqual(1);
      expect(rule.statement.length).toBeGreaterThan(40);
      expect(rule.source).not.toBe("");
      expect(rule.revision).not.toBe("");
    }
  });

  it("keeps every value inside its own safe bounds, with at least one source", () => {
    for (const rule of rules) {
      for (const [name, parameter] of Object.entries<Rule["parameters"][string]>(rule.parameters)) {
        expect(parameter.min, `${rule.id}.${name}`).toBeLessThanOrEqual(parameter.value);
        expect(parameter.value, `${rule.id}.${name}`).toBeLessThanOrEqual(parameter.max);
        expect(parameter.sources.length, `${rule.id}.${name}`).toBeGreaterThan(0);
      }
    }
  });

  it("resolves every {parameter} in every statement", () => {
    for (const rule of rules) expect(describeRule(rule), rule.id).not.toMatch(/\{\w+\}/);
    expect(describeRule(DEFAULT_RULE_SET.rules.epidural)).toContain("≥ 50 % relief for ≥ 90 days");
  });

  it("is frozen", () => {
    expect(Object.isFrozen(DEFAULT_RULE_SET.rules.facetDiagnostic.parameters.positiveBlockReliefPercent)).toBe(true);
  });
});

describe("withParameterChanges", () => {
  const change = { ruleId: "FACET-MBB", parameter: "positiveBlockReliefPercent", value: 50 };

  it("returns a new version with the changed rule's version bumped, leaving the original alone", () => {
    const result = withParameterChanges(DEFAULT_RULE_SET, [change], "2026.3", "2026-12-07");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ruleSet.version).toBe("2026.3");
    expect(result.ruleSet.releasedOn).toBe("2026-12-07");
    expect(result.ruleSet.rules.facetDiagnostic.parameters.positiveBlockReliefPercent.value).toBe(50);
    expect(result.ruleSet.rules.facetDiagnostic.version).toBe(3);
    expect(result.ruleSet.rules.epidural).toBe(DEFAULT_RULE_SET.rules.epidural);
    expect(DEFAULT_RULE_SET.rules.facetDiagnostic.parameters.positiveBlockReliefPercent.value).toBe(80);
    expect(DEFAULT_RULE_SET.rules.facetDiagnostic.version).toBe(2);
  });

  it.each<{ case: string; changes: ParameterChange[]; version?: string; releasedOn?: string; error: string }>([
    { case: "below the minimum", changes: [{ ...change, value: 49 }], error: "outside the safe range 50–100 %" },
    { case: "above the maximum", changes: [{ ...change, value: 101 }], error: "outside the safe range 50–100 %" },
    {
      case: "a laxer ESI cap than the LCD",
      changes: [{ ruleId: "ESI", parameter: "maxPerYear", value: 5 }],
      error: "outside the safe range 1–4",
    },
    {
      case: "a fraction of a day",
      changes: [{ ruleId: "ESI", parameter: "retryMinDays", value: 14.5 }],
      error: "whole number",
    },
    { case: "not a number", changes: [{ ...change, value: Number.NaN }], error: "is not a number" },
    { case: "an unknown rule", changes: [{ ...change, ruleId: "NOPE" }], error: "NOPE: no such rule" },
    {
      case: "an unknown parameter",
      changes: [{ ...change, parameter: "nope" }],
      error: "FACET-MBB.nope: no such parameter",
    },
    { case: "the same parameter twice", changes: [change, { ...change, value: 60 }], error: "changed more than once" },
    { case: "no change at all", changes: [{ ...change, value: 80 }], error: "already 80" },
    { case: "an empty list", changes: [], error: "No parameter changes" },
    { case: "the current version", changes: [change], version: "2026.2", error: "must be new" },
    {
      case: "a release date before the current one",
      changes: [change],
      releasedOn: "2025-01-01",
      error: "on or after",
    },
    { case: "a malformed release date", changes: [change], releasedOn: "1 Dec", error: "on or after" },
  ])("refuses $case", ({ changes, version = "2026.3", releasedOn = "2026-12-07", error }) => {
    const result = withParameterChanges(DEFAULT_RULE_SET, changes, version, releasedOn);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join(" ")).toContain(error);
  });

  it("accepts both bounds exactly", () => {
    for (const value of [50, 100]) {
      expect(withParameterChanges(DEFAULT_RULE_SET, [{ ...change, value }], "2026.3", "2026-12-07").ok).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// General criteria

describe("GEN-PERSIST: pain persists despite medication and therapy", () => {
  it("is met after two failed modalities with unchanged scores", () => {
    const result = criterion(snapshot(persisting()), "GEN-PERSIST");
    expect(result.status).toBe("met");
    expect(result.explanation).toMatch(/^Average pain 7\/10 \(PEG 7\) on 2026-05-22 after 2 failed/);
    expect(result.evidence.map((line) => line.id)).toEqual(["d1", "nsaid-85", "physical_therapy-50", "a10", "a86"]);
  });

  it.each([
    ["2026-03-02", "2 months 30 days", "not-met"],
    ["2026-03-01", "exactly 3 months", "not-met"],
    ["2026-02-28", "3 months 4 days", "met"],
  ] as const)("chronic means more than 3 months: onset %s (%s) → %s", (onsetDate, _, expected) => {
    expectStatus(
      snapshot({ ...persisting(), diagnoses: [diagnosis({ onsetDate })] }),
      "GEN-PERSIST",
      expected,
      "not yet chronic",
    );
  });

  it.each([
    [27, "not-met"],
    [28, "met"],
    [29, "met"],
  ] as const)("an adequate medication trial is 28 days: %i days → %s", (days, expected) => {
    const s = snapshot({
      therapies: [therapy("NSAID", 85, 85 - days), therapy("PHYSICAL_THERAPY", 50, 5)],
      assessments: scoresFor([86, 60, 51, 10]),
    });
    expectStatus(s, "GEN-PERSIST", expected, "1 conservative modality");
  });

  it.each([
    [41, "not-met"],
    [42, "met"],
    [43, "met"],
  ] as const)("an adequate home exercise trial is 42 days: %i days → %s", (days, expected) => {
    const s = snapshot({
      therapies: [therapy("NSAID", 85, 50), therapy("HOME_EXERCISE", 50, 50 - days)],
      assessments: scoresFor([86, 51, 8]),
    });
    expectStatus(s, "GEN-PERSIST", expected, "1 conservative modality");
  });

  it.each([
    [5, "not-met"],
    [6, "met"],
    [7, "met"],
  ] as const)("…or 6 sessions attended (20 days): %i sessions → %s", (sessionsAttended, expected) => {
    const s = snapshot({
      therapies: [therapy("NSAID", 85, 50), therapy("PHYSICAL_THERAPY", 50, 30, { sessionsAttended })],
      assessments: scoresFor([86, 51, 40, 10]),
    });
    expectStatus(s, "GEN-PERSIST", expected, "1 conservative modality");
  });

  it.each<{ case: string; therapies: Therapy[]; expected: string }>([
    { case: "one modality", therapies: [therapy("NSAID", 85, 50)], expected: "not-met" },
    {
      case: "two trials of the same modality",
      therapies: [therapy("NSAID", 85, 50), therapy("NSAID", 50, 5, { id: "ibuprofen" })],
      expected: "not-met",
    },
    { case: "two modalities", therapies: twoFailedTrials(), expected: "met" },
    {
      case: "a medication stopped for side effects after 10 days counts as not tolerated",
      therapies: [therapy("NSAID", 85, 75, { stopReason: "SIDE_EFFECTS" }), therapy("PHYSICAL_THERAPY", 50, 5)],
      expected: "met",
    },
    {
      case: "a medication stopped early for another reason does not count",
      therapies: [therapy("NSAID", 85, 75, { stopReason: "PATIENT_CHOICE" }), therapy("PHYSICAL_THERAPY", 50, 5)],
      expected: "not-met",
    },
  ])("needs two failed modalities: $case → $expected", ({ therapies, expected }) => {
    expectStatus(
      snapshot({ therapies, assessments: scoresFor([86, 80, 51, 10]) }),
      "GEN-PERSIST",
      expected,
      "1 conservative modality",
    );
  });

  it("does not count a trial that brought a clinically important improvement", () => {
    const s = snapshot({
      therapies: twoFailedTrials(),
      assessments: [assessment(86, { painAverage: 8 }), assessment(51, { painAverage: 5 }), assessment(10)],
    });
    const result = criterion(s, "GEN-PERSIST");
    expect(result.status).toBe("not-met");
    expect(result.explanation).toContain("1 conservative modality has had an adequate trial");
  });

  it.each<[pain: number, peg: number, expected: string]>([
    [3, 3.9, "not-met"],
    [4, 3, "met"],
    [3, 4, "met"],
    [5, 5, "met"],
  ])("average pain %i or PEG %d must be at least 4 → %s", (painAverage, pegScore, expected) => {
    const s = snapshot({
      therapies: twoFailedTrials(),
      assessments: scoresFor([86, 51, 10], { painAverage, pegScore }),
    });
    expectStatus(s, "GEN-PERSIST", expected, "are below 4 and 4");
  });

  it.each([
    [89, "met"],
    [90, "met"],
    [91, "not-enough-data"],
  ] as const)("scores count for 90 days: latest %i days ago → %s", (latest, expected) => {
    const s = snapshot({
      therapies: [therapy("NSAID", 200, 160), therapy("PHYSICAL_THERAPY", 160, 110)],
      assessments: scoresFor([201, 161, 120, latest]),
    });
    const result = criterion(s, "GEN-PERSIST");
    expect(result.status).toBe(expected);
    expect(result.missing).toEqual(expected === "met" ? [] : ["A pain and PEG score (none in the last 90 days)"]);
  });

  it.each<[latest: Parameters<typeof assessment>[1], expected: string]>([
    [{ painAverage: 6, pegScore: 8 }, "not-met"],
    [{ painAverage: 7, pegScore: 8 }, "met"],
    [{ painAverage: 8, pegScore: 5.6 }, "not-met"],
    [{ painAverage: 8, pegScore: 5.7 }, "met"],
  ])("no clinically important improvement from the first score (8/10, PEG 8): latest %o → %s", (latest, expected) => {
    const s = snapshot({
      therapies: [therapy("NSAID", 85, 50), therapy("PHYSICAL_THERAPY", 50, 20, { sessionsAttended: 6 })],
      assessments: [...scoresFor([86, 51, 30], { painAverage: 8 }), assessment(10, latest)],
    });
    expectStatus(s, "GEN-PERSIST", expected, "a clinically important improvement");
  });

  it("needs data when there is a single score and nothing to compare it with", () => {
    const result = criterion(snapshot({ therapies: twoFailedTrials(), assessments: [assessment(10)] }), "GEN-PERSIST");
    expect(result.status).toBe("not-enough-data");
    expect(result.missing).toEqual([
      "A follow-up pain and PEG score to compare with the first one",
      `A pain and PEG score before and during the Naproxen trial from ${ago(85)}`,
      `A pain and PEG score before and during the physical therapy trial from ${ago(50)}`,
    ]);
  });

  it("is not met, not unknown, when a recorded fact already fails", () => {
    const s = snapshot({ therapies: [therapy("NSAID", 85, 50)], assessments: [assessment(10)] });
    expect(criterion(s, "GEN-PERSIST")).toMatchObject({ status: "not-met", missing: [] });
  });
});

describe("GEN-SIDE-EFFECTS: medication side effects outweigh benefit", () => {
  const withSideEffect = (severity: Assessment["sideEffects"][number]["severity"], daysAgo = 10) =>
    snapshot({
      therapies: twoFailedTrials(),
      assessments: [...scoresFor([86, 51]), assessment(daysAgo, {}, [{ therapyTrialId: "nsaid-85", severity }])],
    });

  it.each([
    ["NONE", "not-met"],
    ["MILD", "not-met"],
    ["MODERATE", "met"],
    ["SEVERE", "met"],
  ] as const)("%s side effects without important relief → %s", (severity, expected) => {
    expectStatus(
      withSideEffect(severity),
      "GEN-SIDE-EFFECTS",
      expected,
      "No medication with moderate or severe side effects",
    );
  });

  it.each([
    [89, "met"],
    [90, "met"],
    [91, "not-met"],
  ] as const)("side effects count for 90 days: reported %i days ago → %s", (daysAgo, expected) => {
    expectStatus(
      withSideEffect("SEVERE", daysAgo),
      "GEN-SIDE-EFFECTS",
      expected,
      "No medication with moderate or severe side effects",
    );
  });

  it("is met when a medication was stopped for side effects", () => {
    const s = snapshot({
      therapies: [therapy("NSAID", 85, 50, { stopReason: "SIDE_EFFECTS" }), therapy("PHYSICAL_THERAPY", 50, 5)],
      assessments: scoresFor([86, 51, 10]),
    });
    const result = criterion(s, "GEN-SIDE-EFFECTS");
    expect(result.status).toBe("met");
    expect(result.explanation).toContain("stopped for side effects, without a clinically important improvement");
  });

  it("is not met when the medication with side effects brought an important improvement", () => {
    const s = snapshot({
      therapies: twoFailedTrials(),
      assessments: [
        assessment(86, { painAverage: 8 }),
        assessment(51, { painAverage: 5 }, [{ therapyTrialId: "nsaid-85", severity: "MODERATE" }]),
        assessment(10, { painAverage: 5 }),
      ],
    });
    expect(criterion(s, "GEN-SIDE-EFFECTS").explanation).toContain("but it brought a clinically important improvement");
  });

  it("falls back to the change since the first score when the trial itself cannot be measured", () => {
    const gabapentin = therapy("NEUROPATHIC_AGENT", 300, null, { drug: "Gabapentin" });
    const sideEffect = [{ therapyTrialId: gabapentin.id, severity: "MODERATE" as const }];
    const measurable = snapshot({
      therapies: [gabapentin],
      assessments: [assessment(86), assessment(10, {}, sideEffect)],
    });
    expect(status(measurable, "GEN-SIDE-EFFECTS")).toBe("met");

    const single = criterion(
      snapshot({ therapies: [gabapentin], assessments: [assessment(10, {}, sideEffect)] }),
      "GEN-SIDE-EFFECTS",
    );
    expect(single.status).toBe("not-enough-data");
    expect(single.missing).toEqual(["A follow-up pain and PEG score to compare with the first one"]);
  });
});

describe("OPIOID-SAFETY: prompts at ≥ 50 MME/day, never a criterion (CDC 2022 Rec 4–5, 8)", () => {
  const prompts = (s: PatientSnapshot, ruleSet?: RuleSet) =>
    (evaluation(s, ruleSet).prompts ?? []).map((prompt) => prompt.code);

  it.each([
    [24.5, 49, []],
    [25, 50, ["OPIOID_REASSESS", "OFFER_NALOXONE"]],
    [26, 52, ["OPIOID_REASSESS", "OFFER_NALOXONE"]],
  ] as const)("morphine %d mg twice daily (%i MME) → %j", (dose, mme, expected) => {
    const morphine = therapy("OPIOID", 100, null, { drug: "morphine", dose, doseUnit: "mg", frequency: "twice-daily" });
    const s = snapshot({ therapies: [morphine], assessments: scoresFor([101, 10]) });
    expect(prompts(s)).toEqual(expect.arrayContaining([...expected]));
    expect(prompts(s).filter((code) => code !== "CONSERVATIVE_CARE_NOT_EXHAUSTED")).toEqual([...expected]);
    expect(criterion(s, "GEN-SIDE-EFFECTS").status).toBe("not-met");
    if (expected.length > 0) {
      expect(evaluation(s).prompts?.[0]?.message).toContain(
        `Morphine ${dose} mg twice daily = ${mme} mg/day × 1 = ${mme} MME/day (CDC 2022 factors)`,
      );
    }
  });

  it("shows the CDC 2016 value as an alternative, and applies an administrator's change", () => {
    expect(DEFAULT_RULE_SET.rules.opioidSafety.parameters.mmeThreshold.sources).toEqual([
      { source: "CDC 2022 Rec 4–5 (careful reassessment)", value: 50 },
      { source: "CDC 2016 Rec 5 (avoid or justify)", value: 90 },
    ]);
    const morphine = therapy("OPIOID", 100, null, {
      drug: "morphine",
      dose: 26,
      doseUnit: "mg",
      frequency: "twice-daily",
    });
    const s = snapshot({ therapies: [morphine], assessments: scoresFor([101, 10]) });
    const stricter = changed([{ ruleId: "OPIOID-SAFETY", parameter: "mmeThreshold", value: 90 }]);
    expect(prompts(s, stricter)).not.toContain("OPIOID_REASSESS");
  });

  it("prompts only for a diagnosis with an opioid of its own", () => {
    const morphine = therapy("OPIOID", 100, null, {
      diagnosisId: "d2",
      drug: "morphine",
      dose: 40,
      doseUnit: "mg",
      frequency: "twice-daily",
    });
    const s = snapshot({
      diagnoses: [diagnosis(), diagnosis({ id: "d2", ...KNEE_OA })],
      therapies: [morphine],
      assessments: scoresFor([101, 10]),
    });
    expect(prompts(s)).not.toContain("OPIOID_REASSESS");
    expect(evaluateDiagnosis(s, "d2", DEFAULT_RULE_SET)?.prompts?.map((prompt) => prompt.code)).toContain(
      "OPIOID_REASSESS",
    );
  });
});

describe("GEN-FUNCTION: pain limits mobility or quality of life", () => {
  const latest = (scores: Parameters<typeof assessment>[1], dx: Partial<Diagnosis> = {}, daysAgo = 10) =>
    snapshot({ diagnoses: [diagnosis(dx)], assessments: [assessment(daysAgo, scores)] });

  it.each([
    [20, "not-met"],
    [21, "met"],
    [22, "met"],
  ] as const)("ODI ≥ 21 % for a lumbar diagnosis (PEG 3): ODI %i → %s", (odiPercent, expected) => {
    expectStatus(
      latest({ painAverage: 3, pegScore: 3, odiPercent }),
      "GEN-FUNCTION",
      expected,
      "below the function thresholds",
    );
  });

  it.each([
    [29, "not-met"],
    [30, "met"],
    [31, "met"],
  ] as const)("NDI ≥ 30 % for a cervical diagnosis (PEG 3): NDI %i → %s", (ndiPercent, expected) => {
    const s = latest({ painAverage: 3, pegScore: 3, ndiPercent }, { bodyRegion: "CERVICAL", icd10Code: "M54.12" });
    expectStatus(s, "GEN-FUNCTION", expected, "below the function thresholds");
  });

  it.each([
    [3.9, "not-met"],
    [4, "met"],
    [4.1, "met"],
  ] as const)("PEG ≥ 4: PEG %d → %s", (pegScore, expected) => {
    expectStatus(latest({ painAverage: 3, pegScore }), "GEN-FUNCTION", expected, "below the function thresholds");
  });

  it("reads the ODI only for back diagnoses and the NDI only for neck ones", () => {
    expect(status(latest({ pegScore: 3, odiPercent: 60 }, KNEE_OA), "GEN-FUNCTION")).toBe("not-met");
    expect(status(latest({ pegScore: 3, ndiPercent: 60 }), "GEN-FUNCTION")).toBe("not-met");
  });

  it.each([
    ["NONE", "not-met"],
    ["MILD", "not-met"],
    ["MODERATE", "met"],
    ["SEVERE", "met"],
  ] as const)("needs a recorded limitation of at least moderate: %s → %s", (limitation, expected) => {
    expectStatus(latest({ pegScore: 6, limitation }), "GEN-FUNCTION", expected, "Limitation of daily life recorded as");
  });

  it.each([
    [89, "met"],
    [90, "met"],
    [91, "not-enough-data"],
  ] as const)("scores count for 90 days: latest %i days ago → %s", (daysAgo, expected) => {
    const result = criterion(latest({ pegScore: 6 }, {}, daysAgo), "GEN-FUNCTION");
    expect(result.status).toBe(expected);
    if (expected === "not-enough-data") {
      expect(result.explanation).toBe("No function score (PEG, ODI or NDI) in the last 90 days.");
      expect(result.missing).toEqual(["A pain and PEG score (none in the last 90 days)"]);
    }
  });
});

describe("GEN-SURGERY: surgery declined or not an option", () => {
  it.each([
    ["DECLINED_BY_PATIENT", "met"],
    ["NOT_A_CANDIDATE", "met"],
    ["CANDIDATE", "not-met"],
    ["NOT_EVALUATED", "not-enough-data"],
  ] as const)("%s → %s (explicit entry, never inferred)", (surgicalStatus, expected) => {
    expect(status(snapshot({ diagnoses: [diagnosis({ surgicalStatus })] }), "GEN-SURGERY")).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------
// Procedure rules

describe("ESI: epidural steroid injection", () => {
  const esi = (procedures: Procedure[], parts: Parameters<typeof snapshot>[0] = {}) =>
    snapshot({ ...persisting(), procedures, ...parts });
  const ESI = "EPIDURAL_STEROID_INJECTION" as const;

  it("is met for chronic radicular pain after failed conservative care, and suggested with cautions", () => {
    const result = evaluation(esi([]));
    expect(result.criteria.find((c) => c.ruleId === "ESI")?.status).toBe("met");
    expect(result.suggestions).toEqual([expect.objectContaining({ procedure: ESI, ruleId: "ESI" })]);
    expect(result.suggestions[0]?.cautions.map((caution) => caution.code)).toEqual([
      "CONFIRM_IMAGING",
      "COMBINE_WITH_REHAB",
    ]);
  });

  it.each<{ case: string; dx: Partial<Diagnosis>; expected: string }>([
    { case: "radicular pain", dx: {}, expected: "met" },
    { case: "axial pain (non-covered)", dx: AXIAL_LUMBAR, expected: "not-met" },
    { case: "post-laminectomy syndrome", dx: { icd10Code: "M96.1", painType: "AXIAL" }, expected: "met" },
    { case: "cervical radicular pain", dx: { bodyRegion: "CERVICAL", icd10Code: "M54.12" }, expected: "met" },
  ])("indication: $case → $expected", ({ dx, expected }) => {
    expectStatus(esi([], { diagnoses: [diagnosis(dx)] }), "ESI", expected, "not a covered ESI indication");
  });

  it.each([
    [27, "not-met"],
    [28, "met"],
    [29, "met"],
  ] as const)("pain for at least 28 days: %i days → %s", (days, expected) => {
    expectStatus(
      esi([], { diagnoses: [diagnosis({ onsetDate: ago(days) })] }),
      "ESI",
      expected,
      "needs at least 28 days",
    );
  });

  it.each([
    [27, "not-met"],
    [28, "met"],
    [29, "met"],
  ] as const)("at least 28 days of conservative care (not tolerated): %i days → %s", (days, expected) => {
    const s = snapshot({
      therapies: [therapy("NSAID", 40, 40 - days, { stopReason: "SIDE_EFFECTS" })],
      assessments: scoresFor([41, 10]),
    });
    expectStatus(s, "ESI", expected, "Conservative care documented for 27 days");
  });

  it.each([
    [49, "not-met"],
    [50, "met"],
    [51, "met"],
  ] as const)("repeat: previous ESI relief ≥ 50 %%: %i %% → %s", (relief, expected) => {
    const s = esi([procedure(ESI, 300, [10, 2], 120), procedure(ESI, 150, relief, 120)]);
    expectStatus(s, "ESI", expected, "needs at least 50 %");
  });

  it.each([
    [89, "not-met"],
    [90, "met"],
    [91, "met"],
  ] as const)("repeat: relief lasting ≥ 90 days: %i days → %s", (lasted, expected) => {
    const s = esi([procedure(ESI, 300, [10, 2], 120), procedure(ESI, 150, [10, 5], lasted)]);
    expectStatus(s, "ESI", expected, "needs 90 days");
  });

  it("shows every source's repeat-relief window with the active one", () => {
    const days = criterion(esi([]), "ESI").parameters.find((parameter) => parameter.name === "ESI.repeatReliefDays");
    expect(days).toMatchObject({
      value: 90,
      alternatives: [
        { source: "LCD L39240 (3 months)", value: 90 },
        { source: "SIS (2 months) [M]", value: 60 },
        { source: "ASA-cited (2 weeks) [M]", value: 14 },
      ],
    });
    const sis = changed([{ ruleId: "ESI", parameter: "repeatReliefDays", value: 60 }]);
    const s = esi([procedure(ESI, 300, [10, 2], 120), procedure(ESI, 150, [10, 5], 60)]);
    expect(status(s, "ESI", sis)).toBe("met");
  });

  it.each([
    [13, "not-met"],
    [14, "met"],
    [15, "met"],
  ] as const)("one retry ≥ 14 days after a failed first ESI: %i days later → %s", (daysAgo, expected) => {
    const result = evaluation(esi([procedure(ESI, daysAgo, [10, 8], 10)]));
    expect(result.criteria.find((c) => c.ruleId === "ESI")?.status).toBe(expected);
    if (expected === "met") expect(result.suggestions[0]?.cautions.map((c) => c.code)).toContain("ESI_RETRY");
  });

  it("allows no second retry", () => {
    expect(status(esi([procedure(ESI, 100, [10, 8], 10), procedure(ESI, 60, [10, 8], 10)]), "ESI")).toBe("not-met");
  });

  it.each([
    [364, "not-met"],
    [365, "met"],
  ] as const)("at most 4 per region in a rolling 12 months: oldest of 4 was %i days ago → %s", (oldest, expected) => {
    const s = esi([oldest, 250, 150, 100].map((daysAgo) => procedure(ESI, daysAgo, [10, 2], 120)));
    const result = criterion(s, "ESI");
    expect(result.status).toBe(expected);
    expect(result.evidence[0]?.summary).toBe(
      `${expected === "met" ? 3 : 4} of at most 4 ESI sessions in the lumbar spine in the last 12 months; last on ${ago(100)}`,
    );
  });

  it("counts another diagnosis's ESI in the same region toward the cap", () => {
    const others = [300, 250, 150, 100].map((daysAgo) => procedure(ESI, daysAgo, [10, 2], 120, { diagnosisId: "d2" }));
    const s = esi(others, { diagnoses: [diagnosis(), diagnosis({ id: "d2", ...AXIAL_LUMBAR })] });
    expect(criterion(s, "ESI").explanation).toContain("the limit is reached");
  });

  it.each<{ case: string; procedures: Procedure[]; missing: string }>([
    {
      case: "relief not recorded",
      procedures: [procedure(ESI, 100, null)],
      missing: `Relief after the ESI of ${ago(100)} (pain before and after)`,
    },
    {
      case: "relief duration not recorded",
      procedures: [procedure(ESI, 100, [10, 4], null)],
      missing: `How long relief lasted after the ESI of ${ago(100)}`,
    },
  ])("needs data when the previous ESI's $case", ({ procedures, missing }) => {
    const result = criterion(esi(procedures), "ESI");
    expect(result.status).toBe("not-enough-data");
    expect(result.missing).toEqual([missing]);
  });

  it("marks a bare relief percentage with a caution", () => {
    const result = evaluation(esi([procedure(ESI, 300, [10, 2], 120), procedure(ESI, 150, 70, 120)]));
    expect(result.suggestions[0]?.cautions.map((c) => c.code)).toContain("RELIEF_PERCENT_ONLY");
    expect(result.criteria.find((c) => c.ruleId === "ESI")?.evidence.at(-1)?.summary).toContain(
      "70 % relief (recorded % only, no before/after scores) for 120 days",
    );
  });

  it("is not evaluated for a knee", () => {
    const s = snapshot({ ...persisting(), diagnoses: [diagnosis(KNEE_OA)] });
    expect(evaluation(s).criteria.map((c) => c.ruleId)).not.toContain("ESI");
  });
});

describe("FACET-MBB: diagnostic medial branch block", () => {
  const MBB = "MEDIAL_BRANCH_BLOCK" as const;
  const facet = (procedures: Procedure[] = [], parts: Parameters<typeof snapshot>[0] = {}) =>
    snapshot({ diagnoses: [diagnosis(AXIAL_LUMBAR)], ...longerCare(), procedures, ...parts });

  it("suggests a first block for chronic axial pain after three months of conservative care", () => {
    const result = evaluation(facet());
    expect(result.criteria.find((c) => c.ruleId === "FACET-MBB")?.status).toBe("met");
    expect(result.suggestions.map((s) => s.procedure)).toEqual([MBB]);
  });

  it("needs predominantly axial pain", () => {
    expect(status(facet([], { diagnoses: [diagnosis()] }), "FACET-MBB")).toBe("not-met");
  });

  it.each([
    ["2026-03-02", "not-met"],
    ["2026-03-01", "met"],
  ] as const)("pain for at least 3 months: onset %s → %s", (onsetDate, expected) => {
    expectStatus(
      facet([], { diagnoses: [diagnosis({ ...AXIAL_LUMBAR, onsetDate })] }),
      "FACET-MBB",
      expected,
      "needs at least 3 months",
    );
  });

  it.each([
    [89, "not-met"],
    [90, "met"],
    [91, "met"],
  ] as const)("at least 90 days of conservative care: %i days → %s", (days, expected) => {
    const s = facet([], {
      therapies: [therapy("NSAID", days, null), therapy("HOME_EXERCISE", days, null)],
      assessments: scoresFor([days + 1, 10], { odiPercent: 44 }),
    });
    expectStatus(s, "FACET-MBB", expected, "Conservative care documented for 89 days");
  });

  it.each([
    [79, "not-met"],
    [80, "met"],
    [81, "met"],
  ] as const)("a confirmatory block after a first block with ≥ 80 %% relief: %i %% → %s", (relief, expected) => {
    const result = criterion(facet([procedure(MBB, 30, relief)]), "FACET-MBB");
    expect(result.status).toBe(expected);
    if (expected === "not-met") expect(result.explanation).toContain("facet pain not confirmed");
  });

  it("applies the 2020 consensus value when an administrator chooses it", () => {
    const asra = changed([{ ruleId: "FACET-MBB", parameter: "positiveBlockReliefPercent", value: 50 }]);
    expect(status(facet([procedure(MBB, 30, 60)]), "FACET-MBB", asra)).toBe("met");
    expect(status(facet([procedure(MBB, 30, 60)]), "FACET-MBB")).toBe("not-met");
  });

  it.each([
    [13, "not-met"],
    [14, "met"],
    [15, "met"],
  ] as const)("the confirmatory block ≥ 14 days after the first: %i days → %s", (daysAgo, expected) => {
    expectStatus(
      facet([procedure(MBB, daysAgo, [10, 1])]),
      "FACET-MBB",
      expected,
      "the confirmatory block is possible from",
    );
  });

  it.each([
    [[250, 200, 150], "met"],
    [[300, 250, 200, 150], "not-met"],
  ] as const)("at most 4 diagnostic sessions per region in 12 months: blocks %j days ago → %s", (days, expected) => {
    const blocks = days.map((daysAgo, i) => procedure(MBB, daysAgo, i === days.length - 1 ? 90 : 40));
    expectStatus(facet(blocks), "FACET-MBB", expected, "the limit is reached");
  });

  it.each([
    [730, "not-met"],
    [731, "met"],
  ] as const)(
    "new diagnostic blocks only once the last RFA is over 2 years old: RFA %i days ago → %s",
    (daysAgo, expected) => {
      const s = facet([
        procedure(MBB, 800, 90),
        procedure(MBB, 780, 90),
        procedure("RADIOFREQUENCY_ABLATION", daysAgo, [8, 2], 400),
      ]);
      expectStatus(s, "FACET-MBB", expected, "judged on its own relief");
    },
  );

  it("is not met once two blocks were positive: the series is complete", () => {
    const result = criterion(facet([procedure(MBB, 60, 90), procedure(MBB, 40, 85)]), "FACET-MBB");
    expect(result.status).toBe("not-met");
    expect(result.explanation).toContain("the diagnostic series is complete");
  });

  it("needs data when the last block's relief is not recorded", () => {
    const result = criterion(facet([procedure(MBB, 30, null)]), "FACET-MBB");
    expect(result).toMatchObject({
      status: "not-enough-data",
      missing: [`Relief after the MBB of ${ago(30)} (pain before and after)`],
    });
  });

  it("cautions about radicular pain recorded in the same region", () => {
    const s = facet([], { diagnoses: [diagnosis(AXIAL_LUMBAR), diagnosis({ id: "d2" })] });
    expect(evaluation(s).suggestions[0]?.cautions.map((c) => c.code)).toContain("RADICULOPATHY_SAME_REGION");
  });
});

describe("FACET-RFA: radiofrequency ablation", () => {
  const MBB = "MEDIAL_BRANCH_BLOCK" as const;
  const RFA = "RADIOFREQUENCY_ABLATION" as const;
  const facet = (procedures: Procedure[]) =>
    snapshot({ diagnoses: [diagnosis(AXIAL_LUMBAR)], ...longerCare(), procedures });

  it.each([
    [79, "not-met"],
    [80, "met"],
    [81, "met"],
  ] as const)("two diagnostic blocks each ≥ 80 %%: second block %i %% → %s", (relief, expected) => {
    const result = evaluation(facet([procedure(MBB, 60, [10, 2]), procedure(MBB, 40, relief)]));
    expect(result.criteria.find((c) => c.ruleId === "FACET-RFA")?.status).toBe(expected);
    expect(result.suggestions.map((s) => s.procedure)).toEqual(expected === "met" ? [RFA] : []);
  });

  it("shows the Medicare and consensus thresholds it borrows from FACET-MBB", () => {
    const result = criterion(facet([]), "FACET-RFA");
    expect(result.parameters.find((p) => p.name === "FACET-MBB.positiveBlockReliefPercent")).toMatchObject({
      value: 80,
      alternatives: [
        { source: "Medicare LCD L38801", value: 80 },
        { source: "ASRA 2020 consensus [M]", value: 50 },
        { source: "BCBS ND", value: 50 },
      ],
    });
    const asra = changed([{ ruleId: "FACET-MBB", parameter: "positiveBlockReliefPercent", value: 50 }]);
    expect(status(facet([procedure(MBB, 60, 60), procedure(MBB, 40, 60)]), "FACET-RFA", asra)).toBe("met");
  });

  it("is not met after a single positive block", () => {
    expect(status(facet([procedure(MBB, 40, [10, 1])]), "FACET-RFA")).toBe("not-met");
  });

  it.each<{ case: string; relief: [number, number] | number | null; lasted: number | null; expected: string }>([
    { case: "49 % for 200 days", relief: 49, lasted: 200, expected: "not-met" },
    { case: "50 % for 180 days", relief: [10, 5], lasted: 180, expected: "met" },
    { case: "50 % for 179 days", relief: [10, 5], lasted: 179, expected: "not-met" },
    { case: "60 % for 181 days", relief: [10, 4], lasted: 181, expected: "met" },
    { case: "60 %, duration not recorded", relief: [10, 4], lasted: null, expected: "not-enough-data" },
  ])("repeat RFA needs ≥ 50 % relief for ≥ 180 days: $case → $expected", ({ relief, lasted, expected }) => {
    expect(
      status(
        facet([procedure(MBB, 400, 90), procedure(MBB, 380, 90), procedure(RFA, 200, relief, lasted)]),
        "FACET-RFA",
      ),
    ).toBe(expected);
  });

  it.each([
    [[200], "met"],
    [[300, 200], "not-met"],
  ] as const)("at most 2 sessions per region in 12 months: RFAs %j days ago → %s", (days, expected) => {
    const ablations = days.map((daysAgo) => procedure(RFA, daysAgo, [10, 2], 250));
    expectStatus(
      facet([procedure(MBB, 420, 90), procedure(MBB, 400, 90), ...ablations]),
      "FACET-RFA",
      expected,
      "the limit is reached",
    );
  });
});

describe("FACET-IA: therapeutic facet joint injection", () => {
  const MBB = "MEDIAL_BRANCH_BLOCK" as const;
  const FJI = "FACET_JOINT_INJECTION" as const;
  const facet = (procedures: Procedure[], implantedCardiacDevice = false) =>
    snapshot({
      diagnoses: [diagnosis(AXIAL_LUMBAR)],
      ...longerCare(),
      procedures: [procedure(MBB, 60, 90), procedure(MBB, 40, 90), ...procedures],
      patient: { cautions: { implantedCardiacDevice } },
    });

  it("is only for patients who cannot have RFA (PainPath records an implanted cardiac device)", () => {
    expect(criterion(facet([]), "FACET-IA").explanation).toContain("FACET-RFA applies");
    const result = evaluation(facet([], true));
    expect(result.criteria.find((c) => c.ruleId === "FACET-IA")?.status).toBe("met");
    const rfa = result.suggestions.find((s) => s.procedure === "RADIOFREQUENCY_ABLATION");
    expect(rfa?.cautions.map((c) => c.code)).toContain("IMPLANTED_CARDIAC_DEVICE");
  });

  it.each([
    [89, "not-met"],
    [90, "met"],
    [91, "met"],
  ] as const)("repeat injection needs ≥ 50 %% relief for ≥ 90 days: %i days → %s", (lasted, expected) => {
    expectStatus(facet([procedure(FJI, 120, [10, 5], lasted)]), "FACET-IA", expected, "needs 90 days");
  });

  it.each([
    [49, "not-met"],
    [50, "met"],
  ] as const)("repeat injection relief: %i %% → %s", (relief, expected) => {
    expectStatus(facet([procedure(FJI, 120, relief, 100)]), "FACET-IA", expected, "needs at least 50 %");
  });

  it.each([
    [[250, 200, 120], "met"],
    [[300, 250, 200, 120], "not-met"],
  ] as const)("at most 4 per region in 12 months: injections %j days ago → %s", (days, expected) => {
    expectStatus(
      facet(days.map((daysAgo) => procedure(FJI, daysAgo, [10, 2], 100))),
      "FACET-IA",
      expected,
      "the limit is reached",
    );
  });
});

describe("SCS: spinal cord stimulation", () => {
  const TRIAL = "SPINAL_CORD_STIMULATOR_TRIAL" as const;
  const scs = (
    parts: Parameters<typeof snapshot>[0] = {},
    scores: Parameters<typeof assessment>[1] = { odiPercent: 40 },
  ) =>
    snapshot({
      diagnoses: [diagnosis({ ...POST_LAMINECTOMY, onsetDate: ago(500) })],
      therapies: [therapy("NEUROPATHIC_AGENT", 300, 200), therapy("PHYSICAL_THERAPY", 200, 20)],
      assessments: scoresFor([301, 201, 30, 10], scores),
      patient: { psychEvaluationStatus: "CLEARED", psychEvaluationDate: ago(30) },
      ...parts,
    });

  it("suggests a trial for refractory post-laminectomy pain once the prerequisites are met", () => {
    const result = evaluation(scs());
    expect(result.criteria.find((c) => c.ruleId === "SCS")?.status).toBe("met");
    expect(result.suggestions.find((s) => s.ruleId === "SCS")?.procedure).toBe(TRIAL);
  });

  it("reads GEN-FUNCTION instead of the ODI/NDI for pain outside the spine", () => {
    const limb = scs({ diagnoses: [diagnosis({ ...NEUROPATHY, onsetDate: ago(500) })] }, {});
    const result = evaluation(limb);
    expect(result.criteria.find((c) => c.ruleId === "SCS")?.status).toBe("met");
    // Neuropathic pain outside the spine also meets the peripheral nerve block rule.
    expect(result.suggestions.map((s) => s.procedure)).toEqual([TRIAL, "PERIPHERAL_NERVE_BLOCK"]);
    const mild = scs({ diagnoses: [diagnosis({ ...NEUROPATHY, onsetDate: ago(500) })] }, { limitation: "MILD" });
    expect(criterion(mild, "SCS").explanation).toContain(
      "GEN-FUNCTION (pain limits mobility or quality of life) not met",
    );
  });

  it.each<{ case: string; dx: Partial<Diagnosis>; expected: string }>([
    { case: "post-laminectomy syndrome", dx: {}, expected: "met" },
    { case: "neuropathic pain", dx: { painType: "NEUROPATHIC", icd10Code: "M54.16" }, expected: "met" },
    { case: "CRPS I", dx: { icd10Code: "G90.59", painType: "WIDESPREAD" }, expected: "met" },
    { case: "radicular pain without surgery", dx: { icd10Code: "M54.16" }, expected: "not-met" },
    { case: "axial low back pain", dx: AXIAL_LUMBAR, expected: "not-met" },
  ])("indication: $case → $expected", ({ dx, expected }) => {
    const s = scs({ diagnoses: [diagnosis({ ...POST_LAMINECTOMY, onsetDate: ago(500), ...dx })] });
    expectStatus(s, "SCS", expected, "SCS is for refractory neuropathic pain");
  });

  it.each([
    ["2025-06-02", "not-met"],
    ["2025-06-01", "met"],
  ] as const)("pain for at least 12 months (Aetna; Florida Blue: 3): onset %s → %s", (onsetDate, expected) => {
    expectStatus(
      scs({ diagnoses: [diagnosis({ ...POST_LAMINECTOMY, onsetDate })] }),
      "SCS",
      expected,
      "needs at least 12 months",
    );
  });

  it.each([
    [179, "not-met"],
    [180, "met"],
    [181, "met"],
  ] as const)("at least 180 days of conservative care: %i days → %s", (days, expected) => {
    const s = scs({
      therapies: [therapy("NEUROPATHIC_AGENT", days, null), therapy("PHYSICAL_THERAPY", days, null)],
      assessments: scoresFor([days + 1, 10], { odiPercent: 40 }),
    });
    expectStatus(s, "SCS", expected, "needs 180");
  });

  it.each([
    [4, "not-met"],
    [5, "met"],
    [6, "met"],
  ] as const)("average pain ≥ 5: %i → %s", (painAverage, expected) => {
    expectStatus(scs({}, { painAverage, odiPercent: 40 }), "SCS", expected, "needs at least 5");
  });

  it.each([
    [20, "not-met"],
    [21, "met"],
    [22, "met"],
  ] as const)("ODI ≥ 21 %%: %i → %s", (odiPercent, expected) => {
    expectStatus(scs({}, { odiPercent }), "SCS", expected, "needs at least 21 %");
  });

  it("needs data without a recent ODI for a back diagnosis", () => {
    expect(criterion(scs({}, {}), "SCS")).toMatchObject({
      status: "not-enough-data",
      missing: ["An ODI score (none in the last 90 days)"],
    });
  });

  it.each([
    [49, "not-met", TRIAL],
    [50, "met", "SPINAL_CORD_STIMULATOR_IMPLANT"],
    [51, "met", "SPINAL_CORD_STIMULATOR_IMPLANT"],
  ] as const)("the implant after a trial with ≥ 50 %% relief: %i %% → %s", (relief, expected, suggested) => {
    const result = evaluation(scs({ procedures: [procedure(TRIAL, 30, relief, null, { diagnosisId: null })] }));
    expect(result.criteria.find((c) => c.ruleId === "SCS")?.status).toBe(expected);
    if (expected === "met") expect(result.suggestions.map((s) => s.procedure)).toContain(suggested);
  });

  it.each([
    [60, "met"],
    [70, "not-enough-data"],
  ] as const)("its own look-back window (set to 60 days): latest score %i days ago → %s", (daysAgo, expected) => {
    const shorter = changed([{ ruleId: "SCS", parameter: "lookBackDays", value: 60 }]);
    const s = scs({ assessments: scoresFor([301, 201, daysAgo], { odiPercent: 40 }) });
    expect(status(s, "SCS", shorter)).toBe(expected);
  });

  it.each<{ psych: Patient["psychEvaluationStatus"]; expected: string; missing: string[] }>([
    { psych: "CLEARED", expected: "met", missing: [] },
    { psych: "NOT_CLEARED", expected: "not-met", missing: [] },
    { psych: "NOT_DONE", expected: "not-enough-data", missing: ["Psychological evaluation for SCS (not done)"] },
    {
      psych: "REFERRED",
      expected: "not-enough-data",
      missing: ["Psychological evaluation result for SCS (referred, awaiting result)"],
    },
  ])("psychological evaluation $psych → $expected", ({ psych, expected, missing }) => {
    const result = criterion(scs({ patient: { psychEvaluationStatus: psych } }), "SCS");
    expect({ status: result.status, missing: result.missing }).toEqual({ status: expected, missing });
  });

  it("is not met once a stimulator is implanted, or while surgery is the plan", () => {
    const implanted = scs({ procedures: [procedure("SPINAL_CORD_STIMULATOR_IMPLANT", 100, null, null)] });
    expect(criterion(implanted, "SCS").explanation).toContain("device follow-up");
    expect(
      status(
        scs({ diagnoses: [diagnosis({ ...POST_LAMINECTOMY, onsetDate: ago(500), surgicalStatus: "CANDIDATE" })] }),
        "SCS",
      ),
    ).toBe("not-met");
  });
});

describe("PNB: peripheral nerve block", () => {
  const PNB = "PERIPHERAL_NERVE_BLOCK" as const;
  const pnb = (procedures: Procedure[] = [], dx: Partial<Diagnosis> = {}) =>
    snapshot({ diagnoses: [diagnosis({ ...SHOULDER, ...dx })], ...persisting({}), procedures });
  const block = (daysAgo: number, relief: [number, number] | number) =>
    procedure(PNB, daysAgo, relief, 60, { region: "SHOULDER" });

  it.each<{ case: string; dx: Partial<Diagnosis>; expected: string }>([
    { case: "shoulder joint pain", dx: {}, expected: "met" },
    { case: "neuropathic pain", dx: { painType: "NEUROPATHIC" }, expected: "met" },
    { case: "myofascial pain", dx: { painType: "MYOFASCIAL" }, expected: "not-met" },
  ])("indication: $case → $expected", ({ dx, expected }) => {
    expectStatus(pnb([], dx), "PNB", expected, "neuropathic or joint pain");
  });

  it.each([
    [49, "not-met"],
    [50, "met"],
    [51, "met"],
  ] as const)("repeat block after ≥ 50 %% relief: %i %% → %s", (relief, expected) => {
    expectStatus(pnb([block(60, relief)]), "PNB", expected, "needs at least 50 %");
  });

  it.each([
    [[250, 200, 100], "met"],
    [[300, 250, 200, 100], "not-met"],
  ] as const)("at most 4 per region in 12 months: blocks %j days ago → %s", (days, expected) => {
    expectStatus(pnb(days.map((daysAgo) => block(daysAgo, [10, 2]))), "PNB", expected, "the limit is reached");
  });

  it("says coverage varies", () => {
    expect(evaluation(pnb()).suggestions[0]?.cautions.map((c) => c.code)).toEqual(["COVERAGE_VARIES"]);
  });
});

describe("GENICULAR: genicular block, then genicular RFA", () => {
  const GNB = "GENICULAR_NERVE_BLOCK" as const;
  const knee = (procedures: Procedure[] = [], parts: Parameters<typeof snapshot>[0] = {}) =>
    snapshot({ diagnoses: [diagnosis(KNEE_OA)], ...longerCare({}), procedures, ...parts });
  const onKnee = { region: "KNEE" } as const;

  it("suggests a prognostic block first, with coverage and work-up cautions", () => {
    const result = evaluation(knee());
    expect(result.suggestions.map((s) => [s.procedure, s.ruleId])).toEqual([[GNB, "GENICULAR"]]);
    expect(result.suggestions[0]?.cautions.map((c) => c.code)).toEqual(["COVERAGE_VARIES", "CONFIRM_KNEE_WORKUP"]);
  });

  it.each([
    [89, "not-met"],
    [90, "met"],
    [91, "met"],
  ] as const)("at least 90 days of conservative care: %i days → %s", (days, expected) => {
    const s = knee([], {
      therapies: [therapy("NSAID", days, null), therapy("HOME_EXERCISE", days, null)],
      assessments: scoresFor([days + 1, 10]),
    });
    expectStatus(s, "GENICULAR", expected, "needs 90");
  });

  it.each([
    [49, "not-met"],
    [50, "not-met"],
    [51, "met"],
  ] as const)("genicular RFA after a block with more than 50 %% relief: %i %% → %s", (relief, expected) => {
    const result = evaluation(knee([procedure(GNB, 30, relief, null, onKnee)]));
    expect(result.criteria.find((c) => c.ruleId === "GENICULAR")?.status).toBe(expected);
    expect(result.suggestions.map((s) => s.procedure)).toEqual(expected === "met" ? ["RADIOFREQUENCY_ABLATION"] : []);
  });

  it("is not met once the RFA was done", () => {
    const s = knee([
      procedure(GNB, 60, [8, 2], null, onKnee),
      procedure("RADIOFREQUENCY_ABLATION", 30, null, null, onKnee),
    ]);
    expect(status(s, "GENICULAR")).toBe("not-met");
  });

  it("needs knee osteoarthritis", () => {
    expect(
      status(
        knee([], { diagnoses: [diagnosis({ ...KNEE_OA, icd10Code: "M25.561", painType: "MYOFASCIAL" })] }),
        "GENICULAR",
      ),
    ).toBe("not-met");
  });
});
