/** compare.predict end to end on a real core: a finished demo LoRA run, a predict run of it, BLEU/ROUGE in the table, predictions. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/core/createCore.js';
import type { Methods } from '../../../src/shared/contract/index.js';
import type { Handlers } from '../../../src/shared/rpc/server.js';
import type { Run } from '../../../src/shared/types/run.js';
import { resourcesDir } from '../../helpers/fixtures.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const dataDir = mkdtempSync(join(tmpdir(), 'trainyard-predict-'));
const example = join(resourcesDir, 'examples', 'support-lora.yaml');
const ENDED = ['finished', 'failed', 'stopped', 'lost'];
/** The machine has 2 cores and may be busy with other builds: polls are cheap, limits are generous. */
const pollMs = 250;

let core: Core;

type H = Handlers<Methods>;
function call<M extends keyof H>(method: M, params: Parameters<H[M]>[0]): Promise<Awaited<ReturnType<H[M]>>> {
  const h = core.handlers[method] as (p: Parameters<H[M]>[0], c: { connectionId: string }) => ReturnType<H[M]>;
  return Promise.resolve(h(params, { connectionId: 'test' })) as Promise<Awaited<ReturnType<H[M]>>>;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

const ended = (id: string) => async (): Promise<Run | null> => {
  const r = (await call('runs.list', {})).find((x) => x.id === id);
  return r && ENDED.includes(r.status) ? r : null;
};

/** What the log of a run says, for a failure message. */
function logOf(run: Run): string {
  try {
    return readdirSync(run.runDir)
      .filter((n) => /log/i.test(n))
      .map((n) => readFileSync(join(run.runDir, n), 'utf8').slice(-3000))
      .join('\n');
  } catch {
    return '(no log)';
  }
}

/** Kill any holder/trainer the core left behind (the trainer leads its own process group). */
function killRunsIn(dir: string): void {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) return;
  for (const id of readdirSync(runs)) {
    const file = join(runs, id, 'holder.json');
    if (!existsSync(file)) continue;
    let h: { holderPid?: number; trainerPid?: number } = {};
    try {
      h = JSON.parse(readFileSync(file, 'utf8')) as typeof h;
    } catch {
      continue; // half-written
    }
    for (const [pid, sig] of [
      [h.trainerPid ? -h.trainerPid : 0, 'SIGKILL'],
      [h.holderPid ?? 0, 'SIGKILL'],
    ] as const) {
      try {
        if (pid) process.kill(pid, sig);
      } catch {
        // Already gone.
      }
    }
  }
}

let train: Run;

beforeAll(async () => {
  core = createCore({ runtime: sourceTreeRuntime(), dataDir, host: 'serve' });
  await core.start();
  await call('settings.update', { trainer: { kind: 'demo' } });
  const { tasks } = await call('tasks.import', { paths: [example] });
  const task = tasks[0]!;
  expect(task, 'support-lora.yaml imports as a task').toBeDefined();
  // Short: a handful of steps, one checkpoint (the engine gives each run its own output dir under <dataDir>/outputs).
  for (const [key, value] of [
    ['max_steps', 6],
    ['save_steps', 6],
    ['logging_steps', 2],
    ['num_train_epochs', 1.0],
  ] as const) {
    await call('tasks.setValue', { id: task.id, key, value });
  }
  const fresh = (await call('tasks.list', {})).find((t) => t.id === task.id)!;
  expect(fresh.ok, JSON.stringify(fresh.issues)).toBe(true);
  const lane = (await call('gpus.list', {})).gpus[0]!;
  await call('board.enqueue', { taskId: task.id, lane: `gpu:${lane.uuid}` });
  const started = await waitFor('the train run to start', async () => (await call('runs.list', {})).find((r) => r.taskId === task.id && r.kind === 'train'), 60_000);
  train = await waitFor('the train run to end', ended(started.id), 150_000);
  expect(train.status, logOf(train)).toBe('finished');
  expect(train.outputDir.startsWith(join(dataDir, 'outputs'))).toBe(true);
  expect(existsSync(join(train.outputDir, 'adapter_model.safetensors'))).toBe(true);
}, 180_000);

afterAll(async () => {
  await core?.stop();
  killRunsIn(dataDir);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
});

describe('compare.predict on a finished demo run', () => {
  it('runs predict on the adapter and shows BLEU-4/ROUGE and the generated predictions', async () => {
    const launched = await call('compare.predict', { runId: train.id, evalDataset: 'support_shop', maxSamples: 8 });
    expect(launched.kind).toBe('predict');
    expect(launched.parentRunId).toBe(train.id);
    expect(launched.outputDir).toBe(join(train.outputDir, 'predict-1'));

    const predict = await waitFor('the predict run to end', ended(launched.id), 150_000);
    expect(predict.status, logOf(predict)).toBe('finished');
    expect(predict.kind).toBe('predict');
    expect(predict.parentRunId).toBe(train.id);
    // The derived config: predict-only on the run's adapter, the eval set, no training data.
    const { yaml } = await call('runs.config', { id: predict.id });
    expect(yaml).toMatch(/^do_train: false$/m);
    expect(yaml).toMatch(/^do_predict: true$/m);
    expect(yaml).toMatch(/^predict_with_generate: true$/m);
    expect(yaml).toMatch(/^eval_dataset: support_shop$/m);
    expect(yaml).toMatch(/^max_samples: 8$/m);
    expect(yaml).toContain(`adapter_name_or_path: ${train.outputDir}\n`);
    expect(yaml).toContain(`output_dir: ${predict.outputDir}\n`);
    expect(yaml).not.toMatch(/^dataset:/m);

    const dirs = readdirSync(train.outputDir).filter((n) => /^predict-\d+$/.test(n));
    expect(dirs).toEqual(['predict-1']);
    const resultsFile = join(train.outputDir, dirs[0]!, 'predict_results.json');
    expect(existsSync(resultsFile)).toBe(true);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, number>;
    expect(typeof results['predict_bleu-4']).toBe('number');

    const table = await call('compare.table', {});
    // Only training runs are rows; the predict run shows up through its parent's row.
    expect(table.rows.map((r) => r.runId)).toEqual([train.id]);
    const row = table.rows[0]!;
    expect(row.predictRunId).toBe(predict.id);
    for (const v of [row.bleu4, row.rouge1, row.rouge2, row.rougeL]) {
      expect(typeof v).toBe('number');
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(100);
    }
    expect(row.bleu4).toBeCloseTo(results['predict_bleu-4']!, 4);
    expect(row.rougeL).toBeCloseTo(results['predict_rouge-l']!, 4);

    const detail = await call('compare.predictions', { runId: train.id });
    expect(detail.predictRunId).toBe(predict.id);
    expect(detail.outputDir).toBe(predict.outputDir);
    expect(detail.totalPredictions).toBe(8);
    expect(detail.predictions).toHaveLength(8);
    for (const p of detail.predictions) {
      expect(p.predict.length).toBeGreaterThan(0);
      expect(p.label.length).toBeGreaterThan(0);
    }
    expect(detail.figures?.bleu4).toBe(row.bleu4);
  }, 180_000);
});

describe('two evaluations started together', () => {
  it('each get their own predict-<n> folder, and the earlier evaluation is kept', async () => {
    const [a, b] = await Promise.all([
      call('compare.predict', { runId: train.id, evalDataset: 'support_shop', maxSamples: 4 }),
      call('compare.predict', { runId: train.id, evalDataset: 'support_shop', maxSamples: 4 }),
    ]);
    expect([a!.outputDir, b!.outputDir].sort()).toEqual([join(train.outputDir, 'predict-2'), join(train.outputDir, 'predict-3')]);
    expect(a!.name).not.toBe(b!.name);
    for (const r of [a!, b!]) expect((await waitFor('a predict run to end', ended(r.id), 150_000)).status, logOf(r)).toBe('finished');
    expect(existsSync(join(train.outputDir, 'predict-1', 'predict_results.json'))).toBe(true);
    const detail = await call('compare.predictions', { runId: train.id });
    expect([a!.id, b!.id]).toContain(detail.predictRunId);
    expect(detail.totalPredictions).toBe(4);
  }, 180_000);
});
