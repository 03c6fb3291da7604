import { beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/clinical/duration";
import { dailyMme, OPIOIDS, type OpioidId } from "~/domain/clinical/mme";
import { pegScore } from "~/domain/clinical/scores";
import { fromIsoDate, toIsoDate } from "~/domain/iso-date";
import { doseFrequencyOf } from "~/domain/pathway-overview";
import { COMMON_PAIN_CODES } from "~/domain/pathway-vocabulary";
import { getDb } from "~/server/db.server";
import { clinicToday } from "~/server/clinic-time.server";
import { newPasswordProblems } from "~/server/password.server";
import { DEMO_USERS, seedDemoPatients } from "../../tools/demo/demo-data";
import { buildDemoStories, DEMO_MRN_PREFIX } from "../../tools/demo/stories";
import type { StaffMember } from "../../tools/dataset/patient";
import { createUser } from "../helpers/fixtures";

const fixedToday = "2025-06-02";
const demo = buildDemoStories({ today: fixedToday });
const stories = demo.map(({ story }) => story);
const CAUTIONS = ["contrastAllergy", "latexAllergy", "onAnticoagulant", "onAntiplatelet", "bleedingDisorder"] as const;

describe("demo stories, as built", () => {
  it("are the same on every run, and move with today", () => {
    expect(buildDemoStories({ today: fixedToday })).toEqual(demo);
    // Four weeks later, so every visit keeps its weekday.
    const later = buildDemoStories({ today: addDays(fixedToday, 28) }).map(({ story }) => story);
    expect(later.map((story) => [story.mrn, story.givenName, story.familyName])).toEqual(
      stories.map((story) => [story.mrn, story.givenName, story.familyName]),
    );
    expect(later.map((story) => story.visits.at(-1))).toEqual(
      stories.map((story) => addDays(story.visits.at(-1) as string, 28)),
    );
  });

  it("have the intended mix of about forty named patients", () => {
    expect(stories).toHaveLength(36);
    expect(new Set(stories.map((story) => story.mrn)).size).toBe(36);
    expect(new Set(stories.map((story) => `${story.givenName} ${story.familyName}`)).size).toBe(36);
    expect(stories.some((story) => story.familyName.includes("'"))).toBe(true);
    expect(demo.filter((story) => story.improving).length).toBeGreaterThan(demo.length / 2);
    expect(stories.filter((story) => story.status === "DISCHARGED").length).toBeGreaterThanOrEqual(1);
    expect(stories.filter((story) => story.patient.psychEvaluationStatus === "CLEARED")).toHaveLength(1);
    const cautioned = stories.filter((story) => CAUTIONS.some((caution) => story.patient[caution]));
    expect(cautioned.length).toBeGreaterThanOrEqual(5);
    const surgical = stories.flatMap((story) => story.diagnoses.map((diagnosis) => diagnosis.surgicalStatus));
    expect(surgical).toContain("DECLINED_BY_PATIENT");
    expect(surgical).toContain("NOT_A_CANDIDATE");
  });

  it("use common codes with their region and pain type", () => {
    for (const diagnosis of stories.flatMap((story) => story.diagnoses)) {
      const entry = COMMON_PAIN_CODES.find((candidate) => candidate.code === diagnosis.icd10Code);
      expect(entry?.label).toBe(diagnosis.label);
      expect(entry?.bodyRegion ?? diagnosis.bodyRegion).toBe(diagnosis.bodyRegion);
      expect(entry?.painType ?? diagnosis.painType).toBe(diagnosis.painType);
    }
  });

  it("spread opioid doses around the 50 and 90 MME thresholds", () => {
    const mmes = stories
      .flatMap((story) => story.therapies)
      .filter((therapy) => therapy.modality === "OPIOID")
      .map(({ prescription }) => {
        const frequency = doseFrequencyOf(prescription?.frequency ?? null, prescription?.maxDosesPerDay ?? null);
        if (!prescription || !frequency) throw new Error("Incomplete opioid");
        const drug = prescription.drug as OpioidId;
        return dailyMme({ drug, dose: prescription.dose, unit: OPIOIDS[drug].unit, frequency }).mme;
      });
    expect(mmes).toEqual(expect.arrayContaining([30, 60, 60, 70.5, 90, null]));
  });

  it("include a patient on an opioid with a benzodiazepine, with naloxone offered, and one with two allergies", () => {
    const patient = stories.find((story) => story.patient.onBenzodiazepine);
    expect(patient?.therapies.some((therapy) => therapy.modality === "OPIOID")).toBe(true);
    expect(patient?.patient.naloxoneOfferedOn).toBe(addDays(fixedToday, -14));
    expect(stories.some((story) => story.patient.contrastAllergy && story.patient.latexAllergy)).toBe(true);
  });

  it("include a confirmed pair of medial branch blocks and ESI histories", () => {
    const blocks = stories.map((story) => story.procedures.filter(({ type }) => type === "MEDIAL_BRANCH_BLOCK"));
    const pair = blocks.find((list) => list.length === 2) ?? [];
    expect(pair.every((block) => (block.painBefore - block.painAfter) / block.painBefore >= 0.8)).toBe(true);
    const esi = stories
      .flatMap((story) => story.procedures)
      .filter(({ type }) => type === "EPIDURAL_STEROID_INJECTION");
    expect(esi.length).toBeGreaterThanOrEqual(2);
  });
});

describe("the demo, rendered by the simulation and evaluated by the engine", () => {
  // The flag and referral functions use the clinic's real today, so the demo is made for it too.
  const today = clinicToday();
  const built = buildDemoStories({ today });
  let nurseId: string;
  let ids: Map<string, string>;

  beforeAll(async () => {
    const physicians = await Promise.all([createUser("PHYSICIAN"), createUser("PHYSICIAN"), createUser("PHYSICIAN")]);
    nurseId = (await createUser("NURSE")).id;
    const staff: StaffMember[] = [
      ...physicians.map(({ id }, index) => ({ index, team: index, id, role: "PHYSICIAN" as const })),
      { index: 3, team: 0, id: nurseId, role: "NURSE" as const },
    ].map((member) => ({ ...member, active: true, clientAddress: "127.0.0.1" }));
    expect(await seedDemoPatients(getDb(), { today, staff })).toEqual({ created: 36 });
    expect(await seedDemoPatients(getDb(), { today, staff })).toEqual({ created: 0 });
    const patients = await getDb().patient.findMany({ where: { mrn: { startsWith: DEMO_MRN_PREFIX } } });
    ids = new Map(patients.map((patient) => [patient.mrn, patient.id]));
  }, 120_000);

  it("keeps every story's promise: the flag the engine raises, or none, and what the physician did", async () => {
    const flags = await getDb().flag.findMany({ where: { patientId: { in: [...ids.values()] } } });
    const answer = (flag: string | null, urgent = false, suggests?: string) =>
      `${flag ?? "no flag"}${urgent ? " (red flag)" : ""}${suggests ? `, suggests ${suggests}` : ""}`;
    const answers = built.map(({ story, promise }) => {
      const flag = flags.find((candidate) => candidate.patientId === ids.get(story.mrn));
      const suggested = promise.suggests && flag?.suggestedProcedures[0];
      return `${story.mrn} ${answer(flag?.status ?? null, flag?.urgent, suggested)}`;
    });
    expect(answers).toEqual(
      built.map(({ story, promise }) => `${story.mrn} ${answer(promise.flag, promise.urgent, promise.suggests)}`),
    );
    // The promises cover every kind of answer.
    expect(new Set(built.map(({ promise }) => promise.flag))).toEqual(
      new Set([null, "OPEN", "ACKNOWLEDGED", "SNOOZED", "DISMISSED", "REFERRED"]),
    );
  });

  it("improve by ≥ 30 % where the story improves, and stay ≥ 6 where care keeps failing", async () => {
    for (const { story, improving, archetype } of built) {
      const assessments = await getDb().outcomeAssessment.findMany({
        where: { patientId: ids.get(story.mrn) },
        orderBy: { assessedOn: "asc" },
      });
      expect(assessments.length, story.mrn).toBe(story.visits.length);
      const [baseline, latest] = [assessments[0], assessments.at(-1)];
      if (!baseline || !latest) throw new Error(`${story.mrn} has no assessments`);
      if (improving) {
        expect(latest.painAverage, story.mrn).toBeLessThanOrEqual(baseline.painAverage * 0.7);
        expect(latest.pegScore, story.mrn).toBeLessThanOrEqual(baseline.pegScore * 0.7);
      }
      if (archetype === "refractory") {
        expect(Math.min(...assessments.map((assessment) => assessment.painAverage)), story.mrn).toBeGreaterThanOrEqual(
          6,
        );
      }
    }
  });

  it("stores every PEG score as the mean of its items, recorded by the nurse or the physician", async () => {
    const assessments = await getDb().outcomeAssessment.findMany();
    expect(assessments.length).toBe(stories.reduce((total, story) => total + story.visits.length, 0));
    const physicians = await getDb().user.findMany({ where: { role: "PHYSICIAN" }, select: { id: true } });
    for (const assessment of assessments) {
      const items = {
        averagePain: assessment.pegPain,
        enjoymentOfLife: assessment.pegEnjoyment,
        generalActivity: assessment.pegActivity,
      };
      expect(assessment.pegScore).toBe(pegScore(items));
      expect([nurseId, ...physicians.map(({ id }) => id)]).toContain(assessment.recordedById);
      expect(assessment.painWorst).toBeGreaterThanOrEqual(assessment.painAverage);
    }
  });

  it("gives every opioid trial a drug from the MME table in its unit, and names every side effect", async () => {
    const opioids = await getDb().therapyTrial.findMany({ where: { modality: "OPIOID" } });
    expect(opioids.length).toBeGreaterThanOrEqual(6);
    for (const therapy of opioids) {
      expect(Object.keys(OPIOIDS)).toContain(therapy.drug);
      expect(therapy.doseUnit).toBe(OPIOIDS[therapy.drug as OpioidId].unit);
      expect(doseFrequencyOf(therapy.frequency, therapy.maxDosesPerDay)).not.toBeNull();
    }
    const reported = await getDb().assessmentSideEffect.findMany({ where: { severity: { not: "NONE" } } });
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.filter((effect) => effect.kinds.length === 0)).toEqual([]);
  });

  it("has exactly one red flag, and side effects that stopped trials", async () => {
    const flagged = await getDb().painDiagnosis.findMany({ where: { NOT: { redFlags: { isEmpty: true } } } });
    expect(flagged.map((diagnosis) => diagnosis.redFlags)).toEqual([["CAUDA_EQUINA"]]);
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
      where: { mrn: { startsWith: DEMO_MRN_PREFIX } },
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
    expect(latest.every((date) => date !== "" && date < today)).toBe(true);
  });

  it("holds a year of clinic history: referrals in every state over the months, flags raised over weeks", async () => {
    const referrals = await getDb().referral.findMany();
    expect(new Set(referrals.map((referral) => referral.status))).toEqual(
      new Set(["PENDING", "SCHEDULED", "COMPLETED", "CANCELLED"]),
    );
    const months = new Set(referrals.map((referral) => referral.createdAt.toISOString().slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(4);
    const firstVisits = stories.map((story) => story.visits[0] as string).sort();
    expect(firstVisits[0]! <= addDays(fixedToday, -365)).toBe(true);
    const raises = await getDb().flagEvent.findMany({ where: { fromStatus: null } });
    expect(new Set(raises.map((raise) => raise.at.toISOString().slice(0, 10))).size).toBeGreaterThanOrEqual(3);
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
