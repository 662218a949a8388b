/** e2e of the Runs view: a queued task's run shows a live terminal and a growing loss chart, stops gracefully from the UI, and keeps its status across a reload and an engine restart. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { engineZh } from '../../src/shared/messages/zhCatalogue.js';
import type { Run } from '../../src/shared/types/run.js';
import { repoRoot } from '../helpers/fixtures.js';
import { type Api, connectApi, engineEnv, openApp, screenshot, type ServeProcess, startServe, tearDown, waitUntil } from './harness.js';

const examples = join(repoRoot, 'resources', 'examples');
const outRoot = mkdtempSync(join(tmpdir(), 'trainyard-runs-out-'));
// Slow enough to watch and stop mid-run (≈ 380 steps × 150 ms), fast enough for CI.
const engine = { fakeGpus: '2', stepDelayMs: 150 };

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;
let runId: string;
let resumedId: string | undefined;
let stoppedRun: Run | undefined;
const run = (): Run => stoppedRun!;

/**
 * The demo base model: the shipped one when it has been built, else a tiny one pretrained for two steps here (a few
 * seconds). Its quality does not matter to this test, only that the trainer can load it.
 */
function baseModel(): string {
  const shipped = join(repoRoot, 'resources', 'trainers', 'demo', 'base-model');
  if (existsSync(join(shipped, 'config.json'))) return shipped;
  const out = join(outRoot, 'base-model');
  const python = process.env.TRAINYARD_PYTHON ?? '/usr/bin/python3';
  const script = join(repoRoot, 'resources', 'trainers', 'demo', 'pretrain.py');
  const r = spawnSync(python, [script, '--steps', '2', '--batch', '4', '--seq', '64', '--out', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not pretrain a demo base model:\n${r.stdout}${r.stderr}`);
  return out;
}

/** The support example with absolute model/data paths, its own output folder, and enough epochs to stop it mid-run. */
function config(model: string): string {
  return readFileSync(join(examples, 'support-lora.yaml'), 'utf8')
    .replace(/^model_name_or_path: .+$/m, `model_name_or_path: ${model}`)
    .replace(/^dataset_dir: (.+)$/m, (_m, p: string) => `dataset_dir: ${join(examples, p.trim())}`)
    .replace(/^output_dir: .+$/m, `output_dir: ${join(outRoot, 'support')}`)
    .replace(/^logging_steps: .+$/m, 'logging_steps: 2')
    // Early checkpoints: the resume test needs one before the stop (resume is offered only from a checkpoint).
    .replace(/^save_steps: .+$/m, 'save_steps: 4')
    .replace(/^num_train_epochs: .+$/m, 'num_train_epochs: 20.0');
}

const terminalText = () => page.locator('[data-testid="run-terminal"] .xterm-rows').innerText();
const lossPoints = async () => Number(await page.getByTestId('chart-loss').getAttribute('data-points'));
const statusOf = () => page.getByTestId('run-header').getByTestId('run-status').getAttribute('data-status');

beforeAll(async () => {
  // The first test opens the page once its run has started.
  ({ serve, api, browser, page } = await openApp({ ...engine, viewport: { width: 1440, height: 960 }, context: { acceptDownloads: true }, load: false }));
});
// What the page showed when a step failed is the first thing to look at.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `runs-failed-${ctx.task.name.replace(/\W+/g, '-').slice(0, 40)}`);
});
afterAll(() =>
  tearDown({
    first: async () => {
      for (const id of [runId, resumedId]) if (id) await api?.call('runs.stop', { id }).catch(() => undefined);
    },
    api,
    browser,
    serves: [serve],
  }),
);

describe('runs view', () => {
  it('lists a run started from the board and opens its live page', async () => {
    // Imported by path, as a dropped folder is: the trainer then runs in the config's folder.
    const file = join(outRoot, 'e2e-support.yaml');
    writeFileSync(file, config(baseModel()));
    const { tasks } = await api.call('tasks.import', { paths: [file] });
    expect(tasks[0]?.issues.filter((i) => i.severity === 'error')).toEqual([]);
    await api.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
    const run = await waitUntil('the run to start', async () => (await api.call('runs.list', {})).find((r) => r.taskId === tasks[0]!.id));
    runId = run.id;

    await page.goto(serve.url);
    await page.getByTestId('nav-runs').click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await row.waitFor();
    await row.locator('[data-status="running"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'runs-list-en');
    await row.click();
    await page.getByTestId('run-page').waitFor();
    expect(page.url()).toContain(`#/runs/${runId}`);
  });

  it('shows live terminal output and a growing loss chart', async () => {
    // The demo trainer prints LLaMA-Factory's banner lines, then tqdm bars and {'loss': …} lines.
    await waitUntil('terminal output', async () => (await terminalText()).trim().length > 0);
    await waitUntil('a loss line in the terminal', async () => /loss/.test(await terminalText()), 90_000);
    // tqdm repaints its bar with a bare \r: rendered properly, the screen holds one bar line, not one per repaint.
    const bar = /\d+%\|.*\| *\d+\/\d+ \[/;
    const screen = await waitUntil('a tqdm bar', async () => {
      const text = await terminalText();
      return bar.test(text) ? text : null;
    }, 60_000);
    expect(screen.split('\n').filter((l) => bar.test(l)).length).toBeLessThanOrEqual(2);
    const first = await waitUntil('the first loss points', async () => {
      const n = await lossPoints();
      return n >= 2 ? n : null;
    }, 90_000);
    const later = await waitUntil('more loss points', async () => {
      const n = await lossPoints();
      return n > first ? n : null;
    }, 60_000);
    expect(later).toBeGreaterThan(first);
    // The header follows the run: a step count and a progress percentage.
    expect(await page.getByTestId('run-stat-step').locator('dd').innerText()).toMatch(/^\d+ \/ \d+$/);
    expect(await page.getByTestId('run-header').getByTestId('run-progress').getAttribute('data-percent')).toMatch(/^\d/);
    await screenshot(page, 'run-page-live-en');
  });

  it('searches the whole log and shows the config the run started with', async () => {
    await page.getByTestId('terminal-search').fill('loss');
    await page.getByTestId('terminal-search-file').click();
    await page.getByTestId('terminal-search-hits').locator('li').first().waitFor();
    await page.getByTestId('run-tab-config').click();
    expect(await page.getByTestId('run-config-yaml').innerText()).toContain('finetuning_type: lora');
    await page.getByTestId('run-tab-live').click();
  });

  it('stops gracefully from the UI: stopped or finished, exit 0, adapter saved', async () => {
    await waitUntil('a first checkpoint', async () => (await api.call('runs.checkpoints', { id: runId })).length > 0, 120_000);
    await page.getByTestId('run-stop').click();
    await page.getByTestId('run-stop-yes').click();
    await waitUntil('the run to end', async () => ['stopped', 'finished'].includes((await statusOf()) ?? ''), 90_000);
    expect(await page.getByTestId('run-exit-code').innerText()).toContain('0');
    stoppedRun = await api.call('runs.get', { id: runId });
    expect(stoppedRun.exitCode).toBe(0);
    await page.getByTestId('run-tab-files').click();
    await page.locator('[data-testid="run-file"][data-kind="adapter"]').first().waitFor();
    await screenshot(page, 'run-page-stopped-en');
    await page.getByTestId('run-tab-live').click();
  });

  it('shows the output folder path in a browser and downloads the log through a short-lived ticket', async () => {
    await page.getByTestId('run-open-folder').click();
    expect(await page.getByTestId('path-popover-path').innerText()).toBe(run().outputDir);
    await page.keyboard.press('Escape');
    // The page trades its token for a signed one-path ticket and lets the browser stream the file (no cookie exists).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-download-log').click()]);
    expect(download.url()).toMatch(/\/api\/runs\/[^/]+\/log\?exp=\d+&sig=/);
    const file = await download.path();
    expect(readFileSync(file, 'utf8')).toContain('Running training');
    // The same ticket for another path is refused: it names exactly one download.
    const other = download.url().replace(runId, 'run_someone_else');
    expect((await page.request.get(other)).status()).toBe(401);
  });

  it('saves tags and notes, and the list shows the tag', async () => {
    await page.getByTestId('run-tab-notes').click();
    await page.getByTestId('run-tag-input').fill('baseline');
    await page.getByTestId('run-tag-input').press('Enter');
    await page.getByTestId('run-tag').filter({ hasText: 'baseline' }).waitFor();
    // A duplicate is refused with a message instead of a silent no-op.
    await page.getByTestId('run-tag-input').fill('baseline');
    await page.getByTestId('run-tag-input').press('Enter');
    await page.getByTestId('run-notes').getByRole('status').filter({ hasText: 'baseline' }).waitFor();
    await page.getByTestId('run-notes-input').fill('lr 2e-3 converges; try rank 8 next');
    await page.getByTestId('run-notes-save').click();
    await waitUntil('the notes to be stored', async () => (await api.call('runs.get', { id: runId })).notes.startsWith('lr 2e-3'));
    await page.getByTestId('run-back').click();
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"] .tag`).filter({ hasText: 'baseline' }).waitFor();
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).click();
    await page.getByTestId('run-page').waitFor();
  });

  it('keeps the status after a page reload, in Chinese too', async () => {
    const before = await statusOf();
    await page.reload();
    await page.getByTestId('run-page').waitFor();
    expect(await statusOf()).toBe(before);
    // Chinese and the dark theme in one go: both are engine settings the page follows live.
    await api.call('settings.update', { language: 'zh', theme: 'dark' });
    await page.getByTestId('run-tab-live').filter({ hasText: '实时' }).waitFor();
    await page.getByTestId('chart-loss').locator('svg').first().waitFor();
    await screenshot(page, 'run-page-stopped-zh');
    await page.getByTestId('run-back').click();
    await page.getByTestId('runs-table').waitFor();
    await screenshot(page, 'runs-list-zh');
    await api.call('settings.update', { language: 'en', theme: 'system' });
  });

  it('keeps the status after an engine restart on the same data folder', async () => {
    const before = (await api.call('runs.get', { id: runId })).status;
    api.close();
    await serve.stop();
    serve = await startServe({ env: engineEnv(engine), dataDir: serve.dataDir });
    api = await connectApi(serve);
    expect((await api.call('runs.get', { id: runId })).status).toBe(before);
    // A browser keeps the #fragment across the token redirect: this is a deep link straight to the run.
    await page.goto(`${serve.url}#/runs/${runId}`);
    await page.getByTestId('run-page').waitFor();
    await waitUntil('the status after restart', async () => (await statusOf()) === before, 30_000);
    // The log survives too: the terminal replays it.
    await waitUntil('the replayed log', async () => /loss/.test(await terminalText()), 30_000);
  });

  it('resumes from the UI as a new run in the same output folder and opens its page', async () => {
    const old = await api.call('runs.get', { id: runId });
    // Offered only because a checkpoint exists, and it says which one it continues from.
    const checkpoints = await api.call('runs.checkpoints', { id: runId });
    expect(checkpoints.length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('run-resume').textContent()).toContain(checkpoints.at(-1)!);
    await page.getByTestId('run-resume').click();
    resumedId = await waitUntil('the new run page', async () => {
      const id = await page.getByTestId('run-page').getAttribute('data-run-id');
      return id && id !== runId ? id : null;
    }, 30_000);
    const resumed = await api.call('runs.get', { id: resumedId });
    expect(resumed.outputDir).toBe(old.outputDir);
    await waitUntil('the resumed run to run', async () => ['starting', 'running', 'finished'].includes((await statusOf()) ?? ''), 30_000);
    expect(page.url()).toContain(`#/runs/${resumedId}`);
  });

  it('explains a failure (trainer killed) and retries it through the board', async () => {
    const pid = await waitUntil('the resumed trainer pid', async () => (await api.call('runs.get', { id: resumedId! })).pid, 30_000);
    // Something outside Trainyard kills the trainer (the OOM killer, a user's kill -9).
    process.kill(pid, 'SIGKILL');
    await page.getByTestId('run-failure').and(page.locator('[data-kind="signal"]')).waitFor({ timeout: 30_000 });
    expect(await statusOf()).toBe('failed');
    expect(await page.getByTestId('run-failure-suggestion').innerText()).not.toBe('');
    await screenshot(page, 'run-page-failed-en');
    // The engine sends codes, not English: in Chinese the reason and what to do are Chinese too.
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('run-failure').getByText(engineZh['failure.kind.signal']).waitFor();
    expect(await page.getByTestId('run-failure-suggestion').innerText()).toContain(engineZh['failure.fix.killed'].slice(0, 12));
    expect(await page.getByTestId('run-failure-message').innerText()).toMatch(/^训练进程/);
    await screenshot(page, 'run-page-failed-zh');
    await api.call('settings.update', { language: 'en' });
    const before = (await api.call('runs.list', {})).length;
    await page.getByTestId('run-retry').click();
    // The board queues the task again and, with a free GPU, starts it as a new run.
    const retried = await waitUntil('the retried run', async () => {
      const list = await api.call('runs.list', {});
      return list.length > before ? list.find((r) => r.id !== runId && r.id !== resumedId) : null;
    }, 30_000);
    await api.call('runs.stop', { id: retried.id });
  });
});
