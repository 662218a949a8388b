/** Shared steps of setup, start and test: system packages, npm dependencies, build — each done only when needed. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export function must(cmd, args, opts) {
  const code = run(cmd, args, opts);
  if (code !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} exited with ${code}`);
    process.exit(code);
  }
}

const has = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** Debian/Ubuntu packages the tests need: Chromium (e2e), PyTorch for the demo trainer, CJK fonts for screenshots, Slurm + munge (the one-node cluster of test/slurm). */
export function ensureSystemPackages({ forTests }) {
  const want = [];
  if (forTests && !existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) want.push('chromium');
  const torchOk = spawnSync('/usr/bin/python3', ['-c', 'import torch, yaml'], { stdio: 'ignore' }).status === 0;
  if (!torchOk) want.push('python3-torch', 'python3-yaml', 'libopenblas0-pthread');
  if (forTests && !existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) want.push('fonts-noto-cjk');
  // slurm-wlm brings slurmctld, slurmd and the client commands (22.05 on Debian 12); munge is its authentication.
  if (forTests && (!existsSync('/usr/sbin/slurmctld') || !existsSync('/usr/sbin/slurmd'))) want.push('slurm-wlm');
  if (forTests && !existsSync('/usr/sbin/munged')) want.push('munge');
  if (!want.length) return;
  if (!has('apt-get', ['--version'])) {
    console.warn(`! Please install: ${want.join(' ')} (no apt-get here).`);
    return;
  }
  const sudo = process.getuid?.() === 0 ? [] : has('sudo', ['-n', 'true']) ? ['sudo'] : null;
  if (!sudo) {
    console.warn(`! Run once as root: apt-get install -y ${want.join(' ')}`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [c, ...pre] = sudo.length ? sudo : ['apt-get'];
  const apt = sudo.length ? [...pre, 'apt-get'] : [];
  run(c, [...apt, 'update', '-qq'], { env });
  must(c, [...apt, 'install', '-y', '-qq', ...want], { env });
}

/** npm dependencies, reinstalled when package-lock.json changed since the last install. */
export function ensureNodeModules({ skipElectronBinary }) {
  const stamp = join(root, 'node_modules', '.trainyard-installed');
  const lock = join(root, 'package-lock.json');
  const lockTime = existsSync(lock) ? statSync(lock).mtimeMs : 0;
  if (existsSync(stamp) && Number(readFileSync(stamp, 'utf8')) >= lockTime) return;
  const env = { ...process.env };
  // The Electron binary comes from GitHub; where that is unreachable (CI here), skip it — tests run in Chromium.
  if (skipElectronBinary) env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
  must('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { env });
  writeFileSync(stamp, String(Date.now()));
}

export function build() {
  must('npm', ['run', '-s', 'build']);
}

/**
 * Node (tests, `serve`, the CLI, holders) uses node_modules' own builds of better-sqlite3 and node-pty; the desktop
 * app loads an Electron build of better-sqlite3 from build-electron/ (scripts/native-electron.mjs) and node-pty's
 * one N-API binary. So nothing is rebuilt when switching between `npm start` and `npm test`. This only repairs
 * node_modules after a Node upgrade (or an older checkout that rebuilt it in place for Electron).
 */
export function ensureNodeNative() {
  const probe = "require('better-sqlite3')(':memory:').close(); require('node-pty');";
  if (spawnSync(process.execPath, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0) return;
  console.log("\nbetter-sqlite3 / node-pty do not load in this Node: rebuilding them for Node's ABI.");
  must('npm', ['rebuild', 'better-sqlite3', 'node-pty']);
}

/** The desktop's SQLite driver: null when build-electron/ is current or could be built now, else why not. */
export async function ensureElectronSqlite() {
  const { electronSqliteProblem } = await import('./native-electron.mjs');
  if (!electronSqliteProblem()) return null;
  const code = run(process.execPath, [join(root, 'scripts', 'native-electron.mjs')]);
  return code === 0 ? null : electronSqliteProblem() ?? 'building better-sqlite3 for Electron failed';
}

/**
 * The real LLaMA-Factory for the tests that need it (issue 14's contract suite, the installed-key checks): the workspace's
 * ../shared/llamafactory/setup.sh builds it offline into .cache/llamafactory (minutes the first time, then instant).
 * Sets TRAINYARD_LLAMAFACTORY_VENV for every test process; when this machine cannot have it (no setup script, exit 3),
 * returns why, and those tests skip saying so.
 */
export function ensureLlamaFactory() {
  if (process.env.TRAINYARD_LLAMAFACTORY_VENV) return null;
  const setup = process.env.TRAINYARD_LLAMAFACTORY_SETUP ?? join(root, '..', 'shared', 'llamafactory', 'setup.sh');
  if (!existsSync(setup)) return `no LLaMA-Factory setup script at ${setup}`;
  const venv = join(root, '.cache', 'llamafactory');
  console.log(`\n$ bash ${setup} ${venv}   (the real LLaMA-Factory for the contract tests)`);
  const r = spawnSync('bash', [setup, venv], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout: 30 * 60_000 });
  const why = (r.stderr ?? '').trim().split('\n').at(-1) ?? '';
  if (r.status === 3) return `LLaMA-Factory cannot be set up on this machine: ${why}`;
  if (r.status !== 0) return `LLaMA-Factory setup failed (exit ${r.status ?? r.signal}): ${why}`;
  process.env.TRAINYARD_LLAMAFACTORY_VENV = venv;
  return null;
}
