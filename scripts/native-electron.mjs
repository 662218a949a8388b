/**
 * `npm run build:native-electron`: builds better-sqlite3 for Electron's ABI into build-electron/ (the desktop app
 * loads it from there; packaging ships it as resources/native/). node_modules keeps Node's build for tests, `serve`
 * and the CLI, so switching between `npm start` and `npm test` never rebuilds anything. node-pty needs no second
 * build: it is N-API, one binary for both runtimes.
 *
 * Needs internet once (a prebuilt binary from better-sqlite3's releases, else Electron's headers to compile).
 * `--check` only reports whether build-electron/ is current; `--out <dir>` builds elsewhere (tests).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './lib.mjs';

const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));

/** What the current install needs: Electron's version and ABI (node_modules/electron/abi_version), better-sqlite3's version. */
export function wanted() {
  const electron = join(root, 'node_modules', 'electron');
  return {
    electron: readJson(join(electron, 'package.json')).version,
    abi: Number(readFileSync(join(electron, 'abi_version'), 'utf8').trim()),
    betterSqlite3: readJson(join(root, 'node_modules', 'better-sqlite3', 'package.json')).version,
  };
}

/**
 * The ABI a native module was built for, read the way Node reports it: loading a module built for another ABI fails
 * with "...compiled against a different Node.js version using NODE_MODULE_VERSION <n>". null = it loads in this Node.
 */
export function builtAbi(file) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`], { encoding: 'utf8' });
  if (r.status === 0) return null;
  const m = /using\s+NODE_MODULE_VERSION\s+(\d+)/.exec(r.stderr);
  if (!m) throw new Error(`${file} does not load: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`);
  return Number(m[1]);
}

/** Why build-electron/ (or `dir`) does not hold a usable Electron build, or null when it does. */
export function electronSqliteProblem(dir = join(root, 'build-electron')) {
  const file = join(dir, 'better_sqlite3.node');
  if (!existsSync(file)) return `${file} is missing.`;
  const want = wanted();
  let stamp = {};
  try {
    stamp = readJson(join(dir, 'build.json'));
  } catch {
    // No record of what it was built for: check the binary itself below.
  }
  if (stamp.betterSqlite3 && stamp.betterSqlite3 !== want.betterSqlite3) return `${file} is for better-sqlite3 ${stamp.betterSqlite3}; ${want.betterSqlite3} is installed.`;
  const abi = builtAbi(file);
  if (abi === null) return `${file} is built for Node (NODE_MODULE_VERSION ${process.versions.modules}), not for Electron ${want.electron} (${want.abi}).`;
  if (abi !== want.abi) return `${file} is built for NODE_MODULE_VERSION ${abi}; Electron ${want.electron} needs ${want.abi}.`;
  return null;
}

/**
 * npm hands its config to scripts as npm_config_* variables; a `nodedir` there (this repo's machines set
 * nodedir=/usr for Node's own builds) would make node-gyp compile against Node's headers whatever --target says.
 */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch)$/i.test(k)));

function run(cmd, args, cwd) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { cwd, stdio: 'inherit', env: cleanEnv() }).status === 0;
}

/** Builds into `dir`: a prebuilt Electron binary when one can be downloaded, else a compile against Electron's headers. */
export function buildElectronSqlite(dir = join(root, 'build-electron')) {
  const want = wanted();
  const work = mkdtempSync(join(tmpdir(), 'trainyard-native-'));
  try {
    const pkg = join(work, 'better-sqlite3');
    // A copy of the package: its build/ in node_modules (Node's ABI) is never touched.
    cpSync(join(root, 'node_modules', 'better-sqlite3'), pkg, { recursive: true, filter: (src) => !src.startsWith(join(root, 'node_modules', 'better-sqlite3', 'build')) });
    const bin = (n) => join(root, 'node_modules', '.bin', n);
    const target = ['--runtime=electron', `--target=${want.electron}`, `--arch=${process.arch}`];
    const ok =
      run(bin('prebuild-install'), [...target, `--platform=${process.platform}`, '--verbose'], pkg) ||
      run(bin('node-gyp'), ['rebuild', '--release', ...target, '--dist-url=https://electronjs.org/headers'], pkg);
    const built = join(pkg, 'build', 'Release', 'better_sqlite3.node');
    if (!ok || !existsSync(built)) throw new Error('Could not get better-sqlite3 for Electron: no prebuilt binary could be downloaded and the compile failed (see above). It needs internet access once.');
    const abi = builtAbi(built);
    // STACK.md: offline, a "rebuild for Electron" can silently compile against Node's headers. Never ship that.
    if (abi !== want.abi) throw new Error(`The build is for NODE_MODULE_VERSION ${abi ?? process.versions.modules}, not Electron ${want.electron}'s ${want.abi}.`);
    mkdirSync(dir, { recursive: true });
    cpSync(built, join(dir, 'better_sqlite3.node'));
    writeFileSync(join(dir, 'build.json'), JSON.stringify({ ...want, builtAt: new Date().toISOString() }, null, 2) + '\n');
    console.log(`\nbetter-sqlite3 for Electron ${want.electron} (ABI ${want.abi}) is in ${dir}.`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const dir = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(root, 'build-electron');
  const problem = electronSqliteProblem(dir);
  if (args.includes('--check')) {
    console.log(problem ?? `${dir} holds better-sqlite3 for Electron ${wanted().electron}.`);
    process.exit(problem ? 1 : 0);
  }
  if (!problem && !args.includes('--force')) {
    console.log(`${dir} is current (Electron ${wanted().electron}).`);
    process.exit(0);
  }
  try {
    buildElectronSqlite(dir);
  } catch (e) {
    console.error(`\n✗ ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
