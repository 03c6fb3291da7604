import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/server/db.server";
import { CASELOAD_PAGE_SIZE } from "~/models/caseload.server";
import { loader as caseloadLoader } from "~/routes/my-patients";
import { auditEvents, createPatient, createUser } from "../helpers/fixtures";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

type Caseload = {
  rows: Array<{ patientId: string; familyName: string; stage: string }>;
  counts: Record<string, number>;
  page: number;
  lastPage: number;
};

const PATIENTS = CASELOAD_PAGE_SIZE + 3;
let physicianId: string;
let cookie: string;

beforeAll(async () => {
  physicianId = (await createUser("PHYSICIAN")).id;
  cookie = await sessionCookie(physicianId);
  // Created in reverse so that the list's order (family name) is not the order of insertion.
  for (let index = PATIENTS; index >= 1; index -= 1) {
    await createPatient(physicianId, { familyName: `Caseload-${String(index).padStart(3, "0")}` });
  }
  const discharged = await createPatient(physicianId, { familyName: "Caseload-discharged" });
  await getDb().patient.update({ where: { id: discharged.patient.id }, data: { status: "DISCHARGED" } });
});

async function caseload(query: string): Promise<Caseload> {
  return (await callRoute(caseloadLoader, { path: `/my-patients${query}`, cookie })) as Caseload;
}

describe("my patients (a physician's caseload)", () => {
  it("shows one page of the caseload at a time, in family-name order, and counts every stage over the whole caseload", async () => {
    const first = await caseload("");
    expect(first.rows).toHaveLength(CASELOAD_PAGE_SIZE);
    expect(first.rows[0]?.familyName).toBe("Caseload-001");
    expect(first).toMatchObject({ page: 1, lastPage: 2 });
    expect(first.counts).toMatchObject({ CONSERVATIVE_CARE: PATIENTS, DISCHARGED: 1 });

    const second = await caseload("?page=2");
    expect(second.rows.map((row) => row.familyName)).toEqual([
      ...[51, 52, 53].map((index) => `Caseload-0${index}`),
      "Caseload-discharged",
    ]);
  });

  it("keeps the stage filter across pages and shows the last page for a page past the end", async () => {
    const conservative = await caseload("?stage=CONSERVATIVE_CARE&page=9");
    expect(conservative).toMatchObject({ page: 2, lastPage: 2 });
    expect(conservative.rows.map((row) => row.familyName)).toEqual([51, 52, 53].map((index) => `Caseload-0${index}`));

    const discharged = await caseload("?stage=DISCHARGED");
    expect(discharged).toMatchObject({ page: 1, lastPage: 1 });
    expect(discharged.rows.map((row) => row.stage)).toEqual(["DISCHARGED"]);
  });

  it("audits the patients the page showed, not the whole caseload", async () => {
    const shown = await caseload("?page=2");
    const events = await auditEvents({ action: "patient.list", userId: physicianId });
    const detail = events.at(-1)?.detail as { list: string; page: number; patientIds: string[] };
    expect(detail).toMatchObject({ list: "caseload", page: 2 });
    expect(detail.patientIds).toEqual(shown.rows.map((row) => row.patientId));
  });
});
