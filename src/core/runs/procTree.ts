/** A run's processes from /proc: found by the run marker every descendant inherits (plus tree and session), and stopped by escalation. */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * The holder puts `TRAINYARD_RUN_ID=<run id>` in the trainer's environment; every descendant inherits it, also one that
 * left the process group or session (`setsid`: torchrun's workers, DataLoader workers) or was re-parented to pid 1.
 * /proc/<pid>/environ is the environment the process was started with, readable only for our own uid — which is
 * exactly the set of processes we may signal.
 */
export const RUN_MARKER = 'TRAINYARD_RUN_ID';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** One-letter state from stat: 'Z' = exited and not yet reaped (holds no memory, cannot be signalled away). */
  state: string;
  /** The run marker in its start-up environment, or null (none, or not our process). */
  runId: string | null;
}

const MARKER_AT_START = Buffer.from(`${RUN_MARKER}=`, 'latin1');
const MARKER_INSIDE = Buffer.from(`\0${RUN_MARKER}=`, 'latin1');

/** The marker's value in a NUL-separated environ block, or null. */
export function markerIn(environ: Buffer): string | null {
  let start: number;
  if (environ.subarray(0, MARKER_AT_START.length).equals(MARKER_AT_START)) start = MARKER_AT_START.length;
  else {
    const at = environ.indexOf(MARKER_INSIDE);
    if (at === -1) return null;
    start = at + MARKER_INSIDE.length;
  }
  const end = environ.indexOf(0, start);
  const value = environ.subarray(start, end === -1 ? environ.length : end).toString('latin1');
  return value || null;
}

function readMarker(pid: string): string | null {
  try {
    return markerIn(readFileSync(`/proc/${pid}/environ`));
  } catch {
    // Another user's process (EACCES), or it ended while we read.
    return null;
  }
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
      const state = rest[0] ?? '?';
      out.push({ pid: Number(e), ppid: Number(rest[1]), pgid: Number(rest[2]), sid: Number(rest[3]), state, runId: state === 'Z' ? null : readMarker(e) });
    } catch {
      // The process ended while we read.
    }
  }
  return out;
}

let cached: { at: number; procs: ProcInfo[] } | null = null;

/** listProcs, reused for `maxAgeMs`: GPU attribution asks once per GPU process and ancestor, one scan serves them all. */
export function recentProcs(maxAgeMs: number): ProcInfo[] {
  if (!cached || Date.now() - cached.at > maxAgeMs) cached = { at: Date.now(), procs: listProcs() };
  return cached.procs;
}

function childrenOf(procs: ProcInfo[]): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const p of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  return children;
}

/** root and every descendant, children before parents (the order LlamaBoard aborts in). */
export function descendants(root: number, procs: ProcInfo[] = listProcs()): number[] {
  const children = childrenOf(procs);
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
 * This is all a holder from before the run marker offers; processesOfRun is the complete answer.
 */
export function runProcesses(trainerPid: number, procs: ProcInfo[] = listProcs()): number[] {
  const tree = descendants(trainerPid, procs);
  const set = new Set(tree);
  for (const p of procs) if (p.sid === trainerPid && !set.has(p.pid)) tree.unshift(p.pid);
  return tree;
}

/**
 * Every live process of a run: those carrying its marker, their descendants (one that cleared its environment), and
 * the members of sessions they lead. Ordered like LlamaBoard's abort (webui/common.py:46-54, children before their
 * parent), processes outside the trainer's tree first, the trainer itself last. `trainer.legacy` adds the tree and
 * session of a trainer started by a holder that set no marker (only while that holder lives: a dead holder's pid may
 * have been reused). Never this process.
 */
export function processesOfRun(runId: string, procs: ProcInfo[] = listProcs(), trainer?: { pid: number | null; legacy?: boolean }): number[] {
  const alive = procs.filter((p) => p.state !== 'Z' && p.pid !== process.pid);
  const seeds = new Set(alive.filter((p) => p.runId === runId).map((p) => p.pid));
  const trainerPid = trainer?.pid ?? null;
  // A legacy trainer's session outlives it (the old runProcesses walk): its members are the run's even once it exited.
  const sessions = new Set(seeds);
  if (trainer?.legacy && trainerPid) {
    sessions.add(trainerPid);
    if (alive.some((p) => p.pid === trainerPid)) seeds.add(trainerPid);
  }
  const children = childrenOf(alive);
  const members = new Set<number>();
  const grow = (pid: number, depth: number) => {
    if (members.has(pid) || depth > 64) return;
    members.add(pid);
    for (const c of children.get(pid) ?? []) grow(c, depth + 1);
  };
  for (const s of seeds) grow(s, 0);
  for (const p of alive) if (sessions.has(p.sid)) grow(p.pid, 0);
  if (members.size === 0) return [];
  // Roots: members whose parent is not a member (the trainer; re-parented workers). Post-order from each root.
  const parentOf = new Map(alive.map((p) => [p.pid, p.ppid]));
  const roots = [...members].filter((pid) => !members.has(parentOf.get(pid) ?? 0));
  roots.sort((a, b) => Number(a === trainerPid) - Number(b === trainerPid));
  const out: number[] = [];
  const seen = new Set<number>();
  const visit = (pid: number, depth: number) => {
    if (seen.has(pid) || depth > 64) return;
    seen.add(pid);
    for (const c of children.get(pid) ?? []) if (members.has(c)) visit(c, depth + 1);
    out.push(pid);
  };
  for (const r of roots) visit(r, 0);
  return out;
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

/** What Stop sends and when: the graceful signal now, SIGTERM after graceMs, SIGKILL killAfterMs later. */
export interface StopPlan {
  signal: NodeJS.Signals;
  graceMs: number;
  killAfterMs: number;
}

export interface Escalation {
  cancel(): void;
}

/** After SIGKILL, a process in uninterruptible sleep (a hung NFS or driver call) may never go: stop waiting this long after. */
export const GIVE_UP_AFTER_KILL_MS = 60_000;

/**
 * Stops a set of processes the way a cluster scheduler stops a job: the plan's signal to all of them now, SIGTERM to
 * whatever is left after the grace, SIGKILL after killAfterMs more — repeated, so a process started meanwhile goes
 * too — until `find` answers none. Then `done([])`; or `done(pids)` with what SIGKILL could not end.
 * The engine uses it for runs without a live holder (lost ones) and for holders from before stop.json; holder.mjs
 * runs the same plan for its own runs (it cannot import engine code).
 */
export function escalate(find: () => number[], plan: StopPlan, done: (left: number[]) => void, pollMs = 500): Escalation {
  const start = Date.now();
  signalAll(find(), plan.signal);
  let termSent = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    timer = null;
    const pids = find();
    const elapsed = Date.now() - start;
    if (pids.length === 0 || elapsed >= plan.graceMs + plan.killAfterMs + GIVE_UP_AFTER_KILL_MS) return done(pids);
    if (elapsed >= plan.graceMs + plan.killAfterMs) signalAll(pids, 'SIGKILL');
    else if (elapsed >= plan.graceMs && !termSent) {
      termSent = true;
      signalAll(pids, 'SIGTERM');
    }
    timer = setTimeout(tick, pollMs);
    timer.unref();
  };
  timer = setTimeout(tick, Math.min(pollMs, 100));
  timer.unref();
  return {
    cancel: () => {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
