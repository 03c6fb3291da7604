import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type Compilable,
  type CompiledQuery,
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

/** Stands for argument `index` while a prepared statement is compiled. */
class Slot {
  constructor(readonly index: number) {}
}

/**
 * A statement of one fixed shape, built and compiled at its first call rather than at every call:
 * Kysely's immutable builders cost about 0.1 ms and much short-lived garbage a statement, which
 * shows on statements every request runs. `build` must pass each argument into the statement as a
 * value, untouched (no arithmetic, no conversion): the first call refuses an argument that does not
 * arrive as a parameter. An undefined argument (an absent filter) may only change the shape, so a
 * statement with optional arguments is made with preparedByShape, keyed by which ones are given.
 */
export function prepared<A extends unknown[], O>(build: (...args: A) => Compilable<O>): (...args: A) => Compilable<O> {
  let template: { compiled: CompiledQuery<O>; given: boolean[] } | undefined;
  return (...args: A) => {
    template ??= compileWithSlots(build, args);
    const { compiled, given } = template;
    if (args.length !== given.length || args.some((arg, index) => (arg !== undefined) !== given[index])) {
      throw new Error("A prepared statement was called with other arguments given than its shape has.");
    }
    const parameters = compiled.parameters.map((value) => (value instanceof Slot ? args[value.index] : value));
    return { compile: () => ({ ...compiled, parameters }) };
  };
}

/** prepared() per shape: `build(shape)` gives one statement per key, and the key says which arguments are given. */
export function preparedByShape<K extends string, A extends unknown[], O>(
  build: (shape: K) => (...args: A) => Compilable<O>,
): (shape: K, ...args: A) => Compilable<O> {
  const byShape = new Map<K, (...args: A) => Compilable<O>>();
  return (shape: K, ...args: A) => {
    let statement = byShape.get(shape);
    if (!statement) {
      statement = prepared(build(shape));
      byShape.set(shape, statement);
    }
    return statement(...args);
  };
}

function compileWithSlots<A extends unknown[], O>(build: (...args: A) => Compilable<O>, args: A) {
  const given = args.map((arg) => arg !== undefined);
  const stand = args.map((arg, index) => (arg === undefined ? undefined : new Slot(index)));
  const compiled = build(...(stand as A)).compile();
  stand.forEach((slot, index) => {
    if (slot && !compiled.parameters.includes(slot)) {
      throw new Error(`A prepared statement must pass argument ${index} as a parameter, untouched.`);
    }
  });
  return { compiled, given };
}
