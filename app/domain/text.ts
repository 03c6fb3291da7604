/** "1 patient", "1,204 patients": a number with its noun, for what pages say. */
export function count(value: number, noun: string, plural = `${noun}s`): string {
  return `${value.toLocaleString("en-US")} ${value === 1 ? noun : plural}`;
}

/** How long to wait, for a message: "1 second", "40 seconds", "15 minutes" (rounded up). */
export function waitTime(seconds: number): string {
  return seconds < 60 ? count(seconds, "second") : count(Math.ceil(seconds / 60), "minute");
}

/** A count that stopped at a cap (cappedCount): "More than 1,000 open flags". */
export function countUpTo(value: number, moreThanCap: boolean, noun: string, plural = `${noun}s`): string {
  return moreThanCap ? `More than ${count(value, noun, plural)}` : count(value, noun, plural);
}
