import { type Assessment as CompleteAssessment, isCompleteAssessment } from "~/domain/referral/snapshot-index";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "~/domain/clinical/duration";
import { evaluateDiagnosis, evaluatePatient } from "~/domain/referral/engine";
import { DEFAULT_RULE_SET, type Rule, withParameterChanges } from "~/domain/referral/rule-set";
import { compactEvaluation, expandEvaluation, type StoredEvaluation } from "~/domain/referral/stored-evaluation";
import type { PatientSnapshot } from "~/domain/referral/types";
import { AntithromboticDrug } from "~/generated/prisma/enums";
import {
  BodyRegion,
  Limitation,
  PainType,
  ProcedureType,
  RedFlag,
  SideEffectSeverity,
  StopReason,
  SurgicalStatus,
  TherapyModality,
} from "~/generated/prisma/enums";

const TODAY = "2026-06-01";
const ago = (days: number) => addDays(TODAY, -days);

type Diagnosis = PatientSnapshot["diagnoses"][number];
type Therapy = PatientSnapshot["therapies"][number];
type Assessment = CompleteAssessment;
type Procedure = PatientSnapshot["procedures"][number];

const values = <T extends string>(enumObject: Record<string, T>) => fc.constantFrom(...Object.values(enumObject));
const OPIOID_DRUGS = ["oxycodone", "morphine", "tramadol", "hydromorphone"] as const;

// ---------------------------------------------------------------------------------------------------
// Arbitraries: records of one patient with two diagnoses, dated in the last ~500 days.

const diagnosisArb = (id: string, enteredInError: fc.Arbitrary<boolean> = fc.constant(false)) =>
  fc.record({
    id: fc.constant(id),
    icd10Code: fc.constantFrom("M54.16", "M47.816", "M17.11", "E11.42", "M96.1", "M54.2"),
    label: fc.constant("Diagnosis"),
    bodyRegion: values(BodyRegion),
    painType: values(PainType),
    onsetDate: fc.integer({ min: 0, max: 900 }).map(ago),
    surgicalStatus: values(SurgicalStatus),
    redFlags: fc.subarray(Object.values(RedFlag), { maxLength: 1 }),
    enteredInError,
  }) satisfies fc.Arbitrary<Diagnosis>;

const therapyArb = (diagnosisIds: string[], enteredInError: fc.Arbitrary<boolean> = fc.constant(false)) =>
  fc
    .record({
      diagnosisId: fc.constantFrom(...diagnosisIds),
      modality: values(TherapyModality),
      from: fc.integer({ min: 1, max: 450 }),
      length: fc.integer({ min: 1, max: 160 }),
      ongoing: fc.boolean(),
      stopReason: values(StopReason),
      drug: fc.constantFrom(...OPIOID_DRUGS),
      dose: fc.integer({ min: 5, max: 40 }),
      sessionsAttended: fc.integer({ min: 0, max: 12 }),
      enteredInError,
    })
    .map(({ from, length, ongoing, drug, dose, sessionsAttended, ...therapy }): Omit<Therapy, "id"> => {
      const opioid = therapy.modality === "OPIOID";
      const ended = !ongoing && from - length >= 0;
      return {
        ...therapy,
        startDate: ago(from),
        endDate: ended ? ago(from - length) : null,
        status: ended ? "STOPPED" : "ACTIVE",
        stopReason: ended ? therapy.stopReason : null,
        drug: opioid ? drug : null,
        dose: opioid ? dose : null,
        doseUnit: opioid ? "mg" : null,
        frequency: opioid ? "twice-daily" : null,
        maxDosesPerDay: null,
        sessionsPlanned: 12,
        sessionsAttended,
      };
    });

const assessmentArb = (
  therapyIds: string[],
  {
    minPain = 0,
    enteredInError = fc.constant(false),
  }: { minPain?: number; enteredInError?: fc.Arbitrary<boolean> } = {},
) =>
  fc
    .record({
      daysAgo: fc.integer({ min: 0, max: 460 }),
      pain: fc.integer({ min: minPain, max: 10 }),
      pegTenths: fc.integer({ min: minPain * 10, max: 100 }),
      odiPercent: fc.option(fc.integer({ min: 0, max: 100 })),
      ndiPercent: fc.option(fc.integer({ min: 0, max: 100 })),
      limitation: values(Limitation),
      sideEffects: therapyIds.length
        ? fc.array(
            fc.record({ therapyTrialId: fc.constantFrom(...therapyIds), severity: values(SideEffectSeverity) }),
            {
              maxLength: 2,
            },
          )
        : fc.constant<Assessment["sideEffects"]>([]),
      enteredInError,
    })
    .map(({ daysAgo, pain, pegTenths, ...assessment }): Omit<Assessment, "id"> => ({
      ...assessment,
      date: ago(daysAgo),
      painNow: pain,
      painAverage: pain,
      painWorst: pain,
      pegScore: pegTenths / 10,
    }));

const procedureArb = (diagnosisIds: string[], enteredInError: fc.Arbitrary<boolean> = fc.constant(false)) =>
  fc
    .record({
      diagnosisId: fc.option(fc.constantFrom(...diagnosisIds)),
      type: values(ProcedureType),
      region: values(BodyRegion),
      daysAgo: fc.integer({ min: 0, max: 900 }),
      before: fc.integer({ min: 1, max: 10 }),
      after: fc.integer({ min: 0, max: 10 }),
      scored: fc.boolean(),
      reliefPercent: fc.option(fc.integer({ min: 0, max: 100 })),
      reliefDurationDays: fc.option(fc.integer({ min: 0, max: 400 })),
      enteredInError,
    })
    .map(({ daysAgo, before, after, scored, ...procedure }): Omit<Procedure, "id"> => ({
      ...procedure,
      level: null,
      performedOn: ago(daysAgo),
      painBefore: scored ? before : null,
      painAfter: scored ? Math.min(before, after) : null,
    }));

const withIds = <T>(prefix: string, rows: T[]) => rows.map((row, i) => ({ ...row, id: `${prefix}${i}` }));

const cautionsArb = fc.record({
  onAnticoagulant: fc.boolean(),
  onAntiplatelet: fc.boolean(),
  bleedingDisorder: fc.boolean(),
  pregnant: fc.boolean(),
  contrastAllergy: fc.boolean(),
  poorlyControlledDiabetes: fc.boolean(),
  implantedCardiacDevice: fc.boolean(),
  activeInfection: fc.boolean(),
  onBenzodiazepine: fc.boolean(),
  latexAllergy: fc.boolean(),
  localAnaestheticAllergy: fc.boolean(),
  corticosteroidAllergy: fc.boolean(),
});

/** Any plausible record. With `painful`, scores are 4–10, so pain persistence is often met. */
function snapshotArb({ painful = false } = {}): fc.Arbitrary<PatientSnapshot> {
  const diagnosisIds = ["d1", "d2"];
  return fc
    .record({
      diagnoses: fc.tuple(
        painful
          ? diagnosisArb("d1").map((diagnosis) => ({ ...diagnosis, onsetDate: ago(900), redFlags: [] }))
          : diagnosisArb("d1"),
        diagnosisArb("d2"),
      ),
      therapies: fc.array(therapyArb(diagnosisIds), { minLength: painful ? 2 : 0, maxLength: 7 }),
      cautions: cautionsArb,
      antithrombotics: fc.subarray(Object.values(AntithromboticDrug)),
      psychEvaluationStatus: fc.constantFrom("NOT_DONE", "REFERRED", "CLEARED", "NOT_CLEARED" as const),
      procedures: fc.array(procedureArb(diagnosisIds), { maxLength: 4 }),
    })
    .chain(({ therapies, ...rest }) => {
      const identified = withIds("t", therapies);
      return fc
        .array(
          assessmentArb(
            identified.map((therapy) => therapy.id),
            { minPain: painful ? 4 : 0 },
          ),
          {
            minLength: painful ? 3 : 0,
            maxLength: 15,
          },
        )
        .map((assessments) => ({ ...rest, therapies: identified, assessments: withIds("a", assessments) }));
    })
    .map(({ diagnoses, therapies, assessments, procedures, cautions, antithrombotics, psychEvaluationStatus }) => ({
      evaluatedOn: TODAY,
      patient: {
        id: "p1",
        birthDate: "1960-05-01",
        status: "ACTIVE",
        cautions,
        psychEvaluationStatus,
        psychEvaluationDate: psychEvaluationStatus === "NOT_DONE" ? null : ago(40),
        naloxoneOfferedOn: null,
        antithrombotics,
      },
      diagnoses,
      therapies,
      assessments,
      procedures: withIds("x", procedures),
    }));
}

const persistence = (snapshot: PatientSnapshot) =>
  evaluateDiagnosis(snapshot, "d1", DEFAULT_RULE_SET)?.criteria.find((c) => c.ruleId === "GEN-PERSIST")?.status;

/** The latest valid assessment on or before the evaluation date (ties by id, as the engine reads them). */
function latestAssessment(snapshot: PatientSnapshot): Assessment | undefined {
  return snapshot.assessments
    .filter(
      (assessment): assessment is Assessment =>
        !assessment.enteredInError && assessment.date <= snapshot.evaluatedOn && isCompleteAssessment(assessment),
    )
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))
    .at(-1);
}

// ---------------------------------------------------------------------------------------------------

describe("referral engine properties", () => {
  it("a worse current pain score never turns a met persistence criterion into not met", () => {
    fc.assert(
      fc.property(
        snapshotArb({ painful: true }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 100 }),
        (snapshot, morePain, morePegTenths) => {
          fc.pre(persistence(snapshot) === "met");
          const latest = latestAssessment(snapshot) as Assessment;
          const worse = {
            ...latest,
            painAverage: Math.min(10, latest.painAverage + morePain),
            pegScore: Math.min(100, Math.round(latest.pegScore * 10) + morePegTenths) / 10,
          };
          const worsened = {
            ...snapshot,
            assessments: snapshot.assessments.map((assessment) => (assessment === latest ? worse : assessment)),
          };
          expect(persistence(worsened)).toBe("met");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("adding a failed therapy never removes a met persistence criterion", () => {
    // A trial before every score, so no score can show it helped: failed when adequate or not tolerated.
    const failedTrialArb = fc.record({
      modality: values(TherapyModality),
      length: fc.integer({ min: 1, max: 120 }),
      notTolerated: fc.boolean(),
    });
    fc.assert(
      fc.property(snapshotArb({ painful: true }), failedTrialArb, (snapshot, { modality, length, notTolerated }) => {
        fc.pre(persistence(snapshot) === "met");
        const firstScore = snapshot.assessments.map((assessment) => assessment.date).sort()[0] as string;
        const end = addDays(firstScore, -1);
        const added: Therapy = {
          id: "added",
          diagnosisId: "d1",
          modality,
          startDate: addDays(end, -Math.max(length, notTolerated ? 1 : 42)),
          endDate: end,
          status: "STOPPED",
          stopReason: notTolerated ? "SIDE_EFFECTS" : "INEFFECTIVE",
          drug: null,
          dose: null,
          doseUnit: null,
          frequency: null,
          maxDosesPerDay: null,
          sessionsPlanned: null,
          sessionsAttended: null,
          enteredInError: false,
        };
        expect(persistence({ ...snapshot, therapies: [...snapshot.therapies, added] })).toBe("met");
      }),
      { numRuns: 200 },
    );
  });

  it("entered-in-error records never change any result", () => {
    const eie = fc.constant(true);
    const errorsArb = fc.record({
      diagnoses: fc.array(diagnosisArb("eie-d", eie), { maxLength: 2 }),
      therapies: fc.array(therapyArb(["d1", "d2"], eie), { maxLength: 4 }),
      assessments: fc.array(assessmentArb(["t0", "t1"], { enteredInError: eie }), { maxLength: 4 }),
      procedures: fc.array(procedureArb(["d1", "d2"], eie), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(snapshotArb(), errorsArb, (snapshot, errors) => {
        const polluted: PatientSnapshot = {
          ...snapshot,
          diagnoses: [...snapshot.diagnoses, ...withIds("eie-d", errors.diagnoses)],
          therapies: [...withIds("eie-t", errors.therapies), ...snapshot.therapies],
          assessments: [...snapshot.assessments, ...withIds("eie-a", errors.assessments)],
          procedures: [...withIds("eie-x", errors.procedures), ...snapshot.procedures],
        };
        expect(evaluatePatient(polluted, DEFAULT_RULE_SET)).toEqual(evaluatePatient(snapshot, DEFAULT_RULE_SET));
      }),
      { numRuns: 200 },
    );
  });

  it("is deterministic, whatever order the records arrive in", () => {
    fc.assert(
      fc.property(snapshotArb(), fc.integer(), (snapshot, seed) => {
        const first = evaluatePatient(snapshot, DEFAULT_RULE_SET);
        expect(evaluatePatient(structuredClone(snapshot), DEFAULT_RULE_SET)).toEqual(first);
        const shuffle = <T>(rows: T[]) =>
          rows
            .map((row, i) => ({ row, key: (Math.imul(i + 1, 2654435761) ^ seed) >>> 0 }))
            .sort((a, b) => a.key - b.key)
            .map(({ row }) => row);
        const reordered = {
          ...snapshot,
          therapies: shuffle(snapshot.therapies),
          assessments: shuffle(snapshot.assessments),
          procedures: shuffle(snapshot.procedures),
        };
        expect(evaluatePatient(reordered, DEFAULT_RULE_SET)).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  it("stores an evaluation compactly and expands it back to exactly what the engine returned", () => {
    fc.assert(
      fc.property(snapshotArb({ painful: true }), (snapshot) => {
        for (const evaluation of evaluatePatient(snapshot, DEFAULT_RULE_SET)) {
          const stored = JSON.parse(JSON.stringify(compactEvaluation(evaluation))) as StoredEvaluation;
          expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(evaluation).length);
          expect(expandEvaluation(stored, DEFAULT_RULE_SET)).toEqual(JSON.parse(JSON.stringify(evaluation)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it("never throws, and keeps the result's shape, on any plausible record", () => {
    fc.assert(
      fc.property(snapshotArb(), (snapshot) => {
        for (const evaluation of evaluatePatient(snapshot, DEFAULT_RULE_SET)) {
          expect(evaluation.criteria.slice(0, 4).map((c) => c.ruleId)).toEqual([
            "GEN-PERSIST",
            "GEN-SIDE-EFFECTS",
            "GEN-FUNCTION",
            "GEN-SURGERY",
          ]);
          if (evaluation.urgent) expect(evaluation.suggestions).toEqual([]);
          for (const criterion of evaluation.criteria) {
            expect(criterion.missing.length > 0).toBe(criterion.status === "not-enough-data");
            expect(criterion.explanation).toMatch(/^[A-Z0-9].*\.$/);
          }
          expect(new Set(evaluation.missingData).size).toBe(evaluation.missingData.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("withParameterChanges properties", () => {
  const parameters = Object.values<Rule>(DEFAULT_RULE_SET.rules).flatMap((rule) =>
    Object.entries<Rule["parameters"][string]>(rule.parameters).map(([name, parameter]) => ({
      ruleId: rule.id,
      name,
      parameter,
    })),
  );
  const parameterArb = fc.constantFrom(...parameters);

  it("refuses every value outside a parameter's safe bounds", () => {
    fc.assert(
      fc.property(
        parameterArb,
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.boolean(),
        ({ ruleId, name, parameter }, distance, below) => {
          const value = below ? parameter.min - distance : parameter.max + distance;
          const result = withParameterChanges(
            DEFAULT_RULE_SET,
            [{ ruleId, parameter: name, value }],
            "next",
            "2026-12-07",
          );
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.errors.join(" ")).toContain(`${ruleId}.${name}`);
        },
      ),
    );
  });

  it("accepts every new whole value inside the bounds, and leaves the original rule set untouched", () => {
    const before = JSON.stringify(DEFAULT_RULE_SET);
    fc.assert(
      fc.property(
        parameterArb.chain(({ ruleId, name, parameter }) =>
          fc
            .integer({ min: Math.ceil(parameter.min), max: Math.floor(parameter.max) })
            .filter((value) => value !== parameter.value)
            .map((value) => ({ ruleId, parameter: name, value })),
        ),
        (change) => {
          const result = withParameterChanges(DEFAULT_RULE_SET, [change], "next", "2026-12-07");
          expect(result.ok).toBe(true);
          if (result.ok) {
            const byId = (rules: Record<string, Rule>) =>
              Object.values<Rule>(rules).find((candidate) => candidate.id === change.ruleId);
            const rule = byId(result.ruleSet.rules);
            expect(rule?.parameters[change.parameter]?.value).toBe(change.value);
            expect(rule?.version).toBe((byId(DEFAULT_RULE_SET.rules)?.version ?? 0) + 1);
          }
        },
      ),
    );
    expect(JSON.stringify(DEFAULT_RULE_SET)).toBe(before);
  });
});
