/** Memory fixes: which apply, the keys each sets (comments kept), and what the estimator says about each against a card. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { combineFixes, memoryFixes } from '../../../src/core/configs/memoryFixes.js';
import { createTasksDomain } from '../../../src/core/configs/tasksDomain.js';
import type { CoreContext } from '../../../src/core/context.js';
import type { GpuMonitor } from '../../../src/core/gpu/gpuDomain.js';
import { dataPaths } from '../../../src/core/paths.js';
import type { RunSupervisor } from '../../../src/core/runs/supervisorApi.js';
import { openDb, type Db } from '../../../src/core/store/db.js';
import type { GpuInfo } from '../../../src/shared/types/gpu.js';
import type { Run } from '../../../src/shared/types/run.js';
import { defaultSettings } from '../../../src/shared/types/settings.js';
import type { MemoryFixAdvice, Task } from '../../../src/shared/types/task.js';
import { resourcesDir } from '../../helpers/fixtures.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const ds = (stage: string, off: boolean) => `/r/ds_z${stage}_${off ? 'offload_' : ''}config.json`;
const fixes = (yaml: string) => memoryFixes(parse(yaml) as Record<string, unknown>, ds);

describe('memoryFixes (which apply)', () => {
  it('halves the batch by a whole factor and multiplies accumulation to keep the effective batch', () => {
    expect(fixes('do_train: true\nper_device_train_batch_size: 8\ngradient_accumulation_steps: 2\n')[0]).toEqual({
      id: 'halve-batch',
      set: { per_device_train_batch_size: 4, gradient_accumulation_steps: 4 },
      suffix: 'bs4-ga4',
    });
    // 6 → 3 (×2), 3 → 1 (×3), 1: nothing to halve. No keys: HF's defaults (8 and 1).
    expect(fixes('do_train: true\nper_device_train_batch_size: 3\n')[0]!.set).toEqual({ per_device_train_batch_size: 1, gradient_accumulation_steps: 3 });
    expect(fixes('do_train: true\nper_device_train_batch_size: 1\n').map((f) => f.id)).not.toContain('halve-batch');
    expect(fixes('do_train: true\n')[0]!.set).toEqual({ per_device_train_batch_size: 4, gradient_accumulation_steps: 2 });
  });

  it('offers gradient checkpointing only when the config turned it off (LLaMA-Factory keeps it on by default)', () => {
    expect(fixes('do_train: true\n').map((f) => f.id)).not.toContain('gradient-checkpointing');
    expect(fixes('do_train: true\ndisable_gradient_checkpointing: true\n').find((f) => f.id === 'gradient-checkpointing')!.set).toEqual({ disable_gradient_checkpointing: false });
  });

  it('QLoRA for LoRA/OFT only, ZeRO-3 never with pure_bf16, nothing for an inference config', () => {
    expect(fixes('do_train: true\nfinetuning_type: full\n').map((f) => f.id)).toEqual(['halve-batch', 'zero3', 'zero3-offload']);
    expect(fixes('do_train: true\nquantization_bit: 4\n').map((f) => f.id)).not.toContain('qlora');
    expect(fixes('do_train: true\npure_bf16: true\n').map((f) => f.id)).toEqual(['halve-batch', 'qlora']);
    expect(fixes('do_train: true\ndeepspeed: ds_z3_config.json\n').map((f) => f.id)).toEqual(['halve-batch', 'zero3-offload', 'qlora']);
    expect(fixes('model_name_or_path: x\nadapter_name_or_path: y\n')).toEqual([]);
    expect(combineFixes(fixes('do_train: true\n')).map((f) => f.id)).toEqual(['halve-batch', 'zero3-offload', 'qlora']);
  });
});

const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

const gpu = (index: number, totalMiB: number): GpuInfo => ({
  index, uuid: `GPU-${index}`, name: 'NVIDIA A10', vendor: 'nvidia', pciBusId: null, driverVersion: null, memoryTotalMiB: totalMiB, memoryUsedMiB: 0,
  memoryFreeMiB: totalMiB, utilizationGpuPct: 0, utilizationMemoryPct: 0, temperatureC: null, powerDrawW: null, powerLimitW: null, clockSmMHz: null,
  clockMemMHz: null, pstate: null, computeMode: null, migMode: null,
});

function setup(cards: GpuInfo[], runs: Partial<Run>[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ty-fixes-'));
  const paths = dataPaths(join(dir, 'data'));
  const db = openDb(paths.dbFile);
  dbs.push(db);
  const ctx: CoreContext = { db, paths, bus: new EventBus(), host: 'serve', runtime: sourceTreeRuntime(), resourcesDir, settings: () => defaultSettings, env: { HOME: dir } };
  const gpus = { snapshot: () => ({ source: 'nvidia-smi', gpus: cards, processes: [], notice: null, at: Date.now() }), onSnapshot: () => () => {}, setPidResolver: () => {} } as unknown as GpuMonitor;
  const sup = { list: () => [], active: () => [], get: (id: string) => runs.find((r) => r.id === id) ?? null, onChange: () => () => {}, runIdForPid: () => null } as unknown as RunSupervisor;
  const h = createTasksDomain(ctx, { gpus, runs: sup }).handlers as unknown as Record<string, (p: unknown) => unknown>;
  return async <T>(m: string, p: unknown = {}) => (await h[m]!(p)) as T;
}

describe('tasks.memoryFixes (estimated against the card)', () => {
  it('the 70B full fine-tune: nothing fits one 80 GB card, not even every fix at once (the card says so); clone makes a task that differs only there', async () => {
    const call = setup([gpu(0, 81559)]);
    const { tasks } = await call<{ tasks: Task[] }>('tasks.import', { paths: [join(resourcesDir, 'examples', 'too-big-70b-full.yaml')] });
    const task = tasks[0]!;
    const a = await call<MemoryFixAdvice>('tasks.memoryFixes', { id: task.id });
    expect(a.cardMiB).toBe(81559);
    expect(a.current!.lowMiB).toBeGreaterThan(81559);
    expect(a.options.map((o) => o.fixes[0])).toEqual(['halve-batch', 'zero3', 'zero3-offload']);
    const by = Object.fromEntries(a.options.map((o) => [o.fixes[0], o]));
    // Halving the batch cannot bring 1 TB of states down; plain ZeRO-3 on one GPU shards nothing.
    expect(by['halve-batch']!.estimate!.highMiB).toBeLessThan(a.current!.highMiB);
    expect(by['halve-batch']!.fits).toBe(false);
    expect(by['zero3']!.fits).toBe(false);
    expect(by['zero3-offload']!.estimate!.highMiB).toBeLessThan(by['zero3']!.estimate!.highMiB);
    expect(by['zero3-offload']!.set).toEqual({ deepspeed: join(resourcesDir, 'llamafactory', 'deepspeed', 'ds_z3_offload_config.json') });
    expect(by['zero3-offload']!.fits).toBe(false);
    expect(a.combined).toMatchObject({ fixes: ['halve-batch', 'zero3-offload'], fits: false });

    const copy = await call<Task>('tasks.clone', { id: task.id, name: `${task.name}-${by['zero3-offload']!.suffix}`, set: by['zero3-offload']!.set });
    expect(copy.name).toBe('too-big-70b-full-zero3-offload');
    const before = task.yaml.split('\n');
    const after = copy.yaml.split('\n');
    // Same lines (the header comment too), plus the one new key.
    expect(after.filter((l) => !before.includes(l))).toEqual([`deepspeed: ${by['zero3-offload']!.set.deepspeed as string}`]);
    expect(before.filter((l) => !after.includes(l))).toEqual([]);
    expect(copy.issues.filter((i) => i.severity === 'error' && /deepspeed/.test(i.message))).toEqual([]);
  });

  it('after an out-of-memory on a card the estimate said it would fit, scales every estimate up to that card', async () => {
    const call = setup([gpu(0, 24564), gpu(1, 81559)], [{ id: 'run_1', gpuUuids: ['GPU-0'], failure: { kind: 'oom' } as Run['failure'] }]);
    const { tasks } = await call<{ tasks: Task[] }>('tasks.import', { paths: [join(resourcesDir, 'examples', 'support-lora.yaml')] });
    const plain = await call<MemoryFixAdvice>('tasks.memoryFixes', { id: tasks[0]!.id });
    expect(plain).toMatchObject({ cardMiB: 81559, oomScale: 1 });
    const oom = await call<MemoryFixAdvice>('tasks.memoryFixes', { id: tasks[0]!.id, runId: 'run_1' });
    expect(oom.cardMiB).toBe(24564);
    expect(oom.oomScale).toBeGreaterThan(1);
    expect(oom.current!.highMiB).toBe(24564);
    expect(oom.options.map((o) => o.fixes[0])).toEqual(['halve-batch', 'zero3', 'zero3-offload', 'qlora']);
    // Each fix lowers the need, all of them most; none clears the 2 GiB margin of a card it already filled.
    for (const o of oom.options.filter((x) => x.fixes[0] !== 'zero3')) expect(o.estimate!.highMiB).toBeLessThan(oom.current!.highMiB);
    expect(oom.combined!.estimate!.highMiB).toBeLessThanOrEqual(Math.min(...oom.options.map((o) => o.estimate!.highMiB)));
    expect(oom.options.every((o) => o.fits === false)).toBe(true);
    const qlora = oom.options.find((o) => o.fixes[0] === 'qlora')!;
    expect(qlora.set).toEqual({ quantization_bit: 4 });
    // The file as imported is untouched by asking.
    expect((await call<Task[]>('tasks.list')).find((t) => t.id === tasks[0]!.id)!.yaml).toBe(readFileSync(join(resourcesDir, 'examples', 'support-lora.yaml'), 'utf8'));
  });
});
