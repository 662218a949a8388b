/** e2e of dragging config files from the file manager onto a GPU card (browser path: contents): the overlay states the limits, and one gesture imports and queues them on that card. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { type Api, openApp, screenshot, type ServeProcess, tearDown, waitUntil } from './harness.js';
import { portableExample } from '../helpers/portableTask.js';

/** The few browser globals the page script uses (this file is type-checked without the DOM library). */
interface PageGlobals {
  document: { querySelector(s: string): { dispatchEvent(e: unknown): boolean } | null };
  DataTransfer: new () => { items: { add(f: unknown): void } };
  File: new (parts: string[], name: string, opts: { type: string }) => unknown;
  DragEvent: new (type: string, init: Record<string, unknown>) => unknown;
}

const examples = join(repoRoot, 'resources', 'examples');
const outRoot = mkdtempSync(join(tmpdir(), 'trainyard-drop-out-'));
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;

/** The support example with absolute paths (a dropped file's content has no folder of its own) and few steps. */
const supportYaml = (out: string) =>
  portableExample('support-lora.yaml', join(outRoot, out)).replace(/^output_dir: .+$/m, (line) => `${line}\nmax_steps: 4`);

const card = (index: number): Locator => page.locator(`[data-testid="gpu-card"][data-index="${index}"]`);

/** What a file manager delivers: real File objects in a DataTransfer, dragged over `selector` and dropped there. */
async function dropFiles(selector: string, files: { name: string; content: string }[], release = true): Promise<void> {
  await page.evaluate(
    ({ selector, files, release }) => {
      const g = globalThis as unknown as PageGlobals;
      const dt = new g.DataTransfer();
      for (const f of files) dt.items.add(new g.File([f.content], f.name, { type: 'application/x-yaml' }));
      const target = g.document.querySelector(selector)!;
      for (const type of release ? ['dragenter', 'dragover', 'drop'] : ['dragenter', 'dragover']) {
        target.dispatchEvent(new g.DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    },
    { selector, files, release },
  );
}

const tasksNamed = async (name: string) => (await api.call('tasks.list', {})).filter((t) => t.name === name);

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({ fakeGpus: '2', viewport: { width: 1440, height: 960 } }));
  await card(1).waitFor();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await screenshot(page, `file-drop-failed-${ctx.task.name.replace(/\W+/g, '-').slice(0, 40)}`);
});
afterAll(() =>
  tearDown({
    first: async () => {
      for (const r of (await api?.call('runs.list', {}).catch(() => [])) ?? []) await api.call('runs.stop', { id: r.id }).catch(() => undefined);
    },
    api,
    browser,
    serves: [serve],
  }),
);

describe('config files dropped on a GPU card', () => {
  it('highlights the card under the files and says a drop there also queues', async () => {
    await dropFiles('[data-testid="gpu-card"][data-index="1"]', [{ name: 'hover.yaml', content: supportYaml('hover') }], false);
    await expect.poll(() => card(1).getAttribute('class')).toContain('drag-over');
    await page.getByTestId('file-drop-overlay').getByText('Drop on a GPU card to queue them there too').waitFor();
    // The limits the import enforces (tasks.import: 2 MB a file, 500 files), said before the drop, in both languages.
    expect(await page.getByTestId('file-drop-limits').innerText()).toBe('YAML or JSON configs, up to 2 MB each and 500 at a time.');
    await screenshot(page, 'file-drop-over-card');
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('file-drop-limits').filter({ hasText: 'YAML 或 JSON 配置，每个不超过 2 MB，一次最多 500 个。' }).waitFor();
    await api.call('settings.update', { language: 'en' });
    await page.getByTestId('file-drop-limits').filter({ hasText: 'up to 2 MB each' }).waitFor();
    await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals & { document: { body: { dispatchEvent(e: unknown): boolean } } };
      g.document.body.dispatchEvent(new g.DragEvent('drop', { bubbles: true, cancelable: true }));
    });
  });

  it('imports the task once and queues it on that card, where it runs', async () => {
    const lane = await card(1).getAttribute('data-lane');
    await dropFiles('[data-testid="gpu-card"][data-index="1"]', [{ name: 'dropped-support.yaml', content: supportYaml('dropped') }]);
    const item = await waitUntil('a queue item for the dropped task', async () => {
      const [task] = await tasksNamed('dropped-support');
      return task && (await api.call('board.get', {})).queue.find((q) => q.taskId === task.id);
    });
    expect(item.lane).toBe(lane);
    await page.getByTestId('toast').filter({ hasText: 'Imported and queued 1 on this card' }).waitFor();
    const runId = await waitUntil('its run', async () => (await api.call('board.get', {})).queue.find((q) => q.id === item.id)?.runId, 60_000);
    expect((await api.call('runs.get', { id: runId })).gpuUuids).toEqual([lane!.slice('gpu:'.length)]);
    // The window-wide drop did not import it a second time.
    expect(await tasksNamed('dropped-support')).toHaveLength(1);
  });

  it('imports a broken config dropped on a card but does not queue it, and says why', async () => {
    await dropFiles('[data-testid="gpu-card"][data-index="0"]', [{ name: 'broken-drop.yaml', content: readFileSync(join(examples, 'broken-config.yaml'), 'utf8') }]);
    await page.getByTestId('toast').filter({ hasText: 'not queued' }).filter({ hasText: 'broken-drop' }).waitFor();
    const [task] = await tasksNamed('broken-drop');
    expect(task?.ok).toBe(false);
    expect((await api.call('board.get', {})).queue.some((q) => q.taskId === task!.id)).toBe(false);
  });

  it('still only imports files dropped anywhere else on the window', async () => {
    await dropFiles('body', [{ name: 'library-only.yaml', content: supportYaml('library') }]);
    await page.getByTestId('import-result').filter({ hasText: 'Imported 1' }).waitFor();
    const [task] = await tasksNamed('library-only');
    expect(task).toBeTruthy();
    expect((await api.call('board.get', {})).queue.some((q) => q.taskId === task!.id)).toBe(false);
  });
});
