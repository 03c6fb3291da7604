import { sql, type Expression, type ShallowDehydrateValue } from "kysely";

// Fragments for statements that build their result as JSON in PostgreSQL, so what arrives is
// already what the pages and the engine read.

/** A timestamptz column as ISO 8601 UTC with milliseconds, as Date.prototype.toISOString writes it. */
export function isoTimestamp<T extends Date | null>(value: Expression<T>) {
  return sql<string | Extract<T, null>>`to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The UTC calendar day of a timestamptz column, as YYYY-MM-DD. */
export function utcDay<T extends Date | null>(value: Expression<T>) {
  return sql<string | Extract<T, null>>`to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
}

/** A date column as YYYY-MM-DD. */
export function isoDay<T extends Date | null>(value: Expression<T>) {
  return sql<string | Extract<T, null>>`to_char(${value}, 'YYYY-MM-DD')`;
}

/** A diagnosis as lists show it: "M54.16 Radiculopathy, lumbar region". */
export function diagnosisLabel(icd10Code: Expression<string>, label: Expression<string>) {
  return sql<string>`${icd10Code} || ' ' || ${label}`;
}

/** An enum array column read directly, as a list: PostgreSQL sends an enum array as one text ("{A,B}") otherwise. */
export function enumArray<E extends string>(value: Expression<string>) {
  return sql<E[]>`${value}::text[]`;
}

/**
 * An enum array column inside JSON, where it arrives as an array. Read directly, PostgreSQL sends
 * it as one text ("{A,B}"), which is why the generated column type is `string`.
 */
export function enumList<E extends string>(value: Expression<string>) {
  return sql<E[]>`${value}`;
}

/** `json_agg(value ORDER BY …)` (in no set order without one), the select of a scalar subquery; null when it finds no row. */
export function jsonAgg<T>(value: Expression<T>, orderBy: Array<Expression<unknown>> = []) {
  if (orderBy.length === 0) return sql<T[] | null>`json_agg(${value})`;
  return sql<T[] | null>`json_agg(${value} ORDER BY ${sql.join(orderBy)})`;
}

/** `COALESCE((subquery), '[]')`: the list a json_agg subquery built, or an empty one. */
export function listOrEmpty<T>(subquery: Expression<Record<string, T[] | null>>) {
  return sql<T[]>`COALESCE(${subquery}, '[]')`;
}

/**
 * `json_build_array(…)`: a tuple, typed item by item; timestamps arrive as text. The marker key
 * tells Kysely's JSON helpers the type is already as JSON sends it, so they keep it a tuple.
 */
export function jsonTuple<const T extends ReadonlyArray<Expression<unknown>>>(...items: T) {
  type Tuple = { -readonly [K in keyof T]: T[K] extends Expression<infer V> ? ShallowDehydrateValue<V> : never };
  return sql<Tuple & { readonly __kysely_dehydrate__?: never }>`json_build_array(${sql.join(items)})`;
}

/** `value IS NOT NULL`, as a boolean. */
export function isSet(value: Expression<unknown>) {
  return sql<boolean>`${value} IS NOT NULL`;
}

/** A scalar subquery, which is null when it finds no row. */
export function orNone<T>(subquery: Expression<T>) {
  return sql<T | null>`${subquery}`;
}
