/**
 * The packaged app (electron-builder's own --dir layout from electron-builder.yml: app.asar, app.asar.unpacked,
 * resources/) runs jobs, and its runs outlive the app's folder: an AppImage that unmounts, an upgrade that replaces it.
 */
import asar from '@electron/asar';
import { cpSync, existsSync, mkdtempSync, readFileSync, readlinkSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopRuntime } from '../../src/main/desktopRuntime.js';
import type { Methods, Topics } from '../../src/shared/contract/index.js';
import type { RpcClient } from '../../src/shared/rpc/client.js';
import { repoRoot } from '../helpers/fixtures.js';
import { assertDesktopBuilt, killRuns, launchDesktop, openDesktop, type DesktopApp } from './desktopApp.js';
import { packageApp, type PackagedApp } from './packageApp.js';
import { demoEnv, demoSetup, endOf, runOn, smallTask, waitFor } from './runHelpers.js';

type Api = RpcClient<Methods, Topics>;

const work = mkdtempSync(join(tmpdir(), 'ty-pkg-'));
let pkg: PackagedApp;
const dataDir = mkdtempSync(join(tmpdir(), 'ty-pkgdata-'));
const apps: DesktopApp[] = [];
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** Starts main from a packaged app's own executable (a copy of Node here), as the desktop entry would. */
async function start(p: PackagedApp, env: NodeJS.ProcessEnv = {}): Promise<{ app: DesktopApp; api: Api }> {
  const app = await openDesktop({ exec: p.exec, appPath: p.asar, dataDir, env: { ...demoEnv, ...env } }, apps);
  return { app, api: await app.connect() };
}

/** Every file a live holder runs, maps or has open: it must need nothing from the app's folder. */
function holderFiles(pid: number): string[] {
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .split('\n')
    .map((l) => l.slice(l.indexOf('/')))
    .filter((p) => p.startsWith('/'));
  return [readlinkSync(`/proc/${pid}/exe`), ...readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a.startsWith('/')), ...maps];
}

beforeAll(async () => {
  assertDesktopBuilt();
  pkg = await packageApp(work);
}, 600_000);

afterAll(async () => {
  for (const a of apps) await a.kill('SIGKILL');
  killRuns(dataDir);
  // The package and the data folder's copy of its executable are ~100 MB each.
  rmSync(work, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the packaged layout', () => {
  it('has every file a separate process runs or a native loader opens as a real file outside app.asar', () => {
    for (const electron of [true, false]) {
      const rt = desktopRuntime({ appPath: pkg.asar, version, resourcesPath: pkg.resources, execPath: pkg.exec, electron, env: {} });
      const real = [
        join(rt.holderDir, 'holder.mjs'),
        join(rt.holderDir, 'logWriter.mjs'),
        join(rt.nodePtyDir, 'package.json'),
        join(rt.nodePtyDir, 'lib', 'index.js'),
        join(rt.nodePtyDir, 'build', 'Release', 'pty.node'),
        join(rt.resourcesDir, 'trainers', 'demo', 'llamafactory_demo.py'),
        join(rt.resourcesDir, 'llamafactory', 'keys.json'),
        join(rt.resourcesDir, 'examples', 'support-lora.yaml'),
        rt.sqliteBinding!,
      ];
      for (const f of real) {
        expect(f.includes(`app.asar${sep}`), f).toBe(false);
        expect(existsSync(f) && statSync(f).isFile(), `${f} is packaged as a real file`).toBe(true);
      }
      // The window's files are read by Electron itself and may stay inside the archive.
      for (const inner of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
        expect(() => asar.statFile(pkg.asar, inner), inner).not.toThrow();
      }
    }
  });

  it('runs a job from the packaged app, and its runs outlive the app folder going away', async () => {
    // Started like an AppImage: its folder is a mount that disappears when the app exits.
    const first = await start(pkg, { APPIMAGE: join(work, 'Trainyard.AppImage'), APPDIR: pkg.dir });
    const { examples, lanes } = await demoSetup(first.api);
    // Examples are imported from the data folder's copy: their folder outlives this install (a new mount point each launch).
    expect(examples[0]!.workDir.startsWith(join(dataDir, 'resources') + sep)).toBe(true);

    const quick = await smallTask(first.api, examples, 'pkg-quick', 4);
    const quickId = await runOn(first.api, quick, lanes[0]!);
    const quickRun = await endOf(first.api, quickId, 180_000);
    expect(quickRun.status, quickRun.failure?.message.text).toBe('finished');

    const long = await smallTask(first.api, examples, 'pkg-outlives', 150, { logging_steps: 10 });
    const runId = await runOn(first.api, long, lanes[1]!);
    const run = await waitFor('it to train', async () => {
      const r = await first.api.call('runs.get', { id: runId });
      return (r.progress?.step ?? 0) > 0 && r;
    }, 120_000);
    const { holderPid } = JSON.parse(readFileSync(join(run.runDir, 'holder.json'), 'utf8')) as { holderPid: number };
    const used = holderFiles(holderPid);
    expect(used.filter((f) => f.startsWith(pkg.dir + sep))).toEqual([]);
    expect(used[0]!.startsWith(join(dataDir, 'runtime') + sep)).toBe(true);

    // An upgrade puts the new version elsewhere; the app closes (the AppImage unmounts), its folder goes away.
    const next: PackagedApp = { dir: `${pkg.dir}-next`, exec: '', asar: '', resources: '' };
    cpSync(pkg.dir, next.dir, { recursive: true });
    Object.assign(next, { exec: join(next.dir, 'trainyard'), asar: join(next.dir, 'resources', 'app.asar'), resources: join(next.dir, 'resources') });
    first.app.window('close');
    const notice = await first.app.waitForCall('dialog.showMessageBox');
    expect(JSON.stringify(notice.args)).toContain('keep');
    expect((await first.app.exited).code).toBe(0);
    renameSync(pkg.dir, `${pkg.dir}-old`);
    rmSync(`${pkg.dir}-old`, { recursive: true, force: true });
    process.kill(holderPid, 0); // throws if the holder died with its app's folder
    expect(existsSync(join(run.runDir, 'exit.json'))).toBe(false);

    // The new version's engine (installed like a deb: run in place) adopts the live run and sees it end.
    const second = await start(next);
    const adopted = await second.api.call('runs.get', { id: runId });
    expect(adopted.status).toBe('running');
    const ended = await endOf(second.api, runId, 240_000);
    expect(ended.status, ended.failure?.message.text).toBe('finished');
    const log = readFileSync(join(ended.runDir, 'console.log'), 'utf8');
    expect(log.match(/^\s*\{'loss': /gm)?.length).toBe(150 / 10); // the HF dict; LogCallback's short line is not counted
    expect(log.match(/callbacks:\d+ >> \{'loss': /g)?.length).toBe(150 / 10);
    expect(log).toContain('***** train metrics *****');

    // And it runs new jobs itself, from its own folder.
    const again = await smallTask(second.api, examples, 'pkg-next', 4);
    const againId = await runOn(second.api, again, lanes[0]!);
    expect((await endOf(second.api, againId, 180_000)).status).toBe('finished');
    await second.app.kill('SIGTERM');

    // A package without its SQLite driver says what is wrong instead of failing somewhere later.
    rmSync(join(next.resources, 'native'), { recursive: true });
    const broken = launchDesktop({ exec: next.exec, appPath: next.asar, dataDir, env: demoEnv });
    apps.push(broken);
    const error = await broken.waitForCall('dialog.showErrorBox');
    expect(String(error.args[1])).toMatch(/better_sqlite3\.node[\s\S]*reinstall Trainyard/);
    expect((await broken.exited).code).toBe(1);
    expect(apps.flatMap((a) => a.missing)).toEqual([]);
  }, 600_000);
});
