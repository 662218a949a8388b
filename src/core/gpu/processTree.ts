/** Reads the Linux process tree from /proc: parent chains (ancestorsOf) and command names (commandName). */
import { readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** CPU time in clock ticks (usually 100 per second: USER_HZ). */
  utime: number;
  stime: number;
}

/**
 * Parses /proc/<pid>/stat. The command name sits in parentheses and may itself contain spaces and ')' (a process can
 * name itself anything), so split at the LAST ')'.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open === -1 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] = state (field 3), rest[1] = ppid (4), rest[11] = utime (14), rest[12] = stime (15)
  const ppid = Number(rest[1]);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isInteger(pid) || !Number.isInteger(ppid)) return null;
  return { pid, comm: text.slice(open + 1, close), state: rest[0] ?? '?', ppid, utime: utime || 0, stime: stime || 0 };
}

export function readProcStat(pid: number, procRoot = '/proc'): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`${procRoot}/${pid}/stat`, 'utf8'));
  } catch {
    // Gone (it exited), another pid namespace, or not Linux.
    return null;
  }
}

/**
 * Parent, grandparent, … up to (not including) pid 0, nearest first. A trainer under torchrun is a child of the
 * torchrun agent, which is the child of what the supervisor started: the runs domain matches any of these.
 */
export function ancestorsOf(pid: number, procRoot = '/proc'): number[] {
  const out: number[] = [];
  const seen = new Set<number>([pid]);
  let cur = pid;
  // 64 levels is far beyond any real tree; it bounds the loop if /proc changes under us.
  for (let i = 0; i < 64; i++) {
    const stat = readProcStat(cur, procRoot);
    if (!stat || stat.ppid <= 0 || seen.has(stat.ppid)) break;
    out.push(stat.ppid);
    seen.add(stat.ppid);
    cur = stat.ppid;
  }
  return out;
}

/** The short command name (/proc/<pid>/comm, at most 15 chars, e.g. "python3"), or null if the process is gone. */
export function commandName(pid: number, procRoot = '/proc'): string | null {
  try {
    const name = readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
    return name || null;
  } catch {
    return null;
  }
}

/** utime+stime of a live process in seconds (for the telemetry benchmark), or null when it is gone. */
export function cpuSecondsOf(pid: number, ticksPerSecond = 100, procRoot = '/proc'): number | null {
  const s = readProcStat(pid, procRoot);
  return s ? (s.utime + s.stime) / ticksPerSecond : null;
}
