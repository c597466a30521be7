import fs from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcessTicks {
  ppid: number;
  ticks: number;
}

function readProcesses(): Map<number, ProcessTicks> {
  const processes = new Map<number, ProcessTicks>();
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return processes; // not Linux
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ... utime stime: fields 14 and 15; comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return processes;
}

/** The parent of a process of this machine, if it can be read. */
export function parentPid(pid: number): number | undefined {
  return readProcesses().get(pid)?.ppid;
}

function descendantsOf(root: number, processes: Map<number, ProcessTicks>): Set<number> {
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of processes) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const result = new Set<number>([root]);
  const queue = [root];
  while (queue.length) for (const child of children.get(queue.pop()!) ?? []) if (!result.has(child)) (result.add(child), queue.push(child));
  return result;
}

/**
 * CPU time used by processes outside the benchmark's own process tree (the bench, the platform, its embedded
 * PostgreSQL, the references) while a measurement ran: on a shared machine, other work (a build, a test run) takes
 * cores from the measured processes, and the figures say so.
 */
export class OtherCpuMonitor {
  private before = new Map<number, ProcessTicks>();
  private startedAt = 0;

  constructor(private readonly ownExtraPids: () => number[] = () => []) {}

  start(): void {
    this.before = readProcesses();
    this.startedAt = Date.now();
  }

  /** The share (0..1) of the machine's CPU that other processes used since start(). */
  stop(): number {
    const after = readProcesses();
    const seconds = (Date.now() - this.startedAt) / 1000;
    if (!after.size || seconds <= 0) return 0;
    const own = descendantsOf(process.pid, after);
    for (const pid of this.ownExtraPids()) for (const descendant of descendantsOf(pid, after)) own.add(descendant);
    let ticks = 0;
    for (const [pid, { ticks: now }] of after) {
      if (own.has(pid)) continue;
      ticks += Math.max(0, now - (this.before.get(pid)?.ticks ?? 0));
    }
    return ticks / TICKS_PER_SECOND / seconds / os.cpus().length;
  }
}
