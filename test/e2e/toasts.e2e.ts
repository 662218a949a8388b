/** e2e of toasts from the person's own actions: successes go away by themselves, errors stay until dismissed, and no toast covers the control that caused it. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, openApp, screenshot, type ServeProcess, tearDown } from './harness.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({ fakeSmi: false, trainer: null, viewport: { width: 1100, height: 720 } }));
});
afterAll(() => tearDown({ api, browser, serves: [serve] }));

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('toasts', () => {
  it('a success goes away by itself and does not cover the button that caused it', async () => {
    const button = page.getByTestId('try-demo');
    await button.waitFor();
    const box = (await button.boundingBox())!;
    await button.click();
    const toast = page.locator('[data-testid="toast"][data-level="success"]');
    await toast.waitFor();
    expect(overlaps((await toast.boundingBox())!, box)).toBe(false);
    await toast.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('an error stays until dismissed, beside the field whose change failed', async () => {
    await page.getByTestId('nav-settings').click();
    const field = page.locator('#set-webhook');
    // A field placed where the toasts would go: the stack moves to the other side instead of covering it.
    await field.evaluate((el) => {
      const s = (el as unknown as { style: Record<string, string> }).style;
      Object.assign(s, { position: 'fixed', right: '20px', bottom: '40px', width: '300px', zIndex: '10' });
    });
    await field.fill('ftp://not-a-webhook.example');
    await field.press('Enter');
    const toast = page.locator('[data-testid="toast"][data-level="error"]');
    await toast.waitFor();
    expect(overlaps((await toast.boundingBox())!, (await field.boundingBox())!)).toBe(false);
    await screenshot(page, 'toast-error-en');
    // Longer than any toast that dismisses itself (success 5 s, info 6 s): an error is still there to be read.
    await page.waitForTimeout(7_000);
    expect(await toast.count()).toBe(1);
    await toast.getByRole('button', { name: /dismiss/i }).click();
    await toast.waitFor({ state: 'detached' });
  });
});
