// Query-plan guards: the hot queries of the busiest pages must reach their rows through an index,
// not by reading a whole table. The statements checked are the ones the app itself sends: each
// model function runs on a Prisma client whose pg pool records every statement, and each recorded
// SELECT is explained with its own parameters (as the app's unnamed statements are planned).
//
// Size: 5,000 patients from the dataset generator (about 80,000 assessments), analysed. At this
// size a sequential scan of Patient or OutcomeAssessment is already dearer than an index probe,
// so the planner's choice means something and enable_seqscan stays on.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingClient } from "../../tools/bench/capture";
import { auditPage } from "~/models/audit-trail.server";
import { listWorklist } from "~/models/flag.server";
import { loadPatientRecord } from "~/models/patient-record.server";
import { reevaluatePatients } from "~/models/evaluation.server";
import { listNeedsData, loadCaseload } from "~/models/caseload.server";
import { findPatientByMrn, listDueForFollowUp, searchPatients } from "~/models/patient.server";
import { loadReferralState } from "~/models/referral-state.server";
import { getActiveRuleSet } from "~/models/rule-set.server";
import { loadDataset } from "../../tools/dataset/load";
import { getDb } from "~/server/db.server";

const TODAY = "2026-11-27";
// Every time below derives from TODAY, never from the real clock: the plans must not change with the date.
const NOW = new Date(`${TODAY}T16:00:00Z`);
const PATIENTS = 5000;
const url = process.env.DATABASE_URL as string;

const recorder = recordingClient(url);
// The model functions reach the database through getDb(), which uses this client when it is set.
globalThis.__painpathPrisma = recorder.client;
const client = new pg.Client({ connectionString: url });

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** The plans of the SELECTs that `work` sends, one per statement. */
async function plansOf(work: () => Promise<unknown>) {
  const recorded = await recorder.pool.record(work);
  const selects = recorded.filter((statement) => /^\s*SELECT\b/i.test(statement.text));
  expect(selects.length).toBeGreaterThan(0);
  const plans: Array<{ text: string; nodes: PlanNode[] }> = [];
  for (const statement of selects) {
    const { rows } = await client.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${statement.text}`,
      statement.values,
    );
    const root = rows[0]?.["QUERY PLAN"][0]?.Plan as PlanNode;
    plans.push({ text: statement.text, nodes: nodesOf(root) });
  }
  return plans;
}

/** Tables read by a sequential scan anywhere in the plan; User (a few hundred staff) is cheapest that way. */
const seqScans = (nodes: PlanNode[]) =>
  nodes
    .filter((node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] !== "User")
    .map((node) => node["Relation Name"]);
const indexesUsed = (nodes: PlanNode[]) => nodes.flatMap((node) => node["Index Name"] ?? []);
/** The plan below the first LIMIT: the work done for every row an OFFSET skips. */
const underLimit = (nodes: PlanNode[]) => {
  const limit = nodes.find((node) => node["Node Type"] === "Limit");
  expect(limit).toBeDefined();
  return nodesOf(limit as PlanNode);
};
const relationsUnderLimit = (nodes: PlanNode[]) => underLimit(nodes).flatMap((node) => node["Relation Name"] ?? []);

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await client.query<T>(text, values)).rows;
}

let patient: { id: string; mrn: string; familyName: string; givenName: string };

beforeAll(async () => {
  await loadDataset(url, { patients: PATIENTS, seed: 11, today: TODAY });
  await client.connect();
  const [sampled] = await sql<typeof patient>(
    `SELECT p.id, p.mrn, p."familyName", p."givenName" FROM "Patient" p
      WHERE EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."patientId" = p.id)
        AND EXISTS (SELECT 1 FROM "PainDiagnosis" d WHERE d."patientId" = p.id)
      ORDER BY md5(p.id::text) LIMIT 1`,
  );
  if (!sampled) throw new Error("The data set has no audited patient with a diagnosis");
  patient = sampled;
  // The patient whose page is read gets real evaluations from the engine, which the page expands.
  const ruleSet = await getActiveRuleSet();
  await reevaluatePatients(getDb(), [patient.id], { ruleSet, now: NOW, today: TODAY });
  // Everyone else gets synthetic rows (the batch re-evaluation is far too slow for a test): one
  // current evaluation per diagnosis, and an open flag, with its first event, for about a quarter of
  // them (2 % urgent), and missing data for about 40 %, the proportions the 100k benchmark data set ends up with.
  await sql(
    `INSERT INTO "Evaluation" (id, "patientId", "diagnosisId", "ruleSetVersion", "evaluatedAt", "evaluatedOn",
                              fingerprint, flagged, urgent, "needsData", current, summary, result)
     SELECT gen_random_uuid(), d."patientId", d.id, $1, $3::timestamptz, DATE '${TODAY}', md5(d.id::text),
            abs(hashtext(d.id::text)) % 4 = 0, false, abs(hashtext(d.id::text)) % 5 < 2, true, 'synthetic', '{}'::jsonb
       FROM "PainDiagnosis" d WHERE d."patientId" <> $2`,
    [ruleSet.version, patient.id, NOW],
  );
  await sql(
    `INSERT INTO "Flag" (id, "patientId", "diagnosisId", "physicianId", status, urgent, summary, "metCriteria",
                        "suggestedProcedures", "waitingSince", "actedMetCriteria", "evaluationId", "updatedAt")
     SELECT gen_random_uuid(), e."patientId", e."diagnosisId", p."assignedPhysicianId", 'OPEN',
            abs(hashtext(e.id::text)) % 50 = 0, 'synthetic', '{}', '{}',
            $2::timestamptz - (abs(hashtext(e.id::text)) % 400) * interval '1 day', '{}', e.id, $2::timestamptz
       FROM "Evaluation" e JOIN "Patient" p ON p.id = e."patientId" WHERE e.flagged AND e."patientId" <> $1`,
    [patient.id, NOW],
  );
  await sql(
    `INSERT INTO "FlagEvent" ("flagId", "toStatus", at)
     SELECT id, 'OPEN', "waitingSince" FROM "Flag" WHERE "patientId" <> $1`,
    [patient.id],
  );
  await sql(`VACUUM ANALYZE "Evaluation", "Flag", "FlagEvent"`);
}, 60_000);

afterAll(async () => {
  await client.end();
  await recorder.disconnect();
  await recorder.pool.end();
});

describe("query plans at 5,000 patients", () => {
  it("finds patients by name or MRN through the trigram indexes", async () => {
    for (const query of [
      patient.familyName,
      `${patient.familyName.slice(0, 4)} ${patient.givenName.slice(0, 3)}`,
      patient.mrn.slice(-5),
    ]) {
      const [plan] = await plansOf(() => searchPatients(query));
      expect(seqScans(plan?.nodes ?? []), query).not.toContain("Patient");
      expect(indexesUsed(plan?.nodes ?? []), query).toEqual(
        expect.arrayContaining(["Patient_name_trgm_idx", "Patient_mrn_trgm_idx"]),
      );
    }
  });

  it("answers a two-letter search word from the name prefix indexes", async () => {
    const [plan] = await plansOf(() => searchPatients(patient.familyName.slice(0, 2)));
    expect(seqScans(plan?.nodes ?? [])).not.toContain("Patient");
    expect(indexesUsed(plan?.nodes ?? [])).toEqual(
      expect.arrayContaining(["Patient_familyName_prefix_idx", "Patient_givenName_prefix_idx"]),
    );
  });

  it("finds a patient by MRN, whatever its case, through one index", async () => {
    const [plan] = await plansOf(() => findPatientByMrn(patient.mrn.toLowerCase()));
    expect(seqScans(plan?.nodes ?? [])).not.toContain("Patient");
    expect(indexesUsed(plan?.nodes ?? [])).toContain("Patient_mrn_lower_key");
  });

  it("reads the needs-data list in (evaluatedAt, id) order from its partial index, and counts it only so far", async () => {
    const plans = await plansOf(() => listNeedsData(2));
    const page = plans.find((plan) => /ORDER BY/i.test(plan.text));
    expect(seqScans(page?.nodes ?? [])).not.toContain("Evaluation");
    expect(indexesUsed(page?.nodes ?? [])).toContain("Evaluation_current_needsData_idx");
    // The page is cut in index order, not from a sort of every such pathway.
    expect(underLimit(page?.nodes ?? []).some((node) => node["Node Type"].includes("Sort"))).toBe(false);
    // The rows OFFSET skips are not joined to their diagnosis: only the page's rows are.
    expect(relationsUnderLimit(page?.nodes ?? [])).not.toContain("PainDiagnosis");
    // The count stops at a cap, however many pathways lack data.
    expect(plans.find((plan) => plan.text.includes("count(*)"))?.nodes.map((node) => node["Node Type"])).toContain(
      "Limit",
    );
  });

  it("reads a physician's caseload patient by patient through the diagnosis index, however large the caseload", async () => {
    const [busiest] = await sql<{ id: string }>(
      `SELECT "assignedPhysicianId" AS id FROM "Patient" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const [plan] = await plansOf(() => loadCaseload(busiest?.id as string, TODAY));
    expect(seqScans(plan?.nodes ?? [])).toEqual([]);
    expect(indexesUsed(plan?.nodes ?? [])).toEqual(
      expect.arrayContaining(["Patient_assignedPhysicianId_idx", "PainDiagnosis_patientId_idx"]),
    );
  });

  it("reads the follow-up list in followUpAnchor order from an index", async () => {
    const plans = await plansOf(() => listDueForFollowUp({ today: TODAY, intervalDays: 14 }));
    const list = plans.find((plan) => /LIMIT/i.test(plan.text));
    expect(seqScans(list?.nodes ?? [])).toEqual([]);
    expect(
      indexesUsed(list?.nodes ?? []).filter((name) =>
        ["Patient_followUpAnchor_idx", "Patient_active_followUpAnchor_idx"].includes(name),
      ),
    ).not.toEqual([]);
    // Every therapy count is a probe of the (patientId, startDate) index, not a TherapyTrial scan.
    expect(indexesUsed(list?.nodes ?? [])).toContain("TherapyTrial_patientId_startDate_idx");
    // Only for the page's patients, not for every patient OFFSET skips.
    expect(relationsUnderLimit(list?.nodes ?? [])).not.toContain("TherapyTrial");
  });

  it("cuts the worklist page from the flags in index order, without reading every open flag", async () => {
    const [physician] = await sql<{ id: string }>(
      `SELECT "physicianId" AS id FROM "Flag" GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    for (const page of [1, 3]) {
      const plans = await plansOf(() => listWorklist(physician?.id as string, TODAY, { page }));
      const rows = plans.find((plan) => /ORDER BY/i.test(plan.text));
      // The four slices (under the Append) are what grows with the number of open flags. Joining the
      // 50 chosen ids back to Flag may be a hash join over a small table; and the count of open flags
      // (the other statement) reads them all by nature.
      const slices = (rows?.nodes ?? [])
        .filter((node) => /Append$/.test(node["Node Type"]))
        .flatMap((node) => nodesOf(node).slice(1));
      expect(slices.length, `page ${page}`).toBeGreaterThan(0);
      expect(seqScans(slices), `page ${page}`).toEqual([]);
      expect(indexesUsed(slices), `page ${page}`).toContain("Flag_worklist_idx");
    }
  });

  it("reads one patient's record, evaluations, flags and referrals by patient id only", async () => {
    // One statement each, every table of the record reached through its patient index.
    const plans = await plansOf(() => Promise.all([loadPatientRecord(patient.id), loadReferralState(patient.id)]));
    expect(plans).toHaveLength(2);
    for (const plan of plans) expect(seqScans(plan.nodes), plan.text).toEqual([]);
    expect(plans.flatMap((plan) => indexesUsed(plan.nodes))).toEqual(
      expect.arrayContaining([
        "PainDiagnosis_patientId_idx",
        "TherapyTrial_patientId_startDate_idx",
        "OutcomeAssessment_patientId_assessedOn_idx",
        "ProcedureRecord_patientId_performedOn_idx",
        "Evaluation_patientId_idx",
        "Flag_patientId_idx",
        "Referral_patientId_idx",
      ]),
    );
  });

  it("reads a patient's audit trail from the (patientId, at) index and the lists that showed them in time order", async () => {
    const cursor = { direction: "older" as const, at: new Date(NOW.getTime() - 24 * 3600_000), id: 1_000_000n };
    for (const page of [undefined, cursor, { ...cursor, direction: "newer" as const }]) {
      const plans = await plansOf(() => auditPage({ patientId: patient.id }, page));
      const trail = plans.filter((plan) => /"AuditEvent"/.test(plan.text));
      expect(trail.length).toBeGreaterThan(0);
      for (const plan of trail) {
        expect(seqScans(plan.nodes), plan.text).toEqual([]);
        const indexes = indexesUsed(plan.nodes);
        expect(indexes, plan.text).toEqual(
          expect.arrayContaining(["AuditEvent_patientId_at_idx", "AuditEventListedPatient_pkey"]),
        );
        // Neither every event in time order nor every list that showed the patient, unordered.
        expect(indexes, plan.text).not.toContain("AuditEvent_at_idx");
        expect(indexes, plan.text).not.toContain("AuditEvent_listed_patients_idx");
      }
    }
  });

  // Last in the file: it adds events the earlier plans were not chosen with. A few hundred events
  // of one patient among tens of thousands is the shape that made the patient-or-list filter walk
  // the whole (at) index at 100,000 patients.
  it("reads the trail of a patient with hundreds of recent events of their own from the (patientId, at) index, not by walking every event", async () => {
    await sql(
      `INSERT INTO "AuditEvent" ("at", action, "entityType", "entityId", "patientId")
       SELECT $2::timestamptz - g * interval '1 second', 'patient.view', 'Patient', $1::text, $1::uuid FROM generate_series(1, 300) AS g`,
      [patient.id, NOW],
    );
    await sql(`ANALYZE "AuditEvent"`);
    const plans = await plansOf(() => auditPage({ patientId: patient.id }));
    const trail = plans.filter((plan) => /"AuditEvent"/.test(plan.text));
    expect(trail.length).toBeGreaterThan(0);
    for (const plan of trail) {
      expect(indexesUsed(plan.nodes), plan.text).toContain("AuditEvent_patientId_at_idx");
      expect(indexesUsed(plan.nodes), plan.text).not.toContain("AuditEvent_at_idx");
    }
  });
});
