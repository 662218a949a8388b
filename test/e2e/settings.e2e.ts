/** e2e of Settings → About: "Copy diagnostics" puts a bug-report text on the clipboard (versions, masked webhook, GPUs, engine.log), in both languages. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectApi, launchBrowser, screenshot, type ServeProcess, startServe, tearDown } from './harness.js';

let serve: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let api: Awaited<ReturnType<typeof connectApi>>;

beforeAll(async () => {
  serve = await startServe();
  api = await connectApi(serve);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  await page.goto(serve.url);
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

  it('reads in Chinese', async () => {
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('copy-diagnostics').filter({ hasText: '复制诊断信息' }).waitFor();
    await screenshot(page, 'settings-diagnostics-zh');
    await api.call('settings.update', { language: 'en' });
  });
});
