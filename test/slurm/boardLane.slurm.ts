/** The Slurm lane in the real UI: `trainyard serve` on the one-node Slurm, a task dragged onto slurm:debug runs through sbatch; screenshots in en and zh. */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/types/run.js';
import { connectApi, launchBrowser, screenshot, startServe, waitUntil, type ServeProcess } from '../e2e/harness.js';
import { repoRoot } from '../helpers/fixtures.js';
import { ENV_SLURM_SKIP } from './env.js';

const skip = process.env[ENV_SLURM_SKIP];
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof connectApi>>;

const lane = (): Locator => page.locator('[data-testid="slurm-lane"][data-lane="slurm:debug"]');
const taskCard = (name: string): Locator => page.getByTestId('task-card').and(page.locator(`[data-task="${name}"]`));

/** The screenshots docs/CLUSTERS.md shows, copied from test-results where screenshot() writes them. */
function keep(name: string, path: string): void {
  mkdirSync(join(repoRoot, 'docs', 'screenshots'), { recursive: true });
  copyFileSync(path, join(repoRoot, 'docs', 'screenshots', name));
}

describe.skipIf(!!skip)(skip ? `Slurm lane in the UI (skipped: ${skip})` : 'Slurm lane in the UI', () => {
  beforeAll(async () => {
    // Slow demo steps: the run is still going for the screenshot of the lane with its job.
    serve = await startServe({ env: { DEMO_TRAINER_STEP_DELAY_MS: '400', DEMO_TRAINER_THREADS: '1' } });
    api = await connectApi(serve);
    await api.call('settings.update', { trainer: { kind: 'demo' } });
    const examples = await api.call('tasks.loadExamples', {});
    const support = examples.find((t) => /support/.test(t.name) && !/infer/.test(t.name))!;
    await api.call('tasks.clone', { id: support.id, name: 'slurm-ui', set: { max_steps: 16, logging_steps: 2, save_steps: 1000 } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(serve.url);
  });
  afterAll(async () => {
    await browser?.close();
    api?.close();
    await serve?.stop();
  });

  it('shows the partition as a lane with its node and free GPUs', async () => {
    await lane().waitFor({ timeout: 20_000 });
    await lane().getByTestId('slurm-gpus').filter({ hasText: 'GPUs: 2 free' }).waitFor({ timeout: 10_000 });
    expect(await lane().getByTestId('slurm-node').textContent()).toMatch(/idle/);
  });

  it('submits a task dragged onto the lane with sbatch and follows the job to its end', async () => {
    await taskCard('slurm-ui').hover();
    await page.mouse.down();
    const box = (await lane().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 40, { steps: 8 });
    await page.mouse.move(box.x + box.width / 2, box.y + 50, { steps: 2 });
    await lane().getByTestId('fit-hint').and(page.locator('[data-fits="yes"]')).waitFor({ timeout: 10_000 });
    await screenshot(page, 'slurm-lane-fit');
    await page.mouse.up();

    const run = await waitUntil('the Slurm run to run', async () => (await api.call('runs.list', {})).find((r) => r.slurm?.state === 'RUNNING' && (r.progress?.step ?? 0) >= 2), 120_000);
    expect(run.slurm!.partition).toBe('debug');
    // The lane shows the job on its node: one GPU in use, the running item in its queue.
    await lane().getByTestId('slurm-gpus').filter({ hasText: 'GPUs: 1 free' }).waitFor({ timeout: 20_000 });
    await lane().getByTestId('queue-slurm-job').filter({ hasText: `Slurm job ${run.slurm!.jobId} · RUNNING` }).waitFor({ timeout: 10_000 });
    keep('slurm-lane.png', await screenshot(page, 'slurm-lane-running-en'));

    await api.call('settings.update', { language: 'zh' });
    await lane().getByTestId('slurm-gpus').filter({ hasText: '张 GPU 空闲' }).waitFor({ timeout: 10_000 });
    keep('slurm-lane-zh.png', await screenshot(page, 'slurm-lane-running-zh'));
    await api.call('settings.update', { language: 'en' });

    const done = await waitUntil('the run to finish', async () => {
      const r: Run = await api.call('runs.get', { id: run.id });
      return r.status === 'finished' && r;
    }, 180_000);
    expect(done.slurm?.state).toBe('COMPLETED');

    // The run page: the Slurm badge, and the job script as submitted in its own tab.
    await page.goto(`${serve.origin}/#/runs/${run.id}`);
    await page.getByTestId('run-slurm-badge').filter({ hasText: `job ${done.slurm!.jobId}` }).waitFor({ timeout: 15_000 });
    await page.getByTestId('run-tab-slurm').click();
    const script = await page.getByTestId('run-slurm-script').textContent();
    expect(script).toContain('#SBATCH --partition=debug');
    expect(script).toContain('srun');
    keep('slurm-run-job.png', await screenshot(page, 'slurm-run-job'));
  });
});
