/** e2e of the PyTorch check in Chromium: Settings shows "checking" while a Python's `import torch` runs, then what it found, in both languages. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Api, openApp, screenshot, type ServeProcess, tearDown } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'ty-e2e-pycheck-'));
const gate = join(dir, 'gate');
// A stand-in Python whose `import torch` lasts until the test opens the gate.
const python = join(dir, 'python3');
writeFileSync(python, `#!/bin/sh\nwhile [ ! -e '${gate}' ]; do sleep 0.05; done\nexit 0\n`);
chmodSync(python, 0o755);

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({
    fakeSmi: false,
    trainer: null,
    setup: (api) => api.call('settings.update', { trainer: { python } }),
    viewport: { width: 1200, height: 900 },
  }));
}, 60_000);
afterAll(async () => {
  await tearDown({ api, browser, serves: [serve] });
  rmSync(dir, { recursive: true, force: true });
});

describe('the PyTorch check', () => {
  it('shows "checking" while the import runs, in English and Chinese, then the Python it found', async () => {
    await page.getByTestId('nav-settings').click();
    const found = page.getByTestId('trainer-python-found');
    await found.filter({ hasText: `Checking that ${python} can import PyTorch` }).waitFor({ timeout: 30_000 });
    // The engine keeps answering meanwhile: a settings change round-trips and the page follows it.
    await api.call('settings.update', { language: 'zh' });
    await found.filter({ hasText: `正在检查 ${python} 能否导入 PyTorch` }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'settings-python-checking-zh');
    await api.call('settings.update', { language: 'en' });
    await found.filter({ hasText: 'Checking that' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'settings-python-checking-en');
    writeFileSync(gate, '');
    await found.filter({ hasText: `Found: ${python}` }).waitFor({ timeout: 60_000 });
  }, 120_000);
});
