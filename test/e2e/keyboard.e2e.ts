/** e2e of the board by keyboard (queueing, tab stops, dialog focus, menus on screen) and of drag states (cancel, auto-scroll, no layout jump). */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { type Api, artifactsDir, connectApi, engineEnv, openApp, screenshot, type ServeProcess, startServe, tearDown, waitUntil } from './harness.js';

/** The few browser globals the page scripts use (this file is type-checked without the DOM library). */
interface El {
  tagName: string;
  closest(s: string): El | null;
  getAttribute(n: string): string | null;
  dispatchEvent(e: unknown): boolean;
}
interface PageGlobals {
  document: { activeElement: El | null; querySelector(s: string): El | null };
  DataTransfer: new () => unknown;
  DragEvent: new (type: string, init: Record<string, unknown>) => unknown;
}

const shots = join(repoRoot, 'docs', 'screenshots');
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;

const card = (p: Page, index: number): Locator => p.locator(`[data-testid="gpu-card"][data-index="${index}"]`);
const taskCard = (name: string): Locator => page.getByTestId('task-card').and(page.locator(`[data-task="${name}"]`));

/** What has the focus: its test id (or tag), the task card it is in, and whether it is inside a dialog. */
function focused(p: Page = page): Promise<{ testId: string; task: string | null; inDialog: boolean; inChart: boolean; label: string | null } | null> {
  return p.evaluate(() => {
    const e = (globalThis as unknown as PageGlobals).document.activeElement;
    if (!e) return null;
    return {
      testId: e.getAttribute('data-testid') ?? e.tagName.toLowerCase(),
      task: e.closest('[data-testid="task-card"]')?.getAttribute('data-task') ?? null,
      inDialog: !!e.closest('[role="dialog"]'),
      inChart: !!e.closest('.sparkline, .memory-bar, svg'),
      label: e.getAttribute('aria-label'),
    };
  });
}

function copyShot(name: string): void {
  mkdirSync(shots, { recursive: true });
  copyFileSync(join(artifactsDir, `${name}.png`), join(shots, `${name}.png`));
}

/**
 * Starts a real HTML5 drag of a task (Chromium, through playwright) and moves the pointer to the middle of `target`,
 * nudging it there (as a hand would) until the target shows the drag: a loaded machine can drop a dragover.
 */
async function dragOver(p: Page, from: Locator, target: Locator): Promise<void> {
  await from.locator('.task-name').hover();
  await p.mouse.down();
  const box = (await target.boundingBox())!;
  await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 6 });
  let nudge = 0;
  await waitUntil('the drag over the target', async () => {
    if ((await target.locator('xpath=self::*[contains(@class, "drag-over")]').count()) > 0) return true;
    await p.mouse.move(box.x + box.width / 2 + (nudge++ % 2 ? 2 : -2), box.y + box.height / 2);
    return false;
  }, 10_000);
}

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({
    fakeGpus: '4:NVIDIA H100 80GB HBM3:81559',
    // Slow steps keep the one run of the Stop test alive while it is asked about.
    stepDelayMs: 300,
    setup: async (api) => {
      await api.call('tasks.loadExamples', {});
      // Card 2 is paused, so what the keyboard queues there waits in its lane instead of starting a trainer.
      const gpus = await waitUntil('4 GPUs', async () => { const g = (await api.call('gpus.list', {})).gpus; return g.length === 4 && g; }, 15_000);
      await api.call('board.pauseLane', { lane: `gpu:${gpus.find((g) => g.index === 2)!.uuid}`, paused: true });
    },
  }));
  await card(page, 3).waitFor({ timeout: 15_000 });
  await page.getByTestId('task-card').first().waitFor();
});
afterAll(() => tearDown({ api, browser, serves: [serve] }));

describe('keyboard', () => {
  it('queues a task on GPU card 2 in at most 8 key presses', async () => {
    const first = (await page.getByTestId('task-card').first().getAttribute('data-task'))!;
    let presses = 0;
    const press = async (key: string) => {
      presses++;
      await page.keyboard.press(key);
    };
    // A keyboard user: Tab (taking the skip link to the tasks when it is offered) to the first task's queue menu,
    // open it, arrow down to card 2, Enter.
    for (;;) {
      await press('Tab');
      const f = await focused();
      if (f?.testId === 'skip-to-tasks') await press('Enter');
      else if (f?.testId === 'task-add') break;
      if (presses > 60) throw new Error('Tab never reached a task’s queue menu');
    }
    const add = await focused();
    expect(add?.task).toBe(first);
    await press('Enter');
    for (;;) {
      const f = await focused();
      if (f?.testId === 'add-to-gpu-2') break;
      if (presses > 80) throw new Error('the menu has no GPU 2 entry');
      await press('ArrowDown');
    }
    await screenshot(page, 'board-queue-on-en');
    copyShot('board-queue-on-en');
    await press('Enter');
    await card(page, 2).getByTestId('queue-item').and(page.locator(`[data-task="${first}"]`)).waitFor({ timeout: 10_000 });
    expect(presses).toBeLessThanOrEqual(8);
    // The menu button's accessible name says which task it queues (every card has one).
    expect(add?.label ?? '').toContain(first);
    // Focus is back on the control that opened the menu, ready for the next task.
    expect((await focused())?.testId).toBe('task-add');
  });

  it('shows the queue menu in Chinese too', async () => {
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('nav-board').filter({ hasText: '看板' }).waitFor();
    // The item queued on paused card 2 says why it waits in Chinese too (the scheduler's note is a Message).
    await card(page, 2).getByTestId('queue-note').filter({ hasText: '该队列已暂停' }).waitFor({ timeout: 10_000 });
    const second = page.getByTestId('task-card').nth(1);
    await second.getByTestId('task-add').focus();
    expect(await second.getByTestId('task-add').getAttribute('aria-label')).toMatch(/^加入队列…（.+）$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('add-to-gpu-1').waitFor();
    await page.keyboard.press('ArrowDown');
    await screenshot(page, 'board-queue-on-zh');
    copyShot('board-queue-on-zh');
    await page.keyboard.press('Escape');
    expect((await focused())?.testId).toBe('task-add');
    await api.call('settings.update', { language: 'en' });
    await page.getByTestId('nav-board').filter({ hasText: 'Board' }).waitFor();
  });

  it('never stops Tab on a sparkline or another decorative chart of a card', async () => {
    await card(page, 0).locator('.sparkline svg').waitFor({ timeout: 20_000 });
    // From the navigation over the whole board, until the focus leaves the page or comes round again.
    await page.getByTestId('nav-board').focus();
    const seen: string[] = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      if (!f || f.testId === 'body' || f.testId === 'nav-board') break;
      expect(f.inChart, `tab stop ${i + 1} (${f.testId}) is in a chart`).toBe(false);
      seen.push(f.testId);
    }
    // The walk went over the cards (it is not vacuous).
    expect(seen).toContain('gpu-head');
    expect(await page.locator('.sparkline [tabindex], .sparkline a, .sparkline button').count()).toBe(0);
  });

  const dialogs: [string, string, string][] = [
    ['clone', 'task-clone', 'clone-dialog'],
    ['sweep', 'task-sweep', 'sweep-dialog'],
    ['memory fixes', 'task-fixes', 'fixes-dialog'],
    ['config editor', 'task-editor', 'config-editor'],
  ];
  for (const [what, item, dialogId] of dialogs) {
    it(`keeps focus inside the ${what} dialog, closes it with Escape and returns focus to its opener`, async () => {
      const name = (await page.getByTestId('task-card').first().getAttribute('data-task'))!;
      const opener = taskCard(name).getByTestId('task-actions');
      await opener.focus();
      await page.keyboard.press('Enter');
      await page.getByTestId(item).waitFor();
      while ((await focused())?.testId !== item) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId(dialogId);
      await dialog.waitFor({ timeout: 15_000 });
      await waitUntil('focus inside the dialog', async () => (await focused())?.inDialog, 5_000, 50);
      // Round the dialog both ways, further than it has controls: focus never leaves it.
      const stops = await dialog.locator('button, input, textarea, select, [tabindex="0"], [contenteditable="true"]').count();
      for (const key of ['Tab', 'Shift+Tab']) {
        for (let i = 0; i < stops + 2; i++) {
          await page.keyboard.press(key);
          expect((await focused())?.inDialog, `${key} ×${i + 1} left the dialog`).toBe(true);
        }
      }
      // The editor's own Escape (closing a completion list) is not the dialog's: leave its text first.
      if (dialogId === 'config-editor') await dialog.getByRole('button', { name: 'Close' }).first().focus();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      const f = await focused();
      expect(f?.testId).toBe('task-actions');
      expect(f?.task).toBe(name);
    });
  }

  it('returns focus to the card title after its detail panel closes', async () => {
    const head = card(page, 1).getByTestId('gpu-head');
    await head.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('gpu-detail').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('gpu-detail').waitFor({ state: 'detached' });
    const f = await focused();
    expect(f?.testId).toBe('gpu-head');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.closest('[data-index]')?.getAttribute('data-index'))).toBe('1');
  });

  it('opens menus near the window’s bottom-right corner and beside its left column fully visible, without scrolling the page', async () => {
    await page.setViewportSize({ width: 1100, height: 600 });
    try {
      const triggers: [string, Locator][] = [
        // In the task library's column, on the window's bottom edge.
        ['task-add', page.getByTestId('task-add').last()],
        ['task-actions', page.getByTestId('task-actions').last()],
        // A waiting item's "Move to…" on card 2 (queued by the first test), in the column next to the sidebar.
        ['queue-move', card(page, 2).getByTestId('queue-move').first()],
      ];
      for (const [what, trigger] of triggers) {
        await trigger.evaluate((e) => (e as unknown as { scrollIntoView(o: unknown): void }).scrollIntoView({ block: 'end' }));
        const tb = (await trigger.boundingBox())!;
        expect(tb.y + tb.height, what).toBeGreaterThan(600 - 60);
        await trigger.focus();
        await page.keyboard.press('Enter');
        const menu = page.getByRole('menu');
        await menu.waitFor();
        // Opening it did not scroll the page: the button is where the user left it.
        expect(await trigger.boundingBox(), `${what} moved`).toEqual(tb);
        const box = (await menu.boundingBox())!;
        expect(box.x, what).toBeGreaterThanOrEqual(0);
        expect(box.y, what).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, what).toBeLessThanOrEqual(1100);
        expect(box.y + box.height, what).toBeLessThanOrEqual(600);
        // In the window is not enough: its corners are what the page shows there (not clipped by a scroll area).
        const hidden = await menu.evaluate((m) => {
          const g = globalThis as unknown as { document: { elementFromPoint(x: number, y: number): El | null } };
          const r = (m as unknown as { getBoundingClientRect(): { left: number; top: number; right: number; bottom: number } }).getBoundingClientRect();
          const corners: [number, number][] = [[r.left + 3, r.top + 3], [r.right - 3, r.top + 3], [r.left + 3, r.bottom - 3], [r.right - 3, r.bottom - 3]];
          return corners.filter(([x, y]) => !g.document.elementFromPoint(x, y)?.closest('[role="menu"]')).map(([x, y]) => `${Math.round(x)},${Math.round(y)}`);
        });
        expect(hidden, `${what}: corners not showing the menu`).toEqual([]);
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'detached' });
        expect((await focused())?.testId).toBe(what);
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

});

describe('drag', () => {
  it('does not move the other cards while a task hovers card 1', async () => {
    await page.locator('.content').evaluate((e) => ((e as unknown as { scrollTop: number }).scrollTop = 0));
    const name = (await page.getByTestId('task-card').first().getAttribute('data-task'))!;
    // Where a card is (its live figures may change its height a little while the test runs: not its place).
    const place = async (i: number) => {
      const b = (await card(page, i).boundingBox())!;
      return { x: b.x, y: b.y };
    };
    const before3 = await place(3);
    const before1 = await place(1);
    await dragOver(page, taskCard(name), card(page, 1));
    await card(page, 1)
      .getByTestId('fit-hint')
      .and(page.locator('[data-fits="yes"]'))
      .waitFor({ timeout: 20_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, 'keyboard-drag-hover-failed');
        throw e;
      });
    expect(await place(3)).toEqual(before3);
    // Nor the target itself: it stays where the pointer is.
    expect(await place(1)).toEqual(before1);
    // And its hint lies inside the card's box.
    const hint = (await card(page, 1).getByTestId('fit-hint').boundingBox())!;
    const box1 = (await card(page, 1).boundingBox())!;
    expect(hint.y + hint.height).toBeLessThanOrEqual(box1.y + box1.height);
    await screenshot(page, 'board-drag-hover');
    copyShot('board-drag-hover');
    await page.keyboard.press('Escape');
  });

  it('clears the drag highlight when the drag is cancelled with Escape', async () => {
    const name = (await page.getByTestId('task-card').first().getAttribute('data-task'))!;
    await dragOver(page, taskCard(name), card(page, 1));
    await card(page, 1).and(page.locator('.drag-over')).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.lane.drag-over').count(), { timeout: 5_000 }).toBe(0);
    expect(await page.getByTestId('fit-hint').count()).toBe(0);
    await page.mouse.up();
  });

  it('clears the drag highlight after a dragend without a drop', async () => {
    const name = (await page.getByTestId('task-card').first().getAttribute('data-task'))!;
    // The events a drag that ends elsewhere sends (no dragleave: the pointer was last over the card).
    await page.evaluate((task) => {
      const g = globalThis as unknown as PageGlobals;
      const source = g.document.querySelector(`[data-testid="task-card"][data-task="${task}"]`)!;
      const target = g.document.querySelector('[data-testid="gpu-card"][data-index="1"] [data-testid="gpu-head"]')!;
      const dataTransfer = new g.DataTransfer();
      source.dispatchEvent(new g.DragEvent('dragstart', { dataTransfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new g.DragEvent('dragenter', { dataTransfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new g.DragEvent('dragover', { dataTransfer, bubbles: true, cancelable: true }));
    }, name);
    await card(page, 1).and(page.locator('.drag-over')).waitFor({ timeout: 5_000 });
    await page.evaluate((task) => {
      const g = globalThis as unknown as PageGlobals;
      const source = g.document.querySelector(`[data-testid="task-card"][data-task="${task}"]`)!;
      source.dispatchEvent(new g.DragEvent('dragend', { dataTransfer: new g.DataTransfer(), bubbles: true }));
    }, name);
    await expect.poll(() => page.locator('.lane.drag-over').count(), { timeout: 5_000 }).toBe(0);
    expect(await page.getByTestId('fit-hint').count()).toBe(0);
  });

  it('scrolls a long lane list while a drag rests near its bottom or top edge (8 cards)', async () => {
    const eight = await startServe({ env: engineEnv({ fakeGpus: '8:NVIDIA H200:143771' }) });
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      const api8 = await connectApi(eight);
      await api8.call('settings.update', { trainer: { kind: 'demo' } });
      await api8.call('tasks.loadExamples', {});
      api8.close();
      await p.goto(eight.url);
      await p.getByTestId('task-card').first().waitFor();
      // Eight cards open as a table; the cards view is the long one.
      await p.getByTestId('gpu-view-cards').click();
      await expect.poll(() => p.getByTestId('gpu-card').count(), { timeout: 15_000 }).toBe(8);
      const content = p.locator('.content');
      const scrollTop = () => content.evaluate((e) => (e as unknown as { scrollTop: number }).scrollTop);
      const area = (await content.boundingBox())!;
      const lanes = (await p.getByTestId('lanes').boundingBox())!;
      expect(lanes.y + lanes.height).toBeGreaterThan(area.y + area.height + 100);
      expect(await scrollTop()).toBe(0);

      await dragOver(p, p.getByTestId('task-card').first(), card(p, 0));
      // Rest near the bottom edge, over the lanes: the list scrolls without the pointer moving.
      await p.mouse.move(lanes.x + lanes.width / 2, area.y + area.height - 12, { steps: 4 });
      const down = await waitUntil('the lanes to scroll down', async () => {
        const s = await scrollTop();
        return s > 150 && s;
      }, 10_000, 100);
      // And back near the top edge.
      await p.mouse.move(lanes.x + lanes.width / 2, area.y + 12, { steps: 4 });
      await waitUntil('the lanes to scroll up', async () => (await scrollTop()) < down - 100, 10_000, 100);
      // In the middle it stops.
      await p.mouse.move(lanes.x + lanes.width / 2, area.y + area.height / 2, { steps: 2 });
      let prev = -1;
      await waitUntil('the scrolling to stop', async () => {
        const s = await scrollTop();
        const same = s === prev;
        prev = s;
        return same;
      }, 5_000, 300);
      await p.keyboard.press('Escape');
      await p.mouse.up();
    } finally {
      await p.close();
      await eight.stop();
    }
  });
});

// Last: the run it stops leaves a toast in the corner, which the screenshots above should not show.
describe('stop confirmations', () => {
  it('asks before stopping a run (board and run page): focus on the question, Escape takes it back to Stop', async () => {
    const tasks = await api.call('tasks.list', {});
    const gpus = (await api.call('gpus.list', {})).gpus;
    const task = tasks.find((tk) => tk.name === 'support-lora')!;
    await api.call('board.enqueue', { taskId: task.id, lane: `gpu:${gpus.find((g) => g.index === 0)!.uuid}` });
    const item = await waitUntil('the run to start', async () => (await api.call('board.get', {})).queue.find((q) => q.taskId === task.id && q.state === 'running' && q.runId), 60_000);
    try {
      // The board: the running item's Stop turns into its confirmation in place.
      const stop = card(page, 0).getByTestId('queue-item').and(page.locator('[data-state="running"]')).getByTestId('queue-cancel');
      await stop.focus();
      await page.keyboard.press('Enter');
      await waitUntil('the board’s confirmation focused', async () => (await focused())?.testId === 'queue-confirm-stop', 5_000, 50);
      await page.keyboard.press('Escape');
      await waitUntil('Stop again, focused', async () => (await focused())?.testId === 'queue-cancel', 5_000, 50);

      // The run page: the question replaces the actions.
      await page.getByTestId('nav-runs').click();
      await page.locator(`[data-testid="run-row"][data-run-id="${item.runId}"]`).click();
      await page.getByTestId('run-stop').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('run-stop-confirm').waitFor();
      expect((await focused())?.testId).toBe('run-stop-no');
      await page.keyboard.press('Escape');
      await page.getByTestId('run-stop-confirm').waitFor({ state: 'detached' });
      expect((await focused())?.testId).toBe('run-stop');
      // Answered by the keyboard too: Tab to "Stop", Enter; the focus lands on the actions again, not the page's start.
      await page.keyboard.press('Enter');
      await page.keyboard.press('Shift+Tab');
      expect((await focused())?.testId).toBe('run-stop-yes');
      await page.keyboard.press('Enter');
      await page.getByTestId('run-stop-confirm').waitFor({ state: 'detached', timeout: 30_000 });
      expect(await page.evaluate(() => !!(globalThis as unknown as PageGlobals).document.activeElement?.closest('.run-actions'))).toBe(true);
    } finally {
      await api.call('runs.stop', { id: item.runId! }).catch(() => undefined);
      // Its trainer gone before the drag tests, which a busy CPU slows down.
      await waitUntil('the run to end', async () => ['finished', 'failed', 'stopped'].includes((await api.call('runs.get', { id: item.runId! })).status), 60_000);
      await page.getByTestId('nav-board').click();
      await page.getByTestId('board-view').waitFor();
    }
  });
});
