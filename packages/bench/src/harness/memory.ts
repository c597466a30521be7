import fs from 'node:fs';

/** Resident memory (VmRSS) of a process in bytes, from /proc/<pid>/status; undefined if it is gone or not Linux. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface MemoryFigures {
  /** The first sample, before any load. */
  idleBytes?: number;
  /** The largest sample while load ran against the process. */
  maxUnderLoadBytes?: number;
}

/**
 * Samples the resident memory of the named processes: once when a process is added (idle), then every
 * `intervalMs` while a measurement runs (under load); keeps the maximum per process.
 */
export class MemorySampler {
  private readonly pids = new Map<string, number>();
  readonly figures = new Map<string, MemoryFigures>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly intervalMs = 200) {}

  add(name: string, pid: number): void {
    this.pids.set(name, pid);
    this.figures.set(name, { idleBytes: residentBytes(pid) });
  }

  private sample(): void {
    for (const [name, pid] of this.pids) {
      const bytes = residentBytes(pid);
      if (bytes === undefined) continue;
      const figures = this.figures.get(name)!;
      figures.maxUnderLoadBytes = Math.max(figures.maxUnderLoadBytes ?? 0, bytes);
    }
  }

  /** Samples every process while `work` runs (only the ones under load grow; idle ones keep their size). */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    try {
      return await work();
    } finally {
      clearInterval(this.timer);
      this.sample();
    }
  }
}
