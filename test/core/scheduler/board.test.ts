/** The tasks/board domain over a real SQLite file: import, enqueue refusals, ordering, fit, scheduling, early-OOM requeue, restart. */
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
import { openDb, type Db } from '../../../src/core/store/db.js';
import type { GpuSnapshot } from '../../../src/shared/types/gpu.js';
import { fill, verbatim, type Message } from '../../../src/shared/messages/message.js';
import { engineZh } from '../../../src/shared/messages/zhCatalogue.js';
import type { Run } from '../../../src/shared/types/run.js';
import type { ImportSkip } from '../../../src/shared/types/task.js';
import { defaultSettings, type Settings } from '../../../src/shared/types/settings.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { idleH100s } from './fakeGpus.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const G = 1024;
const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

function setup(dir = mkdtempSync(join(tmpdir(), 'ty-board-')), settings: Settings = defaultSettings) {
  const paths = dataPaths(join(dir, 'data'));
  const db = openDb(paths.dbFile);
  dbs.push(db);
  const ctx: CoreContext = { db, paths, bus: new EventBus(), host: 'serve', runtime: sourceTreeRuntime(), resourcesDir: join(repoRoot, 'resources'), settings: () => settings, env: { HOME: dir, HF_HUB_CACHE: join(dir, 'hub') } };
  let snap: GpuSnapshot = {
    source: 'nvidia-smi',
    gpus: idleH100s([0, 1]),
    processes: [],
    notice: null,
    at: Date.now(),
  };
  const gpus: GpuMonitor = { snapshot: () => snap, onSnapshot: () => () => {}, setPidResolver: () => {} };
  const launched: LaunchSpec[] = [];
  const runs = new Map<string, Run>();
  const listeners = new Set<(r: Run) => void>();
  const supervisor: RunSupervisor = {
    async launch(spec) {
      launched.push(spec);
      const run = { id: `run${launched.length}`, name: spec.name, kind: spec.kind, taskId: spec.taskId, sweepId: spec.sweepId, parentRunId: null, status: 'running', gpuIndices: spec.gpuIndices, gpuUuids: spec.gpuUuids, outputDir: '', runDir: '', configPath: '', workDir: spec.workDir, argv: [], env: {}, masterPort: null, pid: 1, exitCode: null, signal: null, failure: null, estimateMiB: spec.estimateMiB, peakMiB: null, progress: null, tags: [], notes: '', createdAt: Date.now(), startedAt: Date.now(), endedAt: null } as Run;
      runs.set(run.id, run);
      return run;
    },
    stop: async (id) => ({ ...runs.get(id)!, status: 'stopped' }),
    get: (id) => runs.get(id) ?? null,
    list: () => [...runs.values()],
    active: () => [...runs.values()].filter((r) => r.status === 'running'),
    onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    runIdForPid: () => null,
  };
  const end = (id: string, patch: Partial<Run>) => {
    const r = { ...runs.get(id)!, status: 'failed', endedAt: Date.now(), ...patch } as Run;
    runs.set(id, r);
    for (const l of listeners) l(r);
  };
  const domain = createTasksDomain(ctx, { gpus, runs: supervisor });
  const h = domain.handlers as unknown as Record<string, (p: unknown) => unknown>;
  const call = async <T>(m: string, p: unknown = {}) => (await h[m]!(p)) as T;
  return { dir, ctx, domain, call, launched, end, setSnap: (f: (s: GpuSnapshot) => GpuSnapshot) => (snap = f(snap)) };
}

/** A work folder with a model config.json (Llama-2-7B dims), a dataset registry and two task files. */
function workFolder(dir: string) {
  const work = join(dir, 'configs');
  mkdirSync(join(work, 'data'), { recursive: true });
  mkdirSync(join(work, 'llama7b'), { recursive: true });
  writeFileSync(join(work, 'llama7b', 'config.json'), JSON.stringify({ model_type: 'llama', hidden_size: 4096, intermediate_size: 11008, num_attention_heads: 32, num_hidden_layers: 32, vocab_size: 32000 }));
  writeFileSync(join(work, 'data', 'dataset_info.json'), JSON.stringify({ shop: { file_name: 'shop.json' } }));
  writeFileSync(join(work, 'data', 'shop.json'), '[]');
  const cfg = (extra = '') => `# support bot\nmodel_name_or_path: ./llama7b\nstage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: shop\noutput_dir: out\nbf16: true\nper_device_train_batch_size: 2\ncutoff_len: 2048\nlearning_rate: 1.0e-4 # peak\n${extra}`;
  writeFileSync(join(work, 'support.yaml'), cfg());
  writeFileSync(join(work, 'broken.yaml'), cfg('lerning_rate: 1\n'));
  mkdirSync(join(work, 'deep', 'deeper'), { recursive: true });
  writeFileSync(join(work, 'deep', 'nested.yaml'), cfg());
  writeFileSync(join(work, 'deep', 'deeper', 'too-deep.yaml'), cfg());
  writeFileSync(join(work, 'ds_z3.json'), JSON.stringify({ zero_optimization: { stage: 3 } }));
  return work;
}

interface T {
  id: string;
  name: string;
  ok: boolean;
  workDir: string;
  yaml: string;
  estimate: { highMiB: number } | null;
  sweepId: string | null;
}
interface Q {
  id: string;
  taskId: string;
  lane: string;
  state: string;
  note: string | null;
  noteSaid?: Message;
  runId: string | null;
  attempts?: number;
}

describe('tasks and board over SQLite', () => {
  it('imports a folder (one level deep), skips non-configs, keeps broken files with their errors', async () => {
    const s = setup();
    const work = workFolder(s.dir);
    const r = await s.call<{ tasks: T[]; skipped: ImportSkip[] }>('tasks.import', { paths: [work], files: [{ name: 'dropped.yaml', content: 'model_name_or_path: [1' }] });
    expect(r.tasks.map((t) => t.name).sort()).toEqual(['broken', 'dropped', 'nested', 'support']);
    expect(Object.fromEntries(r.skipped.map((x) => [x.name, x.reason]))).toEqual({
      'dataset_info.json': expect.stringMatching(/dataset registry/),
      'shop.json': expect.stringMatching(/a list/),
      'ds_z3.json': expect.stringMatching(/DeepSpeed config/),
      'config.json': expect.stringMatching(/no LLaMA-Factory keys/),
    });
    const support = r.tasks.find((t) => t.name === 'support')!;
    expect(support).toMatchObject({ ok: true, workDir: work });
    expect(support.estimate!.highMiB).toBeGreaterThan(18 * G);
    expect(r.tasks.find((t) => t.name === 'broken')!.ok).toBe(false);
    expect(r.tasks.find((t) => t.name === 'dropped')).toMatchObject({ ok: false, workDir: s.ctx.paths.tasksDir });
    // Importing the same files again is recognised.
    const again = await s.call<{ tasks: T[]; skipped: ImportSkip[] }>('tasks.import', { paths: [join(work, 'support.yaml')] });
    expect(again.tasks).toEqual([]);
    expect(again.skipped[0]!.reason).toMatch(/already imported/);
    // Each skip reason is also a catalogue Message (its English is the reason) that the board words in the user's language.
    const said = (x: ImportSkip) => (expect(x.said?.text).toBe(x.reason), x.said?.code);
    expect(Object.fromEntries(r.skipped.map((x) => [x.name, said(x)]))).toEqual({
      'dataset_info.json': 'config.skip.datasetRegistry',
      'shop.json': 'config.skip.list',
      'ds_z3.json': 'config.skip.deepspeed',
      'config.json': 'config.skip.noKeys',
    });
    const zh = (m: Message): string => fill(engineZh[m.code], m.params, zh);
    expect(zh(again.skipped[0]!.said!)).toBe('已导入过（同一文件、内容相同）');
  });

  it('refuses to queue a task with errors, an inference config, or one too big for any card', async () => {
    const s = setup();
    const work = workFolder(s.dir);
    const { tasks } = await s.call<{ tasks: T[] }>('tasks.import', { paths: [work] });
    const broken = tasks.find((t) => t.name === 'broken')!;
    await expect(s.call('board.enqueue', { taskId: broken.id, lane: 'auto' })).rejects.toThrow(/has 1 error: Unknown key lerning_rate.*Fix it before queueing/);
    // The refusal and the fit check carry the first issue as a Message, for the renderer to word in the user's language.
    const refused = await s.call('board.enqueue', { taskId: broken.id, lane: 'auto' }).catch((e: { said?: Message }) => e.said);
    expect(refused).toMatchObject({ code: 'config.blocked.queueOne', params: { task: 'broken', issue: { code: 'config.key.unknown', params: { key: 'lerning_rate' } } } });
    const fit = await s.call<{ fits: boolean; said?: Message }>('board.fit', { taskId: broken.id, lane: 'auto' });
    expect(fit).toMatchObject({ fits: false, said: { code: 'config.blocked.fit', params: { issue: { code: 'config.key.unknown' } } } });
    const support = tasks.find((t) => t.name === 'support')!;
    const full = await s.call<T>('tasks.clone', { id: support.id, name: 'full', set: { finetuning_type: 'full' } });
    await expect(s.call('board.enqueue', { taskId: full.id, lane: 'gpu:GPU-0' })).rejects.toThrow(/needs at least \d+ GiB per GPU; the largest card here has 80 GiB/);
    await expect(s.call('board.enqueue', { taskId: support.id, lane: 'gpu:GPU-9' })).rejects.toThrow(/not on this machine/);
    const infer = await s.call<{ tasks: T[] }>('tasks.import', { files: [{ name: 'chat.yaml', content: 'model_name_or_path: ./llama7b\ntemplate: llama2\n' }] });
    expect(infer.tasks[0]!.ok).toBe(false); // ./llama7b does not resolve from the tasks folder
  });

  it('orders, moves, pauses and survives a restart; board.changed fires on each change', async () => {
    const s = setup();
    const work = workFolder(s.dir);
    const { tasks } = await s.call<{ tasks: T[] }>('tasks.import', { paths: [join(work, 'support.yaml')] });
    const id = tasks[0]!.id;
    const events: unknown[] = [];
    s.ctx.bus.on('board.changed', (e) => events.push(e));
    const a = await s.call<Q>('board.enqueue', { taskId: id, lane: 'gpu:GPU-0' });
    const b = await s.call<Q>('board.enqueue', { taskId: id, lane: 'gpu:GPU-0' });
    const c = await s.call<Q>('board.enqueue', { taskId: id, lane: 'gpu:GPU-0', position: 0 });
    const order = async (lane: string) => (await s.call<{ queue: (Q & { position: number })[] }>('board.get')).queue.filter((q) => q.lane === lane).sort((x, y) => x.position - y.position).map((q) => q.id);
    expect(await order('gpu:GPU-0')).toEqual([c.id, a.id, b.id]);
    await s.call('board.runNext', { itemId: b.id });
    expect(await order('gpu:GPU-0')).toEqual([b.id, c.id, a.id]);
    await s.call('board.move', { itemId: c.id, lane: 'gpu:GPU-1', position: 0 });
    expect(await order('gpu:GPU-1')).toEqual([c.id]);
    await s.call('board.pauseLane', { lane: 'gpu:GPU-0', paused: true });
    await s.call('board.cancel', { itemId: a.id });
    expect(events.length).toBe(7);
    // Restart: a fresh domain over the same file sees the same board.
    const s2 = setup(s.dir);
    const st = await s2.call<{ lanes: { id: string; paused: boolean }[]; queue: Q[] }>('board.get');
    expect(st.lanes.find((l) => l.id === 'gpu:GPU-0')!.paused).toBe(true);
    expect(st.queue.map((q) => q.id).sort()).toEqual([b.id, c.id].sort());
  });

  it('fit says why, counting memory other programs use', async () => {
    const s = setup();
    const work = workFolder(s.dir);
    const { tasks } = await s.call<{ tasks: T[] }>('tasks.import', { paths: [join(work, 'support.yaml')] });
    s.setSnap((sn) => ({ ...sn, gpus: sn.gpus.map((g) => (g.index === 0 ? { ...g, memoryFreeMiB: 10 * G, memoryUsedMiB: 70 * G } : g)) }));
    const no = await s.call<{ fits: boolean; reason: string }>('board.fit', { taskId: tasks[0]!.id, lane: 'gpu:GPU-0' });
    expect(no.fits).toBe(false);
    expect(no.reason).toMatch(/8\.0 GiB left on GPU 0 .*70 GiB used by other programs/);
    const yes = await s.call<{ fits: boolean; reason: string }>('board.fit', { taskId: tasks[0]!.id, lane: 'auto' });
    expect(yes).toMatchObject({ fits: true, reason: expect.stringMatching(/GPU 1/) });
  });

  it("fit says why in the user's language too: a Message whose English is the reason", async () => {
    const s = setup();
    const { tasks } = await s.call<{ tasks: T[] }>('tasks.import', { paths: [join(workFolder(s.dir), 'support.yaml')] });
    s.setSnap((sn) => ({ ...sn, gpus: sn.gpus.map((g) => (g.index === 0 ? { ...g, memoryFreeMiB: 10 * G, memoryUsedMiB: 70 * G } : g)) }));
    const zh = (m: Message): string => fill(engineZh[m.code], m.params, zh);
    const no = await s.call<{ reason: string; said: Message }>('board.fit', { taskId: tasks[0]!.id, lane: 'gpu:GPU-0' });
    expect(no.said.code).toBe('scheduler.fit.shortBecause');
    expect(no.said.text).toBe(no.reason);
    expect(zh(no.said)).toMatch(/^需要 .+，留出 .+ 余量后 GPU 0（.+） ?只剩 8\.0 GiB（其他程序占用 70 GiB）$/);
    const yes = await s.call<{ reason: string; said: Message }>('board.fit', { taskId: tasks[0]!.id, lane: 'auto' });
    expect(zh(yes.said)).toMatch(/^现在可在 GPU 1 上运行：需要 /);
  });

  it('the scheduler launches what fits, packs a card, and requeues an early OOM once at the front', async () => {
    const s = setup();
    const work = workFolder(s.dir);
    const { tasks } = await s.call<{ tasks: T[] }>('tasks.import', { paths: [join(work, 'support.yaml')] });
    const sweep = await s.call<T[]>('tasks.sweep', { id: tasks[0]!.id, grid: [{ key: 'learning_rate', values: [1e-4, 5e-5] }, { key: 'lora_rank', values: [8, 16] }] });
    expect(sweep.map((t) => t.name)).toEqual(['support-lr1e-4-r8', 'support-lr1e-4-r16', 'support-lr5e-5-r8', 'support-lr5e-5-r16']);
    expect(new Set(sweep.map((t) => t.sweepId)).size).toBe(1);
    expect(sweep[2]!.yaml).toMatch(/^learning_rate: 5\.0e-5 # peak$/m);
    for (const t of sweep) await s.call('board.enqueue', { taskId: t.id, lane: 'gpu:GPU-0' });
    await s.call('board.pauseLane', { lane: 'gpu:GPU-1', paused: true });
    s.domain.scheduler.start();
    await s.domain.scheduler.tick();
    // ~22 GB each with a 2 GiB margin: three fit on one 80 GB card, the fourth waits with a reason.
    expect(s.launched.map((l) => l.name)).toEqual(['support-lr1e-4-r8', 'support-lr1e-4-r16', 'support-lr5e-5-r8']);
    expect(s.launched[0]).toMatchObject({ gpuUuids: ['GPU-0'], gpuIndices: [0], workDir: work, kind: 'train' });
    let board = await s.call<{ queue: Q[] }>('board.get');
    expect(board.queue.find((q) => q.state === 'queued')!.note).toMatch(/left on GPU 0/);
    // run1 dies of OOM after a few seconds: it goes back to the front of its (now paused) lane with the suggestion.
    await s.call('board.pauseLane', { lane: 'gpu:GPU-0', paused: true });
    s.end('run1', { failure: { kind: 'oom', message: verbatim('CUDA out of memory'), suggestion: verbatim('halve per_device_train_batch_size') }, startedAt: Date.now() - 5000 });
    board = await s.call<{ queue: Q[] }>('board.get');
    const requeued = board.queue.find((q) => q.attempts === 1)!;
    expect(requeued).toMatchObject({ state: 'queued', lane: 'gpu:GPU-0' });
    expect(requeued.note).toMatch(/Out of memory 5 s after start.*halve per_device_train_batch_size/);
    // Worded in the user's language too, the suggestion inside it as its own Message.
    expect(requeued.noteSaid).toMatchObject({ code: 'scheduler.oomRetry', params: { seconds: 5, suggestion: { text: 'halve per_device_train_batch_size' } } });
    expect(requeued.noteSaid!.text).toBe(requeued.note);
    await s.domain.scheduler.tick();
    expect(s.launched.length).toBe(3);
    // Unpaused, the requeued item starts first (front of the lane), ahead of the one that was waiting.
    await s.call('board.pauseLane', { lane: 'gpu:GPU-0', paused: false });
    await s.domain.scheduler.tick();
    expect(s.launched.map((l) => l.name).slice(3)).toEqual(['support-lr1e-4-r8']);
    // A second early OOM of the same item is final: it does not loop.
    s.end('run4', { failure: { kind: 'oom', message: verbatim('CUDA out of memory'), suggestion: verbatim('') }, startedAt: Date.now() - 5000 });
    board = await s.call<{ queue: Q[] }>('board.get');
    expect(board.queue.filter((q) => q.attempts === 2)).toEqual([]);
    s.domain.scheduler.stop();
  });

  it("a waiting item's note is a Message: a paused lane and a config with errors carry codes and parameters", async () => {
    const s = setup();
    const work = workFolder(s.dir);
    const { tasks } = await s.call<{ tasks: T[] }>('tasks.import', { paths: [join(work, 'support.yaml')] });
    const [a, b] = await s.call<T[]>('tasks.sweep', { id: tasks[0]!.id, grid: [{ key: 'learning_rate', values: [1e-4, 5e-5] }] });
    await s.call('board.enqueue', { taskId: a!.id, lane: 'gpu:GPU-0' });
    await s.call('board.enqueue', { taskId: b!.id, lane: 'gpu:GPU-1' });
    await s.call('board.pauseLane', { lane: 'gpu:GPU-0', paused: true });
    // Broken after it was queued: the scheduler holds it back with its first error.
    await s.call('tasks.update', { id: b!.id, yaml: `${b!.yaml}\nlerning_rate: 1.0e-4\n` });
    s.domain.scheduler.start();
    await s.domain.scheduler.tick();
    const board = await s.call<{ queue: Q[] }>('board.get');
    const paused = board.queue.find((q) => q.taskId === a!.id)!;
    expect(paused.noteSaid).toEqual({ code: 'scheduler.lanePaused', text: 'lane is paused' });
    expect(paused.note).toBe('lane is paused');
    const broken = board.queue.find((q) => q.taskId === b!.id)!;
    expect(broken.noteSaid?.code).toBe('scheduler.configErrors');
    const error = broken.noteSaid?.params?.error as Message;
    expect(error.code).toMatch(/^config\./);
    expect(error.params).toBeDefined();
    expect(broken.note).toBe(`its config has errors: ${error.text}`);
    expect(broken.note).toMatch(/lerning_rate/);
  });

  it('the per-card cap from Settings holds a card at that many runs; Auto spreads a sweep over idle cards', async () => {
    const s = setup(undefined, { ...defaultSettings, maxRunsPerGpu: 2 });
    const work = workFolder(s.dir);
    const { tasks } = await s.call<{ tasks: T[] }>('tasks.import', { paths: [join(work, 'support.yaml')] });
    const sweep = await s.call<T[]>('tasks.sweep', { id: tasks[0]!.id, grid: [{ key: 'learning_rate', values: [1e-4, 5e-5, 2e-5] }] });
    for (const t of sweep) await s.call('board.enqueue', { taskId: t.id, lane: 'gpu:GPU-0' });
    s.domain.scheduler.start();
    await s.domain.scheduler.tick();
    // Three ~22 GB runs fit an 80 GB card, but the cap is 2.
    expect(s.launched.map((l) => l.gpuUuids)).toEqual([['GPU-0'], ['GPU-0']]);
    const waiting = (await s.call<{ queue: Q[] }>('board.get')).queue.find((q) => q.state === 'queued')!;
    expect(waiting.note).toMatch(/GPU 0 \(H100\) already has 2 runs; at most 2 runs per card/);
    // Two more on Auto: GPU 0 is at its cap, so the first takes idle GPU 1 and the second joins it (half its compute is free).
    for (const t of sweep.slice(0, 2)) await s.call('board.enqueue', { taskId: t.id, lane: 'auto' });
    await s.domain.scheduler.tick();
    expect(s.launched.slice(2).map((l) => l.gpuUuids)).toEqual([['GPU-1'], ['GPU-1']]);
    s.domain.scheduler.stop();
  });
});
