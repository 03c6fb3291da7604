import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "./db.server";

/** The tables insertRows may write, with Prisma's own row types (so the compiler checks every value). */
interface Insertable {
  Patient: Prisma.PatientCreateManyInput;
  PainDiagnosis: Prisma.PainDiagnosisCreateManyInput;
  TherapyTrial: Prisma.TherapyTrialCreateManyInput;
  ProcedureRecord: Prisma.ProcedureRecordCreateManyInput;
  ImagingStudy: Prisma.ImagingStudyCreateManyInput;
  OutcomeAssessment: Prisma.OutcomeAssessmentCreateManyInput;
  AssessmentSideEffect: Prisma.AssessmentSideEffectCreateManyInput;
  ImportedScore: Prisma.ImportedScoreCreateManyInput;
  ImportedRecord: Prisma.ImportedRecordCreateManyInput;
}

export type InsertableRows<T extends keyof Insertable> = Array<Insertable[T]>;

/** Rows per statement: bounds the size of the one JSON parameter (a few MB). */
const CHUNK = 5000;

/**
 * Inserts many rows in one statement per chunk: the rows travel as one JSON parameter and
 * `jsonb_populate_recordset` gives each value its column's type (enums, dates, arrays), so one
 * round trip replaces one INSERT per row. Rows are grouped by their set of columns, so a column a
 * row leaves out keeps its default. Like Prisma's createMany, ids and `updatedAt` must be given.
 * https://www.postgresql.org/docs/current/functions-json.html#FUNCTIONS-JSON-PROCESSING-TABLE
 */
export async function insertRows<T extends keyof Insertable>(tx: Tx, table: T, rows: InsertableRows<T>) {
  const byColumns = new Map<string, object[]>();
  for (const row of rows) {
    const columns = Object.keys(row)
      .filter((key) => (row as Record<string, unknown>)[key] !== undefined)
      .sort()
      .join(",");
    const group = byColumns.get(columns);
    if (group) group.push(row);
    else byColumns.set(columns, [row]);
  }
  for (const [columns, group] of byColumns) {
    const names = columns.split(",");
    if (!names.every((name) => /^[A-Za-z][A-Za-z0-9]*$/.test(name))) throw new Error(`unexpected column in ${table}`);
    const list = Prisma.raw(names.map((name) => `"${name}"`).join(", "));
    const target = Prisma.raw(`"${table}"`);
    for (let i = 0; i < group.length; i += CHUNK) {
      await tx.$executeRaw`
        INSERT INTO ${target} (${list})
        SELECT ${list} FROM jsonb_populate_recordset(NULL::${target}, ${JSON.stringify(group.slice(i, i + CHUNK))}::jsonb)`;
    }
  }
}
