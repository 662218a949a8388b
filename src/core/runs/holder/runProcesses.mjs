/** The holder's view of a run's processes in /proc: found by the run marker, their descendants and sessions, in LlamaBoard's abort order. */
// Plain ESM JavaScript like holder.mjs (which imports it; the node build copies every .mjs beside the compiled code).
// It must not import engine code; the engine's counterpart is processesOfRun in src/core/runs/procTree.ts.
import fs from 'node:fs';

/** Put in the trainer's environment by the holder; every process it starts inherits it (engine side: RUN_MARKER). */
export const MARKER = 'TRAINYARD_RUN_ID';

/**
 * A function listing every live process of run `runId`, this process aside: those whose start-up environment
 * (/proc/<pid>/environ — readable only for our own uid, which are the ones we may signal) holds the marker, plus
 * `trainerPid` when given, their descendants (one may have cleared its environment) and the members of sessions they
 * lead (job control). A worker that left with setsid, or was re-parented to pid 1, keeps the marker.
 * Order: children before their parent, as LlamaBoard aborts (LLaMA-Factory webui/common.py:46-54); processes outside
 * the trainer's tree first, the trainer last.
 */
export function runProcessFinder(runId) {
  const atStart = Buffer.from(`${MARKER}=${runId}\0`);
  const inside = Buffer.from(`\0${MARKER}=${runId}\0`);
  const marked = (pid) => {
    try {
      const env = fs.readFileSync(`/proc/${pid}/environ`);
      return env.indexOf(inside) !== -1 || env.subarray(0, atStart.length).equals(atStart);
    } catch {
      return false;
    }
  };

  return function find(trainerPid) {
    let names;
    try {
      names = fs.readdirSync('/proc');
    } catch {
      return [];
    }
    const parent = new Map();
    const session = new Map();
    const kids = new Map();
    const seeds = new Set();
    for (const name of names) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      let fields;
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
        fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      } catch {
        continue;
      }
      // Exited and not yet reaped: it holds nothing and no signal can remove it.
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const pid = Number(name);
      parent.set(pid, Number(fields[1]));
      session.set(pid, Number(fields[3]));
      if (!kids.has(parent.get(pid))) kids.set(parent.get(pid), []);
      kids.get(parent.get(pid)).push(pid);
      if (pid === trainerPid || marked(name)) seeds.add(pid);
    }
    const members = new Set();
    const grow = (pid) => {
      if (members.has(pid)) return;
      members.add(pid);
      for (const k of kids.get(pid) ?? []) grow(k);
    };
    for (const pid of seeds) grow(pid);
    for (const [pid, sid] of session) if (seeds.has(sid)) grow(pid);
    const roots = [...members].filter((pid) => !members.has(parent.get(pid))).sort((a, b) => (a === trainerPid) - (b === trainerPid));
    const order = [];
    const placed = new Set();
    const visit = (pid) => {
      if (placed.has(pid)) return;
      placed.add(pid);
      for (const k of kids.get(pid) ?? []) if (members.has(k)) visit(k);
      order.push(pid);
    };
    for (const r of roots) visit(r);
    return order;
  };
}

export function signalAll(pids, signal) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
