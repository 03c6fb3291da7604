/** The pages the benchmark loads, each with the data it rotates through and its latency target. */
import type pg from "pg";
import type { Role } from "~/domain/roles";

export interface ScenarioRequest {
  method: "GET" | "POST";
  path: string;
  /** The Remix route params of `path`, for running the loader or action in-process. */
  params: Record<string, string>;
  body?: string;
  /** Requests that do not come from a signed-in browser (CDS Hooks) carry their own headers, and no cookie. */
  headers?: Record<string, string>;
}

export interface Scenario {
  id: string;
  title: string;
  role: Role;
  /** Remix route id whose loader (GET) or action (POST) serves the request. */
  routeId: string;
  expectStatus: number;
  /** p95 target at 16 clients, ms. */
  targetP95Ms: number;
  /** The i-th request of a run; requests rotate through the inputs. */
  request: (index: number) => ScenarioRequest;
  /** Writes: the i-th request of the raw-SQL side, on patients the HTTP side never touches. */
  rawRequest?: (index: number) => ScenarioRequest;
  /**
   * False: no raw-SQL side. A CDS Hooks call's SQL cannot be recorded by running it in-process:
   * each needs a freshly signed token for the server's own address.
   */
  rawSide?: boolean;
  /** Before the runs: `calls` is how many requests they may make at most. */
  prepare?: (calls: number) => Promise<void>;
}

export interface Inputs {
  users: Record<"PHYSICIAN" | "NURSE" | "ADMIN", string>;
  viewPatients: string[];
  searchQueries: string[];
  writePatients: string[];
  rawWritePatients: string[];
  auditPatients: string[];
  today: string;
}

const pick = <T>(values: T[], index: number): T => values[index % values.length] as T;

/**
 * Inputs drawn from the data set in a fixed pseudo-random order (md5 of the id), so runs on the
 * same data set request the same patients.
 */
export async function loadInputs(client: pg.Client, today: string): Promise<Inputs> {
  const firstUser = async (role: Role) => {
    // The physician with the most patients has the fullest "mine first" worklist.
    const { rows } = await client.query<{ id: string }>(
      `SELECT u.id FROM "User" u LEFT JOIN "Patient" p ON p."assignedPhysicianId" = u.id
        WHERE u.role = $1 AND u.active GROUP BY u.id ORDER BY count(p.id) DESC, u.id LIMIT 1`,
      [role],
    );
    if (!rows[0]) throw new Error(`The data set has no active ${role.toLowerCase()}.`);
    return rows[0].id;
  };
  const patients = await client.query<{ id: string; mrn: string; givenName: string; familyName: string }>(
    `SELECT id, mrn, "givenName", "familyName" FROM "Patient" WHERE status = 'ACTIVE'
      ORDER BY md5(id::text) LIMIT 1400`,
  );
  const rows = patients.rows;
  if (rows.length < 1400) throw new Error("The data set has too few active patients for the benchmark.");
  const audited = await client.query<{ id: string }>(
    `SELECT id FROM "Patient" p WHERE EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."patientId" = p.id)
      ORDER BY md5(id::text) LIMIT 300`,
  );
  // What a clinician types: a family name, part of a family and given name, or part of an MRN.
  const searchQueries = rows.slice(0, 300).map((patient, index) => {
    switch (index % 4) {
      case 0:
        return patient.familyName.toLowerCase();
      case 1:
        return `${patient.familyName.slice(0, 4)} ${patient.givenName.slice(0, 3)}`.toLowerCase();
      case 2:
        return patient.mrn.slice(-5);
      default:
        return patient.mrn;
    }
  });
  return {
    users: {
      PHYSICIAN: await firstUser("PHYSICIAN"),
      NURSE: await firstUser("NURSE"),
      ADMIN: await firstUser("ADMIN"),
    },
    viewPatients: rows.slice(0, 500).map((row) => row.id),
    searchQueries,
    writePatients: rows.slice(500, 1000).map((row) => row.id),
    rawWritePatients: rows.slice(1000, 1400).map((row) => row.id),
    auditPatients: audited.rows.map((row) => row.id),
    today,
  };
}

function outcomeForm(index: number, today: string): string {
  const average = 3 + (index % 6);
  return new URLSearchParams({
    assessedOn: today,
    painNow: String(Math.min(10, average + (index % 3) - 1)),
    painAverage: String(average),
    painWorst: String(Math.min(10, average + 2)),
    pegPain: String(average),
    pegEnjoyment: String(2 + (index % 7)),
    pegActivity: String(2 + (index % 5)),
    limitation: ["MILD", "MODERATE", "SEVERE"][index % 3] as string,
  }).toString();
}

export function scenarios(inputs: Inputs, available: Set<string>): Scenario[] {
  const recordOutcome = (patients: string[]) => (index: number) => {
    const patientId = pick(patients, index);
    return {
      method: "POST" as const,
      path: `/patients/${patientId}/assessments/new`,
      params: { patientId },
      body: outcomeForm(index, inputs.today),
    };
  };
  const all: Scenario[] = [
    {
      id: "worklist",
      title: "Physician worklist",
      role: "PHYSICIAN",
      routeId: "routes/worklist",
      expectStatus: 200,
      targetP95Ms: 100,
      request: (index) => ({ method: "GET", path: `/worklist?page=${1 + (index % 5)}`, params: {} }),
    },
    {
      id: "patient",
      title: "Patient page",
      role: "PHYSICIAN",
      routeId: "routes/patients.$patientId._index",
      expectStatus: 200,
      targetP95Ms: 100,
      request: (index) => {
        const patientId = pick(inputs.viewPatients, index);
        return { method: "GET", path: `/patients/${patientId}`, params: { patientId } };
      },
    },
    {
      id: "search",
      title: "Patient search",
      role: "NURSE",
      routeId: "routes/patients._index",
      expectStatus: 200,
      targetP95Ms: 100,
      request: (index) => ({
        method: "GET",
        path: `/patients?q=${encodeURIComponent(pick(inputs.searchQueries, index))}`,
        params: {},
      }),
    },
    {
      id: "follow-up",
      title: "Nurse follow-up list",
      role: "NURSE",
      routeId: "routes/patients._index",
      expectStatus: 200,
      targetP95Ms: 100,
      request: (index) => ({ method: "GET", path: `/patients?page=${1 + (index % 10)}`, params: {} }),
    },
    {
      id: "record-outcome",
      title: "Record outcome (POST)",
      role: "NURSE",
      routeId: "routes/patients.$patientId.assessments.new",
      expectStatus: 302,
      targetP95Ms: 150,
      request: recordOutcome(inputs.writePatients),
      rawRequest: recordOutcome(inputs.rawWritePatients),
    },
    {
      id: "reports",
      title: "Admin reports",
      role: "ADMIN",
      routeId: "routes/reports",
      expectStatus: 200,
      targetP95Ms: 300,
      request: () => ({ method: "GET", path: "/reports", params: {} }),
    },
    {
      id: "audit",
      title: "Audit trail by patient",
      role: "ADMIN",
      routeId: "routes/admin.audit._index",
      expectStatus: 200,
      targetP95Ms: 300,
      request: (index) => ({
        method: "GET",
        path: `/admin/audit?patient=${pick(inputs.auditPatients, index)}`,
        params: {},
      }),
    },
  ];
  return all.filter((scenario) => available.has(scenario.routeId));
}
