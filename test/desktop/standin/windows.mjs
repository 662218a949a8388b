/** Stand-in BrowserWindow, its webContents and the screen: what main does to its window is reported to the test. */
import { EventEmitter } from 'node:events';
import { app, appImpl } from './app.mjs';
import { appFileExists } from './appFiles.mjs';
import { preventable, record } from './events.mjs';
import { bridgePort } from './ipc.mjs';
import { strict } from './strict.mjs';

export const windows = new Set();
let nextWindowId = 1;

class WebContents extends EventEmitter {
  #url = '';
  #windowOpenHandler = null;
  constructor(id, prefs) {
    super();
    this.id = id;
    this.prefs = prefs;
  }
  setWindowOpenHandler(fn) {
    this.#windowOpenHandler = fn;
  }
  getURL() {
    return this.#url;
  }
  _loaded(url) {
    this.#url = url;
  }
  getLastWebPreferences() {
    return this.prefs;
  }
  isDestroyed() {
    return false;
  }
  /** The renderer side: main hands the page its MessagePort this way (src/main/ipc.ts). */
  postMessage(channel, message, transfer = []) {
    record('webContents.postMessage', channel, message, transfer.length);
    for (const port of transfer) bridgePort(port);
  }
  send(channel, ...args) {
    record('webContents.send', channel, ...args);
  }
  /** The test asks what a page would get when it opens a window or navigates. */
  _tryOpen(url) {
    return this.#windowOpenHandler ? this.#windowOpenHandler({ url }) : { action: 'allow' };
  }
}

class BrowserWindowImpl extends EventEmitter {
  #bounds;
  #normal;
  #destroyed = false;
  #minimized = false;
  #maximized = false;
  #visible = false;
  #title = '';

  constructor(opts = {}) {
    super();
    this.id = nextWindowId++;
    this.options = opts;
    this.#bounds = { x: opts.x ?? 240, y: opts.y ?? 90, width: opts.width ?? 800, height: opts.height ?? 600 };
    this.#normal = { ...this.#bounds };
    this.#title = opts.title ?? '';
    this.webContents = strict('webContents', new WebContents(this.id, { ...opts.webPreferences }));
    const proxy = strict('BrowserWindow', this);
    windows.add(proxy);
    record('BrowserWindow', { id: this.id, ...opts });
    if (opts.webPreferences?.preload && !appFileExists(opts.webPreferences.preload)) {
      record('BrowserWindow.preloadMissing', opts.webPreferences.preload);
    }
    return proxy;
  }
  static getAllWindows() {
    return [...windows];
  }
  loadFile(path) {
    const ok = appFileExists(path);
    record('BrowserWindow.loadFile', path, ok);
    if (!ok) return Promise.reject(new Error(`ERR_FILE_NOT_FOUND: ${path}`));
    this.webContents._loaded(`file://${path}`);
    setImmediate(() => {
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    });
    return Promise.resolve();
  }
  loadURL(url) {
    record('BrowserWindow.loadURL', url);
    this.webContents._loaded(url);
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {
    this.#visible = true;
    record('BrowserWindow.show', this.id);
  }
  hide() {
    this.#visible = false;
  }
  isVisible() {
    return this.#visible;
  }
  focus() {
    record('BrowserWindow.focus', this.id);
  }
  isMinimized() {
    return this.#minimized;
  }
  minimize() {
    this.#minimized = true;
    this.emit('minimize');
  }
  restore() {
    this.#minimized = false;
    record('BrowserWindow.restore', this.id);
    this.emit('restore');
  }
  maximize() {
    this.#maximized = true;
    record('BrowserWindow.maximize', this.id);
  }
  isMaximized() {
    return this.#maximized;
  }
  getBounds() {
    return { ...this.#bounds };
  }
  getNormalBounds() {
    return { ...this.#normal };
  }
  setBounds(b) {
    this.#bounds = { ...this.#bounds, ...b };
    if (!this.#maximized) this.#normal = { ...this.#bounds };
    this.emit('move');
    this.emit('resize');
  }
  setTitle(t) {
    this.#title = t;
    record('BrowserWindow.setTitle', t);
  }
  getTitle() {
    return this.#title;
  }
  setProgressBar(p) {
    record('BrowserWindow.setProgressBar', p);
  }
  isDestroyed() {
    return this.#destroyed;
  }
  /** The user (or main) closes the window: 'close' may be prevented; then 'closed', then maybe 'window-all-closed'. */
  close() {
    if (this.#destroyed) return;
    const e = preventable();
    this.emit('close', e);
    if (e.defaultPrevented) return record('BrowserWindow.closePrevented', this.id);
    this.destroy();
  }
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const w of windows) if (w.id === this.id) windows.delete(w);
    record('BrowserWindow.closed', this.id);
    this.emit('closed');
    if (windows.size === 0) {
      // Electron quits by itself only when nobody listens for window-all-closed.
      if (appImpl.listenerCount('window-all-closed') > 0) appImpl.emit('window-all-closed');
      else app.quit();
    }
  }
}
export const BrowserWindow = BrowserWindowImpl;
export const firstWindow = () => [...windows][0];

export const screen = strict('screen', {
  getAllDisplays: () => [{ id: 1, scaleFactor: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  getPrimaryDisplay: () => screen.getAllDisplays()[0],
});

