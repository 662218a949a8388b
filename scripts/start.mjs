/**
 * `npm start`: installs what is missing, builds, and opens the desktop app. Where the desktop cannot run — no
 * display, no Electron binary (an offline install), or no Electron build of the SQLite driver and no internet to
 * make one — it starts `trainyard serve` instead and prints the URL to open.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, ensureElectronSqlite, ensureNodeModules, ensureNodeNative, ensureSystemPackages, must, root } from './lib.mjs';

ensureSystemPackages({ forTests: false });
ensureNodeModules({ skipElectronBinary: !!process.env.ELECTRON_SKIP_BINARY_DOWNLOAD });
build();

const electron = (() => {
  try {
    return createRequire(import.meta.url)('electron');
  } catch {
    return null;
  }
})();
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux';

/** Why the desktop window cannot open here, or null. */
async function desktopProblem() {
  if (process.argv.includes('--serve')) return 'asked for the web UI (--serve)';
  if (!electron || !existsSync(electron)) return 'no Electron binary is installed (npm install without ELECTRON_SKIP_BINARY_DOWNLOAD fetches it)';
  if (headless) return 'no display found (DISPLAY / WAYLAND_DISPLAY)';
  must('npm', ['run', '-s', 'build:electron']);
  const sqlite = await ensureElectronSqlite();
  return sqlite ? `the SQLite driver for Electron is not built (${sqlite}); \`npm run build:native-electron\` makes it once internet is reachable` : null;
}

const problem = await desktopProblem();
if (!problem) {
  const child = spawn(electron, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`\nStarting the engine with its web UI instead of the desktop window: ${problem}.`);
  ensureNodeNative();
  const args = process.argv.slice(2).filter((a) => a !== '--serve');
  const child = spawn(process.execPath, [join(root, 'bin', 'trainyard.js'), 'serve', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
