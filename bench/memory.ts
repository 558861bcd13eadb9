/**
 * Memory and CPU time of processes from `/proc` (Linux): resident set now (`VmRSS`) and its peak (`VmHWM`), per
 * process, so the benchmark can report the Next.js server's peak memory (`next start` runs the server in a
 * child process).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessMemory {
  pid: number;
  name: string;
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size since the process started, bytes. */
  hwm: number;
}

function statusOf(pid: number): ProcessMemory | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    const name = /^Name:\s+(.*)$/m.exec(text)?.[1] ?? '';
    return { pid, name, rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Direct and indirect children of `root` (from each process's parent pid). */
export function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (after the `(comm)` which may hold spaces) is the parent pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while listing.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Memory of `root` and its descendants. */
export function treeMemory(root: number): ProcessMemory[] {
  return [root, ...descendants(root)].map(statusOf).filter((m): m is ProcessMemory => m !== undefined);
}

/** The process of the tree with the largest peak (the server, not the CLI wrapper). */
export function largest(memory: readonly ProcessMemory[]): ProcessMemory | undefined {
  return [...memory].sort((a, b) => b.hwm - a.hwm)[0];
}

/** CPU time (user + system) used so far by `pids`, in ms (Linux clock ticks are 10 ms). */
export function cpuTimeMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the command).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process is gone.
    }
  }
  return ticks * 10;
}
