/** The speed recorder on real runs: the supervisor launches the scripted trainer under holders in real pseudo-terminals, alone and two at once on one card. */
import { afterAll, describe, expect, it } from 'vitest';
import { readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { runProcesses, signalAll } from '../../../src/core/runs/procTree.js';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import { createSpeedRecorder } from '../../../src/core/scheduler/speedRecorder.js';
import { createRunSpeedRepo } from '../../../src/core/store/runSpeedRepo.js';
import type { GpuSnapshot } from '../../../src/shared/types/gpu.js';
import { commandFor, makeCtx, spec, tempDataDir } from '../runs/helpers.js';
import { idleH100s } from './fakeGpus.js';

const dataDir = tempDataDir();
const ctx = makeCtx(dataDir);
const runs = createRunsDomain(ctx, { commandFor, metricsPollMs: 50 });
const sup = runs.supervisor;
const snap: GpuSnapshot = { source: 'nvidia-smi', gpus: idleH100s([0]), processes: [], notice: null, at: Date.now() };
const recorder = createSpeedRecorder(ctx, { active: () => sup.active(), snapshot: () => snap, signature: () => ({ model: 'scripted', finetuningType: 'lora' }) });
const repo = createRunSpeedRepo(ctx.db);
recorder.start();

afterAll(() => {
  recorder.stop();
  for (const r of sup.list()) {
    const info = readHolderInfo(r.runDir);
    if (info) signalAll([...runProcesses(info.trainerPid), info.holderPid], 'SIGKILL');
  }
  sup.shutdown();
  ctx.db.close();
});

// 400 steps, a trainer_log line every 5 (each one a progress update), 15 ms a step: a few seconds of "training".
const yaml = 'lines: 400\nevery: 5\nsleep_ms: 15\n';
/** A board run: it carries its task, which is how the recorder finds model + method. */
const launch = (name: string) => sup.launch({ ...spec(name, yaml, dataDir), taskId: 'task-1' });

describe('speed recorder on real runs', () => {
  it('records a run alone on its card: steps/s alone, start-up, its end', async () => {
    const run = await launch('alone');
    expect((await sup.waitForEnd(run.id, 60_000)).status).toBe('finished');
    const r = repo.get(run.id)!;
    expect(r).toMatchObject({ status: 'finished', stepsDone: 400, totalSteps: 400, sharedS: 0, model: 'scripted', finetuningType: 'lora', gpuName: 'H100' });
    expect(r.startupS).not.toBeNull();
    // Most of its steps were seen in stretches of constant sharing (the first progress only opens the first stretch).
    expect(r.soloSteps).toBeGreaterThanOrEqual(300);
    expect(r.soloS).toBeGreaterThan(0);
  });

  it('records two runs on one card as sharing it with two', async () => {
    const a = await launch('a');
    const b = await launch('b');
    await Promise.all([sup.waitForEnd(a.id, 60_000), sup.waitForEnd(b.id, 60_000)]);
    const ra = repo.get(a.id)!;
    const rb = repo.get(b.id)!;
    // While both trained, each saw two runs on its card; whatever ran alone (b's tail, or a's head) is kept apart.
    for (const r of [ra, rb]) {
      expect(r.status).toBe('finished');
      expect(r.sharedS).toBeGreaterThan(0);
      expect(r.sharedRunsS / r.sharedS).toBeCloseTo(2, 5);
    }
    // The history a new run of the task would be planned from: its three runs.
    expect(recorder.history('task-1', 'scripted', 'lora').task.map((r) => r.runId).sort()).toContain(a.id);
    expect(recorder.history('task-1', 'scripted', 'lora').task).toHaveLength(3);
  });
});
