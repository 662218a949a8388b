/** The main window: contextIsolation + sandbox, no nodeIntegration, CSP, navigation and new windows blocked; bounds remembered. */
import { BrowserWindow, screen, session, shell } from 'electron';
import { join } from 'node:path';
import { saveDesktopState, visibleBounds, type DesktopState } from './desktopState.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let hardened = false;

function hardenSession(): void {
  if (hardened) return;
  hardened = true;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // The UI needs no camera, microphone, geolocation…: refuse every permission request.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

export interface WindowFiles {
  /** out/preload/index.cjs of this installation. */
  preload: string;
  /** The built renderer (RuntimePaths.rendererDir). */
  rendererDir: string;
}

/** Opens the window where it was last closed (when that is still on a screen) and keeps desktop.json up to date. */
export function createMainWindow(files: WindowFiles, state: DesktopState, stateFile: string): BrowserWindow {
  hardenSession();
  const saved = state.window ? visibleBounds(state.window, screen.getAllDisplays().map((d) => d.workArea)) : null;
  const win = new BrowserWindow({
    ...(saved ?? { width: 1440, height: 900 }),
    minWidth: 960,
    minHeight: 600,
    title: 'Trainyard',
    backgroundColor: '#0f1216',
    show: false,
    webPreferences: {
      preload: files.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (saved && state.window?.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  // Remember where the window is: after a move or resize settles, and when it closes.
  let pending: NodeJS.Timeout | null = null;
  const remember = () => {
    if (pending) clearTimeout(pending);
    pending = null;
    if (win.isDestroyed() || win.isMinimized()) return;
    state.window = { ...win.getNormalBounds(), maximized: win.isMaximized() };
    saveDesktopState(stateFile, state);
  };
  const later = () => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(remember, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', remember);

  // Links in model answers open in the system browser, never in the app window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== win.webContents.getURL()) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(files.rendererDir, 'index.html'));
  return win;
}
