/** e2e of the app frame: tokenised URL, navigation, language switch, screenshot, and refusals (no token, foreign Origin). */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { launchBrowser, screenshot, startServe, type ServeProcess } from './harness.js';

let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  serve = await startServe();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

function wsStatus(url: string, headers: Record<string, string>): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('app shell', () => {
  it('renders the frame from the tokenised URL and switches language to 中文', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(serve.url);
    // The token moved into a cookie and left the address bar.
    expect(page.url()).not.toContain('token=');
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor();
    await expect(page.getByTestId('nav-board').textContent()).resolves.toContain('Board');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-language').selectOption('zh');
    await page.getByTestId('nav-board').filter({ hasText: '看板' }).waitFor();
    expect(await page.getByTestId('nav-runs').textContent()).toContain('运行');
    expect(await page.getByTestId('nav-settings').textContent()).toContain('设置');
    const shot = await screenshot(page, 'shell-zh');
    expect(existsSync(shot)).toBe(true);
    // The choice is stored by the engine: a reload keeps it.
    await page.reload();
    await page.getByTestId('nav-board').filter({ hasText: '看板' }).waitFor();
    await page.getByTestId('settings-language').selectOption('en');
    await page.getByTestId('nav-board').filter({ hasText: 'Board' }).waitFor();
    await screenshot(page, 'shell-en');
    await page.close();
  });

  it('keeps a GPU reserved for chat, chosen in Settings', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(serve.url);
    await page.getByTestId('nav-settings').click();
    const select = page.getByTestId('settings-chat-reserved');
    // Options come from the live GPU snapshot (the CPU device on a machine without GPUs).
    await select.locator('option').nth(1).waitFor({ state: 'attached' });
    const value = await select.locator('option').nth(1).getAttribute('value');
    await select.selectOption(value!);
    await page.reload();
    await expect(page.getByTestId('settings-chat-reserved').inputValue()).resolves.toBe(value);
    await screenshot(page, 'settings-en');
    await page.close();
  });

  it('offers the demo trainer in Settings when llamafactory-cli is missing, and loads the examples', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(serve.url);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-try-demo').click();
    // It lands on the board with the example tasks imported and the demo trainer chosen.
    await page.getByTestId('board-view').waitFor();
    await page.getByText('support-lora').first().waitFor();
    await page.getByTestId('nav-settings').click();
    expect(await page.getByTestId('trainer-kind-demo').isChecked()).toBe(true);
    await page.close();
  });

  it('refuses the page without the token and explains what to do', async () => {
    const page = await browser.newPage();
    const res = await page.goto(serve.origin + '/');
    expect(res?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('token');
    const wrong = await page.goto(serve.origin + '/?token=not-the-token');
    expect(wrong?.status()).toBe(401);
    await page.close();
  });

  it('refuses API calls without the token', async () => {
    expect((await fetch(`${serve.origin}/api/health`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/api/health`, { headers: { Authorization: `Bearer ${serve.token}` } })).status).toBe(200);
  });

  it('refuses a WebSocket from a foreign Origin, a wrong Host, or without the token', async () => {
    const ws = `ws://127.0.0.1:${serve.port}/ws`;
    expect(await wsStatus(`${ws}?token=${serve.token}`, { Origin: 'https://evil.example' })).toBe(403);
    expect(await wsStatus(`${ws}?token=${serve.token}`, { Host: `evil.example:${serve.port}` })).toBe(403);
    expect(await wsStatus(ws, { Origin: serve.origin })).toBe(401);
    expect(await wsStatus(`${ws}?token=${serve.token}`, { Origin: serve.origin })).toBe('open');
  });

  it('survives a malformed cookie from another local app and an oversized frame', async () => {
    // A cookie like `x=100%` is not valid percent-encoding; it must not crash the WebSocket upgrade.
    expect(await wsStatus(`ws://127.0.0.1:${serve.port}/ws`, { Origin: serve.origin, Cookie: 'other_app=100%' })).toBe(401);
    // A frame over the 32 MiB limit closes that one connection, not the engine.
    const closed = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws?token=${serve.token}`, { headers: { Origin: serve.origin } });
      ws.on('open', () => ws.send('x'.repeat(33 * 1024 * 1024)));
      ws.on('close', (code) => resolve(code));
      ws.on('error', () => undefined);
    });
    expect(closed).not.toBe(1000);
    const health = await fetch(`${serve.origin}/api/health`, { headers: { Authorization: `Bearer ${serve.token}` } });
    expect(health.status).toBe(200);
    expect(serve.child.exitCode).toBeNull();
  });

  it('shows the blocked screen when the token is wrong (engine restarted with a new token)', async () => {
    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: `trainyard_token_${serve.port}`, value: 'stale-token-from-an-old-engine', url: serve.origin }]);
    const page = await ctx.newPage();
    // The page itself is refused by the server with an explanation.
    const res = await page.goto(serve.origin + '/');
    expect(res?.status()).toBe(401);
    await ctx.close();
  });
});
