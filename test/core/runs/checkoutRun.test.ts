/** A config written for a LLaMA-Factory checkout (relative dataset_dir, deepspeed, output_dir) imports, validates and runs there with the demo trainer. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/core/createCore.js';
import { readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { runProcesses, signalAll } from '../../../src/core/runs/procTree.js';
import type { Methods } from '../../../src/shared/contract/index.js';
import type { Handlers } from '../../../src/shared/rpc/server.js';
import type { Run } from '../../../src/shared/types/run.js';
import type { Task } from '../../../src/shared/types/task.js';
import { resourcesDir } from '../../helpers/fixtures.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

// Short prefix: holder sockets live under the data folder and Unix socket paths are limited to ~107 bytes.
const root = mkdtempSync(join(tmpdir(), 'ty-lf-'));
const dataDir = join(root, 'd');
const lf = join(root, 'LLaMA-Factory');
const baseModel = join(resourcesDir, 'trainers', 'demo', 'base-model');
const ENDED = ['finished', 'failed', 'stopped', 'lost'];

/** What a user writes next to LLaMA-Factory's own examples: every path relative to the checkout, as its README runs them. */
const config = (outputDir: string) => `### model
model_name_or_path: ${baseModel}

### method
stage: sft
do_train: true
finetuning_type: lora
lora_rank: 8
lora_target: all
deepspeed: examples/deepspeed/ds_z2_config.json

### dataset
dataset: support_shop
dataset_dir: data
template: demo
cutoff_len: 128
max_samples: 32

### output
output_dir: ${outputDir}
logging_steps: 2
save_steps: 4
overwrite_output_dir: true
report_to: none

### train
per_device_train_batch_size: 4
learning_rate: 1.0e-3
max_steps: 4
`;

let core: Core;
type H = Handlers<Methods>;
function call<M extends keyof H>(method: M, params: Parameters<H[M]>[0]): Promise<Awaited<ReturnType<H[M]>>> {
  const h = core.handlers[method] as (p: Parameters<H[M]>[0], c: { connectionId: string }) => ReturnType<H[M]>;
  return Promise.resolve(h(params, { connectionId: 'test' })) as Promise<Awaited<ReturnType<H[M]>>>;
}

/** Polls `probe` until it returns a value (no fixed sleeps: this machine is slow and shared). */
async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const consoleOf = (run: Run) => (existsSync(join(run.runDir, 'console.log')) ? readFileSync(join(run.runDir, 'console.log'), 'utf8') : '(no console.log)');

/** Queues a task as the board does and waits for its run to end. */
async function runTask(task: Task): Promise<Run> {
  await call('board.enqueue', { taskId: task.id, lane: 'auto' });
  const started = await waitFor('the run to start', async () => (await call('runs.list', {})).find((r) => r.taskId === task.id), 30_000);
  return waitFor('the run to end', async () => (await call('runs.list', {})).find((r) => r.id === started.id && ENDED.includes(r.status)), 90_000);
}

/** The run's outputs, metrics and log say it ran in the checkout and wrote to its own output_dir there. */
async function expectRanInCheckout(run: Run, outputDir: string): Promise<void> {
  expect(run.status, consoleOf(run).slice(-3000)).toBe('finished');
  expect(run.workDir).toBe(lf);
  expect(run.outputDir).toBe(outputDir);
  for (const f of ['adapter_model.safetensors', 'adapter_config.json', 'trainer_state.json', 'trainer_log.jsonl']) expect(existsSync(join(outputDir, f)), f).toBe(true);
  expect(readdirSync(outputDir)).toContain('checkpoint-4');
  const points = await call('runs.metrics', { id: run.id });
  expect(points.filter((p) => typeof p.loss === 'number').map((p) => p.step)).toEqual([2, 4]);
  // The demo trains on the CPU: it takes the deepspeed key as LLaMA-Factory's parser does and says it does not use it.
  expect(consoleOf(run)).toMatch(/accepts but does not implement: [^\n]*deepspeed/);
}

beforeAll(async () => {
  // A checkout as cloned: data/ with dataset_info.json, LLaMA-Factory's DeepSpeed configs, configs under examples/.
  mkdirSync(join(lf, 'data'), { recursive: true });
  const info = JSON.parse(readFileSync(join(resourcesDir, 'examples', 'data', 'dataset_info.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(lf, 'data', 'dataset_info.json'), JSON.stringify({ support_shop: info.support_shop }, null, 2));
  copyFileSync(join(resourcesDir, 'examples', 'data', 'support_alpaca.json'), join(lf, 'data', 'support_alpaca.json'));
  mkdirSync(join(lf, 'examples', 'deepspeed'), { recursive: true });
  copyFileSync(join(resourcesDir, 'llamafactory', 'deepspeed', 'ds_z2_config.json'), join(lf, 'examples', 'deepspeed', 'ds_z2_config.json'));
  mkdirSync(join(lf, 'examples', 'train_lora'), { recursive: true });
  writeFileSync(join(lf, 'examples', 'train_lora', 'my.yaml'), config('saves/demo/lora/sft'));
  // The same config kept outside the checkout: only the LLaMA-Factory folder in Settings makes its paths resolve.
  mkdirSync(join(root, 'mine'));
  writeFileSync(join(root, 'mine', 'away.yaml'), config('saves/demo/lora/away'));
  core = createCore({ runtime: sourceTreeRuntime(), dataDir, host: 'serve' });
  await core.start();
  await call('settings.update', { trainer: { kind: 'demo' } });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  const runs = core ? await call('runs.list', {}) : [];
  await core?.stop();
  // Holders outlive the engine on purpose and end ~0.5 s after their run: removing the folder under one makes it fail
  // to record its exit. Wait for them; kill what is still there (a run a failed assertion left behind).
  for (const info of runs.map((r) => readHolderInfo(r.runDir)).filter((i) => i !== null)) {
    await waitFor('the run holder to end', async () => !alive(info.holderPid) || null, 5_000).catch(() =>
      signalAll([...runProcesses(info.trainerPid), info.holderPid], 'SIGKILL'),
    );
  }
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
});

describe('a config written for a LLaMA-Factory checkout', () => {
  it('imported from inside the checkout: runs there, and writes to <checkout>/saves/…', async () => {
    const { tasks } = await call('tasks.import', { paths: [join(lf, 'examples', 'train_lora', 'my.yaml')] });
    const task = tasks[0]!;
    // Found from the file's location (a folder above it holds data/dataset_info.json), not the config's own folder.
    expect(task).toMatchObject({ workDir: lf, workDirSource: 'near-config' });
    expect(task.issues.filter((i) => i.severity !== 'info'), JSON.stringify(task.issues)).toEqual([]);
    expect(task.ok).toBe(true);
    await expectRanInCheckout(await runTask(task), join(lf, 'saves', 'demo', 'lora', 'sft'));
  }, 120_000);

  it('kept elsewhere: fails validation until Settings names the checkout, then runs there', async () => {
    const { tasks } = await call('tasks.import', { paths: [join(root, 'mine', 'away.yaml')] });
    const away = tasks[0]!;
    expect(away).toMatchObject({ workDir: join(root, 'mine'), workDirSource: 'config-folder', ok: false });
    expect(away.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`dataset_info.json not found in ${join(root, 'mine', 'data')}`),
        expect.stringContaining(`DeepSpeed config ${join(root, 'mine', 'examples/deepspeed/ds_z2_config.json')} does not exist`),
      ]),
    );
    await call('settings.update', { trainer: { llamafactoryDir: lf } });
    const task = (await call('tasks.list', {})).find((t) => t.id === away.id)!;
    expect(task).toMatchObject({ workDir: lf, workDirSource: 'settings' });
    expect(task.issues.filter((i) => i.severity !== 'info'), JSON.stringify(task.issues)).toEqual([]);
    await expectRanInCheckout(await runTask(task), join(lf, 'saves', 'demo', 'lora', 'away'));
  }, 120_000);
});
