/**
 * Validates FHIR resource texts on worker threads, one per core (at most two): R4 validation costs
 * about 0.15 ms a resource, which for a 1.5-million-resource export is minutes on one core. The
 * pool is shared by the imports of a process and its threads end after a minute unused.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import type { TextCheck } from "./fhir-validation.server";

const IDLE_MS = 60_000;
/** tsx's `tsx/esm/api` export for `import` (its package.json "exports"). */
const TSX_ESM_API = "./dist/esm/api/index.mjs";

interface Job {
  resolve: (checks: TextCheck[]) => void;
  reject: (error: Error) => void;
}

/**
 * Starts the worker module in a thread. Under tsx or vitest this module is TypeScript, and so is
 * the worker: tsx is registered in the thread first. The production build bundles the worker beside
 * the server (package.json "build").
 */
function startWorker(workerData: { definitions: string | null }, resourceLimits?: ResourceLimits): Worker {
  const typescript = import.meta.url.endsWith(".ts");
  const entry = new URL(`./fhir-validation.worker.${typescript ? "ts" : "js"}`, import.meta.url).href;
  const tsx = new URL(TSX_ESM_API, pathToFileURL(createRequire(import.meta.url).resolve("tsx/package.json"))).href;
  const boot = typescript
    ? `import(${JSON.stringify(tsx)}).then((tsx) => { (tsx.register ?? tsx.default.register)(); return import(${JSON.stringify(entry)}); })`
    : `import(${JSON.stringify(entry)})`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}

/**
 * The trimmed definitions, made once per process in a thread of their own: parsing the full files
 * takes about 150 MB, which that thread returns to the system when it ends.
 */
let definitions: Promise<string> | null = null;
function trimmedDefinitions(): Promise<string> {
  definitions ??= new Promise<string>((resolve, reject) => {
    const worker = startWorker({ definitions: null });
    worker.once("message", (made: string) => {
      resolve(made);
      void worker.terminate();
    });
    worker.once("error", reject);
  }).catch((error: unknown) => {
    definitions = null;
    throw error;
  });
  return definitions;
}

class ValidationThread {
  readonly worker: Worker;
  readonly jobs: Job[] = [];
  failed: Error | null = null;

  constructor(made: string) {
    // The indexed definitions take about 25 MB; a small heap keeps each thread's memory near that.
    this.worker = startWorker({ definitions: made }, { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 });
    this.worker.unref();
    this.worker.on("message", (checks: TextCheck[]) => this.jobs.shift()?.resolve(checks));
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => this.fail(new Error(`FHIR validation thread exited (${code})`)));
  }

  private fail(error: Error) {
    this.failed ??= error;
    for (const job of this.jobs.splice(0)) job.reject(error);
  }

  check(texts: string[]): Promise<TextCheck[]> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.jobs.push({ resolve, reject });
      this.worker.postMessage(texts);
    });
  }
}

let threads: Promise<ValidationThread[]> | null = null;
let users = 0;
let idleTimer: NodeJS.Timeout | null = null;

/** Validates a batch of texts on the least busy thread; answers in the batch's order. */
export async function checkTexts(texts: string[]): Promise<TextCheck[]> {
  let pool = threads ? await threads : [];
  if (pool.length === 0 || pool.some((thread) => thread.failed)) {
    for (const thread of pool) void thread.worker.terminate();
    threads = trimmedDefinitions().then((made) =>
      Array.from({ length: Math.max(1, Math.min(2, availableParallelism())) }, () => new ValidationThread(made)),
    );
    pool = await threads;
  }
  const thread = pool.reduce((best, candidate) => (candidate.jobs.length < best.jobs.length ? candidate : best));
  return thread.check(texts);
}

/** Marks an import as using the pool: the threads are kept while any import runs, ended when idle. */
export function holdPool(): () => void {
  users++;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  return () => {
    users--;
    if (users > 0) return;
    idleTimer = setTimeout(() => void closePool(), IDLE_MS);
    idleTimer.unref();
  };
}

export async function closePool() {
  const ending = threads ? await threads : [];
  threads = null;
  await Promise.all(ending.map((thread) => thread.worker.terminate()));
}
