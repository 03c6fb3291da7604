import { readFileSync } from "node:fs";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { databaseUrl } from "../setup/global-setup";

/**
 * Proves prisma/migrations produce exactly what prisma/schema.prisma declares: every model's
 * table, every column with its type and nullability, and nothing more. A schema change without
 * its migration (or a hand edit to a migration) fails here.
 */

type Column = { type: string; nullable: boolean };

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric",
  Boolean: "boolean",
  DateTime: "timestamp without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};

const NATIVE_TYPES: Record<string, string> = {
  Uuid: "uuid",
  Date: "date",
  Timestamptz: "timestamp with time zone",
  Timestamp: "timestamp without time zone",
  Text: "text",
  VarChar: "character varying",
  Char: "character",
  Integer: "integer",
  SmallInt: "smallint",
  DoublePrecision: "double precision",
  Real: "real",
};

function expectedTables(schema: string): Record<string, Record<string, Column>> {
  const blocks = [...schema.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)];
  const enums = new Set(blocks.filter(([, kind]) => kind === "enum").map(([, , name]) => name));
  const models = new Set(blocks.filter(([, kind]) => kind === "model").map(([, , name]) => name));
  const tables: Record<string, Record<string, Column>> = {};
  for (const [, kind, name, body] of blocks) {
    if (kind !== "model" || !name || !body) continue;
    const tableName = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name;
    const columns: Record<string, Column> = {};
    for (const line of body.split("\n").map((text) => text.replace(/\/\/.*$/, "").trim())) {
      const match = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!match || line.startsWith("@@")) continue;
      const [, field = "", type = "", list, optional, attributes = ""] = match;
      if (models.has(type)) continue; // a relation field, not a column
      const native = /@db\.(\w+)/.exec(attributes)?.[1];
      const base = enums.has(type) ? type : native ? NATIVE_TYPES[native] : SCALAR_TYPES[type];
      if (!base) throw new Error(`No Postgres type known for ${name}.${field} (${type} ${native ?? ""})`);
      const column = /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? field;
      // Prisma creates scalar lists as nullable array columns (it reads NULL as an empty list).
      columns[column] = { type: list ? `${base}[]` : base, nullable: Boolean(optional) || Boolean(list) };
    }
    tables[tableName] = columns;
  }
  return tables;
}

async function actualTables(url: string): Promise<Record<string, Record<string, Column>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    udt_name: string;
    is_nullable: string;
  }>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  await client.end();
  const tables: Record<string, Record<string, Column>> = {};
  for (const row of rows) {
    const type =
      row.data_type === "USER-DEFINED"
        ? row.udt_name
        : row.data_type === "ARRAY"
          ? `${row.udt_name.replace(/^_/, "")}[]`
          : row.data_type;
    (tables[row.table_name] ??= {})[row.column_name] = { type, nullable: row.is_nullable === "YES" };
  }
  return tables;
}

describe("schema.prisma and the migrations", () => {
  it("describe the same tables, columns, types and nullability", async () => {
    const expected = expectedTables(readFileSync("prisma/schema.prisma", "utf8"));
    const actual = await actualTables(databaseUrl(inject("adminDatabaseUrl"), inject("templateDatabase")));
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });
});
