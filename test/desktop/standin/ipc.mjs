/** Stand-in ipcMain and MessageChannelMain, and the test's side of them: the page's ports, invokes and window actions. */
import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { onTest, tell } from './bridge.mjs';
import { preventable } from './events.mjs';
import { strict } from './strict.mjs';
import { firstWindow } from './windows.mjs';

const ipcListeners = new Map();
const ipcHandlers = new Map();
export const ipcMain = strict('ipcMain', {
  on(channel, fn) {
    ipcListeners.set(channel, [...(ipcListeners.get(channel) ?? []), fn]);
    return ipcMain;
  },
  handle(channel, fn) {
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcHandlers.set(channel, fn);
  },
  removeHandler(channel) {
    ipcHandlers.delete(channel);
  },
});

/** Electron's MessagePortMain: 'message' listeners get {data, ports}; it starts queued until start(). */
class PortMain extends EventEmitter {
  #port;
  constructor(port) {
    super();
    this.#port = port;
    port.on('message', (data) => this.emit('message', { data, ports: [] }));
    port.on('close', () => this.emit('close'));
  }
  postMessage(m) {
    this.#port.postMessage(m);
  }
  start() {
    this.#port.start();
  }
  close() {
    this.#port.close();
  }
  _raw() {
    return this.#port;
  }
}
export class MessageChannelMain {
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port1 = strict('MessagePortMain', new PortMain(port1));
    this.port2 = strict('MessagePortMain', new PortMain(port2));
  }
}

/** The page's end of a port main handed over: its messages travel to the test and back. */
let nextPort = 1;
const ports = new Map();
export function bridgePort(port) {
  const id = nextPort++;
  const raw = port._raw();
  ports.set(id, raw);
  raw.on('message', (data) => tell({ t: 'msg', port: id, data }));
  raw.on('close', () => tell({ t: 'portClosed', port: id }));
  raw.start();
  tell({ t: 'port', port: id });
}

onTest('connect', () => {
  const w = firstWindow();
  if (!w) return tell({ t: 'error', message: 'connect: no window is open' });
  for (const fn of ipcListeners.get('trainyard:connect') ?? []) fn({ sender: w.webContents, ports: [] });
});
onTest('post', ({ port, data }) => ports.get(port)?.postMessage(data));
onTest('disconnect', ({ port }) => ports.get(port)?.close());
onTest('invoke', ({ n, channel, args }) => {
  const fn = ipcHandlers.get(channel);
  const w = firstWindow();
  Promise.resolve()
    .then(() => {
      if (!fn) throw new Error(`No handler registered for '${channel}'`);
      return fn({ sender: w?.webContents }, ...args);
    })
    .then(
      (value) => tell({ t: 'invoked', n, ok: true, value: value ?? null }),
      (e) => tell({ t: 'invoked', n, ok: false, error: String(e?.message ?? e) }),
    );
});
onTest('window', ({ action, bounds }) => {
  const w = firstWindow();
  if (!w) return tell({ t: 'error', message: `window ${action}: no window is open` });
  if (action === 'close') w.close();
  else if (action === 'setBounds') w.setBounds(bounds);
  else if (action === 'minimize') w.minimize();
  else if (action === 'navigate') {
    const e = preventable();
    w.webContents.emit('will-navigate', e, bounds.url);
    tell({ t: 'navigated', prevented: e.defaultPrevented, open: w.webContents._tryOpen(bounds.url).action });
  }
});

