/**
 * Remote engines in the real UI: a local `serve` with two boxes (two more `serve` engines), one added through
 * Settings → Remote engines, the other over the contract; the board shows a group per box with its cards and a queued
 * item; SIGKILL of one engine greys only that box as unreachable. Screenshots in en and zh (docs/screenshots).
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { connectApi, launchBrowser, screenshot, type ServeProcess, startServe, tearDown, waitUntil } from './harness.js';
import { portableTaskYaml } from '../helpers/portableTask.js';

const smi = join(repoRoot, 'test/fixtures/bin/nvidia-smi');
const docShots = join(repoRoot, 'docs', 'screenshots');
const taskYaml = portableTaskYaml();

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical WCAG 2.2 AA violations on the page now (as in a11y.e2e.ts: axe through a CSP-bypassing context). */
async function violations(): Promise<string[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[]; any: { message: string }[] }[] }[] }> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations;
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} (${n.any[0]?.message ?? ''})`).join(' | ')}`);
}

let local: ServeProcess;
let a: ServeProcess;
let b: ServeProcess;
let browser: Browser;
let page: Page;
let api: Awaited<ReturnType<typeof connectApi>>;

async function shot(name: string): Promise<void> {
  mkdirSync(docShots, { recursive: true });
  copyFileSync(await screenshot(page, name), join(docShots, `${name}.png`));
}

beforeAll(async () => {
  [local, a, b] = await Promise.all([
    startServe({ env: { TRAINYARD_NVIDIA_SMI: smi, FAKE_GPUS: '1:NVIDIA RTX 4090:24564' } }),
    startServe({ env: { TRAINYARD_NVIDIA_SMI: smi, FAKE_GPUS: '2' } }),
    startServe({ env: { TRAINYARD_NVIDIA_SMI: smi, FAKE_GPUS: '1:NVIDIA H200:143771' } }),
  ]);
  api = await connectApi(local);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, bypassCSP: true })).newPage();
  await page.goto(local.url);
});
afterAll(() => tearDown({ api, browser, serves: [local, a, b] }));

describe('remote engines in the UI', () => {
  it('adds a box in Settings, shows each box as a group on the board, and greys only the killed one', async () => {
    await page.getByTestId('nav-settings').click();
    await page.locator('#remote-name').fill('box-a');
    await page.locator('#remote-url').fill(`http://127.0.0.1:${a.port}`);
    await page.locator('#remote-token').fill(a.token);
    await page.getByTestId('remote-add').click();
    await page.locator('[data-testid="remote-box-a"][data-state="reachable"]').waitFor({ timeout: 60_000 });
    await api.call('remotes.add', { name: 'box-b', url: `http://127.0.0.1:${b.port}`, token: b.token });
    await page.locator('[data-testid="remote-box-b"][data-state="reachable"]').waitFor({ timeout: 60_000 });
    // The token is not on the page (the input was cleared, no list entry shows it).
    expect(await page.content()).not.toContain(a.token);

    // A waiting item on box-a's first card, queued from the task's "Add to lane…" menu: the lane is paused there
    // (proxied), so the item stays queued on the box.
    const board = await api.call('board.get', {});
    const laneA = board.lanes.map((l) => l.id).find((id) => id.startsWith('box-a/gpu:'))!;
    await api.call('board.pauseLane', { lane: laneA, paused: true });
    const { tasks } = await api.call('tasks.import', { files: [{ name: 'support-remote.yaml', content: taskYaml }] });
    expect(tasks[0]?.ok, JSON.stringify(tasks[0]?.issues)).toBe(true);

    await page.getByTestId('nav-board').click();
    await page.locator('[data-testid="box-box-a"][data-state="reachable"]').waitFor();
    await page.locator('[data-testid="box-box-b"][data-state="reachable"]').waitFor();
    const card = page.getByTestId('task-card').and(page.locator('[data-task="support-remote"]'));
    await card.getByTestId('task-add').click();
    // box-b's card is offered too; box-a's first card says it is paused there.
    await card.getByTestId(`add-to-${board.lanes.map((l) => l.id).find((id) => id.startsWith('box-b/gpu:'))}`).waitFor();
    await card.getByTestId(`add-to-${laneA}`).click();
    const item = await waitUntil('the item on box-a', async () => (await api.call('remotes.list', {})).find((x) => x.name === 'box-a')?.queue.find((q) => q.taskName === 'support-remote'));
    expect(item.lane).toBe(laneA);
    await page.getByTestId(`remote-item-${item.id}`).waitFor();
    expect(await page.getByTestId('box-box-a').locator('.remote-lane').count()).toBe(2);
    expect(await page.getByTestId('box-box-b').locator('.remote-lane').count()).toBe(1);

    await b.stop('SIGKILL');
    await page.locator('[data-testid="box-box-b"][data-state="unreachable"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('box-box-a').getAttribute('data-state')).toBe('reachable');
    await page.getByTestId('box-note-box-b').waitFor();
    await page.getByTestId('box-box-a').scrollIntoViewIfNeeded();
    await shot('remotes-board-en');
    expect(await violations()).toEqual([]);

    await api.call('settings.update', { language: 'zh' });
    await page.getByTestId('box-box-b').getByText('无法连接').first().waitFor();
    await shot('remotes-board-zh');
    await page.getByTestId('nav-settings').click();
    await page.locator('[data-testid="remote-box-b"][data-state="unreachable"]').waitFor();
    await page.getByTestId('settings-remotes').scrollIntoViewIfNeeded();
    await shot('remotes-settings-zh');
    await api.call('settings.update', { language: 'en' });
    await page.getByTestId('settings-remotes').getByText('unreachable').first().waitFor();
    await shot('remotes-settings-en');
    await api.call('settings.update', { theme: 'dark' });
    expect(await violations()).toEqual([]);
    await page.getByTestId('nav-board').click();
    await page.locator('[data-testid="box-box-b"][data-state="unreachable"]').waitFor();
    expect(await violations()).toEqual([]);
    await api.call('settings.update', { theme: 'system' });
    await waitUntil('the item still queued on box-a', async () => (await api.call('remotes.list', {})).find((x) => x.name === 'box-a')?.queue.some((q) => q.id === item.id));
  });

  it("opens a box's run from the runs list: its status, terminal and loss curve come from the box, and Stop goes there", async () => {
    // Box A runs the scripted stand-in trainer (torch is not needed): slow enough to watch, it saves and stops on SIGABRT.
    const tmp = mkdtempSync(join(tmpdir(), 'ty-remote-run-'));
    const cli = join(tmp, 'llamafactory-cli');
    writeFileSync(cli, `#!/bin/sh\ncfg="$2.scripted.yaml"\n{ cat "$2"; printf 'lines: 4000\\nevery: 2\\nsleep_ms: 100\\n'; } > "$cfg"\nexec "${process.execPath}" "${join(repoRoot, 'test/fixtures/trainers/scripted.mjs')}" "$1" "$cfg"\n`);
    chmodSync(cli, 0o755);
    const apiA = await connectApi(a);
    await apiA.call('settings.update', { trainer: { kind: 'llamafactory', llamafactoryCli: cli } });
    apiA.close();
    const { tasks } = await api.call('tasks.import', { files: [{ name: 'remote-run.yaml', content: `${taskYaml}output_dir: ${join(tmp, 'out')}\n` }] });
    const board = await api.call('board.get', {});
    const lane = board.lanes.map((l) => l.id).filter((id) => id.startsWith('box-a/gpu:'))[1]!;
    await api.call('board.enqueue', { taskId: tasks[0]!.id, lane });
    const run = await waitUntil('the run on box-a', async () => (await api.call('runs.list', {})).find((r) => r.name === 'remote-run' && r.status === 'running'));
    expect(run.id).toMatch(/^box-a\//);

    await page.getByTestId('nav-runs').click();
    const row = page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`);
    await row.locator('[data-status="running"]').waitFor({ timeout: 60_000 });
    expect(await row.getByTestId('run-box').innerText()).toBe('box-a');
    await row.click();
    await page.getByTestId('run-page').waitFor();
    await waitUntil('the trainer in the terminal', async () => /scripted trainer train/.test(await page.locator('[data-testid="run-terminal"] .xterm-rows').innerText()));
    await waitUntil('loss points from the box', async () => Number(await page.getByTestId('chart-loss').getAttribute('data-points')) >= 2, 60_000);
    await page.getByTestId('run-stop').click();
    await page.getByTestId('run-stop-yes').click();
    await waitUntil('the run stopped on box-a', async () => (await page.getByTestId('run-header').getByTestId('run-status').getAttribute('data-status')) === 'stopped', 60_000);
  });
});
