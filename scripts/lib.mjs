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

/** Debian/Ubuntu packages the tests need: Chromium (e2e), PyTorch for the demo trainer, CJK fonts for screenshots. */
export function ensureSystemPackages({ forTests }) {
  const want = [];
  if (forTests && !existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) want.push('chromium');
  const torchOk = spawnSync('/usr/bin/python3', ['-c', 'import torch, yaml'], { stdio: 'ignore' }).status === 0;
  if (!torchOk) want.push('python3-torch', 'python3-yaml', 'libopenblas0-pthread');
  if (forTests && !existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) want.push('fonts-noto-cjk');
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
 * better-sqlite3 and node-pty are native modules built for ONE runtime: Node (tests, `serve`, the CLI) or Electron
 * (the desktop window loads the engine in its main process). Check that they load in the runtime about to start and
 * rebuild them for it when they do not (switching costs one rebuild, ~2–3 min).
 */
export function ensureNativeFor(runtime, electronPath = null) {
  const probe = "require('better-sqlite3')(':memory:').close(); require('node-pty');";
  const loads =
    runtime === 'electron'
      ? spawnSync(electronPath, ['-e', probe], { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'ignore' }).status === 0
      : spawnSync(process.execPath, ['-e', probe], { cwd: root, stdio: 'ignore' }).status === 0;
  if (loads) return;
  console.log(`\nNative modules are not built for ${runtime === 'electron' ? "Electron's" : "Node's"} ABI: rebuilding them.`);
  if (runtime === 'electron') must('npx', ['electron-builder', 'install-app-deps']);
  else must('npm', ['rebuild', 'better-sqlite3', 'node-pty']);
}
