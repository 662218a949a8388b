/**
 * Desktop smoke test with Playwright's _electron: launches the built app in the real Electron, checks the window's
 * security settings and that the page connects to the engine over the MessagePort. Skips (exit 0, with the reason)
 * where no Electron binary is installed — e.g. here, where it cannot be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1)
 * — or where the Electron build of the SQLite driver was never made (it needs internet once). test/desktop/ runs the
 * same main bundle under a stand-in Electron everywhere.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

// The electron package exports the binary's path, and throws when the binary was never downloaded.
const electronPath = (() => {
  try {
    return require('electron');
  } catch {
    return null;
  }
})();
const skip = (why) => {
  console.log(`test:electron SKIPPED: ${why}`);
  console.log('0 passed, 0 failed, 1 skipped');
  process.exit(0);
};
if (!electronPath || !existsSync(electronPath)) skip('no Electron binary is installed (npm install without ELECTRON_SKIP_BINARY_DOWNLOAD fetches it).');
const { electronSqliteProblem } = await import('../../scripts/native-electron.mjs');
const sqlite = electronSqliteProblem();
if (sqlite) skip(`no Electron build of the SQLite driver (${sqlite} \`npm run build:native-electron\` makes it; needs internet once).`);
if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
  console.error('Build first: npx electron-vite build');
  process.exit(1);
}

const { _electron } = await import('playwright-core');
let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  console.log(`${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
  if (ok) passed++;
  else failed++;
};

const app = await _electron.launch({
  executablePath: electronPath,
  args: [root, '--no-sandbox'],
  env: { ...process.env, TRAINYARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'trainyard-electron-')) },
});
try {
  const page = await app.firstWindow();
  await page.waitForSelector('[data-testid="connection-status"][data-status="connected"]', { timeout: 30_000 });
  check('window connects to the engine over the MessagePort', true);
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const w = BrowserWindow.getAllWindows()[0];
    const p = w.webContents.getLastWebPreferences();
    return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration };
  });
  check('contextIsolation on', prefs.contextIsolation === true);
  check('sandbox on', prefs.sandbox === true);
  check('nodeIntegration off', prefs.nodeIntegration === false);
  const hasRequire = await page.evaluate(() => typeof globalThis.require);
  check('no Node in the page', hasRequire === 'undefined', hasRequire);
  const popup = await page.evaluate(() => globalThis.open('https://example.com') === null);
  check('new windows are blocked', popup);
} finally {
  await app.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
