import { describe, expect, it } from "vitest";
import {
  asDismissReason,
  cardKind,
  escapeMarkdown,
  MAX_SUMMARY_LENGTH,
  planCards,
  type DiagnosisFinding,
} from "~/domain/cds/cards";
import { cardSpec } from "../helpers/cds-hooks-spec";
import {
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
