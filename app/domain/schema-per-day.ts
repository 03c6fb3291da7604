import type { IsoDate } from "./iso-date";

/**
 * A new zod 4 schema compiles its parser on its first parse, which costs about a hundred parses: a
 * form schema that depends on today is built once per clinic day, not once per request.
 */
export function schemaPerDay<T>(build: (today: IsoDate) => T): (today: IsoDate) => T {
  let built: { today: IsoDate; schema: T } | undefined;
  return (today) => {
    if (built?.today !== today) built = { today, schema: build(today) };
    return built.schema;
  };
}
