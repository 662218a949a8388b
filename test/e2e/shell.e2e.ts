/** e2e of the app frame: tokenised URL (fragment, no cookie), navigation, language switch, screenshot, and refusals (no token, foreign Origin). */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src/shared/auth.js';
import { launchBrowser, screenshot, type ServeProcess, startServe, tearDown } from './harness.js';

let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  serve = await startServe();
  browser = await launchBrowser();
});
afterAll(() => tearDown({ browser, serves: [serve] }));

function wsStatus(url: string, headers: Record<string, string>, token?: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, token ? [WS_PROTOCOL, WS_TOKEN_PREFIX + token] : [WS_PROTOCOL], { headers });
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
    const sentCookies: string[] = [];
    page.on('request', (r) => {
      const c = r.headers()['cookie'];
      if (c) sentCookies.push(c);
    });
    expect(serve.url).toContain('/#token=');
    await page.goto(serve.url);
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor();
    // The token left the address bar (and history) for this tab's sessionStorage; no cookie was set or sent.
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate("sessionStorage.getItem('trainyard.token')")).toBe(serve.token);
    expect(await page.context().cookies()).toEqual([]);
    expect(sentCookies).toEqual([]);
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

  it('asks for the token when the page has none, and connects once it is pasted', async () => {
    const page = await browser.newPage();
    const res = await page.goto(serve.origin + '/');
    // The app shell holds no secret: it loads, then explains that the engine wants the token.
    expect(res?.status()).toBe(200);
    await page.getByTestId('blocked-screen').and(page.locator('[data-kind="unauthorized"]')).waitFor();
    expect(await page.textContent('body')).toContain('#token=');
    await page.getByTestId('blocked-token-input').fill('not a token');
    await page.getByTestId('blocked-token-submit').click();
    await page.getByRole('alert').waitFor();
    // The whole printed URL can be pasted, deep-link route included.
    await page.getByTestId('blocked-token-input').fill(serve.url);
    await page.getByTestId('blocked-token-submit').click();
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor();
    await page.getByTestId('blocked-screen').waitFor({ state: 'detached' });
    // A reload of the same tab keeps it (sessionStorage), with no token in the address.
    await page.reload();
    await page.getByTestId('connection-status').and(page.locator('[data-status="connected"]')).waitFor();
    await page.close();
  });

  it('opens a deep link that carries the token and a route', async () => {
    const page = await browser.newPage();
    await page.goto(`${serve.url}#/settings`);
    await page.getByTestId('settings-language').waitFor();
    expect(page.url()).toBe(`${serve.origin}/#/settings`);
    await page.close();
  });

  it('refuses API calls without the token', async () => {
    expect((await fetch(`${serve.origin}/api/health`)).status).toBe(401);
    expect((await fetch(`${serve.origin}/api/health`, { headers: { Authorization: `Bearer ${serve.token}` } })).status).toBe(200);
  });

  it('refuses a WebSocket from a foreign Origin, a wrong Host, or without the token', async () => {
    const ws = `ws://127.0.0.1:${serve.port}/ws`;
    expect(await wsStatus(ws, { Origin: 'https://evil.example' }, serve.token)).toBe(403);
    expect(await wsStatus(ws, { Host: `evil.example:${serve.port}` }, serve.token)).toBe(403);
    expect(await wsStatus(ws, { Origin: serve.origin })).toBe(401);
    // The old query token is no longer read: it would sit in server logs and browser history.
    expect(await wsStatus(`${ws}?token=${serve.token}`, { Origin: serve.origin })).toBe(401);
    expect(await wsStatus(ws, { Origin: serve.origin }, serve.token)).toBe('open');
  });

  it('survives a malformed cookie from another local app, and answers an oversized message with a readable error', async () => {
    // A cookie like `x=100%` is not valid percent-encoding; it must not crash the WebSocket upgrade.
    expect(await wsStatus(`ws://127.0.0.1:${serve.port}/ws`, { Origin: serve.origin, Cookie: 'other_app=100%' })).toBe(401);
    const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + serve.token], { headers: { Origin: serve.origin } });
    await new Promise((r) => ws.once('open', r));
    const answers: unknown[] = [];
    ws.on('message', (d) => answers.push(JSON.parse(d.toString())));
    // A call over the 32 MB message limit gets an error answer, and the connection stays usable.
    ws.send(JSON.stringify({ t: 'call', id: 7, method: 'tasks.import', params: { paths: [], files: [{ name: 'big.yaml', content: 'x'.repeat(33 * 1024 * 1024) }] } }));
    ws.send(JSON.stringify({ t: 'call', id: 8, method: 'system.ping', params: {} }));
    await new Promise<void>((resolve) => {
      const check = () => (answers.length >= 2 ? resolve() : setTimeout(check, 50));
      check();
    });
    const big = answers.find((a) => (a as { id: number }).id === 7) as { ok: boolean; error: { code: string; message: string } };
    expect(big.ok).toBe(false);
    expect(big.error.code).toBe('too_large');
    expect(big.error.message).toMatch(/32 MB/);
    expect((answers.find((a) => (a as { id: number }).id === 8) as { ok: boolean }).ok).toBe(true);
    // A frame past the hard limit closes that one connection with 1009 (message too big), not the engine.
    const closed = await new Promise<number>((resolve) => {
      ws.on('close', (code) => resolve(code));
      ws.on('error', () => undefined);
      ws.send('x'.repeat(65 * 1024 * 1024));
    });
    expect(closed).toBe(1009);
    const health = await fetch(`${serve.origin}/api/health`, { headers: { Authorization: `Bearer ${serve.token}` } });
    expect(health.status).toBe(200);
    expect(serve.child.exitCode).toBeNull();
  });

  it('shows the blocked screen when the stored token is stale (engine restarted with a new token)', async () => {
    const page = await browser.newPage();
    await page.goto(`${serve.origin}/#token=${'s'.repeat(48)}`);
    await page.getByTestId('blocked-screen').and(page.locator('[data-kind="unauthorized"]')).waitFor();
    await screenshot(page, 'blocked-token-en');
    await page.close();
  });
});
