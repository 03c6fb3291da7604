// Date filters are days in the clinic's time zone; New York has a 23-hour day on 2026-03-08.
process.env.CLINIC_TIME_ZONE = "America/New_York";

import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_EXPORT_MAX_ROWS, AUDIT_PAGE_SIZE } from "~/domain/audit-trail";
import { loader as exportLoader } from "~/routes/admin.audit.export";
import { loader as auditLoader } from "~/routes/admin.audit._index";
import { getDb, type Tx } from "~/server/db.server";
import { auditEvents, createPatient, createUser } from "../helpers/fixtures";
import { callRoute, dataOf, statusOf } from "../helpers/remix";
import { sessionCookie } from "../helpers/session";

type PageRow = {
  id: string;
  at: string;
  when: string;
  action: string;
  userName: string | null;
  patientMrn: string | null;
};
type Page = {
  rows: PageRow[];
  older: string | null;
  newer: string | null;
  recentViews: string | null;
  result: { error?: Record<string, string[] | null> } | null;
};

let adminCookie: string;
let adminId: string;
const staff = {} as Record<"nurse" | "physician", { id: string; email: string; name: string }>;
const patients = {} as Record<"first" | "second", { id: string; mrn: string }>;

async function insertEvents(
  rows: Array<{ action: string; at: Date; userId?: string; patientId?: string; outcome?: string; entityId?: string }>,
) {
  await asHistory((tx) =>
    tx.auditEvent.createMany({
      data: rows.map((row) => ({ ...row, userRole: row.userId === staff.nurse.id ? ("NURSE" as const) : null })),
    }),
  );
}

/** Events with times of their own: the database stamps live events, so its trigger is off meanwhile. */
function asHistory(insert: (tx: Tx) => Promise<unknown>) {
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_stamp_time"`;
    await insert(tx);
    await tx.$executeRaw`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_stamp_time"`;
  });
}

async function view(query: string, cookie = adminCookie): Promise<{ status: number; page: Page; raw: unknown }> {
  const raw = await callRoute(auditLoader, { path: `/admin/audit${query}`, cookie });
  const status = statusOf(raw);
  const page = (status === 200 ? raw : raw instanceof Response ? null : dataOf(raw)) as Page;
  return { status, page, raw };
}

async function rowsOf(query: string) {
  const { status, page } = await view(query);
  expect(status).toBe(200);
  return page.rows;
}

beforeAll(async () => {
  const admin = await createUser("ADMIN");
  adminId = admin.id;
  adminCookie = await sessionCookie(admin.id);
  const nurse = await createUser("NURSE", { name: "Nora Nurse" });
  const physician = await createUser("PHYSICIAN", { name: "Phil Physician" });
  Object.assign(staff, { nurse, physician });
  patients.first = (await createPatient(physician.id, { mrn: "MRN-AUD-1" })).patient;
  patients.second = (await createPatient(physician.id, { mrn: "MRN-AUD-2" })).patient;

  await insertEvents([
    { action: "patient.view", at: new Date("2026-02-01T15:00:00Z"), userId: nurse.id, patientId: patients.first.id },
    {
      action: "patient.view",
      at: new Date("2026-02-02T15:00:00Z"),
      userId: physician.id,
      patientId: patients.first.id,
    },
    { action: "patient.view", at: new Date("2026-02-03T15:00:00Z"), userId: nurse.id, patientId: patients.second.id },
    { action: "therapy.start", at: new Date("2026-02-04T15:00:00Z"), userId: nurse.id, patientId: patients.first.id },
    { action: "access.denied", at: new Date("2026-02-05T15:00:00Z"), userId: nurse.id, outcome: "denied" },
    { action: "auth.sign_in_failed", at: new Date("2026-02-06T15:00:00Z"), outcome: "failure" },
  ]);
});

describe("who may read the audit trail", () => {
  it.each(["NURSE", "PHYSICIAN"] as const)("refuses a %s the page and the export, and audits it", async (role) => {
    const user = await createUser(role);
    const cookie = await sessionCookie(user.id);
    expect(statusOf(await callRoute(auditLoader, { path: "/admin/audit", cookie }))).toBe(403);
    expect(statusOf(await callRoute(exportLoader, { path: "/admin/audit/export", cookie }))).toBe(403);
    expect(await auditEvents({ action: "access.denied", userId: user.id })).toHaveLength(2);
    expect(await auditEvents({ action: "audit.export", userId: user.id })).toHaveLength(0);
  });

  it("sends a signed-out visitor to sign in", async () => {
    const response = (await callRoute(exportLoader, { path: "/admin/audit/export" })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/sign-in\?redirectTo=/);
  });
});

describe("filters", () => {
  it("shows who, what, which patient's MRN and when, newest first", async () => {
    const rows = await rowsOf(`?user=${encodeURIComponent(staff.nurse.email.toUpperCase())}`);
    expect(rows.map((row) => row.action)).toEqual(["access.denied", "therapy.start", "patient.view", "patient.view"]);
    expect(rows[1]).toMatchObject({ userName: "Nora Nurse", patientMrn: "MRN-AUD-1", when: "4 Feb 2026, 10:00" });
  });

  it("finds a patient by MRN, then names them by id in the address", async () => {
    const response = (await callRoute(auditLoader, {
      path: "/admin/audit?mrn=mrn-aud-1&action=",
      cookie: adminCookie,
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/admin/audit?patient=${patients.first.id}`);

    const { page } = await view(`?patient=${patients.first.id}`);
    expect(page.rows.map((row) => row.action)).toEqual(["therapy.start", "patient.view", "patient.view"]);
    expect(page.rows.every((row) => row.patientMrn === "MRN-AUD-1")).toBe(true);
  });

  it("finds a patient also in the lists and exports that showed them among others", async () => {
    const { patient } = await createPatient(staff.physician.id, { mrn: "MRN-AUD-LIST" });
    const at = (day: string) => new Date(`2025-05-${day}T15:00:00Z`);
    await getDb().auditEvent.createMany({
      data: [
        { action: "worklist.view", at: at("01"), userId: staff.physician.id, detail: { patientIds: [patient.id] } },
        { action: "patient.view", at: at("02"), userId: staff.physician.id, patientId: patient.id },
        {
          action: "worklist.view",
          at: at("03"),
          userId: staff.physician.id,
          detail: { patientIds: [patients.first.id] },
        },
        {
          action: "report.line_list_export",
          at: at("04"),
          userId: adminId,
          detail: { rows: 2, patientIds: [patients.second.id, patient.id] },
        },
        // About the patient and listing them too: shown once.
        { action: "test.both", at: at("05"), patientId: patient.id, detail: { patientIds: [patient.id] } },
        // Malformed lists are recorded all the same; their valid ids are found, each once.
        { action: "test.not-a-list", at: at("06"), detail: { patientIds: patient.id } },
        { action: "test.partly-valid", at: at("07"), detail: { patientIds: ["not-an-id", patient.id, patient.id] } },
      ],
    });
    expect((await rowsOf(`?patient=${patient.id}`)).map((row) => row.action)).toEqual([
      "test.partly-valid",
      "test.both",
      "report.line_list_export",
      "patient.view",
      "worklist.view",
    ]);
  });

  it("filters by action and outcome, alone and combined with the others", async () => {
    expect((await rowsOf(`?action=patient.view&patient=${patients.first.id}`)).map((row) => row.userName)).toEqual([
      "Phil Physician",
      "Nora Nurse",
    ]);
    expect((await rowsOf("?outcome=failure")).map((row) => row.action)).toEqual(["auth.sign_in_failed"]);
    const denied = await rowsOf(`?outcome=denied&user=${encodeURIComponent(staff.nurse.email)}`);
    expect(denied.map((row) => row.action)).toEqual(["access.denied"]);
    expect(await rowsOf(`?action=therapy.start&user=${encodeURIComponent(staff.physician.email)}`)).toEqual([]);
  });

  it("offers the views of a filtered patient in the last 30 days as one link", async () => {
    const { page } = await view(`?patient=${patients.second.id}`);
    expect(page.recentViews).toMatch(
      new RegExp(`^/admin/audit\\?patient=${patients.second.id}&action=patient\\.view&from=\\d{4}-\\d{2}-\\d{2}&to=`),
    );
    const params = new URL(page.recentViews ?? "", "http://x").searchParams;
    const from = new Date(`${params.get("from")}T12:00:00Z`).getTime();
    const to = new Date(`${params.get("to")}T12:00:00Z`).getTime();
    expect((to - from) / 86_400_000).toBe(29);

    // Someone opens the record now: the preset shows it, and nothing else.
    await insertEvents([
      { action: "patient.view", at: new Date(), userId: staff.physician.id, patientId: patients.second.id },
    ]);
    await insertEvents([
      { action: "therapy.start", at: new Date(), userId: staff.physician.id, patientId: patients.second.id },
    ]);
    const recent = await rowsOf((page.recentViews ?? "").replace("/admin/audit", ""));
    expect(recent.map((row) => [row.action, row.userName])).toEqual([["patient.view", "Phil Physician"]]);
  });

  it.each([
    ["an unknown email", "?user=nobody%40clinic.test", "user"],
    ["an unknown MRN", "?mrn=NO-SUCH-MRN", "mrn"],
    ["an MRN with odd characters", "?mrn=%27%20OR%201%3D1--", "mrn"],
    ["an unknown patient id", "?patient=4b4b8e0e-0000-4000-8000-000000000000", "mrn"],
    ["a malformed patient id", "?patient=42", "patient"],
    ["an unknown outcome", "?outcome=maybe", "outcome"],
    ["an action with odd characters", "?action=patient.view%27%3B--", "action"],
    ["an impossible date", "?from=2026-02-30", "from"],
    ["an end before the start", "?from=2026-02-05&to=2026-02-01", "to"],
    ["a damaged page link", "?cursor=bm90LWEtY3Vyc29y", ""],
  ])("refuses %s with 400 and shows no rows rather than the whole trail", async (_case, query, field) => {
    const { status, page } = await view(query);
    expect(status).toBe(400);
    expect(page.rows).toEqual([]);
    expect(page.result?.error?.[field]?.length).toBeGreaterThan(0);
  });
});

describe("date range in the clinic's time zone", () => {
  beforeAll(async () => {
    await insertEvents(
      [
        "2026-03-07T04:59:59.999Z", // 2026-03-06 23:59:59.999 in New York (EST)
        "2026-03-07T05:00:00.000Z", // 2026-03-07 00:00
        "2026-03-08T04:59:59.999Z", // 2026-03-07 23:59:59.999
        "2026-03-08T05:00:00.000Z", // 2026-03-08 00:00; clocks go forward at 02:00
        "2026-03-09T03:59:59.999Z", // 2026-03-08 23:59:59.999 (EDT)
        "2026-03-09T04:00:00.000Z", // 2026-03-09 00:00
      ].map((at) => ({ action: "test.boundary", at: new Date(at), entityId: at })),
    );
  });

  const days = async (from: string, to: string) =>
    (await rowsOf(`?action=test.boundary&from=${from}&to=${to}`)).map((row) => row.at).sort();

  it("includes both ends of a day, and nothing of the days around it", async () => {
    expect(await days("2026-03-07", "2026-03-07")).toEqual(["2026-03-07T05:00:00.000Z", "2026-03-08T04:59:59.999Z"]);
  });

  it("knows a day of 23 hours", async () => {
    expect(await days("2026-03-08", "2026-03-08")).toEqual(["2026-03-08T05:00:00.000Z", "2026-03-09T03:59:59.999Z"]);
  });

  it("takes open-ended ranges", async () => {
    expect(await rowsOf("?action=test.boundary&from=2026-03-09")).toHaveLength(1);
    expect(await rowsOf("?action=test.boundary&to=2026-03-06")).toHaveLength(1);
  });
});

describe("keyset pagination", () => {
  const total = 2 * AUDIT_PAGE_SIZE + 37;

  beforeAll(async () => {
    // Many rows share a timestamp: only the id tells them apart, so it must break ties.
    const base = new Date("2026-01-10T12:00:00Z").getTime();
    await insertEvents(
      Array.from({ length: total }, (_, index) => ({
        action: "test.paging",
        at: new Date(base + Math.floor(index / 40) * 1000),
        userId: staff.nurse.id,
      })),
    );
  });

  const cursorOf = (link: string | null) => encodeURIComponent(link ?? "");

  it("walks older without duplicates or gaps, and newer back to the same pages", async () => {
    const pages: Page[] = [];
    let query = "?action=test.paging";
    for (;;) {
      const { page } = await view(query);
      pages.push(page);
      if (!page.older) break;
      query = `?action=test.paging&cursor=${cursorOf(page.older)}`;
    }
    expect(pages.map((page) => page.rows.length)).toEqual([AUDIT_PAGE_SIZE, AUDIT_PAGE_SIZE, 37]);
    expect(pages[0]?.newer).toBeNull();

    const ids = pages.flatMap((page) => page.rows.map((row) => BigInt(row.id)));
    expect(new Set(ids).size).toBe(total);
    const stored = await getDb().auditEvent.findMany({
      where: { action: "test.paging" },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(ids).toEqual(stored.map((row) => row.id));

    let back = pages.at(-1) as Page;
    for (const expected of [pages[1], pages[0]]) {
      back = (await view(`?action=test.paging&cursor=${cursorOf(back.newer)}`)).page;
      expect(back.rows.map((row) => row.id)).toEqual(expected?.rows.map((row) => row.id));
    }
    expect(back.newer).toBeNull();
  });

  it("pages a patient's trail across their own events and the lists that showed them, ties included", async () => {
    const { patient } = await createPatient(staff.physician.id, { mrn: "MRN-AUD-PAGES" });
    const base = new Date("2026-01-20T12:00:00Z").getTime();
    // Own events, lists showing the patient and events that are both, 30 to a second.
    await getDb().auditEvent.createMany({
      data: Array.from({ length: total }, (_, index) => ({
        action: "test.patient-paging",
        at: new Date(base + Math.floor(index / 30) * 1000),
        ...(index % 3 !== 1 && { patientId: patient.id }),
        ...(index % 3 !== 0 && { detail: { patientIds: [patients.second.id, patient.id] } }),
      })),
    });
    const pages: Page[] = [];
    let query = `?patient=${patient.id}`;
    for (;;) {
      const { page } = await view(query);
      pages.push(page);
      if (!page.older) break;
      query = `?patient=${patient.id}&cursor=${cursorOf(page.older)}`;
    }
    const stored = await getDb().auditEvent.findMany({
      where: { action: "test.patient-paging" },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(pages.flatMap((page) => page.rows.map((row) => BigInt(row.id)))).toEqual(stored.map((row) => row.id));

    let back = pages.at(-1) as Page;
    for (const expected of pages.slice(0, -1).reverse()) {
      back = (await view(`?patient=${patient.id}&cursor=${cursorOf(back.newer)}`)).page;
      expect(back.rows.map((row) => row.id)).toEqual(expected.rows.map((row) => row.id));
    }
    // Each read of the trail is itself an event about the patient, newer than all of these.
    const newest = (await view(`?patient=${patient.id}&cursor=${cursorOf(back.newer)}`)).page;
    expect(new Set(newest.rows.map((row) => row.action))).toEqual(new Set(["audit.view"]));
  });

  it("keeps its place when new entries arrive while paging", async () => {
    const first = (await view("?action=test.paging")).page;
    await insertEvents([{ action: "test.paging", at: new Date("2026-01-10T13:00:00Z") }]);
    const second = (await view(`?action=test.paging&cursor=${cursorOf(first.older)}`)).page;
    expect(second.rows[0]?.id).not.toBe(first.rows.at(-1)?.id);
    expect(BigInt(second.rows[0]?.id ?? 0)).toBeLessThan(BigInt(first.rows.at(-1)?.id ?? 0));
  });
});

describe("reading is audited", () => {
  it("records each page read with its filters, and the patient whose trail was read", async () => {
    const before = (await auditEvents({ action: "audit.view", userId: adminId })).length;
    await view(`?patient=${patients.first.id}&action=patient.view&from=2026-01-01`);
    const events = await auditEvents({ action: "audit.view", userId: adminId });
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      patientId: patients.first.id,
      userRole: "ADMIN",
      detail: {
        filters: { patient: patients.first.id, action: "patient.view", from: "2026-01-01", userId: null },
        page: "newest",
        rows: 2,
      },
    });
  });
});

describe("CSV export", () => {
  async function exportCsv(query: string) {
    const response = (await callRoute(exportLoader, {
      path: `/admin/audit/export${query}`,
      cookie: adminCookie,
    })) as Response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { response, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
  }

  it("exports the filtered slice, newest first, with safe headers and the filters in the file name", async () => {
    const { response, bytes, text } = await exportCsv(`?patient=${patients.first.id}&from=2026-02-01&to=2026-02-28`);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM, for Excel
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="audit-trail_patient-${patients.first.id}_from-2026-02-01_to-2026-02-28.csv"`,
    );
    expect(response.headers.get("X-Export-Truncated")).toBe("false");

    expect(text.startsWith("\uFEFFid,at_utc,at_local (America/New_York),user_email,")).toBe(true);
    const lines = text.slice(1).split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines[1]).toContain(",2026-02-04T15:00:00.000Z,2026-02-04 10:00:00,");
    expect(lines[1]).toContain(`,${staff.nurse.email},Nora Nurse,NURSE,therapy.start,success,`);
    expect(lines[1]).toContain(",MRN-AUD-1,");
    expect(lines[3]).toContain("2026-02-01T15:00:00.000Z");
  });

  it("neutralises formulas and quotes awkward values", async () => {
    await insertEvents([
      { action: "test.csv", at: new Date("2026-04-01T12:00:00Z"), entityId: '=HYPERLINK("http://evil.example")' },
      { action: "test.csv", at: new Date("2026-04-01T12:00:01Z"), entityId: "a,b\nc" },
    ]);
    const { text } = await exportCsv("?action=test.csv");
    expect(text).toContain(`,"'=HYPERLINK(""http://evil.example"")",`);
    expect(text).toContain(`,"a,b\nc",`);
  });

  it("records the export, with its filters, before sending it", async () => {
    await exportCsv(`?action=patient.view&user=${encodeURIComponent(staff.nurse.email)}`);
    const [event] = (await auditEvents({ action: "audit.export", userId: adminId })).slice(-1);
    expect(event).toMatchObject({
      outcome: "success",
      detail: {
        filters: { action: "patient.view", user: staff.nurse.email, userId: staff.nurse.id },
        truncated: false,
      },
    });
  });

  it("refuses malformed filters with 400 and exports nothing", async () => {
    const before = (await auditEvents({ action: "audit.export" })).length;
    for (const query of ["?user=nobody%40clinic.test", "?from=yesterday", "?mrn=NO-SUCH"]) {
      const { response } = await exportCsv(query);
      expect(response.status).toBe(400);
      expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    }
    expect(await auditEvents({ action: "audit.export" })).toHaveLength(before);
  });

  it(`stops at ${AUDIT_EXPORT_MAX_ROWS} rows and says so`, async () => {
    await asHistory(
      (tx) => tx.$executeRaw`
        INSERT INTO "AuditEvent" (action, "at")
        SELECT 'test.bulk', timestamptz '2026-05-01 00:00:00+00' + n * interval '1 millisecond'
          FROM generate_series(1, ${AUDIT_EXPORT_MAX_ROWS + 5}) AS n`,
    );
    const { response, text } = await exportCsv("?action=test.bulk");
    expect(response.headers.get("X-Export-Truncated")).toBe("true");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="audit-trail_action-test.bulk_newest-${AUDIT_EXPORT_MAX_ROWS}.csv"`,
    );
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(1 + AUDIT_EXPORT_MAX_ROWS + 1);
    expect(lines[1]).toContain("2026-05-01T00:01:40.005Z");
    const [event] = (await auditEvents({ action: "audit.export", userId: adminId })).slice(-1);
    expect(event?.detail).toMatchObject({ truncated: true, maxRows: AUDIT_EXPORT_MAX_ROWS });

    // A patient's few events among them are not a truncated export.
    const patientExport = await exportCsv(`?patient=${patients.first.id}`);
    expect(patientExport.response.headers.get("X-Export-Truncated")).toBe("false");
  });
});
