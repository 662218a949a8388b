/** e2e of the run page's tools on one finished demo run: charts (grad norm, tokens/s, axes, smoothing, log scale), its files downloaded through tickets, and Export merged model (then chat with it), in English and Chinese. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { type Api, openApp, screenshot, type ServeProcess, tearDown, waitUntil } from './harness.js';
import { portableExample } from '../helpers/portableTask.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;
let runId: string;
const outRoot = mkdtempSync(join(tmpdir(), 'trainyard-charts-out-'));
const docShots = join(repoRoot, 'docs', 'screenshots');

const points = async (testId: string) => Number(await page.getByTestId(testId).getAttribute('data-points'));

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({
    fakeGpus: '1',
    setup: async (api) => {
      const yaml = portableExample('support-lora.yaml', join(outRoot, 'support'))
        .replace(/^logging_steps: .+$/m, 'logging_steps: 2');
      const { tasks } = await api.call('tasks.import', { files: [{ name: 'support.yaml', content: yaml }] });
      await api.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
      runId = (await waitUntil('the run', async () => (await api.call('runs.list', {})).find((r) => r.taskId === tasks[0]!.id))).id;
    },
    viewport: { width: 1440, height: 1100 },
    context: { acceptDownloads: true },
    // Each test opens the run page itself.
    load: false,
  }));
});
afterAll(() => tearDown({ first: async () => runId && api?.call('runs.stop', { id: runId }), api, browser, serves: [serve] }));

describe('run charts', () => {
  it('draws grad norm and tokens/s beside loss and learning rate', async () => {
    await waitUntil('the run to finish', async () => (await api.call('runs.get', { id: runId })).status === 'finished', 170_000, 1000);
    await page.goto(`${serve.url}#/runs/${runId}`);
    await page.getByTestId('run-charts').waitFor();
    const loss = await waitUntil('loss points', async () => (await points('chart-loss')) || null);
    // The demo, like LLaMA-Factory, writes no grad_norm to trainer_log.jsonl: these come from the console dicts.
    expect(await waitUntil('grad norm points', async () => (await points('chart-grad-norm')) || null)).toBeGreaterThanOrEqual(loss - 1);
    expect(await waitUntil('throughput points', async () => (await points('chart-throughput')) || null)).toBeGreaterThan(1);
    expect(await points('chart-lr')).toBeGreaterThan(0);
    expect(await page.getByTestId('chart-grad-norm').locator('svg .recharts-line path').count()).toBeGreaterThan(0);
  });

  it('switches the x axis to tokens and time, smooths and uses a log scale', async () => {
    const steps = await points('chart-loss');
    await page.getByTestId('run-chart-axis').selectOption('tokens');
    await expect.poll(() => page.getByTestId('run-charts').getAttribute('data-axis')).toBe('tokens');
    await page.getByTestId('chart-loss').getByText('Tokens seen').waitFor();
    expect(await points('chart-loss')).toBe(steps);
    await page.getByTestId('run-chart-axis').selectOption('time');
    await page.getByTestId('chart-loss').getByText('Time (s)').waitFor();
    await page.getByTestId('run-chart-smoothing').fill('0.6');
    await expect.poll(() => page.getByTestId('run-charts').getAttribute('data-smoothing')).toBe('0.6');
    await page.getByTestId('run-chart-log').check();
    await expect.poll(() => page.getByTestId('run-charts').getAttribute('data-log')).toBe('true');
    await page.getByTestId('run-chart-axis').selectOption('step');
    mkdirSync(docShots, { recursive: true });
    // Tall enough for the terminal and all four charts in one picture.
    await page.setViewportSize({ width: 1440, height: 1500 });
    await page.screenshot({ path: join(docShots, 'run-charts-en.png') });
    await screenshot(page, 'run-charts-en');
  });

  it('reads in Chinese', async () => {
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('run-charts').getByText('梯度范数').first().waitFor();
    await page.getByTestId('run-charts').getByText('吞吐量（tokens/秒）').first().waitFor();
    await page.screenshot({ path: join(docShots, 'run-charts-zh.png') });
    await api.call('settings.update', { language: 'en' });
  });

  it('downloads the config, the adapter and a checkpoint from the Files tab (tar archives real tar reads)', async () => {
    await page.setViewportSize({ width: 1440, height: 1100 });
    await page.getByTestId('run-tab-files').click();
    await page.getByTestId('run-dl-adapter').waitFor();
    const save = async (testId: string, nth = 0) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).nth(nth).click()]);
      // Through a one-path ticket: the page never puts its token in a URL.
      expect(d.url()).toMatch(/\/api\/runs\/[^/]+\/[a-z/0-9-]+\?exp=\d+&sig=/);
      return { path: await d.path(), name: d.suggestedFilename() };
    };
    const config = await save('run-dl-config');
    expect(config.name).toBe('support.yaml');
    expect(readFileSync(config.path, 'utf8')).toContain('finetuning_type: lora');
    const adapter = await save('run-dl-adapter');
    expect(adapter.name).toBe('support-adapter.tar');
    const listed = spawnSync('tar', ['-tf', adapter.path], { encoding: 'utf8' }).stdout.split('\n');
    expect(listed).toContain('support-adapter/adapter_model.safetensors');
    expect(listed).toContain('support-adapter/adapter_config.json');
    // Checkpoints are folders of their own, never inside the adapter archive.
    expect(listed.some((n) => n.includes('checkpoint-'))).toBe(false);
    const ckpt = await save('run-dl-checkpoint');
    expect(ckpt.name).toMatch(/^support-checkpoint-\d+\.tar$/);
    expect(spawnSync('tar', ['-tf', ckpt.path], { encoding: 'utf8' }).stdout).toMatch(/adapter_model\.safetensors/);
    await page.screenshot({ path: join(docShots, 'run-files-en.png') });
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('run-dl-adapter').filter({ hasText: '适配器' }).waitFor();
    await page.screenshot({ path: join(docShots, 'run-files-zh.png') });
    await api.call('settings.update', { language: 'en' });
  });

  it('exports the merged model as a run of kind export, then chats with it', async () => {
    await page.getByTestId('run-tab-live').click();
    await page.getByTestId('run-export').click();
    const exportId = await waitUntil('the export run page', async () => {
      const id = await page.getByTestId('run-page').getAttribute('data-run-id');
      return id && id !== runId ? id : null;
    }, 30_000);
    const exp = await api.call('runs.get', { id: exportId });
    expect(exp.kind).toBe('export');
    expect(exp.parentRunId).toBe(runId);
    // llamafactory-cli export (here the demo's), with LF's keys: the adapter on its base, export_dir = the run's folder.
    expect(exp.argv).toContain('export');
    const cfg = (await api.call('runs.config', { id: exportId })).yaml;
    expect(cfg).toMatch(/^adapter_name_or_path: .+\/support$/m);
    expect(cfg).toMatch(/^finetuning_type: lora$/m);
    expect(cfg).toMatch(/^template: demo$/m);
    expect(cfg).toContain(`export_dir: ${exp.outputDir}`);
    expect(cfg).not.toMatch(/^(output_dir|learning_rate):/m);
    await page.locator('[data-testid="run-header"] [data-testid="run-status"][data-status="finished"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('run-tab-files').click();
    await page.locator('[data-testid="run-file"]').filter({ hasText: 'model.safetensors' }).first().waitFor();
    await page.screenshot({ path: join(docShots, 'run-export-en.png') });
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('run-chat-merged').filter({ hasText: '与合并模型对话' }).waitFor();
    await page.screenshot({ path: join(docShots, 'run-export-zh.png') });
    await api.call('settings.update', { language: 'en' });
    // The merged model is a chat target of its own: its server loads and answers.
    await page.getByTestId('run-chat-merged').click();
    await page.locator('[data-testid="chat-server-status"][data-status="ready"]').waitFor({ timeout: 180_000 });
    await page.getByTestId('chat-input').fill('Where is my order?');
    await page.getByTestId('chat-send').click();
    const done = page.locator('[data-testid="chat-msg-assistant"][data-status="done"]');
    await done.waitFor({ timeout: 120_000 });
    expect((await done.getByTestId('chat-msg-body').innerText()).length).toBeGreaterThan(0);
    const servers = await api.call('chat.servers', {});
    expect(servers.some((x) => x.runId === exportId)).toBe(true);
    for (const x of servers) await api.call('chat.stopServer', { serverId: x.id }).catch(() => undefined);
  });
});
