/** Stop like a cluster scheduler: every process of the run gets the signal, the pty stays open until the last one is gone, leftovers are stopped. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../src/shared/types/run.js';
import { defaultSettings } from '../../../src/shared/types/settings.js';
import { pidAlive, readExitInfo, readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { deliverStop, stopPlan } from '../../../src/core/runs/liveRuns.js';
import { listProcs, processesOfRun, signalAll } from '../../../src/core/runs/procTree.js';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import type { Live, SupervisorState } from '../../../src/core/runs/supervisorState.js';
import type { StoredRun } from '../../../src/core/store/runsRepo.js';
import { launcherCommand, makeCtx, spec, tempDataDir, waitFor } from './helpers.js';

const dataDir = tempDataDir();
const TOKEN = 'engine-token-that-must-not-leak';
const ctx = { ...makeCtx(dataDir), env: { ...process.env, TRAINYARD_TOKEN: TOKEN } };
// A grace far longer than the workers' 3 s save: SIGTERM must never be needed for them.
const runs = createRunsDomain(ctx, { commandFor: launcherCommand, metricsPollMs: 100, stopGraceMs: 30_000, killAfterMs: 2000 });
const sup = runs.supervisor;
// Short grace for leftovers that ignore every polite signal.
const quick = createRunsDomain(ctx, { commandFor: launcherCommand, metricsPollMs: 100, stopGraceMs: 1000, killAfterMs: 1000 });

const log = (r: Run) => readFileSync(join(r.runDir, 'console.log'), 'utf8');
const orphanPid = (r: Run) => Number(readFileSync(join(r.outputDir || r.runDir, 'orphan.pid'), 'utf8'));
const workerPids = (r: Run) => [...log(r).matchAll(/worker \d: started pid (\d+)/g)].map((m) => Number(m[1]));
/** Every pid a test saw, killed at the end whatever happened. */
const seen = new Set<number>();
const remember = (r: Run) => {
  const info = readHolderInfo(r.runDir);
  if (info) seen.add(info.holderPid);
  for (const p of processesOfRun(r.id)) seen.add(p);
};

afterAll(() => {
  for (const r of sup.list()) remember(r);
  signalAll([...seen].filter(pidAlive), 'SIGKILL');
  sup.shutdown();
  quick.supervisor.shutdown();
  ctx.db.close();
});

async function launched(name: string, yaml: string, ready: RegExp[], domain = runs): Promise<Run> {
  const run = await domain.supervisor.launch(spec(name, yaml, dataDir));
  await waitFor(() => ready.every((re) => re.test(log(run))), 20_000, `${name} to be running`);
  remember(run);
  return domain.supervisor.get(run.id)!;
}

function expectCheckpoints(run: Run): void {
  for (const r of [0, 1]) {
    const dir = join(run.outputDir, `checkpoint-r${r}`);
    expect(JSON.parse(readFileSync(join(dir, 'complete.json'), 'utf8'))).toEqual({ parts: 10, bytes: 655_360 });
    expect(statSync(join(dir, 'model.bin')).size).toBe(655_360);
  }
}

describe('stop reaches every process of the run', () => {
  it('a launcher that dies at once and two setsid workers: both checkpoints complete, nothing left, stopped, their last lines logged', async () => {
    const run = await launched('torchrun-like', 'workers: 2\nsave_ms: 3000\n', [/worker 0: step 2/, /worker 1: step 2/]);
    // The marker is in the trainer's environment; the engine's token is not.
    const environ = readFileSync(`/proc/${run.pid}/environ`, 'latin1').split('\0');
    expect(environ).toContain(`TRAINYARD_RUN_ID=${run.id}`);
    expect(environ.some((e) => e.startsWith('TRAINYARD_TOKEN='))).toBe(false);
    expect(log(run)).toContain('TRAINYARD_TOKEN=(none)');
    const workers = workerPids(run);
    expect(workers).toHaveLength(2);
    // The workers have sessions of their own, like torchrun's (start_new_session=True).
    expect(listProcs().filter((p) => workers.includes(p.pid)).every((p) => p.sid === p.pid)).toBe(true);

    await sup.stop(run.id);
    const ended = await sup.waitForEnd(run.id, 60_000);
    expect(ended.status).toBe('stopped');
    expectCheckpoints(ended);
    // The run ended only after its last process: nothing of it is left, and the workers' last lines reached the log.
    expect(processesOfRun(run.id)).toEqual([]);
    expect(workers.filter(pidAlive)).toEqual([]);
    const text = log(ended);
    expect(text).toContain('launcher: got SIGABRT');
    expect(text).toContain('worker 0: checkpoint complete');
    expect(text).toContain('worker 1: checkpoint complete');
    expect(text).toContain('[trainyard] Stop requested: SIGABRT to 3 process(es) of the run');
    expect(text).not.toMatch(/got SIGTERM|got SIGKILL|SIGTERM to \d/);
    expect(readFileSync(join(ended.runDir, 'exit.json'), 'utf8')).not.toContain('leftoverPids');
  }, 90_000);

  it('plain-child workers (same process group, SIGHUP ignored) also finish their save before the run ends', async () => {
    const run = await launched('plain-children', 'workers: 2\ndetach: child\nignore: SIGHUP\nsave_ms: 3000\n', [/worker 0: step 2/, /worker 1: step 2/]);
    const workers = workerPids(run);
    await sup.stop(run.id);
    const ended = await sup.waitForEnd(run.id, 60_000);
    expect(ended.status).toBe('stopped');
    expectCheckpoints(ended);
    expect(workers.filter(pidAlive)).toEqual([]);
    expect(log(ended)).toContain('worker 1: checkpoint complete');
  }, 90_000);

  it('a setsid grandchild that ignores SIGABRT, SIGTERM and SIGHUP is killed, and the run ends only after it', async () => {
    const run = await launched('orphan-stop', 'workers: 0\norphan: 1\nignore: SIGABRT,SIGTERM,SIGHUP\n', [/started orphan/, /launcher: step 2/], quick);
    const orphan = orphanPid(run);
    seen.add(orphan);
    expect(pidAlive(orphan)).toBe(true);
    // It left the trainer's tree and session: only the marker finds it.
    expect(listProcs().find((p) => p.pid === orphan)).toMatchObject({ sid: orphan, runId: run.id });
    await quick.supervisor.stop(run.id);
    const ended = await quick.supervisor.waitForEnd(run.id, 60_000);
    expect(ended.status).toBe('stopped');
    expect(pidAlive(orphan)).toBe(false);
    expect(processesOfRun(run.id)).toEqual([]);
    expect(log(ended)).toMatch(/SIGKILL to \d process\(es\) still running/);
  }, 90_000);

  it('an inference server gets SIGINT (uvicorn), not SIGABRT', async () => {
    const run = await runs.supervisor.launch({ ...spec('api-server', 'workers: 0\n', dataDir), kind: 'api' });
    await waitFor(() => /launcher: step 2/.test(log(run)), 20_000, 'the server to run');
    remember(run);
    await sup.stop(run.id);
    const ended = await sup.waitForEnd(run.id, 30_000);
    expect(ended.status).toBe('stopped');
    expect(log(ended)).toContain('launcher: got SIGINT');
    expect(log(ended)).not.toContain('SIGABRT');
  }, 60_000);
});

describe('leftovers of a run that ended by itself or lost its holder', () => {
  it('a trainer that exits normally leaves no daemon behind, and the run finishes after it is gone', async () => {
    const run = await sup.launch(spec('natural-exit', 'workers: 1\nsteps: 5\nstep_ms: 50\norphan: 1\n', dataDir));
    await waitFor(() => existsSync(join(run.outputDir, 'orphan.pid')), 20_000, 'the orphan');
    const orphan = orphanPid(run);
    seen.add(orphan);
    const ended = await sup.waitForEnd(run.id, 60_000);
    expect(ended.status).toBe('finished');
    expect(ended.exitCode).toBe(0);
    expect(pidAlive(orphan)).toBe(false);
    expect(log(ended)).toContain('[trainyard] The trainer exited; stopping the processes it left running: SIGTERM to 1 process(es)');
  }, 60_000);

  it('a killed holder whose trainer ignores SIGHUP: the run is stopping while its processes live, then lost, and no process is left', async () => {
    const run = await launched('lost', 'workers: 0\nignore: SIGHUP\neio: ignore\norphan: 1\n', [/started orphan/, /launcher: step 2/]);
    const orphan = orphanPid(run);
    seen.add(orphan);
    const statuses: string[] = [];
    const off = sup.onChange((r) => r.id === run.id && statuses.push(r.status));
    process.kill(readHolderInfo(run.runDir)!.holderPid, 'SIGKILL');
    const ended = await sup.waitForEnd(run.id, 60_000);
    off();
    expect(ended.status).toBe('lost');
    // Progress updates repeat 'running': the status changes are what counts.
    expect(statuses.filter((st, i) => st !== 'running' && st !== statuses[i - 1])).toEqual(['stopping', 'lost']);
    expect(ended.failure?.message.text).toMatch(/holder process is gone/);
    expect(ended.failure?.note?.text).toMatch(/processes it left running were stopped/);
    expect(pidAlive(run.pid!)).toBe(false);
    expect(pidAlive(orphan)).toBe(false);
    expect(processesOfRun(run.id)).toEqual([]);
  }, 60_000);

  it('a stop carries on while no engine runs: the holder finishes it and the next engine records it', async () => {
    const first = createRunsDomain(ctx, { commandFor: launcherCommand, metricsPollMs: 100, stopGraceMs: 30_000, killAfterMs: 2000 });
    const run = await launched('engine-gone', 'workers: 2\nsave_ms: 2000\n', [/worker 0: step 2/, /worker 1: step 2/], first);
    await first.supervisor.stop(run.id);
    first.supervisor.shutdown();
    await waitFor(() => readExitInfo(run.runDir) !== null, 30_000, 'the holder to finish the stop alone');
    expectCheckpoints(run);
    const next = createRunsDomain(ctx, { commandFor: launcherCommand, metricsPollMs: 100 });
    try {
      await next.start?.();
      expect(next.supervisor.get(run.id)!.status).toBe('stopped');
    } finally {
      next.supervisor.shutdown();
    }
  }, 60_000);
});

describe('stopPlan', () => {
  const state = (stopGraceSeconds: number, opts = {}) =>
    ({ opts, ctx: { ...ctx, settings: () => ({ ...defaultSettings, stopGraceSeconds }) } }) as unknown as SupervisorState;

  it('takes the grace from the setting; the supervisor option overrides it; servers get SIGINT and a short grace', () => {
    expect(stopPlan(state(420), { kind: 'train' })).toEqual({ signal: 'SIGABRT', graceMs: 420_000, killAfterMs: 10_000 });
    expect(stopPlan(state(420), { kind: 'predict' }).signal).toBe('SIGABRT');
    expect(stopPlan(state(420, { stopGraceMs: 1234, killAfterMs: 55 }), { kind: 'train' })).toEqual({ signal: 'SIGABRT', graceMs: 1234, killAfterMs: 55 });
    expect(stopPlan(state(420), { kind: 'api' })).toEqual({ signal: 'SIGINT', graceMs: 15_000, killAfterMs: 10_000 });
    expect(stopPlan(state(5), { kind: 'api' }).graceMs).toBe(5000);
  });
});

describe('a holder from before stop.json', () => {
  it('is stopped by the engine itself through the trainer\'s tree: graceful signal, then SIGTERM to what ignores it', async () => {
    // A "trainer" without the marker (as an old holder started it): a shell with a child that ignores SIGABRT.
    const sh = spawn('/bin/sh', ['-c', `(trap '' ABRT; exec sleep 31) & echo $!; wait`], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let out = '';
    sh.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => /\d/.test(out), 10_000, 'the child');
    const child = Number(out.trim());
    seen.add(sh.pid!).add(child);
    const runDir = mkdtempSync(join(tmpdir(), 'ty-legacy-'));
    const state = { opts: { stopGraceMs: 500, killAfterMs: 500 }, ctx } as unknown as SupervisorState;
    const l = { trainerPid: sh.pid!, legacy: true, escalation: null } as unknown as Live;
    deliverStop(state, { id: 'run_legacy', kind: 'train', runDir } as StoredRun, l);
    expect(existsSync(join(runDir, 'stop.json'))).toBe(true);
    await waitFor(() => !pidAlive(sh.pid!), 10_000, 'SIGABRT to end the shell');
    expect(pidAlive(child)).toBe(true);
    await waitFor(() => !pidAlive(child), 10_000, 'SIGTERM after the grace to end the child');
    l.escalation?.cancel();
  });
});
