/** e2e of GPU detection edge cases through the real UI: another program's process on card 2, and a broken driver. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { launchBrowser, screenshot, startServe, type ServeProcess } from './harness.js';

const fakeBin = join(repoRoot, 'test', 'fixtures', 'bin');
let browser: Browser;
const cleanup: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  await browser?.close();
});

async function serveWith(env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const serve = await startServe({ env: { PATH: `${fakeBin}:${process.env.PATH}`, ...env } });
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
