/**
 * Cases from the outside clinical review of the referral engine, each row tied to the source it was
 * written from. Dates derive from the builder's fixed TODAY.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET, type Rule } from "~/domain/referral/rule-set";
import {
  AXIAL_LUMBAR,
  type Therapy,
  ago,
  assessment,
  criterion,
  diagnosis,
  evaluation,
  expectStatus,
  longerCare,
  persisting,
  procedure,
  scoresFor,
  snapshot,
  therapy,
} from "../helpers/referral-snapshot";

const NAPROXEN = { drug: "Naproxen", dose: 500, doseUnit: "mg", frequency: "twice-daily" } as const;

describe("care the patient did not do is neither failed nor not tolerated (LCD L39240, L38801: failure of conservative care “as tolerated”)", () => {
  const nsaid = () => therapy("NSAID", 85, 50, NAPROXEN);

  it.each<{ case: string; therapies: Therapy[]; expected: string; because: string }>([
    {
      case: "PT over 6 weeks with 1 of 12 sessions attended is not an adequate trial",
      therapies: [nsaid(), therapy("PHYSICAL_THERAPY", 50, 5, { sessionsPlanned: 12, sessionsAttended: 1 })],
      expected: "not-met",
      because: "1 conservative modality",
    },
    {
      case: "an NSAID the patient chose to stop after 35 days is not failed",
      therapies: [
        therapy("NSAID", 85, 50, { ...NAPROXEN, stopReason: "PATIENT_CHOICE" }),
        therapy("PHYSICAL_THERAPY", 50, 5),
      ],
      expected: "not-met",
      because: "1 conservative modality",
    },
    {
      case: "an NSAID the patient did not take as prescribed is not failed",
      therapies: [
        therapy("NSAID", 85, 50, { ...NAPROXEN, stopReason: "NOT_ADHERENT" }),
        therapy("PHYSICAL_THERAPY", 50, 5),
      ],
      expected: "not-met",
      because: "1 conservative modality",
    },
    {
      case: "PT with 6 of 12 sessions attended is adequate (site policy: 6 sessions)",
      therapies: [nsaid(), therapy("PHYSICAL_THERAPY", 50, 5, { sessionsPlanned: 12, sessionsAttended: 6 })],
      expected: "met",
      because: "",
    },
  ])("GEN-PERSIST: $case → $expected", ({ therapies, expected, because }) => {
    expectStatus(snapshot({ therapies, assessments: scoresFor([86, 51, 10]) }), "GEN-PERSIST", expected, because);
  });

  it("GEN-PERSIST: PT with no attendance recorded needs data, not a guess", () => {
    const s = snapshot({
      therapies: [nsaid(), therapy("PHYSICAL_THERAPY", 50, 5, { sessionsPlanned: 12, sessionsAttended: null })],
      assessments: scoresFor([86, 51, 10]),
    });
    const result = criterion(s, "GEN-PERSIST");
    expect(result.status).toBe("not-enough-data");
    expect(result.missing).toEqual([`Sessions attended in the physical therapy trial from ${ago(50)}`]);
  });

  it("GEN-PERSIST: a trial with no score before and during it is not enough data, never failed", () => {
    // Scored long before and after the trials only: neither trial's own response can be measured.
    const s = snapshot({ therapies: [nsaid(), therapy("PHYSICAL_THERAPY", 50, 5)], assessments: scoresFor([200, 2]) });
    const result = criterion(s, "GEN-PERSIST");
    expect(result.status).toBe("not-enough-data");
    expect(result.missing).toEqual([
      `A pain and PEG score before and during the Naproxen trial from ${ago(85)}`,
      `A pain and PEG score before and during the physical therapy trial from ${ago(50)}`,
    ]);
  });

  it("ESI: conservative care the patient stopped by choice is not documented failed care", () => {
    const s = snapshot({
      therapies: [therapy("NSAID", 60, 20, { ...NAPROXEN, stopReason: "PATIENT_CHOICE" })],
      assessments: scoresFor([61, 30, 10]),
    });
    expectStatus(s, "ESI", "not-met", "No conservative care the patient took");
  });
});

describe("an opioid dose is a prompt, never a referral criterion (CDC 2022 Rec 4–5, 8, 11)", () => {
  // Oxycodone 20 mg twice daily = 60 MME/day; pain 7 → 3, no side effects.
  const oxycodone = therapy("OPIOID", 120, null, {
    drug: "oxycodone",
    dose: 20,
    doseUnit: "mg",
    frequency: "twice-daily",
  });
  const helped = (patient: NonNullable<Parameters<typeof snapshot>[0]>["patient"] = {}) =>
    snapshot({
      therapies: [oxycodone],
      assessments: [
        assessment(121, { painAverage: 7 }),
        assessment(60, { painAverage: 3 }),
        assessment(10, { painAverage: 3 }),
      ],
      patient,
    });

  it("60 MME/day with pain 7 → 3 and no side effects: GEN-SIDE-EFFECTS not met, no flag", () => {
    const result = evaluation(helped());
    expect(result.criteria.find((c) => c.ruleId === "GEN-SIDE-EFFECTS")?.status).toBe("not-met");
    expect(result.flag).toBe(false);
  });

  it("prompts a benefit-and-risk reassessment and naloxone at ≥ 50 MME/day, with the source and the working", () => {
    const prompts = evaluation(helped()).prompts ?? [];
    expect(prompts.map((prompt) => prompt.code)).toEqual(["OPIOID_REASSESS", "OFFER_NALOXONE"]);
    expect(prompts[0]?.message).toContain("60 MME/day");
    expect(prompts[0]?.source).toContain("CDC 2022 Rec 4–5");
    expect(prompts[1]?.source).toContain("CDC 2022 Rec 8");
  });

  it.each<{ case: string; offeredDaysAgo: number | null; expected: string[] }>([
    { case: "never offered", offeredDaysAgo: null, expected: ["OPIOID_REASSESS", "OFFER_NALOXONE"] },
    { case: "offered before this opioid began", offeredDaysAgo: 130, expected: ["OPIOID_REASSESS", "OFFER_NALOXONE"] },
    { case: "offered since this opioid began", offeredDaysAgo: 100, expected: ["OPIOID_REASSESS"] },
  ])("the naloxone prompt checks the date naloxone was offered: $case", ({ offeredDaysAgo, expected }) => {
    const naloxoneOfferedOn = offeredDaysAgo === null ? null : ago(offeredDaysAgo);
    expect((evaluation(helped({ naloxoneOfferedOn })).prompts ?? []).map((prompt) => prompt.code)).toEqual(expected);
  });

  it("cautions against a benzodiazepine with an opioid at any dose, and prompts naloxone", () => {
    const low = therapy("OPIOID", 120, null, { drug: "oxycodone", dose: 5, doseUnit: "mg", frequency: "twice-daily" });
    const s = snapshot({
      therapies: [low, therapy("PHYSICAL_THERAPY", 100, 40)],
      assessments: scoresFor([121, 101, 60, 10]),
      patient: { cautions: { onBenzodiazepine: true } },
    });
    const prompts = evaluation(s).prompts ?? [];
    expect(prompts.map((prompt) => prompt.code)).toEqual(["OPIOID_BENZODIAZEPINE", "OFFER_NALOXONE"]);
    expect(prompts[0]?.source).toContain("CDC 2022 Rec 11");
  });
});

describe("RFA needs its two diagnostic blocks at least 2 weeks apart (LCD L38801, FACET-MBB.minDaysBetweenBlocks)", () => {
  const MBB = "MEDIAL_BRANCH_BLOCK" as const;
  it.each([
    [3, "not-met"],
    [13, "not-met"],
    [14, "met"],
  ] as const)("second block %i days after the first → %s", (apart, expected) => {
    const s = snapshot({
      diagnoses: [diagnosis(AXIAL_LUMBAR)],
      ...longerCare(),
      procedures: [procedure(MBB, 60, [10, 1]), procedure(MBB, 60 - apart, [10, 1])],
    });
    expectStatus(s, "FACET-RFA", expected, `The second block was ${apart} days after the first`);
  });
});

describe("conservative care comes first: function alone raises no flag before a non-drug trial (ACP 2017)", () => {
  // Axial low back pain; one NSAID for 60 days, no physical therapy or exercise; ODI 44 %, moderate limitation.
  const oneNsaid = (extra: Therapy[] = []) =>
    snapshot({
      diagnoses: [diagnosis(AXIAL_LUMBAR)],
      therapies: [therapy("NSAID", 100, 40, NAPROXEN), ...extra],
      assessments: scoresFor([101, 60, 10], { odiPercent: 44, painAverage: 3, pegScore: 5 }),
    });

  it("shows “conservative care not yet exhausted”, with what is still to try, instead of a flag", () => {
    const result = evaluation(oneNsaid());
    expect(result.criteria.find((c) => c.ruleId === "GEN-FUNCTION")?.status).toBe("met");
    expect(result.flag).toBe(false);
    expect(result.summary).toBe(
      "Conservative care not yet exhausted: still to try physical therapy, home exercise programme, " +
        "psychological therapy (e.g. CBT).",
    );
    expect(result.prompts?.find((prompt) => prompt.code === "CONSERVATIVE_CARE_NOT_EXHAUSTED")?.source).toContain(
      "ACP 2017",
    );
  });

  it("flags once a non-drug trial has failed", () => {
    const pt = therapy("PHYSICAL_THERAPY", 40, 5, { sessionsAttended: 8 });
    expect(evaluation(oneNsaid([pt])).flag).toBe(true);
  });
});

describe("GEN-SURGERY: not evaluated is not enough data, and on the needs-data list (criteria: missing data is unknown)", () => {
  it("reads “not enough data” with what to record", () => {
    const result = evaluation(snapshot({ diagnoses: [diagnosis({ surgicalStatus: "NOT_EVALUATED" })] }));
    const surgery = result.criteria.find((c) => c.ruleId === "GEN-SURGERY");
    expect(surgery?.status).toBe("not-enough-data");
    expect(result.missingData).toContain("Surgical evaluation: candidate, declined or not a candidate");
  });
});

describe("side effects count for the look-back window (GEN-SIDE-EFFECTS.lookBackDays, CDC opioid CDS IG 2022.1.0)", () => {
  it.each([
    [20 * 30, "not-met"],
    [91, "not-met"],
    [90, "met"],
  ] as const)("a medication stopped for side effects %i days ago → %s", (stoppedDaysAgo, expected) => {
    const s = snapshot({
      therapies: [therapy("NSAID", stoppedDaysAgo + 30, stoppedDaysAgo, { ...NAPROXEN, stopReason: "SIDE_EFFECTS" })],
      assessments: scoresFor([stoppedDaysAgo + 31, stoppedDaysAgo + 1, 10]),
    });
    expectStatus(s, "GEN-SIDE-EFFECTS", expected, "No medication with moderate or severe side effects");
  });
});

describe("the side-effect explanation names the most severe one (IMMPACT 2008: report adverse events by severity)", () => {
  it("names the severe side effect first, whatever the order of the trials", () => {
    const gabapentin = therapy("NEUROPATHIC_AGENT", 85, null, { drug: "Gabapentin" });
    const nsaid = therapy("NSAID", 90, null, NAPROXEN);
    const s = snapshot({
      therapies: [nsaid, gabapentin],
      assessments: [
        ...scoresFor([91, 60]),
        assessment(10, {}, [
          { therapyTrialId: nsaid.id, severity: "MODERATE" },
          { therapyTrialId: gabapentin.id, severity: "SEVERE" },
        ]),
      ],
    });
    expect(criterion(s, "GEN-SIDE-EFFECTS").explanation).toMatch(/^Gabapentin: severe side effects/);
  });
});

describe("a red flag is evaluated now: no procedure shows as met or suggested beneath it (AHCPR 1994)", () => {
  it("leaves out the procedure criteria and suggestions", () => {
    const result = evaluation(snapshot({ ...persisting(), diagnoses: [diagnosis({ redFlags: ["CAUDA_EQUINA"] })] }));
    expect(result.urgent?.redFlags).toEqual(["CAUDA_EQUINA"]);
    expect(result.suggestions).toEqual([]);
    expect(result.criteria.map((c) => c.ruleId)).toEqual([
      "GEN-PERSIST",
      "GEN-SIDE-EFFECTS",
      "GEN-FUNCTION",
      "GEN-SURGERY",
    ]);
  });
});

describe("every LCD or policy the rule set cites carries its revision or effective date", () => {
  const POLICY = /\b(?:LCD L\d{5}|NCD \d+\.\d+|CPB \d{4}|MP-\d+|SURG\.\d+|CP\.MP\.\d+|CAM \d+)\b/g;
  const rules: Rule[] = Object.values(DEFAULT_RULE_SET.rules);

  it.each(rules.map((rule) => [rule.id, rule] as const))("%s", (_, rule) => {
    const cited = new Set([...`${rule.source} ${rule.revision}`.matchAll(POLICY)].map((match) => match[0]));
    for (const policy of cited) {
      // A date where a source gives one; otherwise the gap is said, never left silent.
      expect(rule.revision, `${rule.id}: ${policy}`).toMatch(
        new RegExp(`${policy.replace(/\./g, "\\.")}[^;]*(?:\\d{4}-\\d{2}-\\d{2}|effective date not recorded)`),
      );
    }
  });
});

describe("the side-effect explanation names its kind (IMMPACT 2008: adverse events recorded by type)", () => {
  it("says what the side effect was, not only how severe", () => {
    const oxycodone = therapy("OPIOID", 90, null, {
      drug: "oxycodone",
      dose: 5,
      doseUnit: "mg",
      frequency: "twice-daily",
    });
    const s = snapshot({
      therapies: [oxycodone],
      assessments: [
        ...scoresFor([91, 60]),
        assessment(10, {}, [{ therapyTrialId: oxycodone.id, severity: "SEVERE", kinds: ["SEDATION", "CONSTIPATION"] }]),
      ],
    });
    expect(criterion(s, "GEN-SIDE-EFFECTS").explanation).toMatch(
      /^Oxycodone: severe side effects \(sedation, constipation\) reported /,
    );
  });
});

describe("an ESI retry names what must differ from the failed ESI (LCD L39240: different approach, level or drug)", () => {
  const ESI = "EPIDURAL_STEROID_INJECTION" as const;
  const retryCaution = (failed: Parameters<typeof procedure>[4]) =>
    evaluation(snapshot({ ...persisting(), procedures: [procedure(ESI, 30, [8, 7], 10, failed)] }))
      .suggestions.find((suggestion) => suggestion.procedure === ESI)
      ?.cautions.find((caution) => caution.code === "ESI_RETRY")?.message;

  it("names the failed ESI's approach, level and drug", () => {
    expect(retryCaution({ approach: "TRANSFORAMINAL", level: "L4-L5", injectate: "triamcinolone 80 mg" })).toBe(
      `Retry after the failed ESI of ${ago(30)} (transforaminal, L4-L5, triamcinolone 80 mg): change the approach, ` +
        "level or drug, and document the rationale.",
    );
  });

  it("asks for them when they were not recorded", () => {
    expect(retryCaution({})).toContain("record its approach, level and drug");
  });
});
