/** e2e of Settings: About (version, "Copy diagnostics" with the webhook masked) in both languages, and the LLaMA-Factory folder that relative config paths resolve against. */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { portableTaskYaml } from '../helpers/portableTask.js';
import { type Api, openApp, screenshot, type ServeProcess, tearDown } from './harness.js';

const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({
    fakeSmi: false,
    trainer: null,
    viewport: { width: 1200, height: 900 },
    context: { permissions: ['clipboard-read', 'clipboard-write'] },
  }));
});
afterAll(() => tearDown({ api, browser, serves: [serve] }));

describe('settings', () => {
  it('copies diagnostics with the webhook secret masked', async () => {
    await api.call('settings.update', { webhookUrl: 'https://hooks.example.com/incoming/SECRET-123' });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('copy-diagnostics').click();
    await page.locator('[data-testid="toast"][data-level="success"]').waitFor({ timeout: 60_000 });
    const text = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    expect(text).toContain('# Trainyard diagnostics');
    expect(text).toContain('<masked: hooks.example.com>');
    expect(text).not.toContain('SECRET-123');
    expect(text).toContain('## engine.log');
    await screenshot(page, 'settings-diagnostics-en');
  });

  it('shows the version from package.json in About, the same one /api/health answers', async () => {
    expect((await page.getByTestId('about-version').innerText()).trim()).toBe(version);
    const health = await fetch(`${serve.origin}/api/health`, { headers: { Authorization: `Bearer ${serve.token}` } });
    expect(((await health.json()) as { version: string }).version).toBe(version);
  });

  it('finds the LLaMA-Factory folder near the chosen CLI, saves the one typed in, and resolves dataset_dir: data against it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trainyard-lfdir-'));
    // Two LLaMA-Factory-like folders (each holds data/dataset_info.json): one around the CLI, one typed into Settings.
    const [nearCli, typed] = [join(root, 'LLaMA-Factory'), join(root, 'my-lf')];
    for (const dir of [nearCli, typed]) {
      mkdirSync(join(dir, 'data'), { recursive: true });
      writeFileSync(join(dir, 'data', 'dataset_info.json'), '{}\n');
    }
    const cli = join(nearCli, '.venv', 'bin', 'llamafactory-cli');
    mkdirSync(join(nearCli, '.venv', 'bin'), { recursive: true });
    writeFileSync(cli, '#!/bin/sh\nexit 0\n');
    chmodSync(cli, 0o755);
    // A config away from both, with a relative dataset_dir and a dataset neither folder lists: its error names the file read.
    const cfgDir = join(root, 'configs');
    mkdirSync(cfgDir);
    const file = join(cfgDir, 'lf-relative.yaml');
    writeFileSync(file, portableTaskYaml({ output_dir: join(root, 'out') }).replace(/^dataset_dir: .+$/m, 'dataset_dir: data').replace(/^dataset: .+$/m, 'dataset: e2e_not_listed'));
    await api.call('tasks.import', { paths: [file] });
    await api.call('settings.update', { trainer: { kind: 'llamafactory' } });

    await page.getByTestId('nav-settings').click();
    await page.locator('#set-cli').fill(cli);
    await page.locator('#set-cli').blur();
    // Prefilled from what was found: the placeholder and the line under the field name the folder around the CLI.
    await page.getByTestId('trainer-lfdir-found').filter({ hasText: `Found: ${nearCli} (around llamafactory-cli)` }).waitFor();
    expect(await page.getByTestId('trainer-lfdir').getAttribute('placeholder')).toBe(nearCli);
    const issues = page.getByTestId('task-card').and(page.locator('[data-task="lf-relative"]')).getByTestId('task-issues');
    await page.getByTestId('nav-board').click();
    await issues.filter({ hasText: join(nearCli, 'data', 'dataset_info.json') }).waitFor();

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('trainer-lfdir').fill(typed);
    await page.getByTestId('trainer-lfdir').blur();
    await page.getByTestId('trainer-lfdir-found').filter({ hasText: `Tasks run in ${typed}.` }).waitFor();
    expect((await api.call('settings.get', {})).trainer).toMatchObject({ llamafactoryCli: cli, llamafactoryDir: typed });
    await screenshot(page, 'settings-lfdir-en');
    await page.getByTestId('nav-board').click();
    await issues.filter({ hasText: `Dataset "e2e_not_listed" is not in ${join(typed, 'data', 'dataset_info.json')}` }).waitFor();
    await page.getByTestId('nav-settings').click();
  });

  it('reads in Chinese', async () => {
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('copy-diagnostics').filter({ hasText: '复制诊断信息' }).waitFor();
    await screenshot(page, 'settings-diagnostics-zh');
    await api.call('settings.update', { language: 'en' });
  });
});
