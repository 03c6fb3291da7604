import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type Compilable,
  type InferResult,
  type RawBuilder,
} from "kysely";
import type { DB } from "~/generated/kysely/types";
import type { Db, Tx } from "./db.server";

class CompileOnlyDriver extends DummyDriver {
  override async acquireConnection(): Promise<never> {
    throw new Error("The query builder only compiles: run the statement with rows(), firstRow() or execute().");
  }
}

/**
 * Builds SQL whose tables, columns and result types come from `schema.prisma`
 * (docs/decisions/020-typed-sql.md). It never connects: every statement runs on the Prisma client or
 * transaction it is given, so there is one pool and a statement stays inside its transaction.
 */
export const qb = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new CompileOnlyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** The rows of a SELECT (or of a statement with RETURNING), typed by the query that built them. */
export function rows<Q extends Compilable>(client: Db | Tx, query: Q): Promise<InferResult<Q>> {
  const { sql, parameters } = query.compile();
  return client.$queryRawUnsafe<InferResult<Q>>(sql, ...parameters);
}

/**
 * The rows of a statement the builder cannot express (GROUPING SETS, set-returning functions),
 * written with Kysely's `sql` tag: its row type must still come from the generated table types.
 */
export function rawRows<T>(client: Db | Tx, query: RawBuilder<T>): Promise<T[]> {
  const { sql, parameters } = query.compile(qb);
  return client.$queryRawUnsafe<T[]>(sql, ...parameters);
}

/** The first row, or undefined when there is none. */
export async function firstRow<Q extends Compilable>(
  client: Db | Tx,
  query: Q,
): Promise<InferResult<Q>[number] | undefined> {
  return (await rows(client, query))[0];
}

/** Runs a statement without a result; returns the number of rows it changed. */
export function execute(client: Db | Tx, query: Compilable): Promise<number> {
  const { sql, parameters } = query.compile();
  return client.$executeRawUnsafe(sql, ...parameters);
}

/** `= ANY($1::uuid[])`: one parameter for a list of ids, cast as the index on the column expects. */
export function anyUuid(ids: readonly string[]) {
  return sql<string>`ANY(${ids}::uuid[])`;
}
