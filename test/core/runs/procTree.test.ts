/** Finding a run's processes by its marker (also after setsid and re-parenting), their order, and the escalation that stops them. */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../../../src/core/runs/holderProcess.js';
import { escalate, listProcs, markerIn, processesOfRun, recentProcs, signalAll } from '../../../src/core/runs/procTree.js';
import { waitFor } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A shell carrying a fresh marker that starts `script`; every pid it prints is killed after the test. */
function marked(script: string): { id: string; sh: number; pids: () => number[] } {
  const id = `test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const sh = spawn('/bin/sh', ['-c', script], { env: { ...process.env, TRAINYARD_RUN_ID: id }, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  let out = '';
  sh.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const pids = () => out.split(/\s+/).filter(Boolean).map(Number);
  cleanups.push(() => signalAll([sh.pid!, ...pids()].filter(pidAlive), 'SIGKILL'));
  return { id, sh: sh.pid!, pids };
}

describe('markerIn', () => {
  it('reads the marker at the start, in the middle or at the end of an environ block, and only that exact name', () => {
    const env = (...kv: string[]) => Buffer.from(kv.map((s) => `${s}\0`).join(''), 'latin1');
    expect(markerIn(env('TRAINYARD_RUN_ID=run_a', 'PATH=/bin'))).toBe('run_a');
    expect(markerIn(env('PATH=/bin', 'TRAINYARD_RUN_ID=run_b', 'HOME=/h'))).toBe('run_b');
    expect(markerIn(Buffer.from('PATH=/bin\0TRAINYARD_RUN_ID=run_c', 'latin1'))).toBe('run_c');
    expect(markerIn(env('PATH=/bin', 'TRAINYARD_RUN_IDX=run_d', 'XTRAINYARD_RUN_ID=run_e'))).toBeNull();
    expect(markerIn(env('TRAINYARD_RUN_ID='))).toBeNull();
    expect(markerIn(Buffer.alloc(0))).toBeNull();
  });
});

describe('processesOfRun', () => {
  it('finds a setsid child and a child that cleared its environment, children before the parent', async () => {
    const m = marked('sleep 30 & echo $!; setsid sleep 31 & echo $!; env -u TRAINYARD_RUN_ID sleep 32 & echo $!; wait');
    await waitFor(() => m.pids().length === 3, 10_000, 'three children');
    const [plain, detached, cleared] = m.pids() as [number, number, number];
    let found: number[] = [];
    await waitFor(() => (found = processesOfRun(m.id)).length === 4, 10_000, 'four processes of the run');
    expect(new Set(found)).toEqual(new Set([m.sh, plain, detached, cleared]));
    expect(found.at(-1)).toBe(m.sh);
    // The setsid one is in a session of its own: a tree-and-session walk of the shell alone would need its parent alive.
    expect(listProcs().find((p) => p.pid === detached)).toMatchObject({ sid: detached, runId: m.id });
    expect(listProcs().find((p) => p.pid === cleared)?.runId).toBeNull();
  });

  it('still finds marked processes once their parent is gone and they are re-parented', async () => {
    const m = marked('sleep 30 & echo $!; setsid sleep 31 & echo $!; wait');
    await waitFor(() => m.pids().length === 2, 10_000, 'two children');
    process.kill(m.sh, 'SIGKILL');
    await waitFor(() => !pidAlive(m.sh), 10_000, 'the shell to die');
    const procs = listProcs();
    for (const pid of m.pids()) expect(procs.find((p) => p.pid === pid)!.ppid).not.toBe(m.sh);
    expect(new Set(processesOfRun(m.id, procs))).toEqual(new Set(m.pids()));
    expect(processesOfRun('no-such-run', procs)).toEqual([]);
  });

  it('recentProcs reuses one scan within its age and scans again after', async () => {
    const a = recentProcs(60_000);
    expect(recentProcs(60_000)).toBe(a);
    expect(recentProcs(0)).not.toBe(a);
  });
});

describe('escalate', () => {
  it('graceful signal first, SIGTERM after the grace, SIGKILL for what ignores both, then done with nothing left', async () => {
    // SIGUSR1 as the graceful signal (a non-interactive shell's background jobs ignore SIGINT). One sleeper dies of it;
    // one ignores it but not SIGTERM; one ignores both (trap '' = SIG_IGN, kept across exec).
    const m = marked(`sleep 30 & echo $!; (trap '' USR1; exec sleep 31) & echo $!; (trap '' USR1 TERM; exec sleep 32) & echo $!; wait`);
    await waitFor(() => m.pids().length === 3, 10_000, 'three children');
    const [polite, termOnly, stubborn] = m.pids() as [number, number, number];
    const alive = () => [polite, termOnly, stubborn].map(pidAlive);
    const seenStates: boolean[][] = [];
    const left = await new Promise<number[]>((resolve) => {
      escalate(
        () => {
          seenStates.push(alive());
          return processesOfRun(m.id);
        },
        { signal: 'SIGUSR1', graceMs: 600, killAfterMs: 600 },
        resolve,
        50,
      );
    });
    expect(left).toEqual([]);
    expect(alive()).toEqual([false, false, false]);
    // The graceful signal ended only the first; SIGTERM the second; the third lived until SIGKILL.
    expect(seenStates.some(([p, t, s]) => !p && t && s)).toBe(true);
    expect(seenStates.some(([p, t, s]) => !p && !t && s)).toBe(true);
  });
});
