/** HTTP load with autocannon: closed loop, N connections, a fixed time, requests rotated per call. */
import autocannon from "autocannon";

export interface HttpRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  latenciesMs: number[];
  /** Mean response size, bytes. */
  meanBytes: number;
  /** Responses with another status than expected, plus connection errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
}

export interface LoadOptions {
  origin: string;
  connections: number;
  seconds: number;
  expectStatus: number;
  /** The i-th request of the run (i counts across all connections). */
  request: (index: number) => HttpRequest;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let finish: (result: autocannon.Result) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: options.origin,
      connections: options.connections,
      duration: options.seconds,
      timeout: 30,
      requests: [
        {
          setupRequest: (request) => {
            const made = options.request(next++);
            return { ...request, method: made.method, path: made.path, headers: made.headers, body: made.body };
          },
        },
      ],
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  let bytes = 0;
  instance.on("response", (_client, statusCode, responseBytes, responseTime) => {
    latenciesMs.push(responseTime);
    bytes += responseBytes;
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const result = await done;
  const unexpected = Object.entries(statuses)
    .filter(([status]) => Number(status) !== options.expectStatus)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests: latenciesMs.length,
    seconds: result.duration,
    perSecond: latenciesMs.length / result.duration,
    latenciesMs,
    meanBytes: latenciesMs.length ? bytes / latenciesMs.length : 0,
    errors: unexpected + result.errors,
    statuses,
  };
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] as number;
}
