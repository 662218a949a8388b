/** Process trees from /proc: a run's descendants and session members (for stop and for GPU process attribution). */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
}

/** A snapshot of every process (Linux /proc; empty elsewhere, where callers fall back to the single pid). */
export function listProcs(): ProcInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcInfo[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // comm may contain spaces and parentheses: fields start after the LAST ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(e), ppid: Number(rest[1]), pgid: Number(rest[2]), sid: Number(rest[3]) });
    } catch {
      // The process ended while we read.
    }
  }
  return out;
}

/** root and every descendant, children before parents (the order LlamaBoard aborts in). */
export function descendants(root: number, procs: ProcInfo[] = listProcs()): number[] {
  const children = new Map<number, number[]>();
  for (const p of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const out: number[] = [];
  const visit = (pid: number, depth: number) => {
    if (depth > 64) return;
    for (const c of children.get(pid) ?? []) visit(c, depth + 1);
    out.push(pid);
  };
  visit(root, 0);
  return out;
}

/**
 * Every process of the trainer's tree AND of its session (the pty makes the trainer a session leader). Job control
 * gives background jobs their own process group, and a daemonised child leaves the tree, but both stay in the session.
 */
export function runProcesses(trainerPid: number, procs: ProcInfo[] = listProcs()): number[] {
  const tree = descendants(trainerPid, procs);
  const set = new Set(tree);
  for (const p of procs) if (p.sid === trainerPid && !set.has(p.pid)) tree.unshift(p.pid);
  return tree;
}

export function signalAll(pids: number[], signal: NodeJS.Signals): number {
  let sent = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // Already gone.
    }
  }
  return sent;
}
