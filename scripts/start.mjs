/**
 * `npm start`: installs what is missing, builds, and opens the desktop app. Where no Electron binary can be
 * installed (an offline or headless box), it starts `trainyard serve` instead and prints the URL to open.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build, ensureNativeFor, ensureNodeModules, ensureSystemPackages, must, root } from './lib.mjs';

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
if (electron && existsSync(electron) && !headless && !process.argv.includes('--serve')) {
  must('npx', ['electron-vite', 'build']);
  // The engine runs inside Electron's main process: its native modules must be built for Electron's ABI.
  ensureNativeFor('electron', electron);
  const child = spawn(electron, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    electron && existsSync(electron)
      ? '\nNo display found: starting the engine with its web UI instead of the desktop window.'
      : '\nNo Electron binary installed: starting the engine with its web UI instead of the desktop window.',
  );
  ensureNativeFor('node');
  const child = spawn(process.execPath, [join(root, 'bin', 'trainyard.js'), 'serve', ...process.argv.slice(2).filter((a) => a !== '--serve')], {
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
