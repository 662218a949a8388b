/** e2e of TensorBoard from the run page and from Compare: a run with report_to: tensorboard gets one click to start it (here the test double on PATH, which serves HTTP), a link to open, Stop, and it ends with the engine. */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { type Api, openApp, type ServeProcess, tearDown, waitUntil } from './harness.js';
import { portableExample } from '../helpers/portableTask.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;
let runId: string;
const outRoot = mkdtempSync(join(tmpdir(), 'trainyard-tb-out-'));
const docShots = join(repoRoot, 'docs', 'screenshots');

const answers = async (url: string) => {
  try {
    return await (await fetch(url)).text();
  } catch {
    return null;
  }
};

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({
    fakeGpus: '1',
    setup: async (api) => {
      const yaml = portableExample('support-lora.yaml', join(outRoot, 'support'))
        .replace(/^report_to: .+$/m, 'report_to: tensorboard')
        .replace(/^num_train_epochs: .+$/m, 'num_train_epochs: 1.0');
      const { tasks } = await api.call('tasks.import', { files: [{ name: 'support.yaml', content: yaml }] });
      await api.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
      runId = (await waitUntil('the run', async () => (await api.call('runs.list', {})).find((r) => r.taskId === tasks[0]!.id))).id;
    },
    // The test opens the run page itself, once the run has ended.
    load: false,
  }));
});
afterAll(() => tearDown({ api, browser, serves: [serve] }));

describe('TensorBoard from the run page', () => {
  it('starts it for a run with report_to: tensorboard, links it, and stops it', async () => {
    await waitUntil('the run to end', async () => !['starting', 'running', 'stopping'].includes((await api.call('runs.get', { id: runId })).status), 170_000, 1000);
    const run = await api.call('runs.get', { id: runId });
    await page.goto(`${serve.url}#/runs/${runId}`);
    await page.getByTestId('run-tensorboard-start').click();
    const link = page.getByTestId('run-tensorboard-link');
    await link.waitFor({ timeout: 60_000 });
    const url = (await link.getAttribute('href'))!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // It serves the run's own folder (HF writes its events under output_dir/runs/ by default).
    expect(await answers(url)).toContain(run.outputDir);
    mkdirSync(docShots, { recursive: true });
    await page.screenshot({ path: join(docShots, 'run-tensorboard-en.png') });
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('run-tensorboard-stop').filter({ hasText: '停止 TensorBoard' }).waitFor();
    await page.screenshot({ path: join(docShots, 'run-tensorboard-zh.png') });
    await api.call('settings.update', { language: 'en' });
    await page.getByTestId('run-tensorboard-stop').click();
    await page.getByTestId('run-tensorboard-start').waitFor();
    await expect.poll(() => answers(url), { timeout: 10_000 }).toBeNull();
  });

  it('starts one over the runs selected in Compare', async () => {
    await page.getByTestId('nav-compare').click();
    await page.getByTestId('compare-row').first().waitFor({ timeout: 20_000 });
    await page.getByTestId('compare-select').first().check();
    await page.getByTestId('compare-tensorboard').click();
    const url = (await page.getByTestId('compare-tensorboard-link').getAttribute('href', { timeout: 60_000 }))!;
    expect(await answers(url)).toContain((await api.call('runs.get', { id: runId })).outputDir);
    // Back to the run page by its route (a goto would only change the hash of the token URL, which the app has read).
    await page.evaluate((id) => ((globalThis as unknown as { location: { hash: string } }).location.hash = `#/runs/${id}`), runId);
    await page.getByTestId('run-page').waitFor();
  });

  it('ends with the engine', async () => {
    // The one Compare started covers just this run: the run page shows it as running instead of starting another.
    const url = (await page.getByTestId('run-tensorboard-link').getAttribute('href', { timeout: 30_000 }))!;
    expect(await answers(url)).not.toBeNull();
    expect(await api.call('runs.tensorboards', {})).toHaveLength(1);
    api.close();
    await serve.stop();
    await expect.poll(() => answers(url), { timeout: 10_000 }).toBeNull();
  });
});
