import type { IsoDate } from "./iso-date";

/**
 * Building a zod 4 schema costs a hundred times more than parsing with one (it compiles its parser
 * on first use): a form schema that depends on today is built once per clinic day, not per request.
 */
export function schemaPerDay<T>(build: (today: IsoDate) => T): (today: IsoDate) => T {
  let built: { today: IsoDate; schema: T } | undefined;
  return (today) => {
    if (built?.today !== today) built = { today, schema: build(today) };
    return built.schema;
  };
}
