/** e2e of Compare: two real demo-trainer runs (different learning rates) seeded into the store, then the table, curves, spot-check and CSV. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/store/db.js';
import { createMetricsRepo } from '../../src/core/store/metricsRepo.js';
import { createRunsRepo } from '../../src/core/store/runsRepo.js';
import { resourcesDir } from '../helpers/fixtures.js';
import { type Api, openApp, screenshot, type ServeProcess, tearDown } from './harness.js';

const run = promisify(execFile);
const python = process.env.TRAINYARD_PYTHON ?? '/usr/bin/python3';
const demo = join(resourcesDir, 'trainers', 'demo', 'llamafactory_demo.py');
const work = mkdtempSync(join(tmpdir(), 'trainyard-cmp-e2e-'));
const dataDir = join(work, 'data');
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const hms = (s: string) => s.split(':').reduce((a, p) => a * 60 + Number(p), 0);

/** A tiny real training run of the demo trainer; returns its config path and output dir. */
async function train(name: string, lr: string, base: string): Promise<{ config: string; out: string }> {
  const out = join(work, name);
  const config = join(work, `${name}.yaml`);
  const yaml = readFileSync(join(resourcesDir, 'examples', 'support-lora.yaml'), 'utf8')
    .replace(/^model_name_or_path: .*$/m, `model_name_or_path: ${base}`)
    .replace(/^output_dir: .*$/m, `output_dir: ${out}`)
    .replace(/^learning_rate: .*$/m, `learning_rate: ${lr}`)
    .replace(/^num_train_epochs: .*$/m, 'max_steps: 6')
    .replace(/^per_device_train_batch_size: .*$/m, 'per_device_train_batch_size: 2')
    .replace(/^max_samples: .*$/m, 'max_samples: 16')
    .replace(/^logging_steps: .*$/m, 'logging_steps: 1')
    .replace(/^cutoff_len: .*$/m, 'cutoff_len: 64');
  writeFileSync(config, yaml);
  await run(python, [demo, 'train', config], { cwd: join(resourcesDir, 'examples'), env: { ...process.env, DEMO_TRAINER_THREADS: '1' } });
  return { config, out };
}

/** Puts a finished run and its trainer_log.jsonl points into the store, the way the supervisor and tailer would. */
function seed(id: string, t: { config: string; out: string }, createdAt: number): void {
  const db = openDb(join(dataDir, 'trainyard.db'));
  const lines = readFileSync(join(t.out, 'trainer_log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string | undefined>);
  createRunsRepo(db).save({
    id, name: id, kind: 'train', taskId: 'support', sweepId: 'lr-sweep', parentRunId: null, status: 'finished', gpuIndices: [0], gpuUuids: ['cpu'],
    outputDir: t.out, runDir: t.out, configPath: t.config, workDir: join(resourcesDir, 'examples'), argv: [], env: {}, masterPort: null, pid: null,
    holderPid: null, exitCode: 0, signal: null, failure: null, estimateMiB: 600, peakMiB: 420, progress: null, tags: ['e2e'], notes: '',
    createdAt, startedAt: createdAt, endedAt: createdAt + 60_000,
  });
  const points = lines.map((l, i) => ({
    seq: i, step: Number(l.current_steps), segment: 0, at: null, elapsedSeconds: hms(String(l.elapsed_time)),
    loss: num(l.loss), lr: num(l.lr), epoch: num(l.epoch), totalTokens: num(l.total_tokens),
  }));
  createMetricsRepo(db).commit(id, points, { source: 'trainer_log', offset: 0, seq: points.length, segment: 0, lastStep: 6, state: {} });
  db.close();
}

beforeAll(async () => {
  expect(existsSync(demo)).toBe(true);
  let base = join(resourcesDir, 'trainers', 'demo', 'base-model');
  if (!existsSync(join(base, 'model.safetensors'))) {
    base = join(work, 'base');
    await run(python, [join(resourcesDir, 'trainers', 'demo', 'pretrain.py'), '--steps', '1', '--out', base, '--batch', '2', '--seq', '32']);
  }
  const [lo, hi] = await Promise.all([train('lr-low', '1.0e-3', base), train('lr-high', '5.0e-3', base)]);
  mkdirSync(dataDir, { recursive: true });
  seed('lr-low', lo, Date.now() - 120_000);
  seed('lr-high', hi, Date.now() - 60_000);
  ({ serve, api, browser, page } = await openApp({
    dataDir,
    fakeSmi: false,
    // The spot-check starts the run's inference server with the configured trainer: the bundled demo one here.
    trainer: 'demo',
    context: { acceptDownloads: true },
  }));
  await page.getByTestId('nav-compare').click();
}, 600_000);
afterAll(() => tearDown({ api, browser, serves: [serve] }));

describe('compare view', () => {
  it('shows both runs, only differing parameters by default, and the loss curves overlaid', async () => {
    await expect.poll(() => page.getByTestId('compare-row').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByTestId('compare-col-cfg:learning_rate').isVisible()).toBe(true);
    expect(await page.getByTestId('compare-col-cfg:cutoff_len').count()).toBe(0);
    expect(await page.locator('[data-run-id="lr-high"] [data-testid="cfg-learning_rate"]').textContent()).toBe('0.005');
    await page.getByTestId('compare-only-differing').uncheck();
    expect(await page.getByTestId('compare-col-cfg:cutoff_len').isVisible()).toBe(true);
    await page.getByTestId('compare-only-differing').check();
    for (const box of await page.getByTestId('compare-select').all()) await box.check();
    await expect.poll(() => page.locator('[data-testid="compare-chart"] .recharts-line').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('compare-chart').textContent()).toContain('Step');
    await page.getByTestId('compare-axis').selectOption('time');
    await expect.poll(() => page.getByTestId('compare-chart').textContent()).toContain('Time (s)');
    await page.locator('[data-run-id="lr-low"] [data-testid="compare-pin"]').click();
    await screenshot(page, 'compare-en');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-language').selectOption('zh');
    await page.getByTestId('nav-compare').click();
    await page.getByText('只显示不同的参数').waitFor();
    await screenshot(page, 'compare-zh');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-language').selectOption('en');
    await page.getByTestId('nav-compare').click();
  });

  it('downloads a CSV with both runs', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('compare-export-csv').click()]);
    const csv = readFileSync((await dl.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('learning_rate');
    expect(csv).toContain('lr-low');
    expect(csv).toContain('lr-high');
    expect(lines.find((l) => l.startsWith('lr-high'))).toMatch(/,0\.005$/);
  });

  it('picks the evaluation dataset from the run\'s registry and warns about the one it trained on', async () => {
    await page.locator('[data-run-id="lr-high"] [data-testid="compare-evaluate"]').click();
    const select = page.getByTestId('predict-dataset');
    await expect.poll(() => select.locator('option').count()).toBeGreaterThan(2);
    const options = await select.locator('option').allInnerTexts();
    expect(options.some((o) => /support_shop.*trained/.test(o))).toBe(true);
    await select.selectOption('support_shop');
    await page.getByTestId('predict-training-warning').waitFor();
    await select.selectOption('billing_telecom');
    await page.getByTestId('predict-training-warning').waitFor({ state: 'detached' });
    await screenshot(page, 'compare-evaluate-en');
  });

  it('spot-checks one run through its chat server and fills accuracy and latency', async () => {
    await page.getByTestId('spot-file').setInputFiles(join(resourcesDir, 'examples', 'data', 'spot-check.jsonl'));
    await page.getByTestId('spot-run').click();
    // Wait for the end either way, so a failure shows its message instead of a bare timeout.
    const summary = page.locator('[data-testid="spot-summary"][data-status="finished"], [data-testid="spot-summary"][data-status="failed"]');
    await summary.waitFor({ timeout: 120_000 });
    expect(await summary.getAttribute('data-status'), (await summary.textContent()) ?? '').toBe('finished');
    expect(await page.locator('[data-run-id="lr-high"] [data-testid="cell-spotAcc"]').textContent()).toMatch(/%/);
    expect(await page.locator('[data-run-id="lr-high"] [data-testid="cell-spotLatency"]').textContent()).toMatch(/ms|s$/);
    await screenshot(page, 'compare-spot-check');
  });
});
