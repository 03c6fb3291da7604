// The raw statements' types come from schema.prisma (docs/decisions/020-typed-sql.md). The type
// assertions here are checked by `npm run typecheck`: if a statement's row type stopped following
// the generated table types, or the builder stopped refusing unknown columns, tsc fails.
import type { Selectable } from "kysely";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { DB, PatientStatus, ProcedureType } from "~/generated/kysely/types";
import type { LineListRow } from "~/models/reports.server";
import type { PatientRecordView } from "~/models/patient-record.server";
import { prepared, preparedByShape, qb } from "~/server/query-builder.server";

type Patient = Selectable<DB["Patient"]>;
type ProcedureRecord = Selectable<DB["ProcedureRecord"]>;

describe("SQL typed from the schema", () => {
  it("refuses a column the schema does not have", () => {
    // @ts-expect-error -- not a column of Patient: a renamed column fails to compile the same way.
    const query = qb.selectFrom("Patient").select("medicalRecordNumber");
    expect(query.compile().sql).toBe('select "medicalRecordNumber" from "Patient"');
  });

  it("gives the patient page's JSON the generated column types, dates as the text JSON carries", () => {
    expectTypeOf<PatientRecordView["patient"]["status"]>().toEqualTypeOf<PatientStatus>();
    expectTypeOf<PatientRecordView["patient"]["allergyNotes"]>().toEqualTypeOf<Patient["allergyNotes"]>();
    expectTypeOf<PatientRecordView["patient"]["birthDate"]>().toEqualTypeOf<string>();
    expectTypeOf<PatientRecordView["procedures"][number]["painBefore"]>().toEqualTypeOf<
      ProcedureRecord["painBefore"]
    >();
    expectTypeOf<PatientRecordView["procedures"][number]["type"]>().toEqualTypeOf<ProcedureType>();
  });

  it("types a plain read's row from the columns it selects", () => {
    expectTypeOf<LineListRow["mrn"]>().toEqualTypeOf<Patient["mrn"]>();
    expectTypeOf<LineListRow["procedure"]>().toEqualTypeOf<ProcedureType>();
    expectTypeOf<LineListRow["scheduledFor"]>().toEqualTypeOf<string | null>();
  });

  it("never runs a statement itself: every statement runs on the Prisma client or transaction it is given", async () => {
    await expect(qb.selectFrom("Patient").select("id").execute()).rejects.toThrow(/only compiles/);
  });
});

describe("prepared statements", () => {
  const patientsOf = (physicianId: string, limit: number) =>
    qb.selectFrom("Patient").select(["id", "mrn"]).where("assignedPhysicianId", "=", physicianId).limit(limit);

  it("give the statement and parameters a fresh build gives, for each call's own arguments", () => {
    const statement = prepared(patientsOf);
    for (const [physicianId, limit] of [
      ["8f1c2b1e-0000-4000-8000-000000000001", 50],
      ["8f1c2b1e-0000-4000-8000-000000000002", 7],
    ] as const) {
      expect(statement(physicianId, limit).compile()).toMatchObject({
        sql: patientsOf(physicianId, limit).compile().sql,
        parameters: [physicianId, limit],
      });
    }
  });

  it("refuse a builder that changes an argument instead of passing it as a parameter", () => {
    const offByOne = prepared((limit: number) =>
      qb
        .selectFrom("Patient")
        .select("id")
        .limit(limit + 1),
    );
    expect(() => offByOne(10)).toThrow(/argument 0 as a parameter/);
  });

  it("keep one statement per shape, and refuse arguments another shape would need", () => {
    const search = preparedByShape((_shape: "all" | "by-mrn") => (mrn: string | undefined) => {
      const query = qb.selectFrom("Patient").select("id");
      return mrn === undefined ? query : query.where("mrn", "=", mrn);
    });
    expect(search("by-mrn", "123").compile()).toMatchObject({ parameters: ["123"] });
    expect(search("all", undefined).compile()).toMatchObject({ sql: 'select "id" from "Patient"', parameters: [] });
    expect(search("by-mrn", "456").compile()).toMatchObject({ parameters: ["456"] });
    expect(() => search("all", "789")).toThrow(/other arguments given/);
  });
});
