import { readFileSync, writeFileSync } from 'node:fs';

export interface ProcMemory {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size (VmHWM) since start or since the last `resetPeak`, bytes. */
  hwm: number;
}

/** VmRSS and VmHWM of a process from /proc/<pid>/status (Linux); falls back to this process's rss elsewhere. */
export function procMemory(pid: number = process.pid): ProcMemory {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    const rss = pid === process.pid ? process.memoryUsage().rss : NaN;
    return { rss, hwm: NaN };
  }
}

/** Resets VmHWM to the current RSS (Linux: `echo 5 > /proc/<pid>/clear_refs`); false when not possible. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples a process's RSS every `everyMs` until stopped: the peak it saw (a fallback where VmHWM
 * cannot be reset, and a cross-check where it can).
 */
export function sampleRss(pid: number, everyMs = 20): { stop(): number } {
  let peak = procMemory(pid).rss;
  const timer = setInterval(() => {
    const { rss } = procMemory(pid);
    if (rss > peak) peak = rss;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, procMemory(pid).rss);
    },
  };
}

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc/<pid>/stat), NaN elsewhere. */
export function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticksPerSecond = 100; // USER_HZ on Linux
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/** Runs a figure's main and exits: nothing of a figure may linger (keep-alive sockets, timers). */
export function runFigure(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
