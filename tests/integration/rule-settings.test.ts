import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RULE_SET, withParameterChanges, type Rule, type RuleSet } from "~/domain/referral/rule-set";
import { InvalidStoredRuleSetError } from "~/domain/referral/stored-rule-set";
import type { Prisma } from "~/generated/prisma/client";
import { reevaluateAllPatients } from "~/models/evaluation.server";
import { computeRuleSetImpact } from "~/models/rule-impact.server";
import { waitForRuleSetJobs } from "~/models/rule-set-jobs.server";
import { getActiveRuleSet } from "~/models/rule-set.server";
import { loader as rulesLoader } from "~/routes/admin.rules._index";
import { action as versionAction, loader as versionLoader } from "~/routes/admin.rules.$versionId";
import { action as newDraft, loader as newDraftLoader } from "~/routes/admin.rules.new";
import { action as recordOutcome } from "~/routes/patients.$patientId.assessments.new";
import { loader as patientLoader } from "~/routes/patients.$patientId._index";
import { loader as evidenceLoader } from "~/routes/patients.$patientId.diagnoses.$diagnosisId.evidence";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { auditEvents, createPatient, createUser } from "../helpers/fixtures";
import { callRoute, dataOf, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

let adminId: string;
let admin: string;
let physicianId: string;
let physician: string;
let nurse: string;

/** Patients whose flags we can predict: GEN-FUNCTION needs PEG ≥ threshold and a moderate or severe limitation. */
const population = {} as Record<"gains" | "staysFlagged" | "staysQuiet" | "loses" | "discharged", PatientRef>;
type PatientRef = { patientId: string; diagnosisId: string; mrn: string };

const assessment = (peg: number, limitation: string) => ({
  assessedOn: clinicToday(),
  painNow: String(peg),
  painAverage: String(peg),
  painWorst: String(peg),
  pegPain: String(peg),
  pegEnjoyment: String(peg),
  pegActivity: String(peg),
  limitation,
});

async function patientWith(peg: number, limitation: string): Promise<PatientRef> {
  const { patient, diagnosis } = await createPatient(physicianId, { nonDrugCareFailed: true });
  const response = await callRoute(recordOutcome, {
    path: "/a",
    form: assessment(peg, limitation),
    params: { patientId: patient.id },
    cookie: nurse,
  });
  expect(statusOf(response)).toBe(302);
  return { patientId: patient.id, diagnosisId: diagnosis.id, mrn: patient.mrn };
}

beforeAll(async () => {
  adminId = (await createUser("ADMIN", { name: "Ada Admin" })).id;
  admin = await sessionCookie(adminId);
  physicianId = (await createUser("PHYSICIAN")).id;
  physician = await sessionCookie(physicianId);
  nurse = await sessionCookie((await createUser("NURSE")).id);

  population.gains = await patientWith(3, "MODERATE");
  population.staysFlagged = await patientWith(6, "MODERATE");
  population.staysQuiet = await patientWith(3, "MILD");
  population.loses = await patientWith(4, "MODERATE");
  population.discharged = await patientWith(3, "MODERATE");
  await getDb().patient.update({ where: { id: population.discharged.patientId }, data: { status: "DISCHARGED" } });
});

/** Every parameter of the rule set as the form sends it, with some values changed. */
function draftForm(base: RuleSet, version: string, changes: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = { basedOn: base.version, version, reason: "Site policy review 2026-11" };
  for (const [key, rule] of Object.entries(base.rules as Record<string, Rule>)) {
    for (const [name, parameter] of Object.entries(rule.parameters)) {
      form[`parameters.${key}.${name}`] = String(parameter.value);
    }
  }
  return { ...form, ...changes };
}

const PEG = "parameters.function.pegThreshold";

async function submitDraft(form: Record<string, string>, cookie = admin) {
  return callRoute(newDraft, { path: "/admin/rules/new", form, cookie });
}

function draftIdFrom(response: unknown): string {
  expect(statusOf(response)).toBe(302);
  const location = (response as Response).headers.get("Location") ?? "";
  expect(location).toMatch(/^\/admin\/rules\/[0-9a-f-]{36}$/);
  return location.split("/").pop() as string;
}

async function flagOf(diagnosisId: string) {
  return getDb().evaluation.findFirstOrThrow({
    where: { diagnosisId, current: true },
    select: { flagged: true, ruleSetVersion: true },
  });
}

describe("rule settings: drafts", () => {
  it("shows the built-in rule set with live values, and suggests the next version", async () => {
    const page = (await callRoute(rulesLoader, { path: "/admin/rules", cookie: admin })) as {
      active: { version: string; id: string | null };
      rules: Array<{ id: string; statement: string; parameters: Array<{ name: string; value: number }> }>;
      versions: unknown[];
    };
    expect(page.active).toMatchObject({ version: DEFAULT_RULE_SET.version, id: null });
    const fn = page.rules.find((rule) => rule.id === "GEN-FUNCTION");
    expect(fn?.statement).toContain("PEG ≥ 4/10");
    expect(page.versions).toEqual([]);

    const form = (await callRoute(newDraftLoader, { path: "/admin/rules/new", cookie: admin })) as {
      basedOn: string;
      suggestedVersion: string;
    };
    // The built-in rule set is 2026.2: next comes 2026.3, or YEAR.1 in a later year.
    const year = Number(clinicToday().slice(0, 4));
    expect(form).toMatchObject({ basedOn: "2026.2", suggestedVersion: year === 2026 ? "2026.3" : `${year}.1` });
  });

  it("refuses an out-of-bounds threshold with the message next to its field, and stores nothing", async () => {
    const response = await submitDraft(draftForm(DEFAULT_RULE_SET, "2026.3", { [PEG]: "2" }));
    expect(statusOf(response)).toBe(400);
    const { result } = dataOf<{ result: { error: Record<string, string[]> } }>(response);
    expect(result.error[PEG]).toEqual(["2 is outside the safe range 3–8 /10."]);
    const above = await submitDraft(draftForm(DEFAULT_RULE_SET, "2026.3", { [PEG]: "9" }));
    expect(statusOf(above)).toBe(400);
    expect(dataOf<{ result: { error: Record<string, string[]> } }>(above).result.error[PEG]).toEqual([
      "9 is outside the safe range 3–8 /10.",
    ]);

    const fractional = await submitDraft(draftForm(DEFAULT_RULE_SET, "2026.3", { [PEG]: "3.5" }));
    expect(dataOf<{ result: { error: Record<string, string[]> } }>(fractional).result.error[PEG]).toEqual([
      "Use a whole number.",
    ]);

    const noReason = await submitDraft({ ...draftForm(DEFAULT_RULE_SET, "2026.3", { [PEG]: "3" }), reason: " " });
    expect(statusOf(noReason)).toBe(400);
    expect(dataOf<{ result: { error: Record<string, string[]> } }>(noReason).result.error.reason).toBeDefined();

    const unchanged = await submitDraft(draftForm(DEFAULT_RULE_SET, "2026.3"));
    expect(statusOf(unchanged)).toBe(400);

    const existing = await submitDraft(draftForm(DEFAULT_RULE_SET, "2026.2", { [PEG]: "3" }));
    expect(dataOf<{ result: { error: Record<string, string[]> } }>(existing).result.error.version?.[0]).toMatch(
      /already exists/,
    );

    const stale = await submitDraft({ ...draftForm(DEFAULT_RULE_SET, "2026.3", { [PEG]: "3" }), basedOn: "2025.9" });
    expect(statusOf(stale)).toBe(409);

    expect(await getDb().ruleSetVersion.count()).toBe(0);
    expect(await auditEvents({ action: "rules.draft_create" })).toHaveLength(0);
  });

  it("stores a valid draft as DRAFT, with who and why in the audit trail", async () => {
    const id = draftIdFrom(await submitDraft(draftForm(DEFAULT_RULE_SET, "2026.3", { [PEG]: "3" })));
    const row = await getDb().ruleSetVersion.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      version: "2026.3",
      basedOn: "2026.2",
      status: "DRAFT",
      reason: "Site policy review 2026-11",
      createdById: adminId,
      activatedAt: null,
    });
    const stored = row.ruleSet as unknown as RuleSet;
    expect(stored.rules.function.parameters.pegThreshold.value).toBe(3);
    expect(stored.rules.function.version).toBe(DEFAULT_RULE_SET.rules.function.version + 1);
    expect(stored.rules.persistence.version).toBe(DEFAULT_RULE_SET.rules.persistence.version);
    const [audit] = await auditEvents({ action: "rules.draft_create" });
    expect(audit).toMatchObject({ userId: adminId, entityId: id });
    expect(audit?.detail).toMatchObject({
      reason: "Site policy review 2026-11",
      changes: [{ ruleId: "GEN-FUNCTION", parameter: "pegThreshold", from: 4, to: 3 }],
    });
    // Still a draft: nothing changes for anyone yet.
    expect((await getActiveRuleSet()).version).toBe("2026.2");

    const again = await submitDraft(draftForm(DEFAULT_RULE_SET, "2026.3", { [PEG]: "5" }));
    expect(statusOf(again)).toBe(400);
    expect(await getDb().ruleSetVersion.count()).toBe(1);
  });
});

describe("rule settings: impact", () => {
  const lower = withParameterChanges(
    DEFAULT_RULE_SET,
    [{ ruleId: "GEN-FUNCTION", parameter: "pegThreshold", value: 3 }],
    "lower",
    "2026-12-06",
  );
  const higher = withParameterChanges(
    DEFAULT_RULE_SET,
    [{ ruleId: "GEN-FUNCTION", parameter: "pegThreshold", value: 5 }],
    "higher",
    "2026-12-06",
  );
  if (!lower.ok || !higher.ok) throw new Error("test rule sets");

  it("counts who would gain and who would lose a flag, with the criterion that changed", async () => {
    const gain = await computeRuleSetImpact(getDb(), lower.ruleSet, { batchSize: 2 });
    expect(gain).toMatchObject({
      baselineVersion: "2026.2",
      patients: 5,
      diagnoses: 4,
      gained: 1,
      lost: 0,
      gainedPatients: 1,
      gainedAnyway: 0,
    });
    expect(gain.samples.gained).toEqual([
      {
        patientId: population.gains.patientId,
        diagnosisId: population.gains.diagnosisId,
        criteria: ["GEN-FUNCTION: not met → met"],
      },
    ]);

    const loss = await computeRuleSetImpact(getDb(), higher.ruleSet);
    expect(loss).toMatchObject({ gained: 0, lost: 1, lostPatients: 1, lostAnyway: 0 });
    expect(loss.samples.lost[0]).toMatchObject({
      patientId: population.loses.patientId,
      criteria: ["GEN-FUNCTION: met → not met"],
    });
  });

  it("tells changes the draft makes from changes the record made since its last evaluation", async () => {
    const db = getDb();
    const { diagnosisId } = population.staysFlagged;
    await db.evaluation.updateMany({ where: { diagnosisId, current: true }, data: { flagged: false } });
    try {
      const impact = await computeRuleSetImpact(db, lower.ruleSet);
      expect(impact).toMatchObject({ gained: 2, gainedAnyway: 1 });
      expect(impact.samples.gained.map((sample) => sample.diagnosisId)).toEqual([population.gains.diagnosisId]);
    } finally {
      await db.evaluation.updateMany({ where: { diagnosisId, current: true }, data: { flagged: true } });
    }
  });

  it("computes a draft's impact in the background and shows it with MRNs", async () => {
    const draft = await getDb().ruleSetVersion.findUniqueOrThrow({ where: { version: "2026.3" } });
    const params = { versionId: draft.id };
    const path = `/admin/rules/${draft.id}`;
    const before = (await callRoute(versionLoader, { path, params, cookie: admin })) as {
      impact: unknown;
      differences: Array<{ ruleId: string; from: number; to: number }>;
    };
    expect(before.impact).toBeNull();
    expect(before.differences).toEqual([expect.objectContaining({ ruleId: "GEN-FUNCTION", from: 4, to: 3 })]);

    const started = await callRoute(versionAction, { path, params, form: { intent: "compute-impact" }, cookie: admin });
    expect(statusOf(started)).toBe(302);
    await waitForRuleSetJobs();

    const after = (await callRoute(versionLoader, { path, params, cookie: admin })) as {
      impact: {
        gained: number;
        lost: number;
        computedBy: string;
        samples: { gained: Array<{ mrn: string; diagnosis: string; criteria: string[] }> };
      };
      impactJob: { running: boolean; done: number; total: number };
    };
    expect(after.impactJob).toMatchObject({ running: false, done: 5, total: 5 });
    expect(after.impact).toMatchObject({ gained: 1, lost: 0, computedBy: "Ada Admin" });
    expect(after.impact.samples.gained).toEqual([
      {
        patientId: population.gains.patientId,
        mrn: population.gains.mrn,
        diagnosis: "M54.16 Radiculopathy, lumbar region",
        criteria: ["GEN-FUNCTION: not met → met"],
      },
    ]);
    expect(await auditEvents({ action: "rules.impact_requested", userId: adminId })).toHaveLength(1);
    expect(await auditEvents({ action: "rules.impact_computed", userId: adminId })).toHaveLength(1);
    const [viewed] = await auditEvents({ action: "rules.impact_view", userId: adminId });
    expect(viewed?.detail).toEqual({ patientIds: [population.gains.patientId] });
  });
});

describe("rule settings: activation", () => {
  it("activates a draft after confirmation and re-evaluates every patient with it", async () => {
    const draft = await getDb().ruleSetVersion.findUniqueOrThrow({ where: { version: "2026.3" } });
    const params = { versionId: draft.id };
    const path = `/admin/rules/${draft.id}`;
    expect((await flagOf(population.gains.diagnosisId)).flagged).toBe(false);

    const unconfirmed = await callRoute(versionAction, { path, params, form: { intent: "activate" }, cookie: admin });
    expect(statusOf(unconfirmed)).toBe(400);
    expect((await getDb().ruleSetVersion.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("DRAFT");

    const activated = await callRoute(versionAction, {
      path,
      params,
      form: { intent: "activate", confirm: "on" },
      cookie: admin,
    });
    expect(statusOf(activated)).toBe(302);
    await waitForRuleSetJobs();

    expect(await getDb().ruleSetVersion.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({
      status: "ACTIVE",
      activatedById: adminId,
    });
    expect((await getActiveRuleSet()).version).toBe("2026.3");
    expect((await getActiveRuleSet()).rules.function.parameters.pegThreshold.value).toBe(3);
    expect(await auditEvents({ action: "rules.activate", userId: adminId })).toEqual([
      expect.objectContaining({ entityId: draft.id, detail: { version: "2026.3", previous: "2026.2" } }),
    ]);
    expect((await auditEvents({ action: "rules.reevaluate" }))[0]?.detail).toMatchObject({
      patients: 5,
      stopped: false,
    });

    expect(await flagOf(population.gains.diagnosisId)).toEqual({ flagged: true, ruleSetVersion: "2026.3" });
    expect(await flagOf(population.staysFlagged.diagnosisId)).toEqual({ flagged: true, ruleSetVersion: "2026.3" });
    expect(await flagOf(population.staysQuiet.diagnosisId)).toEqual({ flagged: false, ruleSetVersion: "2026.3" });
    const flag = await getDb().flag.findUniqueOrThrow({ where: { diagnosisId: population.gains.diagnosisId } });
    expect(flag).toMatchObject({ status: "OPEN", metCriteria: expect.arrayContaining(["GEN-FUNCTION"]) });
    const currentPerDiagnosis = await getDb().evaluation.groupBy({
      by: ["diagnosisId"],
      where: { current: true },
      _count: { _all: true },
    });
    expect(currentPerDiagnosis.every((group) => group._count._all === 1)).toBe(true);

    const page = (await callRoute(rulesLoader, { path: "/admin/rules", cookie: admin })) as {
      active: { version: string; activatedBy: string };
      lastReevaluation: { patients: number };
    };
    expect(page.active).toMatchObject({ version: "2026.3", activatedBy: "Ada Admin" });
    expect(page.lastReevaluation.patients).toBe(5);

    const twice = await callRoute(versionAction, {
      path,
      params,
      form: { intent: "activate", confirm: "on" },
      cookie: admin,
    });
    expect(statusOf(twice)).toBe(409);
  });

  it("shows physicians which rule-set version produced each evaluation", async () => {
    const { patientId } = population.gains;
    const page = (await callRoute(patientLoader, {
      path: `/patients/${patientId}`,
      params: { patientId },
      cookie: physician,
    })) as { pathways: Array<{ diagnosis: { id: string }; evaluation?: { ruleSetVersion: string } }> };
    const pathway = page.pathways[0];
    expect(pathway?.evaluation?.ruleSetVersion).toBe("2026.3");
    // The criteria, each with the version of its rule, come with the evidence when it is opened.
    const evidence = (await callRoute(evidenceLoader, {
      path: `/patients/${patientId}/diagnoses/${pathway?.diagnosis.id}/evidence`,
      params: { patientId, diagnosisId: pathway?.diagnosis.id as string },
      cookie: physician,
    })) as { criteria: Array<{ ruleId: string; ruleVersion: number }> };
    expect(evidence.criteria.find((criterion) => criterion.ruleId === "GEN-FUNCTION")?.ruleVersion).toBe(
      DEFAULT_RULE_SET.rules.function.version + 1,
    );
  });

  it("evaluates new records with the active version from then on", async () => {
    const patient = await patientWith(3, "SEVERE");
    expect(await flagOf(patient.diagnosisId)).toEqual({ flagged: true, ruleSetVersion: "2026.3" });
  });

  it("leaves exactly one version ACTIVE when two administrators activate at once", async () => {
    const base = await getActiveRuleSet();
    const third = draftIdFrom(await submitDraft(draftForm(base, "2026.4", { [PEG]: "5" })));
    const fourth = draftIdFrom(await submitDraft(draftForm(base, "2026.5", { [PEG]: "6" })));
    const otherAdmin = await sessionCookie((await createUser("ADMIN")).id);
    const activate = (versionId: string, cookie: string) =>
      callRoute(versionAction, {
        path: `/admin/rules/${versionId}`,
        params: { versionId },
        form: { intent: "activate", confirm: "on" },
        cookie,
      });
    const results = await Promise.all([activate(third, admin), activate(fourth, otherAdmin)]);
    await waitForRuleSetJobs();
    expect(results.map(statusOf).sort()).toEqual([302, 409]);

    const rows = await getDb().ruleSetVersion.findMany({ select: { version: true, status: true } });
    const active = rows.filter((row) => row.status === "ACTIVE");
    expect(active).toHaveLength(1);
    expect(rows.find((row) => row.version === "2026.3")?.status).toBe("RETIRED");
    const winner = active[0]?.version as string;
    expect(rows.filter((row) => row.status === "DRAFT").map((row) => row.version)).toEqual([
      winner === "2026.4" ? "2026.5" : "2026.4",
    ]);
    expect((await getActiveRuleSet()).version).toBe(winner);
    const versions = await getDb().evaluation.groupBy({ by: ["ruleSetVersion"], where: { current: true } });
    expect(versions.map((group) => group.ruleSetVersion)).toEqual([winner]);
  });

  it("stops a re-evaluation whose rule set is no longer current, writing nothing", async () => {
    const before = await getDb().evaluation.count();
    const result = await reevaluateAllPatients(
      getDb(),
      { ruleSet: DEFAULT_RULE_SET, now: new Date(), today: clinicToday() },
      { stillCurrent: async () => false },
    );
    expect(result).toEqual({ patients: 0, changed: 0, stopped: true });
    expect(await getDb().evaluation.count()).toBe(before);
  });
});

describe("rule settings: who may", () => {
  it("refuses physicians and nurses every rule-settings page and action", async () => {
    const draft = await getDb().ruleSetVersion.findFirstOrThrow({ where: { status: "DRAFT" } });
    const params = { versionId: draft.id };
    for (const cookie of [physician, nurse]) {
      expect(statusOf(await callRoute(rulesLoader, { path: "/admin/rules", cookie }))).toBe(403);
      expect(statusOf(await callRoute(newDraftLoader, { path: "/admin/rules/new", cookie }))).toBe(403);
      const base = await getActiveRuleSet();
      expect(statusOf(await submitDraft(draftForm(base, "2027.9", { [PEG]: "7" }), cookie))).toBe(403);
      const path = `/admin/rules/${draft.id}`;
      expect(statusOf(await callRoute(versionLoader, { path, params, cookie }))).toBe(403);
      const forms: Array<Record<string, string>> = [
        { intent: "compute-impact" },
        { intent: "activate", confirm: "on" },
      ];
      for (const form of forms) {
        expect(statusOf(await callRoute(versionAction, { path, params, form, cookie }))).toBe(403);
      }
    }
    expect(await getDb().ruleSetVersion.count({ where: { version: "2027.9" } })).toBe(0);
    expect((await getDb().ruleSetVersion.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("DRAFT");
  });
});

describe("rule settings: a stored rule set that does not fit this release", () => {
  it("is refused loudly rather than half-used", async () => {
    const db = getDb();
    const { rules, ...rest } = DEFAULT_RULE_SET;
    const { pegThreshold: _dropped, ...functionParameters } = rules.function.parameters;
    const broken = {
      ...rest,
      version: "broken",
      rules: { ...rules, function: { ...rules.function, parameters: functionParameters } },
    };
    await db.ruleSetVersion.updateMany({ where: { status: "ACTIVE" }, data: { status: "RETIRED" } });
    await db.ruleSetVersion.create({
      data: {
        version: "broken",
        basedOn: "2026.2",
        status: "ACTIVE",
        ruleSet: broken as unknown as Prisma.InputJsonValue,
        reason: "hand-edited",
        createdById: adminId,
      },
    });
    await expect(getActiveRuleSet()).rejects.toThrow(InvalidStoredRuleSetError);
    await expect(getActiveRuleSet()).rejects.toThrow(/GEN-FUNCTION\.pegThreshold is missing/);
  });
});
