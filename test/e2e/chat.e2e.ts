/** e2e of chat: finish two demo runs, chat with one (answer streams in), side by side with both, close the chat and the server process is gone. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { alive } from '../helpers/process.js';
import { type Api, openApp, screenshot, type ServeProcess, tearDown, waitUntil } from './harness.js';

const examples = join(repoRoot, 'resources', 'examples');
const outRoot = mkdtempSync(join(tmpdir(), 'trainyard-chat-out-'));
const shipped = join(repoRoot, 'resources', 'trainers', 'demo', 'base-model');
const spotCheck = join(examples, 'data', 'spot-check.jsonl');
/** How often this file's waits probe the engine. */
const pollMs = 200;

let serve: ServeProcess;
let browser: Browser;
let page: Page;
let api: Api;
let baseModel = shipped;

function config(name: string, epochs: number): string {
  return readFileSync(join(examples, 'support-lora.yaml'), 'utf8')
    .replace(/^model_name_or_path: .+$/m, `model_name_or_path: ${baseModel}`)
    .replace(/^dataset_dir: (.+)$/m, (_m, p: string) => `dataset_dir: ${join(examples, p.trim())}`)
    .replace(/^output_dir: .+$/m, `output_dir: ${join(outRoot, name)}`)
    .replace(/^num_train_epochs: .+$/m, `num_train_epochs: ${epochs}`);
}

async function trainRun(name: string, epochs: number): Promise<string> {
  // By path: a task imported by content runs in <data>/tasks, which the engine does not create yet (reported).
  const file = join(outRoot, `${name}.yaml`);
  writeFileSync(file, config(name, epochs));
  const { tasks } = await api.call('tasks.import', { paths: [file] });
  expect(tasks[0]?.ok).toBe(true);
  await api.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
  const run = await waitUntil('the run to start', async () => (await api.call('runs.list', {})).find((r) => r.taskId === tasks[0]!.id), 120_000, pollMs);
  const ended = await waitUntil('the run to finish', async () => {
    const r = await api.call('runs.get', { id: run.id });
    return ['finished', 'failed', 'stopped', 'lost'].includes(r.status) ? r : null;
  }, 900_000, pollMs);
  expect(ended.status).toBe('finished');
  return ended.name;
}

beforeAll(async () => {
  // The shipped base model is the demo trainer's deliverable; without it, pretrain a tiny one (answers are then noise).
  if (!existsSync(join(shipped, 'config.json'))) {
    baseModel = join(outRoot, 'base-model');
    execFileSync('/usr/bin/python3', [join(repoRoot, 'resources/trainers/demo/pretrain.py'), '--steps', '4', '--out', baseModel], { stdio: 'ignore' });
  }
  // The first test opens the page once its run has finished.
  ({ serve, api, browser, page } = await openApp({ viewport: { width: 1440, height: 960 }, load: false }));
}, 900_000);
afterAll(() =>
  tearDown({
    first: async () => {
      for (const s of (await api?.call('chat.servers', {}).catch(() => [])) ?? []) await api.call('chat.stopServer', { serverId: s.id }).catch(() => undefined);
    },
    api,
    browser,
    serves: [serve],
  }),
);

describe('chat', () => {
  let first = '';
  let second = '';

  it('chats with a finished run: the server loads, the answer streams in', async () => {
    first = await trainRun('chat-a', 1);
    await page.goto(serve.url);
    await page.getByTestId('nav-chat').click();
    const row = page.locator(`[data-testid="chat-run"][data-run-name="${first}"]`);
    await row.getByTestId('chat-run-open').click();
    await page.locator('[data-testid="chat-server-status"][data-status="ready"]').waitFor({ timeout: 300_000 });
    await screenshot(page, 'chat-ready-en');

    const spot = JSON.parse(readFileSync(spotCheck, 'utf8').split('\n')[0]!) as { prompt: string; expected: string };
    await page.getByTestId('chat-input').fill(spot.prompt);
    // Count the distinct partial texts the answer shows before it is done.
    // Runs in the page (node's lib has no DOM types, hence the loose typing).
    await page.evaluate(() => {
      const g = globalThis as unknown as { __partials: string[]; document: { body: unknown; querySelector(s: string): { textContent: string | null } | null }; MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void } };
      g.__partials = [];
      new g.MutationObserver(() => {
        const el = g.document.querySelector('[data-testid="chat-msg-assistant"][data-status="streaming"] [data-testid="chat-msg-body"]');
        const text = el?.textContent ?? '';
        if (text && g.__partials.at(-1) !== text) g.__partials.push(text);
      }).observe(g.document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('chat-send').click();
    const done = page.locator('[data-testid="chat-msg-assistant"][data-status="done"]');
    await done.waitFor({ timeout: 120_000 });
    const partials = await page.evaluate(() => (globalThis as unknown as { __partials: string[] }).__partials);
    expect(partials.length).toBeGreaterThanOrEqual(2);
    const answer = await done.getByTestId('chat-msg-body').innerText();
    expect(answer.length).toBeGreaterThan(0);
    // Each piece is shown once: every partial text is the start of the final answer (a doubled subscription
    // appended each piece twice: "Yo" → "YoYo").
    const flat = (t: string) => t.replace(/\s+/g, ' ').trim();
    for (const p of partials) expect(flat(answer).startsWith(flat(p)), `partial "${p}" of "${answer}"`).toBe(true);
    if (baseModel === shipped) expect(answer.toLowerCase()).toContain(spot.expected.toLowerCase());
    expect(await done.getByTestId('chat-msg-stats').innerText()).toMatch(/tok\/s/);
    await screenshot(page, 'chat-answer-en');
  }, 900_000);

  it('side by side with a second run: two answers with their figures', async () => {
    second = await trainRun('chat-b', 1);
    await page.locator(`[data-testid="chat-run"][data-run-name="${first}"]`).getByTestId('chat-run-pick').check();
    await page.locator(`[data-testid="chat-run"][data-run-name="${second}"]`).getByTestId('chat-run-pick').check();
    await page.getByTestId('chat-tab-compare').click();
    await page.getByTestId('compare-input').fill('Is shipping free?');
    await page.getByTestId('compare-run').click();
    const cols = page.getByTestId('compare-column');
    await expect.poll(() => cols.count()).toBe(2);
    await page.getByTestId('compare-vote').waitFor({ timeout: 300_000 });
    for (const i of [0, 1]) expect(await cols.nth(i).getByTestId('chat-msg-stats').innerText()).toMatch(/tok\/s/);
    await screenshot(page, 'chat-side-by-side-en');
    await page.getByTestId('compare-vote-A').click();
    await page.getByTestId('compare-vote').filter({ hasText: 'saved' }).waitFor();
    const votes = await api.call('chat.votes', {});
    expect(votes.reduce((n, v) => n + v.wins, 0)).toBe(1);
    expect(votes.reduce((n, v) => n + v.losses, 0)).toBe(1);
  }, 900_000);

  it('lists chat servers apart from training runs; the run list searches and sorts', async () => {
    const servers = await api.call('chat.servers', {});
    expect(servers.length).toBeGreaterThan(0);
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('runs-table').waitFor();
    const rowIds = async () => page.locator('[data-testid="run-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id')));
    // Training runs only by default: a chat server is not a training run.
    const training = await rowIds();
    for (const s of servers) expect(training).not.toContain(s.id);
    expect(training.length).toBeGreaterThanOrEqual(2);
    await page.getByTestId('runs-kind-api').click();
    await expect.poll(rowIds).toContain(servers[0]!.id);
    await page.getByTestId('runs-kind-train').click();
    await page.getByTestId('runs-search').fill(second);
    await expect.poll(async () => (await rowIds()).length).toBe(1);
    await page.getByTestId('runs-search').fill('');
    await page.getByTestId('runs-sort-name').click();
    const names = await page.locator('[data-testid="run-row"] .run-name').allInnerTexts();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
    await screenshot(page, 'runs-list-en');
    await page.getByTestId('nav-chat').click();
  }, 120_000);

  it('shows the servers in Chinese, then closing the chat stops its server process', async () => {
    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('chat-tab-servers').click();
    await page.getByTestId('server-card').first().waitFor();
    await screenshot(page, 'chat-servers-zh');
    await api.call('settings.update', { language: 'en' });
    const servers = await api.call('chat.servers', {});
    const runs = await api.call('runs.list', { includeApi: true });
    const target = servers.find((s) => s.runName === first)!;
    const pid = runs.find((r) => r.id === target.id)!.pid;
    expect(alive(pid)).toBe(true);
    await page.getByTestId('chat-tab-chat').click();
    await page.getByTestId('chat-close').click();
    await waitUntil('the server run to end', async () => {
      const r = await api.call('runs.get', { id: target.id });
      return ['stopped', 'finished', 'failed'].includes(r.status);
    }, 60_000, pollMs);
    await waitUntil('the server process to exit', async () => !alive(pid), 30_000, pollMs);
  }, 180_000);
});
