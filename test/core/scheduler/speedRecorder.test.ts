/** The speed recorder over a real SQLite file and the event bus: start-up, solo and shared throughput, utilisation alone, an engine restart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import type { CoreContext } from '../../../src/core/context.js';
import { dataPaths } from '../../../src/core/paths.js';
import { profileFromHistory } from '../../../src/core/scheduler/speedModel.js';
import { createSpeedRecorder } from '../../../src/core/scheduler/speedRecorder.js';
import { openDb, type Db } from '../../../src/core/store/db.js';
import { createRunSpeedRepo } from '../../../src/core/store/runSpeedRepo.js';
import type { GpuSnapshot } from '../../../src/shared/types/gpu.js';
import type { Run, RunStatus } from '../../../src/shared/types/run.js';
import { defaultSettings } from '../../../src/shared/types/settings.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { idleH100s } from './fakeGpus.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const dbs: Db[] = [];
afterEach(() => {
  dbs.splice(0).forEach((d) => d.close());
  vi.useRealTimers();
});

const T0 = Date.UTC(2025, 0, 1);

function setup(dir = mkdtempSync(join(tmpdir(), 'ty-speed-'))) {
  const paths = dataPaths(join(dir, 'data'));
  const db = openDb(paths.dbFile);
  dbs.push(db);
  const ctx: CoreContext = { db, paths, bus: new EventBus(), host: 'serve', runtime: sourceTreeRuntime(), resourcesDir: join(repoRoot, 'resources'), settings: () => defaultSettings, env: {} };
  const runs = new Map<string, Run>();
  let snap: GpuSnapshot = { source: 'nvidia-smi', gpus: idleH100s([0]), processes: [], notice: null, at: T0 };
  const rec = createSpeedRecorder(ctx, {
    active: () => [...runs.values()].filter((r) => ['starting', 'running', 'stopping'].includes(r.status)),
    snapshot: () => snap,
    signature: () => ({ model: 'Qwen/Qwen2.5-0.5B', finetuningType: 'lora' }),
  });
  /** The clock moves to T0 + `s` seconds, then the run changes (as the supervisor would emit it). */
  const at = (s: number) => vi.setSystemTime(T0 + s * 1000);
  const change = (id: string, status: RunStatus, step: number | null, extra: Partial<Run> = {}) => {
    const prev = runs.get(id);
    const run = {
      id, name: id, kind: 'train', taskId: 'task1', sweepId: null, parentRunId: null, status, gpuIndices: [0], gpuUuids: ['GPU-0'],
      startedAt: prev?.startedAt ?? Date.now(), endedAt: ['starting', 'running', 'stopping'].includes(status) ? null : Date.now(),
      progress: step === null ? null : { step, totalSteps: 120, percent: null, epoch: null, elapsedSeconds: null, etaSeconds: null, tokensPerSec: null, lastLoss: null, lastEvalLoss: null },
      ...extra,
    } as Run;
    runs.set(id, run);
    ctx.bus.emit('runs.changed', run);
  };
  const sample = (utilPct: number) => {
    snap = { ...snap, gpus: snap.gpus.map((g) => ({ ...g, utilizationGpuPct: utilPct })) };
    ctx.bus.emit('gpus.snapshot', snap);
  };
  return { dir, db, rec, at, change, sample, repo: createRunSpeedRepo(db) };
}

describe('speed recorder', () => {
  it('measures start-up, steps/s alone and shared, and the card utilisation alone; the speed model reads them back', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const s = setup();
    s.at(0);
    s.rec.start();
    s.change('a', 'starting', null);
    s.change('a', 'running', 0);
    // First step 30 s after launch (LLaMA-Factory's elapsed time then is 0): the model load took 30 s.
    s.at(30);
    s.change('a', 'running', 1, { progress: { step: 1, totalSteps: 120, percent: null, epoch: null, elapsedSeconds: 0, etaSeconds: null, tokensPerSec: null, lastLoss: null, lastEvalLoss: null } });
    for (const u of [60, 62, 64]) s.sample(u);
    s.at(90);
    s.change('a', 'running', 61); // alone: 60 steps in 60 s
    expect(s.rec.live('a')).toEqual({ soloStepsPerS: 1, firstStepAt: T0 + 30_000, util: expect.closeTo(0.62, 5) as number });
    // A second run joins the card: the stretch across the change is dropped, then both share it.
    s.at(100);
    s.change('b', 'running', 0);
    s.change('a', 'running', 70);
    s.at(160);
    s.change('a', 'running', 100); // shared: 30 steps in 60 s with 2 runs on the card
    s.sample(99); // not alone: no utilisation sample
    s.at(170);
    s.change('a', 'finished', 120);
    const r = s.repo.get('a')!;
    expect(r).toMatchObject({ status: 'finished', startupS: 30, soloSteps: 60, soloS: 60, sharedSteps: 30, sharedS: 60, sharedRunsS: 120, stepsDone: 120, totalSteps: 120, trainS: 140, model: 'Qwen/Qwen2.5-0.5B', finetuningType: 'lora', gpuName: 'H100' });
    expect(r.utilSum / r.utilN).toBeCloseTo(0.62);
    // Sharing halved its speed with two on the card: util = 1 / (2 × 0.5 / 0.97).
    const p = profileFromHistory(s.repo.history('task1', 'Qwen/Qwen2.5-0.5B', 'lora', 'b'));
    expect(p).toMatchObject({ basis: 'task', runs: 1, startupS: 30, workS: 120 });
    expect(p.util).toBeCloseTo(0.97, 2);
    s.rec.stop();
  });

  it('keeps what it measured across an engine restart', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const s = setup();
    s.at(0);
    s.rec.start();
    s.change('a', 'running', 0);
    s.at(20);
    s.change('a', 'running', 1, { progress: { step: 1, totalSteps: 120, percent: null, epoch: null, elapsedSeconds: 0, etaSeconds: null, tokensPerSec: null, lastLoss: null, lastEvalLoss: null } });
    s.at(80);
    s.change('a', 'running', 41);
    s.rec.stop(); // the engine stops: what it had is written
    const s2 = setup(s.dir);
    s2.at(100);
    s2.rec.start();
    s2.change('a', 'running', 50);
    s2.at(160);
    s2.change('a', 'running', 80);
    s2.change('a', 'finished', 120);
    expect(s2.repo.get('a')).toMatchObject({ startupS: 20, soloSteps: 70, soloS: 120, status: 'finished' });
    s2.rec.stop();
  });
});
