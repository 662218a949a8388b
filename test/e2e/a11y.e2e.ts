/**
 * WCAG 2.2 AA on the four pages people live in (Board, Run, Compare, Chat), in English and Chinese, light and dark:
 * axe-core must report no serious or critical violation. The page's CSP forbids injected scripts, so axe is evaluated
 * through the DevTools protocol (a context that bypasses CSP, as a browser extension would).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, openApp, screenshot, type ServeProcess, tearDown, waitUntil } from './harness.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;
let runId: string;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; any: { message: string }[] }[];
}

/** The serious and critical violations on the page now, as one readable line each (empty when the page passes). */
async function violations(): Promise<string[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return r.violations;
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} (${n.any[0]?.message ?? ''})`).join(' | ')}`);
}

beforeAll(async () => {
  ({ serve, api, browser, page } = await openApp({
    fakeGpus: '2:NVIDIA H100 80GB HBM3:81559',
    setup: async (api) => {
      const tasks = await api.call('tasks.loadExamples', {});
      await api.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
      runId = (await waitUntil('a run', async () => (await api.call('runs.list', {}))[0], 60_000)).id;
    },
    context: { bypassCSP: true },
  }));
});
afterAll(() => tearDown({ first: async () => runId && api?.call('runs.stop', { id: runId }), api, browser, serves: [serve] }));

const pages: [string, () => Promise<void>][] = [
  ['board', async () => {
    await page.getByTestId('nav-board').click();
    await page.getByTestId('board-view').waitFor();
    await page.getByTestId('task-card').first().waitFor();
  }],
  ['run', async () => {
    await page.getByTestId('nav-runs').click();
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).click();
    await page.getByTestId('run-page').waitFor();
    await page.getByTestId('run-terminal-panel').waitFor();
  }],
  ['compare', async () => {
    await page.getByTestId('nav-compare').click();
    await page.getByTestId('compare-view').waitFor();
  }],
  ['chat', async () => {
    await page.getByTestId('nav-chat').click();
    await page.getByTestId('chat-view').waitFor();
  }],
];

describe('accessibility (axe-core, WCAG 2.2 AA)', () => {
  for (const [lang, theme] of [['en', 'light'], ['zh', 'dark']] as const) {
    for (const [name, open] of pages) {
      it(`${name} has no serious or critical violation (${lang}, ${theme})`, async () => {
        await api.call('settings.update', { language: lang, theme });
        await open();
        const found = await violations();
        if (found.length) await screenshot(page, `a11y-${name}-${lang}`);
        expect(found).toEqual([]);
      });
    }
  }
});
