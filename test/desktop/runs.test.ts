/** The built desktop app runs jobs: out/main under a stand-in Electron, driven over its MessagePort like the window — finish, stop, and a run that survives SIGKILL of main. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Methods, Topics } from '../../src/shared/contract/index.js';
import type { RpcClient } from '../../src/shared/rpc/client.js';
import type { Run } from '../../src/shared/types/run.js';
import type { Task } from '../../src/shared/types/task.js';
import { repoRoot } from '../helpers/fixtures.js';
import { assertDesktopBuilt, killRuns, openDesktop, type DesktopApp } from './desktopApp.js';
import { demoEnv, demoSetup, endOf, runOn, smallTask, waitFor } from './runHelpers.js';

type Api = RpcClient<Methods, Topics>;

let app: DesktopApp;
let api: Api;
let examples: Task[];
let lanes: string[];
const apps: DesktopApp[] = [];

beforeAll(async () => {
  assertDesktopBuilt();
  app = await openDesktop({ env: demoEnv }, apps);
  api = await app.connect();
  ({ examples, lanes } = await demoSetup(api));
}, 120_000);

afterAll(async () => {
  api?.close();
  for (const a of apps) {
    await a.kill('SIGKILL');
    killRuns(a.dataDir);
  }
  for (const dir of new Set(apps.map((a) => a.dataDir))) rmSync(dir, { recursive: true, force: true });
});

describe('the desktop bundle under a stand-in Electron', () => {
  it('opens a hardened window on the built renderer and preload', () => {
    const win = app.calls.find((c) => c.api === 'BrowserWindow')!.args[0] as { webPreferences: Record<string, unknown> };
    expect(win.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(win.webPreferences.preload).toBe(join(repoRoot, 'out', 'preload', 'index.cjs'));
    expect(app.calls.find((c) => c.api === 'BrowserWindow.preloadMissing')).toBeUndefined();
    expect(app.calls.find((c) => c.api === 'BrowserWindow.loadFile')!.args).toEqual([join(repoRoot, 'out', 'renderer', 'index.html'), true]);
    expect(app.calls.some((c) => c.api === 'session.onHeadersReceived')).toBe(true);
  });

  it('reports the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect((await api.call('system.info', {})).version).toBe(pkg.version);
  });

  it('imports the demo tasks and runs one on a GPU lane to the end, with its metrics', async () => {
    expect(examples.length).toBeGreaterThan(2);
    expect(lanes.length).toBe(2);
    const task = await smallTask(api, examples, 'desk-finish', 6);
    const runId = await runOn(api, task, lanes[0]!);
    const run = await endOf(api, runId, 180_000);
    expect(run.status, run.failure?.message.text).toBe('finished');
    expect(run.exitCode).toBe(0);
    expect(run.gpuUuids).toEqual([lanes[0]!.slice(4)]);
    const points = await api.call('runs.metrics', { id: runId });
    expect(points.filter((p) => p.loss != null).length).toBeGreaterThan(0);
  }, 240_000);

  it('stops a second run on request', async () => {
    const task = await smallTask(api, examples, 'desk-stop', 400);
    const runId = await runOn(api, task, lanes[0]!);
    await waitFor('it to train', async () => ((await api.call('runs.get', { id: runId })).progress?.step ?? 0) > 0, 120_000);
    await api.call('runs.stop', { id: runId });
    const run = await endOf(api, runId, 120_000);
    expect(run.status).toBe('stopped');
  }, 240_000);

  it('keeps a third run through a SIGKILL of main, and the next main adopts it with its whole log', async () => {
    const task = await smallTask(api, examples, 'desk-kill', 60, { logging_steps: 5 });
    const runId = await runOn(api, task, lanes[1]!);
    const started = await waitFor('it to train', async () => {
      const r = await api.call('runs.get', { id: runId });
      return (r.progress?.step ?? 0) > 0 && r;
    }, 120_000);
    const holder = JSON.parse(readFileSync(join(started.runDir, 'holder.json'), 'utf8')) as { holderPid: number };

    await app.kill('SIGKILL');
    process.kill(holder.holderPid, 0); // throws if the holder died with main
    expect(existsSync(join(started.runDir, 'exit.json'))).toBe(false);

    app = await openDesktop({ dataDir: app.dataDir, env: demoEnv }, apps);
    api = await app.connect();
    const adopted = await api.call('runs.get', { id: runId });
    expect(['running', 'finished']).toContain(adopted.status);
    const run: Run = await endOf(api, runId, 180_000);
    expect(run.status, run.failure?.message.text).toBe('finished');
    const log = readFileSync(join(run.runDir, 'console.log'), 'utf8');
    // Every logged step is in the log exactly once (no gap, no repeat around the restart), up to the last one: the HF
    // dict once and, because runs set LLAMABOARD_ENABLED, LogCallback's short line once (train/callbacks.py:301-307).
    expect(log.match(/^\s*\{'loss': /gm)?.length).toBe(60 / 5);
    expect(log.match(/callbacks:\d+ >> \{'loss': /g)?.length).toBe(60 / 5);
    expect(log).toContain('60/60');
    expect(log).toContain('***** train metrics *****');
    const points = await api.call('runs.metrics', { id: runId });
    expect(points.filter((p) => p.loss != null).map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * 5));
  }, 360_000);

  it('used no Electron API the stand-in lacks', () => {
    expect(apps.flatMap((a) => a.missing)).toEqual([]);
  });
});
