/** e2e of one task on two cards from the board: select cards 0 and 1, drop the task, and the run gets both cards, torchrun and its own MASTER_PORT. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, openApp, screenshot, type ServeProcess, tearDown, waitUntil } from './harness.js';
import { portableExample } from '../helpers/portableTask.js';

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;
let runId: string | undefined;
const outRoot = mkdtempSync(join(tmpdir(), 'trainyard-multigpu-out-'));

const card = (index: number): Locator => page.locator(`[data-testid="gpu-card"][data-index="${index}"]`);

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({
    fakeGpus: '4',
    // Slow steps keep the run alive while both lanes are checked.
    stepDelayMs: 150,
    setup: async (api) => {
      const yaml = portableExample('support-lora.yaml', join(outRoot, 'support'));
      await api.call('tasks.import', { files: [{ name: 'support.yaml', content: yaml }] });
    },
  }));
});
afterAll(() => tearDown({ first: async () => runId && api?.call('runs.stop', { id: runId }), api, browser, serves: [serve] }));

describe('multi-GPU from the board', () => {
  it('puts one task on cards 0 and 1: CUDA_VISIBLE_DEVICES=0,1, FORCE_TORCHRUN=1, its own MASTER_PORT, on both lanes', async () => {
    await expect.poll(() => page.getByTestId('gpu-card').count(), { timeout: 15_000 }).toBe(4);
    // Shift-click picks cards; the task's "Add to" menu then offers the selection.
    await card(0).getByTestId('gpu-head').click({ modifiers: ['Shift'] });
    await card(1).getByTestId('gpu-head').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('[data-testid="gpu-head"][aria-pressed="true"]').count()).toBe(2);
    const task = page.getByTestId('task-card').and(page.locator('[data-task="support"]'));
    await task.getByTestId('task-add').click();
    await task.getByTestId('add-to-selection').click();

    const item = await waitUntil('the two-card item to run', async () => {
      const board = await api.call('board.get', {});
      return board.queue.find((q) => q.state === 'running' && q.runId);
    });
    runId = item.runId!;
    expect(item.gpuCount).toBe(2);
    const run = await api.call('runs.get', { id: runId });
    expect(run.env.CUDA_VISIBLE_DEVICES).toBe('0,1');
    // LLaMA-Factory relaunches under torchrun when FORCE_TORCHRUN is set or it counts more than one device
    // (launcher.py:60-62 at ff6d4d1): set it explicitly so the count never decides.
    expect(run.env.FORCE_TORCHRUN).toBe('1');
    expect(Number(run.env.MASTER_PORT)).toBeGreaterThanOrEqual(29500);
    expect(run.gpuIndices).toEqual([0, 1]);
    // The trainer process really got that environment (the record is not just what was meant).
    const pid = await waitUntil('the trainer pid', async () => (await api.call('runs.get', { id: runId! })).pid, 60_000);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('CUDA_VISIBLE_DEVICES=0,1');
    expect(environ).toContain('FORCE_TORCHRUN=1');
    expect(environ).toContain(`MASTER_PORT=${run.env.MASTER_PORT}`);

    for (const i of [0, 1]) {
      await card(i).getByTestId('queue-item').and(page.locator('[data-state="running"]')).waitFor({ timeout: 15_000 });
    }
    expect(await card(2).getByTestId('queue-item').count()).toBe(0);
    await screenshot(page, 'board-multi-gpu-en');
  });

  it('a second run on two other cards gets another MASTER_PORT', async () => {
    const tasks = await api.call('tasks.list', {});
    const snap = await api.call('gpus.list', {});
    const uuid = (i: number) => snap.gpus.find((g) => g.index === i)!.uuid;
    await api.call('board.enqueue', { taskId: tasks[0]!.id, lane: `gpu:${uuid(2)}`, gpuUuids: [uuid(3)] });
    const second = await waitUntil('the second two-card run', async () => {
      const board = await api.call('board.get', {});
      return board.queue.find((q) => q.state === 'running' && q.runId && q.runId !== runId);
    });
    const [a, b] = await Promise.all([api.call('runs.get', { id: runId! }), api.call('runs.get', { id: second.runId! })]);
    expect(b.env.CUDA_VISIBLE_DEVICES).toBe('2,3');
    expect(b.env.MASTER_PORT).not.toBe(a.env.MASTER_PORT);
    await api.call('runs.stop', { id: second.runId! });
  });
});
