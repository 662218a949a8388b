/** What desktop users expect of the window (through the stand-in Electron): one instance, remembered bounds, taskbar counts, "Show in folder", a close that says runs keep going. */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Methods, Topics } from '../../src/shared/contract/index.js';
import type { RpcClient } from '../../src/shared/rpc/client.js';
import type { Run } from '../../src/shared/types/run.js';
import type { Task } from '../../src/shared/types/task.js';
import { assertDesktopBuilt, killRuns, launchDesktop, openDesktop, type Call, type DesktopApp } from './desktopApp.js';
import { demoEnv, demoSetup, endOf, runOn, smallTask, waitFor } from './runHelpers.js';

type Api = RpcClient<Methods, Topics>;

const dataDir = mkdtempSync(join(tmpdir(), 'ty-shell-'));
const apps: DesktopApp[] = [];
let app: DesktopApp;
let api: Api;
let examples: Task[];
let lanes: string[];
let live: Run;

const start = () => openDesktop({ dataDir, env: demoEnv }, apps);
const windowOptions = (a: DesktopApp) => a.calls.find((c) => c.api === 'BrowserWindow')!.args[0] as Record<string, unknown>;
const after = (a: DesktopApp, n: number) => (c: Call) => a.calls.indexOf(c) >= n;

beforeAll(async () => {
  assertDesktopBuilt();
  app = await start();
  api = await app.connect();
  ({ examples, lanes } = await demoSetup(api));
}, 120_000);

afterAll(async () => {
  for (const a of apps) await a.kill('SIGKILL');
  killRuns(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the desktop window', () => {
  it('brings the running window forward on a second launch, which then quits without an engine of its own', async () => {
    const second = launchDesktop({ dataDir, env: demoEnv });
    apps.push(second);
    expect((await second.exited).code).toBe(0);
    expect(second.calls.some((c) => c.api === 'BrowserWindow')).toBe(false);
    await app.waitForCall('BrowserWindow.focus');
  });

  it('blocks navigation and new windows', async () => {
    app.window('navigate', { url: 'https://example.com/' });
    const r = await app.next('navigated');
    expect(r).toMatchObject({ prevented: true, open: 'deny' });
    // A link opens in the system browser instead.
    await app.waitForCall('shell.openExternal', (c) => c.args[0] === 'https://example.com/');
  });

  it('shows running and queued runs on the taskbar: badge, progress bar, title', async () => {
    await api.call('board.pauseLane', { lane: lanes[0]!, paused: true });
    const waiting = await smallTask(api, examples, 'shell-waiting', 4);
    await api.call('board.enqueue', { taskId: waiting.id, lane: lanes[0]! });
    const task = await smallTask(api, examples, 'shell-live', 400);
    const n = app.calls.length;
    const runId = await runOn(api, task, lanes[1]!);
    live = await waitFor('it to train', async () => {
      const r = await api.call('runs.get', { id: runId });
      return (r.progress?.step ?? 0) > 0 && r;
    }, 120_000);
    await app.waitForCall('app.setBadgeCount', (c) => c.args[0] === 2 && after(app, n)(c));
    await app.waitForCall('BrowserWindow.setTitle', (c) => String(c.args[0]).includes('1 running · 1 queued'));
    await app.waitForCall('BrowserWindow.setProgressBar', (c) => typeof c.args[0] === 'number' && c.args[0] >= 0 && c.args[0] <= 1 && after(app, n)(c));
  }, 240_000);

  it('shows a run’s folders in the file manager, and nothing outside runs', async () => {
    const out = realpathSync(live.outputDir!);
    await app.invoke('trainyard:openPath', live.outputDir);
    await app.waitForCall('shell.openPath', (c) => c.args[0] === out);
    const file = await waitFor('a file in the output folder', async () => existsSync(join(out, 'trainer_log.jsonl')) && join(out, 'trainer_log.jsonl'), 120_000);
    await app.invoke('trainyard:openPath', file);
    await app.waitForCall('shell.showItemInFolder', (c) => c.args[0] === file);
    await expect(app.invoke('trainyard:openPath', '/etc')).rejects.toThrow('not part of a Trainyard run');
    await expect(app.invoke('trainyard:openPath', 'relative/path')).rejects.toThrow('absolute');
    expect(app.calls.filter((c) => /^shell\.(openPath|showItemInFolder)$/.test(c.api)).map((c) => c.args[0])).toEqual([out, file]);
  }, 180_000);

  it('remembers where the window was, and says once that closing it leaves runs training', async () => {
    app.window('setBounds', { x: 100, y: 120, width: 1200, height: 800 });
    const state = join(dataDir, 'desktop.json');
    await waitFor('desktop.json', async () => existsSync(state) && readFileSync(state, 'utf8').includes('"width": 1200'));
    app.window('close');
    const notice = await app.waitForCall('dialog.showMessageBox');
    expect((notice.args[0] as { detail: string }).detail).toContain('1 run is still training');
    expect((await app.exited).code).toBe(0);

    app = await start();
    expect(windowOptions(app)).toMatchObject({ x: 100, y: 120, width: 1200, height: 800 });
    api = await app.connect();
    expect((await api.call('runs.get', { id: live.id })).status).toBe('running');
    app.window('close');
    expect((await app.exited).code).toBe(0);
    expect(app.calls.some((c) => c.api === 'dialog.showMessageBox')).toBe(false);
  }, 180_000);

  it('opens centred when the remembered place is on no screen any more', async () => {
    writeFileSync(join(dataDir, 'desktop.json'), JSON.stringify({ window: { x: 4000, y: 3000, width: 1200, height: 800, maximized: false }, closeNoticeShown: true }));
    app = await start();
    expect(windowOptions(app)).toMatchObject({ width: 1440, height: 900 });
    expect(windowOptions(app).x).toBeUndefined();
    api = await app.connect();
    await api.call('runs.stop', { id: live.id });
    expect((await endOf(api, live.id, 120_000)).status).toBe('stopped');
    await app.waitForCall('BrowserWindow.setProgressBar', (c) => c.args[0] === -1);
  }, 180_000);

  it('used no Electron API the stand-in lacks', () => {
    expect(apps.flatMap((a) => a.missing)).toEqual([]);
  });
});
