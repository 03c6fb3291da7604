/** "1 patient", "1,204 patients": a number with its noun, for what pages say. */
export function count(value: number, noun: string, plural = `${noun}s`): string {
  return `${value.toLocaleString("en-US")} ${value === 1 ? noun : plural}`;
}

/** A count that stopped at a cap (cappedCount): "More than 1,000 open flags". */
export function countUpTo(value: number, moreThanCap: boolean, noun: string, plural = `${noun}s`): string {
  return moreThanCap ? `More than ${count(value, noun, plural)}` : count(value, noun, plural);
}
