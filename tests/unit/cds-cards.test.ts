import { describe, expect, it } from "vitest";
import {
  asDismissReason,
  cardKind,
  escapeMarkdown,
  MAX_SUMMARY_LENGTH,
  NOT_CHECKED_FROM_EHR,
  planCards,
  type DiagnosisFinding,
} from "~/domain/cds/cards";
import { ehrSignals } from "~/domain/cds/ehr-signals";
import { DEFAULT_RULE_SET } from "~/domain/referral/rule-set";
import { cardSpec } from "../helpers/cds-hooks-spec";
import {
  ago,
  assessment,
  AXIAL_LUMBAR,
  diagnosis,
  evaluation,
  persisting,
  scoresFor,
  snapshot,
  therapy,
} from "../helpers/referral-snapshot";

const ORIGIN = "https://painpath.example.org";
let ids = 0;
const setting = (patientId: string | null) => ({
  origin: ORIGIN,
  patientId,
  newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`,
});

/** Engine results for the four situations, as the service evaluates an EHR's own record (no PainPath flag). */
const fromEhr = (label = "Radiculopathy, lumbar region") => {
  const finding = (s: ReturnType<typeof snapshot>): DiagnosisFinding => {
    const result = evaluation(s);
    const [d] = s.diagnoses;
    return { diagnosis: { id: result.diagnosisId, label, icd10Code: d?.icd10Code ?? "" }, evaluation: result };
  };
  return {
    redFlag: finding(snapshot({ diagnoses: [diagnosis({ redFlags: ["CAUDA_EQUINA"] })], ...persisting() })),
    referral: finding(snapshot({ diagnoses: [diagnosis()], ...persisting() })),
    notYet: finding(
      snapshot({
        diagnoses: [diagnosis(AXIAL_LUMBAR)],
        therapies: [
          therapy("NSAID", 100, 40, { drug: "naproxen", dose: 500, doseUnit: "mg", frequency: "twice-daily" }),
        ],
        assessments: scoresFor([101, 60, 10], { odiPercent: 44, painAverage: 3, pegScore: 5 }),
      }),
    ),
    nothingDue: finding(snapshot({ diagnoses: [diagnosis()] })),
  };
};

describe("cards from the EHR's own record", () => {
  const findings = fromEhr();

  it.each([
    ["redFlag", "RED_FLAG", "critical"],
    ["referral", "REFERRAL", "warning"],
    ["notYet", "NOT_YET", "info"],
  ] as const)("%s → %s, indicator %s, a valid CDS Hooks 2.0 card", (key, kind, indicator) => {
    expect(cardKind(findings[key])).toBe(kind);
    const [plan] = planCards([findings[key]], setting(null));
    expect(plan?.card.indicator).toBe(indicator);
    expect(cardSpec.safeParse(plan?.card).error).toBeUndefined();
    // Not in PainPath: the only link adds the patient; no address carries anything of the patient.
    expect(plan?.card.links).toEqual([
      { label: "Add this patient to PainPath", url: `${ORIGIN}/patients/new`, type: "absolute" },
    ]);
    expect(plan?.card.detail).toContain("PainPath does not follow this patient");
  });

  it("gives no card when nothing is due", () => {
    expect(cardKind(findings.nothingDue)).toBeNull();
    expect(planCards([findings.nothingDue], setting(null))).toEqual([]);
  });

  it("lists the criteria met with their sources, and the disclaimer", () => {
    const [plan] = planCards([findings.referral], setting(null));
    expect(plan?.metCriteria).toContain("GEN-PERSIST");
    expect(plan?.card.detail).toMatch(/\*\*Criteria met\*\*\n\n- \*\*.+\*\* \(GEN-PERSIST v\d+\): .+ Source: .+/);
    expect(plan?.card.detail).toMatch(/\*Decision support only, not a coverage determination/);
  });
});

describe("card text", () => {
  it("keeps every summary under 140 characters, however long the label", () => {
    const long = fromEhr("Chronic pain ".repeat(30));
    for (const plan of planCards(Object.values(long), setting("p1"))) {
      expect([...plan.card.summary].length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
      expect(plan.card.summary.endsWith("…")).toBe(true);
    }
  });

  it("never lets a typed label become markdown or HTML", () => {
    const hostile = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**\n# heading";
    expect(escapeMarkdown(hostile)).toBe(
      "\\[click\\]\\(javascript:alert\\(1\\)\\) \\<img src=x onerror=alert\\(1\\)\\> \\*\\*bold\\*\\* \\# heading",
    );
    const [plan] = planCards([fromEhr(hostile).referral], setting("p1"));
    expect(plan?.card.detail).not.toContain("[click](");
    expect(plan?.card.detail).not.toMatch(/(^|[^\\])<img/);
  });

  it("reads an override reason as PainPath's dismiss reason, anything else as OTHER", () => {
    expect(asDismissReason("PATIENT_DECLINES")).toBe("PATIENT_DECLINES");
    expect(asDismissReason("d7ecf885")).toBe("OTHER");
    expect(asDismissReason(undefined)).toBeNull();
  });
});

/** A pain score as the EHR reports it: one number, every other component unknown (decision 010). */
const reportedPain = (daysAgo: number, value: number) => ({
  ...assessment(daysAgo),
  id: `pain-${daysAgo}`,
  painAverage: null,
  painWorst: null,
  pegScore: null,
  limitation: null,
  painNow: value,
});

describe("cards from EHR data that cannot meet a rule", () => {
  const ehrFinding = (s: ReturnType<typeof snapshot>): DiagnosisFinding => {
    const result = evaluation(s);
    const signals = ehrSignals(s, "d1", DEFAULT_RULE_SET);
    return {
      diagnosis: { id: "Condition/d1", label: "Radiculopathy, lumbar region", icd10Code: "M54.16" },
      evaluation: result,
      ...(signals ? { ehr: signals } : {}),
    };
  };
  const failedCare = (pain: number, onsetDaysAgo = 400) =>
    snapshot({
      diagnoses: [diagnosis({ onsetDate: ago(onsetDaysAgo) })],
      therapies: [
        therapy("NSAID", 300, 200, { drug: "naproxen" }),
        therapy("PHYSICAL_THERAPY", 180, 120),
        therapy("NEUROPATHIC_AGENT", 100, null, { drug: "gabapentin" }),
      ],
      assessments: [reportedPain(200, pain), reportedPain(15, pain)],
    });

  it.each([
    ["chronic pain, three adequate trials, pain 7 now", failedCare(7), true],
    ["pain below GEN-PERSIST's threshold", failedCare(3), false],
    ["pain not yet chronic", failedCare(7, 80), false],
  ])("%s: suggests failed care = %s", (_, s, expected) => {
    const signals = ehrSignals(s, "d1", DEFAULT_RULE_SET);
    expect(signals?.suggestsFailedCare).toBe(expected);
    expect(signals?.adequateModalities).toBe(3);
    const finding = ehrFinding(s);
    // The engine itself never flags from reported scores alone.
    expect(finding.evaluation.flag).toBe(false);
    expect(cardKind(finding)).toBe(expected ? "NEEDS_DATA" : null);
  });

  it("says what the data show, what PainPath needs and what was not checked, in an info card without a suggestion", () => {
    const [plan] = planCards([ehrFinding(failedCare(7))], setting(null));
    expect(plan?.kind).toBe("NEEDS_DATA");
    expect(plan?.metCriteria).toEqual([]);
    expect(cardSpec.safeParse(plan?.card).error).toBeUndefined();
    expect(plan?.card).toMatchObject({ indicator: "info", source: { label: "PainPath" } });
    expect(plan?.card.summary).toBe(
      "More data needed (Radiculopathy, lumbar region): 13 months of pain, 3 therapies tried adequately, latest pain 7/10",
    );
    expect(plan?.card.suggestions).toBeUndefined();
    expect(plan?.card.detail).toContain("- Naproxen, " + ago(300));
    expect(plan?.card.detail).toContain(`- Latest reported pain 7/10 on ${ago(15)}`);
    expect(plan?.card.detail).toContain("**What PainPath would need to decide**");
    expect(plan?.card.detail).toContain(`**Not checked from the EHR data:** ${escapeMarkdown(NOT_CHECKED_FROM_EHR)}.`);
    expect(plan?.card.links?.map((link) => link.url)).toEqual([`${ORIGIN}/patients/new`, `${ORIGIN}/admin/imports`]);
  });

  it("gives a referral from EHR data the same reasons as for a known patient, and says what it did not check", () => {
    const finding = fromEhr().referral;
    const [ehr] = planCards([finding], setting(null));
    const [known] = planCards([{ ...finding, flag: undefined }], setting("p1"));
    expect(ehr?.card.indicator).toBe("warning");
    expect(ehr?.card.summary).toBe(known?.card.summary);
    expect(ehr?.metCriteria).toEqual(known?.metCriteria);
    expect(ehr?.card.detail).toContain("**Not checked from the EHR data:** red flags");
    expect(known?.card.detail).not.toContain("Not checked from the EHR data");
  });
});
