/** Runtime files: the holder copy runs start from, resources that never move, the SQLite driver per runtime, and a holder that cannot start saying why at once. */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import type { CoreContext } from '../../src/core/context.js';
import { dataPaths } from '../../src/core/paths.js';
import { useHolderLaunch } from '../../src/core/runs/holderProcess.js';
import { createRunsDomain } from '../../src/core/runs/runsDomain.js';
import { installHolderRuntime, installResources, pruneHolderRuntimes } from '../../src/core/runtimeInstall.js';
import type { RuntimePaths } from '../../src/core/runtimePaths.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';
import { openDb } from '../../src/core/store/db.js';
import { sqliteBindingFor, sqliteDriverHint } from '../../src/main/desktopRuntime.js';
import { defaultSettings } from '../../src/shared/types/settings.js';
import { repoRoot } from '../helpers/fixtures.js';

const made: string[] = [];
const tmp = (p: string) => {
  const dir = mkdtempSync(join(tmpdir(), p));
  made.push(dir);
  return dir;
};
const sleepers: number[] = [];
afterAll(() => {
  for (const pid of sleepers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already ended by its test.
    }
  }
  // One of them holds copies of the Node binary (~100 MB each).
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A runtime like the source tree's, with its own copy of the holder folder so a test can change it. */
function ownRuntime(): RuntimePaths {
  const rt = sourceTreeRuntime();
  const holderDir = join(tmp('ty-holder-'), 'holder');
  cpSync(rt.holderDir, holderDir, { recursive: true });
  return { ...rt, holderDir };
}

describe('the holder copy in the data folder', () => {
  it('is made once per version and content, loads node-pty with its runtime, and old copies go when unused', () => {
    const rt = ownRuntime();
    const data = tmp('ty-rt-');
    const a = installHolderRuntime(rt, data);
    expect(a.problem).toBeNull();
    expect(a.dir.startsWith(join(data, 'runtime', `${rt.version}-`))).toBe(true);
    for (const r of a.required) expect(existsSync(r.path), r.what).toBe(true);
    expect(readdirSync(join(a.dir, 'node_modules', 'node-pty', 'build', 'Release'))).toContain('pty.node');
    expect(installHolderRuntime(rt, data).dir).toBe(a.dir);

    writeFileSync(join(rt.holderDir, 'holder.mjs'), readFileSync(join(rt.holderDir, 'holder.mjs'), 'utf8') + '\n// changed\n');
    const b = installHolderRuntime(rt, data);
    expect(b.dir).not.toBe(a.dir);
    // A live holder of the old copy keeps it; once nothing runs from it, it is removed.
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', join(a.dir, 'holder', 'holder.mjs')], { stdio: 'ignore' });
    sleepers.push(sleeper.pid!);
    pruneHolderRuntimes(data, b.dir);
    expect(existsSync(a.dir)).toBe(true);
    sleeper.kill('SIGKILL');
    return new Promise<void>((done) =>
      sleeper.once('exit', () => {
        pruneHolderRuntimes(data, b.dir);
        expect(existsSync(a.dir)).toBe(false);
        expect(existsSync(b.dir)).toBe(true);
        done();
      }),
    );
  });

  it('copies the runtime itself when its folder can vanish (AppImage), and checks the copy runs', () => {
    const rt = ownRuntime();
    const exeDir = tmp('ty-exe-');
    cpSync(process.execPath, join(exeDir, 'trainyard'));
    const l = installHolderRuntime({ ...rt, holderNode: { execPath: join(exeDir, 'trainyard'), env: {}, copyWith: ['icudtl.dat'] } }, tmp('ty-rt-'));
    expect(l.problem).toBeNull();
    expect(l.execPath).toBe(join(l.dir, 'node', 'trainyard'));
    expect(statSync(l.execPath).mode & 0o111).not.toBe(0);
  });

  it('names the problem when the runtime cannot run', () => {
    const notExecutable = join(tmp('ty-exe-'), 'node');
    writeFileSync(notExecutable, 'not a program');
    chmodSync(notExecutable, 0o644);
    const l = installHolderRuntime({ ...ownRuntime(), holderNode: { execPath: notExecutable, env: {}, copyWith: null } }, tmp('ty-rt-'));
    expect(l.problem).toMatch(/could not be run: .*EACCES/);
  });
});

describe('a holder that cannot start', () => {
  function supervisorWith(launch: (dataDir: string) => ReturnType<typeof installHolderRuntime>) {
    const dataDir = tmp('ty-');
    const paths = dataPaths(dataDir);
    const ctx: CoreContext = { db: openDb(paths.dbFile), paths, bus: new EventBus(), host: 'serve', runtime: sourceTreeRuntime(), resourcesDir: join(repoRoot, 'resources'), settings: () => defaultSettings, env: process.env };
    useHolderLaunch(paths.runsDir, launch(dataDir));
    // Without the early report the launch would wait this long for the holder before calling the run lost.
    const runs = createRunsDomain(ctx, { commandFor: (_s, cfg) => [process.execPath, '-e', 'console.log(1)', cfg], holderStartMs: 600_000 });
    const spec = { name: 'x', kind: 'train' as const, taskId: null, sweepId: null, parentRunId: null, configYaml: 'a: 1\n', workDir: dataDir, gpuIndices: [], gpuUuids: [], estimateMiB: null };
    return { launch: () => runs.supervisor.launch(spec), close: () => (runs.supervisor.shutdown(), ctx.db.close()) };
  }

  it('fails the run at once when a file it needs is missing, naming the file', async () => {
    const s = supervisorWith((d) => {
      const l = installHolderRuntime(ownRuntime(), d);
      return { ...l, required: [...l.required, { path: join(l.dir, 'gone', 'pty.node'), what: "node-pty's native module" }] };
    });
    const run = await s.launch();
    s.close();
    expect(run.status).toBe('failed');
    expect(run.failure?.message.text).toMatch(/node-pty's native module is missing: .*gone\/pty\.node/);
  });

  it('fails the run at once with what the holder printed when it dies before starting the trainer', async () => {
    const s = supervisorWith((d) => {
      const l = installHolderRuntime(ownRuntime(), d);
      writeFileSync(join(l.dir, 'holder', 'holder.mjs'), "throw new Error('the holder broke at start');\n");
      return l;
    });
    const run = await s.launch();
    s.close();
    expect(run.status).toBe('failed');
    expect(run.failure?.message.text).toMatch(/stopped before it started the trainer \(exit code 1\): [\s\S]*the holder broke at start/);
    expect(readFileSync(join(run.runDir, 'holder.log'), 'utf8')).toContain('the holder broke at start');
  });
});

describe('resources in the data folder', () => {
  it('are copied once, replaced by rename when the install changes, and pruned of what it no longer ships', () => {
    const from = tmp('ty-res-');
    mkdirSync(join(from, 'examples', '__pycache__'), { recursive: true });
    mkdirSync(join(from, 'build'));
    writeFileSync(join(from, 'examples', 'a.yaml'), 'a: 1\n');
    writeFileSync(join(from, 'examples', 'old.yaml'), 'old: 1\n');
    writeFileSync(join(from, 'examples', '__pycache__', 'x.pyc'), 'cache');
    writeFileSync(join(from, 'build', 'icon.svg'), '<svg/>');
    const data = tmp('ty-data-');
    const to = installResources(from, data);
    expect(to).toBe(join(data, 'resources'));
    expect(readFileSync(join(to, 'examples', 'a.yaml'), 'utf8')).toBe('a: 1\n');
    expect(existsSync(join(to, 'examples', '__pycache__'))).toBe(false);
    expect(existsSync(join(to, 'build'))).toBe(false);
    const inode = statSync(join(to, 'examples', 'a.yaml')).ino;
    writeFileSync(join(to, 'examples', 'mine.yaml'), 'mine: 1\n');

    writeFileSync(join(from, 'examples', 'a.yaml'), 'a: 2\n');
    rmSync(join(from, 'examples', 'old.yaml'));
    installResources(from, data);
    expect(readFileSync(join(to, 'examples', 'a.yaml'), 'utf8')).toBe('a: 2\n');
    // A new file (rename), so a trainer that has the old one open keeps reading the old one.
    expect(statSync(join(to, 'examples', 'a.yaml')).ino).not.toBe(inode);
    expect(existsSync(join(to, 'examples', 'old.yaml'))).toBe(false);
    expect(existsSync(join(to, 'examples', 'mine.yaml'))).toBe(true);
  });
});

describe('the SQLite driver', () => {
  const facts = { appPath: '/opt/Trainyard/resources/app.asar', resourcesPath: '/opt/Trainyard/resources', electron: true };

  it('is the Electron build in the app (resources/native), build-electron/ under `electron .`, the package’s own under Node', () => {
    expect(sqliteBindingFor(facts)).toBe('/opt/Trainyard/resources/native/better_sqlite3.node');
    expect(sqliteBindingFor({ ...facts, electron: false })).toBe('/opt/Trainyard/resources/native/better_sqlite3.node');
    expect(sqliteBindingFor({ appPath: repoRoot, resourcesPath: '/x', electron: true })).toBe(join(repoRoot, 'build-electron', 'better_sqlite3.node'));
    expect(sqliteBindingFor({ appPath: repoRoot, resourcesPath: '/x', electron: false })).toBeNull();
  });

  it('opens with the binding it is given, and says which one is missing', () => {
    const dir = tmp('ty-db-');
    const nodeBuild = join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    openDb(join(dir, 'a.db'), { nativeBinding: nodeBuild }).close();
    const missing = join(repoRoot, 'build-electron', 'missing', 'better_sqlite3.node');
    expect(() => openDb(join(dir, 'b.db'), { nativeBinding: missing })).toThrow(`The SQLite driver built for this runtime is missing: ${missing}`);
    expect(sqliteDriverHint({ appPath: repoRoot })).toContain('npm run build:native-electron');
    expect(sqliteDriverHint(facts)).toContain('reinstall Trainyard');
  });
});

describe('the Electron build of the SQLite driver (scripts/native-electron.mjs)', () => {
  const check = (dir: string) => spawnSync(process.execPath, [join(repoRoot, 'scripts', 'native-electron.mjs'), '--check', '--out', dir], { encoding: 'utf8' });
  const electron = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;

  it('says when it is missing', () => {
    const dir = tmp('ty-native-');
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'better_sqlite3.node')} is missing.`);
  });

  it('refuses a binary built for Node instead of Electron (what an offline "rebuild for Electron" can silently produce)', () => {
    const dir = tmp('ty-native-');
    cpSync(join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(dir, 'better_sqlite3.node'));
    const r = check(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`is built for Node (NODE_MODULE_VERSION ${process.versions.modules}), not for Electron ${electron}`);
  });
});
