/**
 * What the benchmark reads from /proc (Linux): resident memory, CPU time per process, and how busy
 * the whole machine was, so a result can say where the time went and how much of the machine
 * other work (other test runs) took meanwhile.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every mainstream Linux. */
const TICKS_PER_SECOND = 100;

export function residentKilobytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

interface ProcStat {
  ppid: number;
  cpuSeconds: number;
  /** CPU seconds of children that have exited and been waited for (e.g. ended PostgreSQL backends). */
  exitedChildrenSeconds: number;
}

function procStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      exitedChildrenSeconds: (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND,
    };
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) used so far by the processes, plus by `parentOf` and all its children,
 * running or exited: a PostgreSQL backend that ends hands its time to the postmaster's counters.
 */
export function cpuSeconds(pids: number[], parentOf?: number): number {
  const all = new Set(pids);
  let exited = 0;
  if (parentOf !== undefined) {
    all.add(parentOf);
    exited = procStat(parentOf)?.exitedChildrenSeconds ?? 0;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      if (procStat(Number(entry))?.ppid === parentOf) all.add(Number(entry));
    }
  }
  let total = exited;
  for (const pid of all) total += procStat(pid)?.cpuSeconds ?? 0;
  return total;
}

export interface MachineTimes {
  busy: number;
  total: number;
}

/** Machine-wide CPU time (all cores), from the first line of /proc/stat. */
export function machineTimes(): MachineTimes | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** Samples the resident memory of some processes every `intervalMs` until stopped. */
export class MemorySampler {
  private readonly peaks = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pids: number[],
    private readonly intervalMs = 100,
  ) {}

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  private sample() {
    for (const pid of this.pids) {
      const kilobytes = residentKilobytes(pid);
      if (kilobytes !== null) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, kilobytes));
    }
  }

  /** Stops sampling; returns the peak resident memory of each process, in MB. */
  stop(): Map<number, number> {
    clearInterval(this.timer);
    this.sample();
    return new Map([...this.peaks].map(([pid, kilobytes]) => [pid, kilobytes / 1024]));
  }
}
