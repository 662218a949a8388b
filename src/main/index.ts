/** Electron entry: single-instance lock, the engine (core) in this process, one window, the taskbar counts. */
import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { openControlSocket } from '../core/control/controlSocket.js';
import { createCore, type Core } from '../core/createCore.js';
import { defaultDataDir } from '../core/paths.js';
import { trackActivity, type Activity } from './activity.js';
import { desktopRuntime, sqliteDriverHint, type DesktopFacts } from './desktopRuntime.js';
import { desktopStateFile, loadDesktopState, saveDesktopState, type DesktopState } from './desktopState.js';
import { registerIpc } from './ipc.js';
import { messages } from './messages.js';
import { createMainWindow } from './window.js';
import { logger } from '../core/log/logger.js';

const log = logger('main');

let core: Core | null = null;
let win: BrowserWindow | null = null;
let activity: Activity = { running: 0, queued: 0, progress: null };
let stopActivity: (() => void) | null = null;
let control: { close(): Promise<void> } | null = null;

const facts: DesktopFacts = {
  appPath: app.getAppPath(),
  version: app.getVersion(),
  resourcesPath: process.resourcesPath,
  execPath: process.execPath,
  electron: !!process.versions.electron,
  env: process.env,
};
const runtime = desktopRuntime(facts);

/** The database driver is the one native module the main process loads: say what to do when it does not. */
function engineError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return /better[-_]sqlite3|NODE_MODULE_VERSION|SQLite driver/i.test(text) ? `${text}\n\n${sqliteDriverHint(facts)}` : text;
}

async function startEngine(dataDir: string): Promise<Core | null> {
  try {
    const c = createCore({ dataDir, host: 'electron', runtime });
    await c.start();
    return c;
  } catch (e) {
    dialog.showErrorBox(messages(undefined).engineFailed, engineError(e));
    app.exit(1);
    return null;
  }
}

/** Closing the window ends the app but not the training: say so once, the first time runs are live. */
function warnOnClose(w: BrowserWindow, state: DesktopState, stateFile: string): void {
  w.on('close', (e) => {
    if (state.closeNoticeShown || activity.running === 0 || !core) return;
    e.preventDefault();
    state.closeNoticeShown = true;
    saveDesktopState(stateFile, state);
    const m = messages(core.ctx.settings().language);
    void dialog
      .showMessageBox(w, { type: 'info', title: m.keepRunningTitle, message: m.keepRunningTitle, detail: m.keepRunning(activity.running), buttons: [m.ok] })
      .finally(() => w.close());
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Trainyard window owns the engine and the database: it comes to the front (second-instance) instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });

  app.whenReady().then(async () => {
    const dataDir = defaultDataDir();
    core = await startEngine(dataDir);
    if (!core) return;
    // `trainyard run/ps/stop/logs` talk to this engine through <dataDir>/engine.sock.
    control = await openControlSocket(core, dataDir).catch((e: unknown) => {
      log.error(`no control socket for the CLI: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    });
    const stateFile = desktopStateFile(dataDir);
    const state = loadDesktopState(stateFile);
    const files = { preload: join(facts.appPath, 'out', 'preload', 'index.cjs'), rendererDir: runtime.rendererDir };
    const open = () => {
      const w = createMainWindow(files, state, stateFile);
      warnOnClose(w, state, stateFile);
      w.on('closed', () => (win = null));
      return w;
    };
    registerIpc(core, () => win);
    win = open();
    stopActivity = trackActivity(core, () => win, (a) => (activity = a));
    app.on('activate', () => {
      if (!win) win = open();
    });
  });

  app.on('window-all-closed', () => {
    // Runs live in their own holder processes: closing the window (or quitting) never stops training.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', (e) => {
    if (!core) return;
    e.preventDefault();
    stopActivity?.();
    const c = core;
    core = null;
    void (control?.close() ?? Promise.resolve()).then(() => c.stop()).finally(() => app.exit(0));
  });
}
