/** What an engine installs into its data folder from the installation: the holder copy runs start from (one per version), and the resources at a path that never moves. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { HolderNode, RuntimePaths } from './runtimePaths.js';
import { pidAlive } from './store/engineLock.js';
import { logger } from './log/logger.js';

const log = logger('runtime');

/** How to start a holder: the program, the entry script, and what must exist for it to start. */
export interface HolderLaunch {
  /** <dataDir>/runtime/<version>-<hash>/: this version's holder, node-pty and (when needed) runtime. */
  dir: string;
  execPath: string;
  env: Record<string, string>;
  /** start-holder.mjs beside holder.mjs: guards stderr, then runs the holder. */
  entry: string;
  /** Checked before every start, so a missing file is reported at once and by name. */
  required: { path: string; what: string; exec?: boolean }[];
  /** Why holders cannot start with this installation (the check at install time failed), else null. */
  problem: string | null;
}

/** Where node-pty's loader looks for pty.node, in its order (node_modules/node-pty/lib/utils.js: loadNativeModule). */
const ptyNativeDirs = () => ['build/Release', 'build/Debug', `prebuilds/${process.platform}-${process.arch}`];

/**
 * The entry script written into every copy. The holder logs problems to stderr (<runDir>/holder.log); on a full disk
 * that write fails, and an unhandled stream error would end the holder and hang up its trainer.
 */
const entryScript = (unset: string[]) =>
  [
    '// Written by Trainyard (src/core/runtimeInstall.ts): starts the run holder beside this file.',
    "process.stderr.on('error', () => {});",
    // Variables that only start the runtime (ELECTRON_RUN_AS_NODE) must not reach the trainer the holder spawns.
    ...unset.map((k) => `delete process.env[${JSON.stringify(k)}];`),
    "await import('./holder.mjs');",
    '',
  ].join('\n');

interface CopyItem {
  from: string;
  /** Relative to the copy's folder. */
  to: string;
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/** The files a holder needs: its scripts, node-pty's JavaScript and the native folder its loader will pick. */
function holderFiles(rt: RuntimePaths): CopyItem[] {
  const items: CopyItem[] = [];
  for (const f of readdirSync(rt.holderDir).filter((n) => n.endsWith('.mjs') && n !== 'start-holder.mjs')) {
    items.push({ from: join(rt.holderDir, f), to: `holder/${f}` });
  }
  const pty = rt.nodePtyDir;
  items.push({ from: join(pty, 'package.json'), to: 'node_modules/node-pty/package.json' });
  for (const f of listFiles(join(pty, 'lib')).filter((n) => n.endsWith('.js') && !n.endsWith('.test.js'))) {
    items.push({ from: join(pty, 'lib', f), to: `node_modules/node-pty/lib/${f}` });
  }
  const native = ptyNativeDirs().find((d) => existsSync(join(pty, d, 'pty.node')));
  if (!native) throw new Error(`node-pty has no native pty.node for ${process.platform}-${process.arch} in ${pty} (looked in ${ptyNativeDirs().join(', ')}).`);
  for (const f of readdirSync(join(pty, native))) {
    if (statSync(join(pty, native, f)).isFile()) items.push({ from: join(pty, native, f), to: `node_modules/node-pty/${native}/${f}` });
  }
  return items;
}

function executableFiles(node: HolderNode): CopyItem[] {
  if (!node.copyWith) return [];
  const dir = dirname(node.execPath);
  const names = [basename(node.execPath), ...node.copyWith.filter((n) => existsSync(join(dir, n)))];
  return names.map((n) => ({ from: join(dir, n), to: `node/${n}` }));
}

/** Content hash of the small files; the (large) executable counts by size and mtime. */
function copyKey(version: string, small: CopyItem[], exe: CopyItem[], entry: string): string {
  const h = createHash('sha256').update(version).update(entry);
  for (const i of small) h.update(i.to).update(readFileSync(i.from));
  for (const i of exe) {
    const s = statSync(i.from);
    h.update(i.to).update(`${s.size}:${s.mtimeMs}`);
  }
  return `${version.replace(/[^\w.-]/g, '_')}-${h.digest('hex').slice(0, 12)}`;
}

/** Can this program load node-pty from the copy? Returns why not, or null. */
function checkRuntime(execPath: string, env: Record<string, string>, dir: string): string | null {
  const code = `require(${JSON.stringify(join(dir, 'node_modules', 'node-pty'))})`;
  const r = spawnSync(execPath, ['-e', code], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `${execPath} could not be run: ${r.error.message}`;
  if (r.status === 0) return null;
  return `${execPath} could not load node-pty from ${dir}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' ')}`;
}

function launchFor(dir: string, node: HolderNode, copied: boolean, problem: string | null): HolderLaunch {
  const execPath = copied ? join(dir, 'node', basename(node.execPath)) : node.execPath;
  const native = ptyNativeDirs()
    .map((d) => join(dir, 'node_modules', 'node-pty', d))
    .find((d) => existsSync(join(d, 'pty.node')));
  const nativeDir = native ?? join(dir, 'node_modules', 'node-pty', ptyNativeDirs()[0]!);
  return {
    dir,
    execPath,
    env: node.env,
    entry: join(dir, 'holder', 'start-holder.mjs'),
    required: [
      { path: execPath, what: 'the program holders run on', exec: true },
      { path: join(dir, 'holder', 'start-holder.mjs'), what: 'the holder start script' },
      { path: join(dir, 'holder', 'holder.mjs'), what: 'the holder script' },
      { path: join(nativeDir, 'pty.node'), what: "node-pty's native module" },
      // Only macOS starts trainers through node-pty's spawn-helper; Linux forks the pty itself (node-pty src/unix/pty.cc).
      ...(process.platform === 'darwin' ? [{ path: join(nativeDir, 'spawn-helper'), what: "node-pty's spawn-helper", exec: true }] : []),
    ],
    problem,
  };
}

/**
 * Copies this version's holder and node-pty (and, where its folder can vanish, the runtime) into
 * <dataDir>/runtime/<version>-<hash>/ once, checks the runtime loads node-pty from there, and returns how to start
 * holders from that copy. Live holders then never depend on the app's own folder, which an upgrade replaces and an
 * AppImage unmounts (docs/RUNS.md, "Where holders run from"). Never throws: a problem is returned and reported when a
 * run starts.
 */
export function installHolderRuntime(rt: RuntimePaths, dataDir: string): HolderLaunch {
  const root = join(dataDir, 'runtime');
  const entry = entryScript(Object.keys(rt.holderNode.env));
  let small: CopyItem[];
  let exe: CopyItem[];
  let dir: string;
  try {
    small = holderFiles(rt);
    exe = executableFiles(rt.holderNode);
    dir = join(root, copyKey(rt.version, small, exe, entry));
  } catch (e) {
    const why = `Trainyard's run holder files are incomplete: ${e instanceof Error ? e.message : String(e)}`;
    return launchFor(join(root, 'unavailable'), rt.holderNode, false, why);
  }
  const ready = join(dir, 'ready.json');
  const readyCopy = () => (JSON.parse(readFileSync(ready, 'utf8')) as { copiedExecutable: boolean }).copiedExecutable;
  if (existsSync(ready)) {
    try {
      return launchFor(dir, rt.holderNode, readyCopy(), null);
    } catch {
      // A damaged ready.json: make the copy again.
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    rmSync(tmp, { recursive: true, force: true });
    for (const i of [...small, ...exe]) {
      mkdirSync(dirname(join(tmp, i.to)), { recursive: true });
      copyFileSync(i.from, join(tmp, i.to));
      chmodSync(join(tmp, i.to), statSync(i.from).mode & 0o777);
    }
    writeFileSync(join(tmp, 'holder', 'start-holder.mjs'), entry);
    let copiedExecutable = exe.length > 0;
    let problem = checkRuntime(copiedExecutable ? join(tmp, 'node', basename(rt.holderNode.execPath)) : rt.holderNode.execPath, rt.holderNode.env, tmp);
    if (problem && copiedExecutable) {
      // The copied runtime misses something it needs: run the installed one in place (a live run then depends on the
      // app's folder staying mounted) rather than no runs at all.
      const inPlace = checkRuntime(rt.holderNode.execPath, rt.holderNode.env, tmp);
      if (!inPlace) {
        log.warn(`holders run on ${rt.holderNode.execPath} in place: its copy failed (${problem}).`);
        rmSync(join(tmp, 'node'), { recursive: true, force: true });
        copiedExecutable = false;
        problem = null;
      }
    }
    if (problem) {
      // Not kept: the next engine start copies and checks again (the cause may be gone by then).
      rmSync(tmp, { recursive: true, force: true });
      return launchFor(dir, rt.holderNode, false, problem);
    }
    writeFileSync(join(tmp, 'ready.json'), JSON.stringify({ version: rt.version, copiedExecutable, at: Date.now() }, null, 2) + '\n');
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process finished the same copy first: use theirs.
      if (!existsSync(ready)) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
    return launchFor(dir, rt.holderNode, readyCopy(), null);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const why = `Trainyard could not prepare its run holder in ${root}: ${e instanceof Error ? e.message : String(e)}`;
    return launchFor(dir, rt.holderNode, false, /ENOSPC/.test(String(e)) ? `${why} (the disk is full)` : why);
  }
}

/** Copies no live holder uses any more (older versions), removed at engine start. Without /proc nothing is removed. */
export function pruneHolderRuntimes(dataDir: string, keep: string): void {
  try {
    pruneUnused(join(dataDir, 'runtime'), keep);
  } catch (e) {
    // Old copies cost disk space only: never fail an engine start over them.
    log.warn('could not remove old holder copies', e);
  }
}

function pruneUnused(root: string, keep: string): void {
  if (!existsSync(root) || !existsSync('/proc/self/cmdline')) return;
  const inUse = new Set<string>([basename(keep)]);
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      for (const arg of readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')) {
        if (arg.startsWith(root + sep)) inUse.add(arg.slice(root.length + 1).split(sep)[0]!);
      }
    } catch {
      // The process ended while we looked.
    }
  }
  for (const name of readdirSync(root)) {
    if (inUse.has(name)) continue;
    // A copy another engine is writing right now (its pid is alive) stays.
    const tmpPid = /\.tmp-(\d+)$/.exec(name)?.[1];
    if (tmpPid && pidAlive(Number(tmpPid))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

// ---- Resources at a path that never moves ----

/**
 * Left out like electron-builder.yml's extraResources filter does (the packaging's own files, Python's caches), and
 * examples/saves/: outputs of examples that older versions ran in place (resources/examples/.gitignore).
 */
const skipResource = (rel: string) =>
  /^(build|examples\/saves)(\/|$)/.test(rel) || rel.split('/').includes('__pycache__') || rel.endsWith('.pyc');

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * Copies the installation's resources (demo trainer, examples, key catalogue) to <dataDir>/resources and returns
 * that folder. An imported example keeps its folder as the run's working directory, and the demo trainer runs from
 * its folder: both must outlive the install, whose path changes with every AppImage launch (a fresh mount point)
 * and every upgrade. Files are replaced by rename (a trainer that has one open keeps its old copy); a manifest
 * removes what a newer version no longer ships, and files the user added stay. Falls back to the installation's
 * folder when the data folder cannot be written.
 */
export function installResources(from: string, dataDir: string): string {
  const to = join(dataDir, 'resources');
  const manifestFile = join(to, '.installed.json');
  try {
    let before: Record<string, string> = {};
    try {
      before = (JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: Record<string, string> }).files ?? {};
    } catch {
      // First start, or a damaged manifest: every file is compared afresh.
    }
    const files: Record<string, string> = {};
    for (const rel of listFiles(from).filter((r) => !skipResource(r))) {
      const src = join(from, rel);
      const dest = join(to, rel);
      const hash = sha256(src);
      files[rel] = hash;
      if (before[rel] === hash && existsSync(dest)) continue;
      mkdirSync(dirname(dest), { recursive: true });
      const tmp = `${dest}.tmp-${process.pid}`;
      copyFileSync(src, tmp);
      chmodSync(tmp, statSync(src).mode & 0o777);
      renameSync(tmp, dest);
    }
    for (const rel of Object.keys(before)) if (!(rel in files)) rmSync(join(to, rel), { force: true });
    writeFileSync(manifestFile, JSON.stringify({ from, files }, null, 1) + '\n');
    return to;
  } catch (e) {
    log.warn(`could not copy the resources to ${to}; using ${from}`, e);
    return from;
  }
}
