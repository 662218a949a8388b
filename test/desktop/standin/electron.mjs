/**
 * A stand-in for the `electron` module, so the built main process runs under plain Node in tests: what main calls
 * (app, BrowserWindow/webContents, ipcMain, MessageChannelMain, dialog, shell, Notification, session, screen) behaves
 * like Electron and is reported to the test; everything else throws and is reported as missing (strict.mjs), and an
 * import of an API not exported here fails main at load.
 */
import { app } from './app.mjs';
import { ipcMain, MessageChannelMain } from './ipc.mjs';
import { dialog, Notification, session, shell } from './services.mjs';
import { strict } from './strict.mjs';
import { BrowserWindow, screen } from './windows.mjs';

export { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, Notification, screen, session, shell };

export default strict('electron', { app, BrowserWindow, screen, ipcMain, MessageChannelMain, dialog, shell, Notification, session });
