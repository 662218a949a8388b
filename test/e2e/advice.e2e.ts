/** e2e of the advice before and after a start: hardware warnings on an old card, the too-big verdict, one-click OOM fixes. */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/types/task.js';
import { repoRoot } from '../helpers/fixtures.js';
import { type Api, openApp, screenshot, type ServeProcess, tearDown, waitUntil } from './harness.js';
import { portableExample } from '../helpers/portableTask.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;
const dir = mkdtempSync(join(tmpdir(), 'trainyard-advice-'));
const docShots = join(repoRoot, 'docs', 'screenshots');

/** An example config with absolute model/data paths and its own output folder, written where the test imports it from. */
function example(file: string, name: string, edit: (s: string) => string = (s) => s): string {
  const text = portableExample(file, join(dir, 'out', name));
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, edit(text));
  return path;
}

const taskCard = (name: string): Locator => page.getByTestId('task-card').and(page.locator(`[data-task="${name}"]`));
const card = (index: number): Locator => page.locator(`[data-testid="gpu-card"][data-index="${index}"]`);
/** A GPU's lane is its card (the drop target holds the card, the fit hint and the queue). */
const lane = card;

async function shot(name: string): Promise<void> {
  const p = await screenshot(page, name);
  mkdirSync(docShots, { recursive: true });
  copyFileSync(p, join(docShots, `${name}.png`));
}

beforeAll(async () => {
  // A V100 (compute capability 7.0) beside an H100 (9.0); every demo run fails at step 1 with CUDA's OOM text.
  const state = join(dir, 'smi.json');
  writeFileSync(state, JSON.stringify({ gpus: [{ name: 'Tesla V100-SXM2-32GB', memoryTotalMiB: 32768 }, { name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559 }] }));
  ({ serve, api, browser, page } = await openApp({ env: { FAKE_NVIDIA_SMI_STATE: state, DEMO_TRAINER_FAIL_AT_STEP: '1', DEMO_TRAINER_FAIL_KIND: 'oom' } }));
});
afterAll(() => tearDown({ api, browser, serves: [serve] }));

describe('hardware warnings', () => {
  it('names the V100 for bf16 and fa2 on the task card, and the comment’s CUDA_VISIBLE_DEVICES; the drop hint judges the card under the pointer', async () => {
    const path = example('support-lora.yaml', 'support-bf16', (s) =>
      `# run with: CUDA_VISIBLE_DEVICES=1 llamafactory-cli train support-bf16.yaml\n${s.replace('bf16: false', 'bf16: true\nflash_attn: fa2')}`,
    );
    await api.call('tasks.import', { paths: [path] });
    const warnings = taskCard('support-bf16').getByTestId('hw-warnings');
    await warnings.waitFor({ timeout: 15_000 });
    const codes = await warnings.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toEqual(['bf16-old-card', 'flash-attn-old-card', 'cuda-visible-devices']);
    const text = await warnings.innerText();
    expect(text).toContain('#0 Tesla V100-SXM2-32GB (7.0)');
    expect(text).not.toContain('H100');
    expect(text).toContain('CUDA_VISIBLE_DEVICES=1');

    // Hover the V100's lane, then the H100's: only the first says bf16; release over the library (nothing queued).
    await taskCard('support-bf16').hover();
    await page.mouse.down();
    const over = async (i: number) => {
      const box = (await lane(i).boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + 60, { steps: 8 });
      await page.mouse.move(box.x + box.width / 2, box.y + 70, { steps: 2 });
      return lane(i).getByTestId('fit-hint');
    };
    const hint0 = await over(0);
    await hint0.getByTestId('hw-warnings').locator('[data-code="bf16-old-card"]').waitFor({ timeout: 10_000 });
    await shot('advice-hardware-en');
    const hint1 = await over(1);
    await hint1.getByTestId('hw-warnings').waitFor({ timeout: 10_000 });
    expect(await hint1.getByTestId('hw-warnings').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['cuda-visible-devices']);
    const lib = (await taskCard('support-bf16').boundingBox())!;
    await page.mouse.move(lib.x + 20, lib.y + 20, { steps: 4 });
    await page.mouse.up();
    expect((await api.call('board.get', {})).queue).toEqual([]);
  });
});

describe('memory fixes', () => {
  it('a 70B full fine-tune: the card says no fix makes it fit, and the dialog shows each estimate', async () => {
    const path = example('too-big-70b-full.yaml', 'big70');
    await api.call('tasks.import', { paths: [path] });
    const verdict = taskCard('big70').getByTestId('fix-verdict');
    await verdict.waitFor({ timeout: 15_000 });
    expect(await verdict.getAttribute('data-verdict')).toBe('none');
    expect(await verdict.innerText()).toMatch(/Will not fit the 80 GiB card even with every fix/);
    await taskCard('big70').getByTestId('task-fixes-open').click();
    const dialog = page.getByTestId('fixes-dialog');
    await dialog.getByTestId('fix-option').first().waitFor();
    const fixes = await dialog.getByTestId('fix-option').evaluateAll((els) => els.map((e) => [e.getAttribute('data-fix'), e.getAttribute('data-fits')]));
    expect(fixes).toEqual([
      ['halve-batch', 'no'],
      ['zero3', 'no'],
      ['zero3-offload', 'no'],
      ['halve-batch+zero3-offload', 'no'],
    ]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('after a CUDA out-of-memory, the run page makes a variant with half the batch: a new task differing only in those keys', async () => {
    const path = example('support-lora.yaml', 'support-oom');
    const { tasks } = await api.call('tasks.import', { paths: [path] });
    const task = tasks[0]!;
    const snap = await api.call('gpus.list', {});
    await api.call('board.enqueue', { taskId: task.id, lane: `gpu:${snap.gpus[1]!.uuid}` });
    const failed = await waitUntil(
      'the run to fail with an OOM',
      async () => (await api.call('runs.list', {})).find((r) => r.taskId === task.id && r.status === 'failed' && r.failure?.kind === 'oom'),
      120_000,
    );
    // An early OOM puts the item back once (its retry fails the same way): wait until the board has nothing of it left.
    await waitUntil('the board to settle', async () => {
      const active = (await api.call('board.get', {})).queue.filter((q) => q.taskId === task.id);
      for (const q of active) if (q.state === 'queued') await api.call('board.cancel', { itemId: q.id }).catch(() => undefined);
      return active.length === 0;
    }, 120_000);

    await page.goto(`${serve.url.split('#')[0]}#/runs/${failed.id}`);
    await page.getByTestId('oom-fixes').waitFor({ timeout: 15_000 });
    await page.getByTestId('oom-fixes-open').click();
    const dialog = page.getByTestId('fixes-dialog');
    const halve = dialog.locator('[data-testid="fix-option"][data-fix="halve-batch"]');
    await halve.waitFor();
    // The run filled the H100 although the estimate said it fits: the dialog says the estimates were scaled to that.
    await dialog.getByTestId('fix-oom-scaled').waitFor();
    expect(await halve.innerText()).toContain('per_device_train_batch_size: 4 · gradient_accumulation_steps: 2');
    await shot('advice-oom-fixes-en');
    await halve.getByTestId('fix-create').click();
    const made = await waitUntil('the variant task', async () => (await api.call('tasks.list', {})).find((t: Task) => t.name === 'support-oom-bs4-ga2'));
    const before = task.yaml.split('\n');
    const after = made.yaml.split('\n');
    expect(after.filter((l) => !before.includes(l)).sort()).toEqual(['gradient_accumulation_steps: 2', 'per_device_train_batch_size: 4']);
    expect(before.filter((l) => !after.includes(l)).sort()).toEqual(['gradient_accumulation_steps: 1', 'per_device_train_batch_size: 8']);
    expect(made.yaml).toContain('# Online-shop customer service');
    await page.keyboard.press('Escape');
  });

  it('reads in Chinese', async () => {
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('run-page').waitFor();
    await page.getByTestId('oom-fixes-open').click();
    const dialog = page.getByTestId('fixes-dialog');
    await dialog.locator('[data-fix="halve-batch"]').getByText('批大小减半，梯度累积加倍（有效批大小不变）').waitFor();
    await shot('advice-oom-fixes-zh');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-board').click();
    const warnings = taskCard('support-bf16').getByTestId('hw-warnings');
    await warnings.waitFor();
    expect(await warnings.innerText()).toContain('需要计算能力 8.0 及以上');
    expect(await taskCard('big70').getByTestId('fix-verdict').innerText()).toContain('即使用上所有优化也放不进');
    // The two cards side by side, without the toasts of the earlier steps over them.
    const both = page.locator('[data-testid="task-card"][data-task="support-bf16"], [data-testid="task-card"][data-task="big70"]');
    await both.first().scrollIntoViewIfNeeded();
    mkdirSync(docShots, { recursive: true });
    await page.getByTestId('task-library').screenshot({ path: join(docShots, 'advice-hardware-zh.png') });
    await api.call('settings.update', { language: 'en' });
  });
});
