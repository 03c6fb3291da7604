import { beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/clinical/duration";
import { dailyMme, OPIOIDS, type OpioidId } from "~/domain/clinical/mme";
import { pegScore } from "~/domain/clinical/scores";
import { fromIsoDate, toIsoDate } from "~/domain/iso-date";
import { doseFrequencyOf } from "~/domain/pathway-overview";
import { COMMON_PAIN_CODES } from "~/domain/pathway-vocabulary";
import { getDb } from "~/server/db.server";
import { DEMO_USERS } from "../../tools/demo/demo-data";
import { buildDemoPathways, DEMO_ARCHETYPES, type DemoPatient, seedDemoPathways } from "../../tools/demo/demo-pathways";
import { newPasswordProblems } from "~/server/password.server";
import { createUser } from "../helpers/fixtures";

const today = "2025-06-02";
const demo = buildDemoPathways({ today });
const archetypeOf = (patient: DemoPatient) => DEMO_ARCHETYPES.find((archetype) => archetype.key === patient.archetype);
const first = <T>(items: readonly T[]) => items[0] as T;
const last = <T>(items: readonly T[]) => items.at(-1) as T;

describe("demo pathways, as generated", () => {
  it("are the same on every run, and move with today", () => {
    expect(buildDemoPathways({ today })).toEqual(demo);
    const later = buildDemoPathways({ today: addDays(today, 30) });
    expect(later.map((patient) => [patient.mrn, patient.givenName, patient.familyName])).toEqual(
      demo.map((patient) => [patient.mrn, patient.givenName, patient.familyName]),
    );
    expect(later.map((patient) => last(patient.assessments).assessedOn)).toEqual(
      demo.map((patient) => addDays(last(patient.assessments).assessedOn, 30)),
    );
  });

  it("have the intended mix", () => {
    expect(demo).toHaveLength(36);
    expect(new Set(demo.map((patient) => patient.mrn)).size).toBe(36);
    expect(new Set(demo.map((patient) => `${patient.givenName} ${patient.familyName}`)).size).toBe(36);
    expect(demo.some((patient) => patient.familyName.includes("'"))).toBe(true);
    expect(demo.filter((patient) => archetypeOf(patient)?.improving).length).toBeGreaterThan(demo.length / 2);
    expect(demo.filter((patient) => patient.status === "DISCHARGED").length).toBeGreaterThanOrEqual(1);
    expect(demo.filter((patient) => patient.psychEvaluationStatus === "CLEARED")).toHaveLength(1);
    expect(demo.filter((patient) => patient.cautions.length > 0).length).toBeGreaterThanOrEqual(5);
    const surgical = demo.flatMap((patient) => patient.diagnoses.map((diagnosis) => diagnosis.surgicalStatus));
    expect(surgical).toContain("DECLINED_BY_PATIENT");
    expect(surgical).toContain("NOT_A_CANDIDATE");
  });

  it("use common codes with their region and pain type", () => {
    for (const diagnosis of demo.flatMap((patient) => patient.diagnoses)) {
      const entry = COMMON_PAIN_CODES.find((candidate) => candidate.code === diagnosis.icd10Code);
      expect(entry?.label).toBe(diagnosis.label);
      expect(entry?.bodyRegion ?? diagnosis.bodyRegion).toBe(diagnosis.bodyRegion);
      expect(entry?.painType ?? diagnosis.painType).toBe(diagnosis.painType);
    }
  });

  it("improve by ≥ 30 % where the archetype improves, and stay ≥ 6 where care keeps failing", () => {
    for (const patient of demo) {
      const [baseline, latest] = [first(patient.assessments), last(patient.assessments)];
      if (archetypeOf(patient)?.improving) {
        expect(latest.painAverage, patient.mrn).toBeLessThanOrEqual(baseline.painAverage * 0.7);
        expect(latest.pegScore, patient.mrn).toBeLessThanOrEqual(baseline.pegScore * 0.7);
      }
      if (patient.archetype === "refractory") {
        const ineffective = patient.therapies.filter((therapy) => therapy.stopReason === "INEFFECTIVE").length;
        expect(ineffective, patient.mrn).toBeGreaterThanOrEqual(2);
        expect(ineffective, patient.mrn).toBeLessThanOrEqual(4);
        expect(Math.min(...patient.assessments.map((assessment) => assessment.painAverage))).toBeGreaterThanOrEqual(6);
      }
    }
  });

  it("spread opioid doses around the 50 and 90 MME thresholds", () => {
    const mmes = demo
      .flatMap((patient) => patient.therapies)
      .filter((therapy) => therapy.modality === "OPIOID")
      .map((therapy) => {
        const frequency = doseFrequencyOf(therapy.frequency, therapy.maxDosesPerDay);
        if (!frequency || therapy.dose === null) throw new Error(`Incomplete opioid ${therapy.drug}`);
        const drug = therapy.drug as OpioidId;
        return dailyMme({ drug, dose: therapy.dose, unit: OPIOIDS[drug].unit, frequency }).mme;
      });
    expect(mmes).toEqual(expect.arrayContaining([30, 60, 60, 70.5, 90, null]));
  });

  it("include a patient on an opioid with a benzodiazepine, with naloxone offered", () => {
    const patient = demo.find((candidate) => candidate.cautions.includes("onBenzodiazepine"));
    expect(patient?.therapies.some((therapy) => therapy.modality === "OPIOID")).toBe(true);
    expect(patient?.naloxoneOfferedOn).toBe(addDays(today, -14));
  });

  it("include a patient with a contrast and a latex allergy", () => {
    expect(
      demo.some((patient) => patient.cautions.includes("contrastAllergy") && patient.cautions.includes("latexAllergy")),
    ).toBe(true);
  });

  it("say what every reported side effect was", () => {
    const reported = demo.flatMap((patient) =>
      patient.assessments.flatMap((assessment) =>
        assessment.sideEffects.filter((effect) => effect.severity !== "NONE"),
      ),
    );
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.filter((effect) => effect.kinds.length === 0)).toEqual([]);
  });

  it("include a confirmed pair of medial branch blocks and ESI histories", () => {
    const procedures = demo.map((patient) => patient.procedures);
    const blocks = procedures.map((list) => list.filter((procedure) => procedure.type === "MEDIAL_BRANCH_BLOCK"));
    const pair = blocks.find((list) => list.length === 2) ?? [];
    expect(pair.every((block) => block.reliefPercent >= 80)).toBe(true);
    const esi = procedures.flat().filter((procedure) => procedure.type === "EPIDURAL_STEROID_INJECTION");
    expect(esi.length).toBeGreaterThanOrEqual(2);
  });
});

describe("seedDemoPathways", () => {
  let nurseId: string;
  beforeAll(async () => {
    const physicians = await Promise.all([createUser("PHYSICIAN"), createUser("PHYSICIAN"), createUser("PHYSICIAN")]);
    nurseId = (await createUser("NURSE")).id;
    const options = { today, physicianIds: physicians.map((user) => user.id), createdById: nurseId, nurseId };
    expect(await seedDemoPathways(getDb(), options)).toEqual({ created: 36 });
    expect(await seedDemoPathways(getDb(), options)).toEqual({ created: 0 });
  });

  it("inserts the generated patients once", async () => {
    const patients = await getDb().patient.findMany({
      where: { mrn: { startsWith: "DEMO-" } },
      orderBy: { mrn: "asc" },
      select: { mrn: true, givenName: true, familyName: true, assignedPhysicianId: true, _count: true },
    });
    const fingerprint = (mrn: string, name: string, assessments: number) => `${mrn} ${name} ${assessments}`;
    expect(patients.map((p) => fingerprint(p.mrn, `${p.givenName} ${p.familyName}`, p._count.assessments))).toEqual(
      demo.map((p) => fingerprint(p.mrn, `${p.givenName} ${p.familyName}`, p.assessments.length)),
    );
    expect(new Set(patients.map((patient) => patient.assignedPhysicianId)).size).toBe(3);
  });

  it("stores every PEG score as the mean of its items, recorded by the nurse", async () => {
    const assessments = await getDb().outcomeAssessment.findMany();
    expect(assessments.length).toBe(demo.reduce((total, patient) => total + patient.assessments.length, 0));
    for (const assessment of assessments) {
      const items = {
        averagePain: assessment.pegPain,
        enjoymentOfLife: assessment.pegEnjoyment,
        generalActivity: assessment.pegActivity,
      };
      expect(assessment.pegScore).toBe(pegScore(items));
      expect(assessment.recordedById).toBe(nurseId);
      expect(assessment.painWorst).toBeGreaterThanOrEqual(assessment.painAverage);
    }
  });

  it("gives every opioid trial a drug from the MME table in its unit", async () => {
    const opioids = await getDb().therapyTrial.findMany({ where: { modality: "OPIOID" } });
    expect(opioids.length).toBeGreaterThanOrEqual(6);
    for (const therapy of opioids) {
      expect(Object.keys(OPIOIDS)).toContain(therapy.drug);
      expect(therapy.doseUnit).toBe(OPIOIDS[therapy.drug as OpioidId].unit);
      expect(doseFrequencyOf(therapy.frequency, therapy.maxDosesPerDay)).not.toBeNull();
    }
  });

  it("has exactly one red flag, and side effects that stopped trials", async () => {
    const flagged = await getDb().painDiagnosis.findMany({ where: { NOT: { redFlags: { isEmpty: true } } } });
    expect(flagged).toHaveLength(1);
    expect(first(flagged).redFlags).toEqual(["CAUDA_EQUINA"]);

    const stopped = await getDb().therapyTrial.findMany({
      where: { stopReason: "SIDE_EFFECTS" },
      include: { sideEffects: true },
    });
    expect(stopped.length).toBeGreaterThanOrEqual(2);
    for (const therapy of stopped) {
      expect(therapy.sideEffects.map((effect) => effect.severity)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^(MODERATE|SEVERE)$/)]),
      );
    }
  });

  it("leaves some patients due for follow-up and others recently assessed", async () => {
    const cutoff = fromIsoDate(addDays(today, -14));
    const patients = await getDb().patient.findMany({
      where: { mrn: { startsWith: "DEMO-" } },
      select: { status: true, followUpAnchor: true, lastAssessedOn: true },
    });
    const due = patients.filter((patient) => patient.followUpAnchor && patient.followUpAnchor < cutoff);
    const notDue = patients.filter((patient) => patient.followUpAnchor && patient.followUpAnchor >= cutoff);
    expect(due.length).toBeGreaterThanOrEqual(3);
    expect(notDue.length).toBeGreaterThanOrEqual(3);
    for (const patient of patients.filter((candidate) => candidate.status === "DISCHARGED")) {
      expect(patient.followUpAnchor).toBeNull();
    }
    const latest = patients.map((patient) => (patient.lastAssessedOn ? toIsoDate(patient.lastAssessedOn) : ""));
    expect(latest.every((date) => date !== "" && date <= today)).toBe(true);
  });
});

describe("demo accounts", () => {
  it("keep the README sign-ins first and give every account a password the policy accepts", () => {
    expect(DEMO_USERS.slice(0, 3).map((user) => user.email)).toEqual([
      "physician@painpath.test",
      "nurse@painpath.test",
      "admin@painpath.test",
    ]);
    expect(DEMO_USERS.filter((user) => user.role === "PHYSICIAN")).toHaveLength(3);
    for (const user of DEMO_USERS) {
      expect(newPasswordProblems(user.password, { email: user.email, name: user.name }), user.email).toEqual([]);
    }
  });
});
