/** The scheduler while runs.launch() is still pending: a cancel in that window, a run that ends inside it, a failed launch of a cancelled item. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { createTasksDomain } from '../../../src/core/configs/tasksDomain.js';
import type { CoreContext } from '../../../src/core/context.js';
import type { GpuMonitor } from '../../../src/core/gpu/gpuDomain.js';
import { dataPaths } from '../../../src/core/paths.js';
import type { LaunchSpec, RunSupervisor } from '../../../src/core/runs/supervisorApi.js';
import { createBoardRepo } from '../../../src/core/store/boardRepo.js';
import { openDb, type Db } from '../../../src/core/store/db.js';
import type { GpuSnapshot } from '../../../src/shared/types/gpu.js';
import type { Run, RunStatus } from '../../../src/shared/types/run.js';
import { defaultSettings } from '../../../src/shared/types/settings.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { idleH100s } from './fakeGpus.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

interface Deferred {
  spec: LaunchSpec;
  resolve: (status?: RunStatus) => Run;
  reject: (e: Error) => void;
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ty-race-'));
  const paths = dataPaths(join(dir, 'data'));
  const db = openDb(paths.dbFile);
  dbs.push(db);
  const ctx: CoreContext = { db, paths, bus: new EventBus(), host: 'serve', runtime: sourceTreeRuntime(), resourcesDir: join(repoRoot, 'resources'), settings: () => defaultSettings, env: { HOME: dir, HF_HUB_CACHE: join(dir, 'hub') } };
  const snap: GpuSnapshot = {
    source: 'nvidia-smi',
    gpus: idleH100s([0]),
    processes: [],
    notice: null,
    at: Date.now(),
  };
  const gpus: GpuMonitor = { snapshot: () => snap, onSnapshot: () => () => {}, setPidResolver: () => {} };
  const pending: Deferred[] = [];
  const stopped: string[] = [];
  const runs = new Map<string, Run>();
  const listeners = new Set<(r: Run) => void>();
  let n = 0;
  const mkRun = (spec: LaunchSpec, status: RunStatus): Run =>
    ({ id: `run${++n}`, name: spec.name, kind: spec.kind, taskId: spec.taskId, sweepId: spec.sweepId, parentRunId: null, status, gpuIndices: spec.gpuIndices, gpuUuids: spec.gpuUuids, outputDir: '', runDir: '', configPath: '', workDir: spec.workDir, argv: [], env: {}, masterPort: null, pid: 1, exitCode: null, signal: null, failure: null, estimateMiB: spec.estimateMiB, peakMiB: null, progress: null, tags: [], notes: '', createdAt: Date.now(), startedAt: Date.now(), endedAt: status === 'running' ? null : Date.now() }) as Run;
  const supervisor: RunSupervisor = {
    // launch() stays open until the test settles it.
    launch: (spec) =>
      new Promise<Run>((res, rej) => {
        pending.push({
          spec,
          resolve: (status = 'running') => {
            const run = mkRun(spec, status);
            runs.set(run.id, run);
            // A run that ends inside launch() reports its change before launch() returns.
            if (status !== 'running') for (const l of listeners) l(run);
            res(run);
            return run;
          },
          reject: rej,
        });
      }),
    stop: async (id) => {
      stopped.push(id);
      const r = { ...runs.get(id)!, status: 'stopped' } as Run;
      runs.set(id, r);
      for (const l of listeners) l(r);
      return r;
    },
    get: (id) => runs.get(id) ?? null,
    list: () => [...runs.values()],
    active: () => [...runs.values()].filter((r) => r.status === 'running'),
    onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    runIdForPid: () => null,
  };
  const domain = createTasksDomain(ctx, { gpus, runs: supervisor });
  const h = domain.handlers as unknown as Record<string, (p: unknown) => unknown>;
  const call = async <T>(m: string, p: unknown = {}) => (await h[m]!(p)) as T;
  const work = join(dir, 'configs');
  mkdirSync(join(work, 'data'), { recursive: true });
  mkdirSync(join(work, 'llama7b'), { recursive: true });
  writeFileSync(join(work, 'llama7b', 'config.json'), JSON.stringify({ model_type: 'llama', hidden_size: 4096, intermediate_size: 11008, num_attention_heads: 32, num_hidden_layers: 32, vocab_size: 32000 }));
  writeFileSync(join(work, 'data', 'dataset_info.json'), JSON.stringify({ shop: { file_name: 'shop.json' } }));
  writeFileSync(join(work, 'data', 'shop.json'), '[]');
  writeFileSync(join(work, 'support.yaml'), 'model_name_or_path: ./llama7b\nstage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: shop\noutput_dir: out\nbf16: true\nper_device_train_batch_size: 2\ncutoff_len: 2048\n');
  return { domain, call, pending, stopped, runs, work, repo: createBoardRepo(db) };
}

interface Q {
  id: string;
  state: string;
  runId: string | null;
  note: string | null;
}

/** Enqueues one task, starts the scheduler and lets the pass reach the pending launch. */
async function started() {
  const s = setup();
  const { tasks } = await s.call<{ tasks: { id: string }[] }>('tasks.import', { paths: [join(s.work, 'support.yaml')] });
  const item = await s.call<Q>('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
  s.domain.scheduler.start();
  const pass = s.domain.scheduler.tick();
  await new Promise((r) => setTimeout(r, 10));
  expect(s.pending.length).toBe(1);
  const get = () => s.repo.get(item.id)!;
  expect(get()).toMatchObject({ state: 'running', runId: null });
  return { ...s, item, pass, get };
}

describe('scheduler while a launch is pending', () => {
  it('a cancel during launch stops the run once it exists; the item stays cancelled', async () => {
    const s = await started();
    await s.call('board.cancel', { itemId: s.item.id });
    expect(s.get().state).toBe('cancelled');
    const run = s.pending[0]!.resolve();
    await s.pass;
    expect(s.stopped).toEqual([run.id]);
    expect(s.get()).toMatchObject({ state: 'cancelled', runId: null });
    await s.domain.scheduler.tick();
    expect(s.pending.length).toBe(1); // not launched again
    s.domain.scheduler.stop();
  });

  it('a failed launch of an item cancelled meanwhile does not bring it back to the queue', async () => {
    const s = await started();
    await s.call('board.cancel', { itemId: s.item.id });
    s.pending[0]!.reject(new Error('no python'));
    await s.pass;
    expect(s.get().state).toBe('cancelled');
    expect(s.stopped).toEqual([]);
    s.domain.scheduler.stop();
  });

  it('a failed launch of an item still waiting on it re-queues it with the error', async () => {
    const s = await started();
    s.pending[0]!.reject(new Error('no python'));
    await s.pass;
    expect(s.get()).toMatchObject({ state: 'queued', runId: null, note: expect.stringMatching(/could not start: no python/i) });
    s.domain.scheduler.stop();
  });

  it('a run that ended before launch() resolved leaves its item done, not stuck running', async () => {
    const s = await started();
    const run = s.pending[0]!.resolve('finished');
    await s.pass;
    expect(s.get()).toMatchObject({ state: 'done', runId: run.id });
    expect(s.stopped).toEqual([]);
    s.domain.scheduler.stop();
  });

  it('a normal launch records the run id on the item', async () => {
    const s = await started();
    const run = s.pending[0]!.resolve();
    await s.pass;
    expect(s.get()).toMatchObject({ state: 'running', runId: run.id });
    s.domain.scheduler.stop();
  });
});
