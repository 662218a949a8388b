/** e2e of GPU detection edge cases through the real UI: another program's process on card 2, and a broken driver. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { copyFileSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { connectApi, engineEnv, launchBrowser, screenshot, type ServeProcess, startServe, tearDown } from './harness.js';

let browser: Browser;
const cleanup: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() =>
  tearDown({
    first: async () => {
      for (const c of cleanup.reverse()) await c();
    },
    browser,
  }),
);

async function serveWith(env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const serve = await startServe({ env: engineEnv({ env }) });
  cleanup.push(() => serve.stop());
  return serve;
}

describe('GPU cards', () => {
  it('shows a process started with CUDA_VISIBLE_DEVICES=2 on card 2, as another program with its memory', async () => {
    // The test double reports any live process with FAKE_GPU_MEM_MIB in its environment on its first visible GPU.
    const proc: ChildProcess = spawn('sleep', ['120'], { env: { ...process.env, CUDA_VISIBLE_DEVICES: '2', FAKE_GPU_MEM_MIB: '12000' }, stdio: 'ignore' });
    cleanup.push(() => void proc.kill());
    const serve = await serveWith({ FAKE_GPUS: '4' });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(serve.url);
    const card2 = page.locator('[data-testid="gpu-card"][data-index="2"]');
    const row = card2.locator(`[data-testid="gpu-other-proc"][data-pid="${proc.pid}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('sleep');
    expect(await row.textContent()).toMatch(/11\.7 GiB|12 GiB/);
    for (const other of [0, 1, 3]) {
      expect(await page.locator(`[data-testid="gpu-card"][data-index="${other}"] [data-pid="${proc.pid}"]`).count()).toBe(0);
    }
    await screenshot(page, 'gpus-external-process');
    await page.close();
  });

  it('8 cards open as a table listing each process with pid, user and command; host CPU and RAM; the card detail lists them too', async () => {
    const proc: ChildProcess = spawn('sleep', ['121'], { env: { ...process.env, CUDA_VISIBLE_DEVICES: '3', FAKE_GPU_MEM_MIB: '9000' }, stdio: 'ignore' });
    cleanup.push(() => void proc.kill());
    const serve = await serveWith({ FAKE_GPUS: '8:NVIDIA H200:143771' });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(serve.url);
    const row = page.locator('[data-testid="gpu-table-row"][data-index="3"]');
    const proc3 = row.locator(`[data-testid="gpu-table-proc"][data-pid="${proc.pid}"]`);
    await proc3.waitFor({ timeout: 20_000 });
    expect(await proc3.innerText()).toContain(userInfo().username);
    expect(await proc3.getAttribute('title')).toBe('sleep 121');
    expect(await page.getByTestId('gpu-table-row').count()).toBe(8);
    expect(await page.getByTestId('gpu-view-table').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('host-cpu').filter({ hasText: /CPU \d+%/ }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('host-ram').innerText()).toMatch(/RAM [\d.]+ GiB \/ [\d.]+ GiB/);
    await screenshot(page, 'gpus-table-en');
    const docs = join(repoRoot, 'docs', 'screenshots');
    mkdirSync(docs, { recursive: true });
    copyFileSync(join(repoRoot, 'test-results', 'gpus-table-en.png'), join(docs, 'gpus-table-en.png'));

    // The card's detail: the same process in the nvitop-like table, with its full command line.
    await row.getByRole('button').first().click();
    const detailRow = page.getByTestId('gpu-detail').locator(`[data-testid="gpu-proc-row"][data-pid="${proc.pid}"]`);
    await detailRow.waitFor();
    expect(await detailRow.innerText()).toMatch(new RegExp(`${proc.pid}\\s+${userInfo().username}\\s+sleep 121\\s+8.8 GiB\\s+not Trainyard`));
    await page.keyboard.press('Escape');

    // Back to cards: the card shows who runs the process.
    await page.getByTestId('gpu-view-cards').click();
    const other = page.locator(`[data-testid="gpu-card"][data-index="3"] [data-testid="gpu-other-proc"][data-pid="${proc.pid}"]`);
    await other.waitFor();
    expect(await other.innerText()).toContain(`by ${userInfo().username}`);

    const api = await connectApi(serve);
    await api.call('settings.update', { language: 'zh' });
    api.close();
    await page.getByTestId('gpu-view-table').filter({ hasText: '表格' }).click();
    await page.getByTestId('host-ram').filter({ hasText: '内存' }).waitFor();
    await screenshot(page, 'gpus-table-zh');
    copyFileSync(join(repoRoot, 'test-results', 'gpus-table-zh.png'), join(docs, 'gpus-table-zh.png'));
    await page.close();
  });

  it('says what is wrong when the driver and library versions differ, and still shows a CPU device', async () => {
    const serve = await serveWith({ FAKE_NVIDIA_SMI_MODE: 'mismatch' });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(serve.url);
    const notice = page.getByTestId('gpu-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toMatch(/version mismatch/i);
    expect(await notice.textContent()).toMatch(/reboot/i);
    await page.locator('[data-testid="gpu-card"]').first().waitFor();
    await screenshot(page, 'gpus-mismatch');
    await page.close();
  });
});
