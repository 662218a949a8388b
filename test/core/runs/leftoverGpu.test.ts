/** GPU memory of a lost run's leftover workers counts as held (attributed by the run marker) until the last one is gone. */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Monitor } from '../../../src/core/gpu/monitor.js';
import { pidAlive, readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { listProcs, processesOfRun, signalAll } from '../../../src/core/runs/procTree.js';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import { planGpus } from '../../../src/core/scheduler/board.js';
import { gpuRooms, roomFor } from '../../../src/core/scheduler/capacity.js';
import { runningForPlan } from '../../../src/core/scheduler/scheduler.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { launcherCommand, makeCtx, spec, tempDataDir, waitFor } from './helpers.js';

const dataDir = tempDataDir();
const ctx = makeCtx(dataDir);
// A grace long enough to look at the card while the leftovers ignore SIGABRT; SIGTERM ends them.
const runs = createRunsDomain(ctx, { commandFor: launcherCommand, metricsPollMs: 100, stopGraceMs: 8000, killAfterMs: 1000 });
const sup = runs.supervisor;
// The double shows every process on this machine that declares FAKE_GPU_MEM_MIB. GPUs with uuids of this test's own,
// named in CUDA_VISIBLE_DEVICES, keep these workers off the cards of other tests' doubles running at the same time.
const uuids = [0, 1].map((i) => `GPU-leftover-${process.pid}-${i}`);
const state = join(dataDir, 'smi-state.json');
writeFileSync(state, JSON.stringify({ gpus: uuids.map((uuid) => ({ uuid })) }));
const monitor = new Monitor({
  env: { PATH: dirname(process.execPath), TRAINYARD_NVIDIA_SMI: join(repoRoot, 'test/fixtures/bin/nvidia-smi'), FAKE_NVIDIA_SMI_STATE: state },
  intervalMs: () => 200,
  appsIntervalMs: 60_000,
  toolTimeoutMs: 10_000,
});
monitor.setPidResolver((pid) => sup.runIdForPid(pid));
const seen = new Set<number>();

afterAll(async () => {
  await monitor.stop();
  signalAll([...seen].filter(pidAlive), 'SIGKILL');
  sup.shutdown();
  ctx.db.close();
});

describe('leftovers hold GPU memory', () => {
  it('a lost run whose re-parented workers still hold memory stays on the card until they are gone', async () => {
    await monitor.start();
    await waitFor(() => monitor.snapshot().source === 'nvidia-smi', 20_000, 'the GPUs');
    const gpu1 = monitor.snapshot().gpus.find((g) => g.index === 1)!;
    expect(gpu1.uuid).toBe(uuids[1]);
    const yaml = 'workers: 2\nworker_gpu_mib: 3000\nignore: SIGHUP,SIGABRT\neio: ignore\n';
    const run = await sup.launch({ ...spec('gpu-leftovers', yaml, dataDir, [1]), gpuUuids: [gpu1.uuid], extraEnv: { CUDA_VISIBLE_DEVICES: gpu1.uuid } });
    const log = () => readFileSync(join(run.runDir, 'console.log'), 'utf8');
    await waitFor(() => /worker 0: step 2/.test(log()) && /worker 1: step 2/.test(log()), 20_000, 'both workers');
    const workers = [...log().matchAll(/worker \d: started pid (\d+)/g)].map((m) => Number(m[1]));
    const holder = readHolderInfo(run.runDir)!;
    for (const p of [...workers, holder.holderPid, holder.trainerPid]) seen.add(p);

    // The holder and the launcher die: the workers (own sessions) are re-parented, out of any tree the engine knew.
    process.kill(holder.holderPid, 'SIGKILL');
    process.kill(holder.trainerPid, 'SIGKILL');
    await waitFor(() => !pidAlive(holder.trainerPid), 10_000, 'the launcher to die');
    await waitFor(() => sup.get(run.id)?.status === 'stopping', 20_000, 'the lost run to be stopping its leftovers');
    const procs = listProcs();
    for (const w of workers) expect(procs.find((p) => p.pid === w)?.ppid).not.toBe(holder.trainerPid);

    await monitor.refreshProcesses();
    const snap = monitor.snapshot();
    const mine = snap.processes.filter((p) => workers.includes(p.pid));
    expect(mine).toHaveLength(2);
    expect(mine.every((p) => p.runId === run.id && p.gpuIndex === 1 && p.usedMemoryMiB === 3000)).toBe(true);
    // What the scheduler sees: the run is on GPU 1 holding 6000 MiB, so a job of unknown size does not get the card.
    const running = runningForPlan(sup.active(), [], snap);
    expect(running.find((r) => r.id === run.id)?.usedMiB).toEqual({ [gpu1.uuid]: 6000 });
    const room = gpuRooms(planGpus(snap), running, 2048).get(gpu1.uuid)!;
    expect(room).toMatchObject({ runs: 1, ownUsedMiB: 6000 });
    expect(roomFor(room, null, 2048).ok).toBe(false);

    const ended = await sup.waitForEnd(run.id, 60_000);
    expect(ended.status).toBe('lost');
    expect(workers.filter(pidAlive)).toEqual([]);
    expect(processesOfRun(run.id)).toEqual([]);
    await monitor.refreshProcesses();
    expect(monitor.snapshot().processes.filter((p) => workers.includes(p.pid))).toEqual([]);
    expect(runningForPlan(sup.active(), [], monitor.snapshot()).find((r) => r.id === run.id)).toBeUndefined();
  }, 90_000);
});
