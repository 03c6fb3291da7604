// Before anything reads the environment: month boundaries must follow the clinic's clock, not UTC.
process.env.CLINIC_TIME_ZONE = "America/New_York";

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  REPORT_TABLE_IDS,
  reportTables,
  tableRows,
  type ReportTable,
  type ReportTableId,
} from "~/domain/referral-report";
import { defaultReportRange, type DateRange } from "~/domain/report-math";
import type { DismissReason, FlagStatus, ProcedureType, ReferralStatus } from "~/generated/prisma/enums";
import { loadReferralReport } from "~/models/reports.server";
import { loader as exportLoader } from "~/routes/reports_.export";
import { loader as reportsLoader } from "~/routes/reports";
import { clinicToday } from "~/server/clinic-time.server";
import { getDb } from "~/server/db.server";
import { auditEvents, createUser } from "../helpers/fixtures";
import { callRoute } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

/**
 * A small clinic whose right answers are worked out by hand (see each table's test). Times are UTC
 * instants; New York is UTC−5 until 9 March 2025 and UTC−4 after, and 15:00 UTC is the same
 * calendar day in both zones.
 */
const RANGE = "from=2025-01-01&to=2025-03-31";

let adminId: string;
let admin: string;
let physician: string;
let nurse: string;
const patients: Array<{ id: string; diagnosisIds: string[] }> = [];

async function addPatient(physicianId: string, names: { mrn: string; givenName: string; familyName: string }) {
  const db = getDb();
  const patient = await db.patient.create({
    data: {
      ...names,
      birthDate: new Date("1960-01-01T00:00:00Z"),
      sex: "UNKNOWN",
      assignedPhysicianId: physicianId,
      createdById: physicianId,
    },
  });
  const entry = { id: patient.id, diagnosisIds: [] as string[] };
  patients.push(entry);
  return entry;
}

async function addDiagnosis(patient: { id: string; diagnosisIds: string[] }, createdById: string) {
  const diagnosis = await getDb().painDiagnosis.create({
    data: {
      patientId: patient.id,
      icd10Code: "M54.16",
      label: "Radiculopathy, lumbar region",
      bodyRegion: "LUMBAR",
      painType: "RADICULAR",
      onsetDate: new Date("2023-01-01T00:00:00Z"),
      createdById,
    },
  });
  patient.diagnosisIds.push(diagnosis.id);
  return diagnosis.id;
}

async function addReferral(
  patient: { id: string; diagnosisIds: string[] },
  createdById: string,
  createdAt: string,
  procedure: ProcedureType,
  status: ReferralStatus,
  dates: { scheduledFor?: string; procedureDate?: string } = {},
) {
  await getDb().referral.create({
    data: {
      patientId: patient.id,
      diagnosisId: patient.diagnosisIds[0] ?? (await addDiagnosis(patient, createdById)),
      procedure,
      receivingClinic: "Spine Centre",
      urgency: "ROUTINE",
      reason: "Persistent radicular pain",
      conservativeCareContinues: true,
      status,
      createdById,
      createdAt: new Date(createdAt),
      scheduledFor: dates.scheduledFor ? new Date(`${dates.scheduledFor}T00:00:00Z`) : null,
      procedureDate: dates.procedureDate ? new Date(`${dates.procedureDate}T00:00:00Z`) : null,
      cancelReason: status === "CANCELLED" ? "Patient moved away" : null,
    },
  });
}

type Move = [from: FlagStatus | null, to: FlagStatus, at: string, reason?: DismissReason | string];

/** A flag with its history; the flag row's status is the last move's. */
async function addFlag(
  patient: { id: string; diagnosisIds: string[] },
  physicianId: string,
  metCriteria: string[],
  moves: Move[],
) {
  const db = getDb();
  const flag = await db.flag.create({
    data: {
      patientId: patient.id,
      diagnosisId: await addDiagnosis(patient, physicianId),
      physicianId,
      status: moves.at(-1)?.[1] ?? "OPEN",
      urgent: false,
      summary: "Pain persists",
      metCriteria,
      waitingSince: new Date(moves[0]?.[2] ?? "2025-01-01T00:00:00Z"),
      evaluationId: randomUUID(),
    },
  });
  for (const [fromStatus, toStatus, at, reason] of moves) {
    // A raise records the criteria met at that moment, as the evaluation does.
    const raise = toStatus === "OPEN" && (fromStatus === null || fromStatus === "RESOLVED");
    await db.flagEvent.create({
      data: { flagId: flag.id, fromStatus, toStatus, at: new Date(at), reason, ...(raise && { metCriteria }) },
    });
  }
  return flag.id;
}

beforeAll(async () => {
  adminId = (await createUser("ADMIN")).id;
  admin = await sessionCookie(adminId);
  const ada = (await createUser("PHYSICIAN", { name: "Dr Ada Alpha" })).id;
  const ben = (await createUser("PHYSICIAN", { name: "Dr Ben Beta" })).id;
  physician = await sessionCookie(ada);
  nurse = await sessionCookie((await createUser("NURSE")).id);

  const plain = await addPatient(ada, { mrn: "MRN-001", givenName: "Alex", familyName: "Plain" });
  const hostile = await addPatient(ben, {
    mrn: "+44123",
    givenName: '=HYPERLINK("http://evil.test","Click")',
    familyName: "@SUM(A1:A9)",
  });
  const other = await addPatient(ada, { mrn: "MRN-003", givenName: "Sam", familyName: "O'Brien, Jr" });

  // Referrals. In the range (clinic days 1 January – 31 March 2025):
  await addReferral(plain, ada, "2025-01-15T15:00:00Z", "EPIDURAL_STEROID_INJECTION", "COMPLETED", {
    procedureDate: "2025-01-25", // 10 days
  });
  // 23:30 on 31 January in New York, 1 February in UTC: January.
  await addReferral(plain, ada, "2025-02-01T04:30:00Z", "EPIDURAL_STEROID_INJECTION", "PENDING");
  await addReferral(hostile, ben, "2025-02-10T15:00:00Z", "GENICULAR_NERVE_BLOCK", "CANCELLED");
  await addReferral(other, ada, "2025-02-20T15:00:00Z", "FACET_JOINT_INJECTION", "COMPLETED", {
    procedureDate: "2025-03-01", // 9 days
  });
  await addReferral(hostile, ben, "2025-03-05T15:00:00Z", "EPIDURAL_STEROID_INJECTION", "SCHEDULED", {
    scheduledFor: "2025-04-02",
  });
  await addReferral(other, ada, "2025-03-20T15:00:00Z", "MEDIAL_BRANCH_BLOCK", "COMPLETED", {
    procedureDate: "2025-03-24", // 4 days
  });
  // 23:30 on 31 March in New York (daylight time), 1 April in UTC: March, in the range.
  await addReferral(plain, ben, "2025-04-01T03:30:00Z", "RADIOFREQUENCY_ABLATION", "PENDING");
  // Outside: 23:30 on 31 December 2024 in New York, and 00:30 on 1 April 2025 in New York.
  await addReferral(plain, ada, "2025-01-01T04:30:00Z", "EPIDURAL_STEROID_INJECTION", "PENDING");
  await addReferral(plain, ada, "2025-04-01T04:30:00Z", "EPIDURAL_STEROID_INJECTION", "COMPLETED", {
    procedureDate: "2025-04-02",
  });

  // Flags. F1: raised, referred 2 days later.
  await addFlag(
    plain,
    ada,
    ["GEN-PERSIST", "ESI"],
    [
      [null, "OPEN", "2025-01-10T15:00:00Z"],
      ["OPEN", "REFERRED", "2025-01-12T15:00:00Z", "Referral r1"],
    ],
  );
  // F2: dismissed, re-opened by new evidence (not a new raise), then referred: referred, 24 days.
  await addFlag(
    plain,
    ada,
    ["GEN-PERSIST", "FACET-MBB"],
    [
      [null, "OPEN", "2025-02-01T15:00:00Z"],
      ["OPEN", "DISMISSED", "2025-02-03T15:00:00Z", "PATIENT_DECLINES"],
      ["DISMISSED", "OPEN", "2025-02-20T15:00:00Z", "New criterion met: FACET-MBB."],
      ["OPEN", "REFERRED", "2025-02-25T15:00:00Z", "Referral r2"],
    ],
  );
  // F3: dismissed twice: counted once, under the last reason.
  await addFlag(
    other,
    ada,
    ["GEN-PERSIST", "ESI"],
    [
      [null, "OPEN", "2025-02-05T15:00:00Z"],
      ["OPEN", "DISMISSED", "2025-02-06T15:00:00Z", "NOT_CLINICALLY_INDICATED"],
      ["DISMISSED", "OPEN", "2025-02-15T15:00:00Z", "Pain worsened from 5 to 7."],
      ["OPEN", "DISMISSED", "2025-02-16T15:00:00Z", "DATA_INCORRECT"],
    ],
  );
  // F4: raised and referred before the range; re-raised in it after being resolved, then snoozed.
  await addFlag(
    hostile,
    ben,
    ["GENICULAR"],
    [
      [null, "OPEN", "2024-12-01T15:00:00Z"],
      ["OPEN", "REFERRED", "2024-12-05T15:00:00Z", "Referral r0"],
      ["REFERRED", "RESOLVED", "2025-01-20T15:00:00Z", "Referral completed"],
      ["RESOLVED", "OPEN", "2025-03-01T15:00:00Z", "The record suggests a referral again."],
      ["OPEN", "SNOOZED", "2025-03-03T15:00:00Z", "until 2025-06-01"],
    ],
  );
  // F5: two raises in the range: the first dismissed, the second referred after the range (36 days).
  await addFlag(
    other,
    ada,
    ["ESI"],
    [
      [null, "OPEN", "2025-01-05T15:00:00Z"],
      ["OPEN", "DISMISSED", "2025-01-06T15:00:00Z", "CONTRAINDICATED"],
      ["DISMISSED", "RESOLVED", "2025-01-20T15:00:00Z", "The record no longer suggests a referral."],
      ["RESOLVED", "OPEN", "2025-03-10T15:00:00Z", "The record suggests a referral again."],
      ["OPEN", "REFERRED", "2025-04-15T15:00:00Z", "Referral r3"],
    ],
  );
  // F6: raised at 23:30 on 31 March in New York: in the range, still open.
  await addFlag(hostile, ben, ["ESI"], [[null, "OPEN", "2025-04-01T03:30:00Z"]]);
  // Outside: raised at 00:30 on 1 April in New York; raised on 31 December in New York, dismissed in the range.
  await addFlag(plain, ada, ["GEN-PERSIST"], [[null, "OPEN", "2025-04-01T04:30:00Z"]]);
  await addFlag(
    other,
    ada,
    ["GEN-PERSIST"],
    [
      [null, "OPEN", "2025-01-01T04:30:00Z"],
      ["OPEN", "DISMISSED", "2025-01-03T15:00:00Z", "OTHER"],
    ],
  );
});

async function pageData(cookie = admin, query = RANGE) {
  return (await callRoute(reportsLoader, { path: `/reports?${query}`, cookie })) as {
    range: DateRange;
    timeZone: string;
    tables: Record<ReportTableId, ReportTable>;
    problems: string[];
  };
}

function rowsOf(tables: Record<ReportTableId, ReportTable>, id: ReportTableId) {
  return tableRows(tables[id]);
}

describe("the referral reports page", () => {
  it("counts referrals by procedure and clinic month, with totals that add up both ways", async () => {
    const { tables, timeZone, problems } = await pageData();
    expect(problems).toEqual([]);
    expect(timeZone).toBe("America/New_York");
    const rows = rowsOf(tables, "procedure-month");
    expect(rows[0]).toEqual(["Procedure", "2025-01", "2025-02", "2025-03", "Total"]);
    // Both 23:30 referrals stay in their clinic month (January, March); the two outside the range are left out.
    expect(rows).toContainEqual(["Epidural steroid injection (ESI)", 2, 0, 1, 3]);
    expect(rows).toContainEqual(["Genicular nerve block", 0, 1, 0, 1]);
    expect(rows).toContainEqual(["Facet joint injection", 0, 1, 0, 1]);
    expect(rows).toContainEqual(["Medial branch block (MBB)", 0, 0, 1, 1]);
    expect(rows).toContainEqual(["Radiofrequency ablation (RFA)", 0, 0, 1, 1]);
    expect(rows).toContainEqual(["Other procedure", 0, 0, 0, 0]);
    expect(rows.at(-1)).toEqual(["All procedures", 2, 2, 3, 7]);
    const body = rows.slice(1, -1) as number[][];
    for (let column = 1; column <= 4; column += 1) {
      expect(body.reduce((total, row) => total + (row[column] as number), 0)).toBe(rows.at(-1)?.[column]);
    }
    for (const row of body) expect(row.slice(1, 4).reduce((a, b) => a + b, 0)).toBe(row[4]);
  });

  it("puts the 23:30 referral in the next month when the clinic's clock is UTC", async () => {
    const utc = await loadReferralReport({ from: "2025-01-01", to: "2025-03-31" }, "UTC", ["procedure-month"]);
    const esi = rowsOf(reportTables(utc), "procedure-month").find(
      (row) => row[0] === "Epidural steroid injection (ESI)",
    );
    // 2025-01-01T04:30Z joins January; 2025-02-01T04:30Z moves to February; 2025-04-01T03:30Z leaves the range.
    expect(esi).toEqual(["Epidural steroid injection (ESI)", 2, 1, 1, 4]);
  });

  it("counts referrals by referring physician and by current status, cancelled under cancelled", async () => {
    const { tables } = await pageData();
    expect(rowsOf(tables, "physician")).toEqual([
      ["Referring physician", "Pending", "Scheduled", "Completed", "Cancelled", "Total"],
      ["Dr Ada Alpha", 1, 0, 3, 0, 4],
      ["Dr Ben Beta", 1, 1, 0, 1, 3],
      ["All physicians", 2, 1, 3, 1, 7],
    ]);
    expect(rowsOf(tables, "status")).toEqual([
      ["Status", "Referrals", "Share (%)"],
      ["Pending", 2, 28.6],
      ["Scheduled", 1, 14.3],
      ["Completed", 3, 42.9],
      ["Cancelled", 1, 14.3],
      ["All referrals", 7, 100],
    ]);
  });

  it("follows each flag raise in the range to a referral, a dismissal or neither", async () => {
    const { tables } = await pageData();
    // Raises: F1, F2, F3, F4 (re-raise), F5 twice, F6 (23:30 on 31 March) = 7.
    expect(rowsOf(tables, "funnel")).toEqual([
      ["Step", "Flag raises", "Share of raises (%)"],
      ["Raised", 7, 100],
      ["Referred", 3, 42.9], // F1, F2 (after a dismissal), F5's second raise (after the range)
      ["Dismissed", 2, 28.6], // F3 (last reason: data incorrect), F5's first raise (contraindicated)
      ["Dismissed: Not clinically indicated", 0, 0],
      ["Dismissed: Patient declines interventional care", 0, 0],
      ["Dismissed: Already under an interventional specialist", 0, 0],
      ["Dismissed: The record is incomplete or incorrect", 1, 14.3],
      ["Dismissed: Contraindicated", 1, 14.3],
      ["Dismissed: Other (see note)", 0, 0],
      ["Neither referred nor dismissed (yet)", 2, 28.6], // F4 (snoozed; its referral was an earlier raise's), F6
    ]);
    expect(rowsOf(tables, "time-to-act")).toEqual([
      ["Interval", "Median days", "Measured"],
      ["Flag raised → referral", 24, 3], // 2, 24, 36
      ["Referral → procedure (completed referrals)", 9, 3], // 10, 9, 4
    ]);
  });

  it("reports how often each rule fired, led to a referral or was overridden", async () => {
    const { tables } = await pageData();
    expect(rowsOf(tables, "rules")).toEqual([
      [
        "Rule id",
        "Rule",
        "Fired",
        "Referred",
        "Dismissed",
        "Override rate (%)",
        "Dismissed: not indicated",
        "Dismissed: patient declines",
        "Dismissed: under a specialist",
        "Dismissed: record incorrect",
        "Dismissed: contraindicated",
        "Dismissed: other",
      ],
      ["ESI", "Epidural steroid injection", 5, 2, 2, 40, 0, 0, 0, 1, 1, 0],
      ["GEN-PERSIST", "Pain persists despite medication and therapy", 3, 2, 1, 33.3, 0, 0, 0, 1, 0, 0],
      ["FACET-MBB", "Facet medial branch block (diagnostic)", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      ["GENICULAR", "Genicular nerve block, then genicular RFA (knee osteoarthritis)", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it("defaults to the last twelve complete months in the clinic's time zone", async () => {
    const { range } = await pageData(admin, "");
    expect(range).toEqual(defaultReportRange(clinicToday()));
  });

  it("says when the dates cannot be used, and shows the default range", async () => {
    const { range, problems } = await pageData(admin, "from=2025-03-01&to=2025-02-01");
    expect(problems).toEqual(["The start date is after the end date."]);
    expect(range).toEqual(defaultReportRange(clinicToday()));
  });

  it("audits each view without patient ids", async () => {
    const before = (await auditEvents({ action: "report.view", userId: adminId })).length;
    await pageData();
    const views = await auditEvents({ action: "report.view", userId: adminId });
    expect(views).toHaveLength(before + 1);
    expect(views.at(-1)).toMatchObject({
      patientId: null,
      detail: { report: "referrals", from: "2025-01-01", to: "2025-03-31" },
    });
    expect(JSON.stringify(views.at(-1)?.detail)).not.toMatch(new RegExp(patients.map((p) => p.id).join("|")));
  });
});

/** RFC 4180 fields, enough for these files: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      index += 1;
    } else field += char;
  }
  return records;
}

async function download(query: string, cookie = admin) {
  const response = (await callRoute(exportLoader, { path: `/reports/export?${query}`, cookie })) as Response;
  return response;
}

async function csvOf(response: Response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  // The UTF-8 byte-order mark, so spreadsheets read names as UTF-8 (text() would drop it unseen).
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder().decode(bytes.slice(3)));
}

describe("the flag episodes the funnel counts", () => {
  it("gives a dismissal to the raise written last, even when a batch run stamped that raise earlier", async () => {
    const patient = patients[0] as { id: string; diagnosisIds: string[] };
    // Years before every range the other tests read; the second raise carries an earlier time.
    await addFlag(
      patient,
      adminId,
      ["EPISODE-ORDER"],
      [
        [null, "OPEN", "2020-06-10T15:00:00Z"],
        ["OPEN", "RESOLVED", "2020-06-11T15:00:00Z"],
        ["RESOLVED", "OPEN", "2020-06-09T15:00:00Z"],
        ["OPEN", "DISMISSED", "2020-06-12T15:00:00Z", "PATIENT_DECLINES"],
      ],
    );
    const episodes = await getDb().flagEpisode.findMany({
      where: { metCriteria: { has: "EPISODE-ORDER" } },
      orderBy: { raiseEventId: "asc" },
    });
    expect(episodes.map((episode) => [episode.dismissed, episode.lastDismissReason])).toEqual([
      [false, null],
      [true, "PATIENT_DECLINES"],
    ]);
  });
});

describe("the CSV exports", () => {
  it.each(REPORT_TABLE_IDS)("%s holds the numbers the page shows", async (table) => {
    const { tables } = await pageData();
    const response = await download(`table=${table}&${RANGE}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const disposition = response.headers.get("Content-Disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="[\w.-]+_from-2025-01-01_to-2025-03-31\.csv"$/);
    const expected = rowsOf(tables, table).map((row) => row.map((cell) => (cell === null ? "" : String(cell))));
    expect(await csvOf(response)).toEqual(expected);
  });

  it("audits each export with its table and dates", async () => {
    await download(`table=status&${RANGE}`);
    expect((await auditEvents({ action: "report.export", userId: adminId })).at(-1)).toMatchObject({
      patientId: null,
      detail: { report: "referrals", table: "status", from: "2025-01-01", to: "2025-03-31" },
    });
  });

  it.each([
    { query: `table=everything&${RANGE}`, why: "an unknown table" },
    { query: RANGE, why: "no table" },
    { query: "table=status&from=2025-03-01&to=2025-02-01", why: "a reversed range" },
    { query: "table=status&from=2025-02-30", why: "a date that does not exist" },
  ])("refuses $why with 400", async ({ query }) => {
    expect((await download(query)).status).toBe(400);
  });
});

describe("the line list", () => {
  it("is refused without the administrator confirming they need patient data, and nothing is audited", async () => {
    const before = (await auditEvents({ action: "report.line_list_export" })).length;
    expect((await download(`table=line-list&${RANGE}`)).status).toBe(400);
    expect(await auditEvents({ action: "report.line_list_export" })).toHaveLength(before);
  });

  it("lists every referral of the range with the patient, formula-safe, and is audited with its filters", async () => {
    const response = await download(`table=line-list&acknowledge=patient-data&${RANGE}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Disposition")).toBe(
      'attachment; filename="referral-line-list_from-2025-01-01_to-2025-03-31.csv"',
    );
    const [header, ...rows] = await csvOf(response);
    expect(header).toEqual([
      "MRN",
      "Family name",
      "Given name",
      "Procedure",
      "Urgency",
      "Status",
      "Referred on",
      "Scheduled for",
      "Procedure date",
      "Referring physician",
    ]);
    // As many rows as the page counts, in the order they were made, on clinic days.
    expect(rows).toHaveLength(7);
    expect(rows.map((row) => row[6])).toEqual([
      "2025-01-15",
      "2025-01-31",
      "2025-02-10",
      "2025-02-20",
      "2025-03-05",
      "2025-03-20",
      "2025-03-31",
    ]);
    expect(rows[0]).toEqual([
      "MRN-001",
      "Plain",
      "Alex",
      "Epidural steroid injection (ESI)",
      "Routine",
      "Completed",
      "2025-01-15",
      "",
      "2025-01-25",
      "Dr Ada Alpha",
    ]);
    const hostile = rows.find((row) => row[3] === "Genicular nerve block");
    expect(hostile?.slice(0, 3)).toEqual(["'+44123", "'@SUM(A1:A9)", `'=HYPERLINK("http://evil.test","Click")`]);
    expect(hostile?.[5]).toBe("Cancelled");
    expect(rows.find((row) => row[0] === "MRN-003")?.[1]).toBe("O'Brien, Jr");
    for (const field of rows.flat()) expect(field).not.toMatch(/^[=+\-@\t\r]/);

    const audit = (await auditEvents({ action: "report.line_list_export", userId: adminId })).at(-1);
    expect(audit).toMatchObject({
      outcome: "success",
      userRole: "ADMIN",
      detail: { report: "referrals", from: "2025-01-01", to: "2025-03-31", timeZone: "America/New_York", rows: 7 },
    });
    // The three patients of the file, so the audit viewer finds this download under each of them.
    const named = (audit?.detail as { patientIds: string[] }).patientIds;
    expect([...named].sort()).toEqual(
      patients
        .slice(0, 3)
        .map((patient) => patient.id)
        .sort(),
    );
  });
});

describe("who may see the reports", () => {
  const exports = [...REPORT_TABLE_IDS.map((table) => `table=${table}`), "table=line-list&acknowledge=patient-data"];

  it.each([
    ["physician", () => physician],
    ["nurse", () => nurse],
  ])("refuses a %s the page and every export (403)", async (_role, cookie) => {
    const page = await callRoute(reportsLoader, { path: `/reports?${RANGE}`, cookie: cookie() });
    expect((page as Response).status).toBe(403);
    for (const query of exports) {
      expect((await download(`${query}&${RANGE}`, cookie())).status, query).toBe(403);
    }
  });

  it("sends a signed-out visitor to sign in", async () => {
    const response = (await callRoute(exportLoader, {
      path: `/reports/export?table=line-list&acknowledge=patient-data&${RANGE}`,
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/sign-in\?/);
  });

  it("records no line-list export for a refused caller", async () => {
    const events = await auditEvents({ action: "report.line_list_export" });
    expect(events.every((event) => event.userId === adminId)).toBe(true);
  });
});
