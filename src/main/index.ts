/** Electron entry: single-instance lock, the engine (core) in this process, one window per instance. */
import type { BrowserWindow} from 'electron';
import { app, dialog } from 'electron';
import { join } from 'node:path';
import { createCore, type Core } from '../core/createCore.js';
import { defaultDataDir } from '../core/paths.js';
import { registerIpc } from './ipc.js';
import { createMainWindow } from './window.js';

let core: Core | null = null;
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another Trainyard window owns the engine and the database: hand over to it.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  app.whenReady().then(async () => {
    try {
      core = createCore({
        dataDir: defaultDataDir(),
        host: 'electron',
        resourcesDir: app.isPackaged ? join(process.resourcesPath, 'resources') : join(app.getAppPath(), 'resources'),
      });
      await core.start();
    } catch (e) {
      dialog.showErrorBox('Trainyard could not start its engine', e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    registerIpc(core, () => win);
    win = createMainWindow();
    win.on('closed', () => (win = null));
    app.on('activate', () => {
      if (!win) win = createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    // Runs live in their own holder processes: closing the window (or quitting) never stops training.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', (e) => {
    if (!core) return;
    e.preventDefault();
    const c = core;
    core = null;
    void c.stop().finally(() => app.exit(0));
  });
}
