/** The only file that touches ipcMain: hands each page a MessagePort carrying the contract, plus a few desktop functions. */
import type { BrowserWindow} from 'electron';
import { dialog, ipcMain, MessageChannelMain, Notification, shell, type MessagePortMain } from 'electron';
import { methods, topics } from '../shared/contract/index.js';
import { serveRpc } from '../shared/rpc/server.js';
import type { Transport } from '../shared/rpc/transport.js';
import type { Core } from '../core/createCore.js';

function portTransport(port: MessagePortMain): Transport {
  return {
    post: (m) => port.postMessage(m),
    onMessage(listener) {
      const h = (e: Electron.MessageEvent) => listener(e.data);
      port.on('message', h);
      return () => port.off('message', h);
    },
    onClose(listener) {
      const h = () => listener('port closed');
      port.on('close', h);
      return () => port.off('close', h);
    },
    close: () => port.close(),
  };
}

let connections = 0;

export function registerIpc(core: Core, getWindow: () => BrowserWindow | null): void {
  ipcMain.on('trainyard:connect', (event) => {
    const { port1, port2 } = new MessageChannelMain();
    const stop = serveRpc(portTransport(port1), {
      methods,
      topics,
      handlers: core.handlers,
      subscriptions: core.subscriptions,
      connectionId: `ipc-${++connections}`,
      onInternalError: (m, e) => console.error(`[ipc] ${m} failed:`, e),
    });
    port1.on('close', stop);
    port1.start();
    event.sender.postMessage('trainyard:port', null, [port2]);
  });
  ipcMain.handle('trainyard:openPath', (_e, path: unknown) => {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new Error('openPath needs an absolute path.');
    return shell.openPath(path);
  });
  ipcMain.handle('trainyard:openExternal', (_e, url: unknown) => {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error('Only http(s) links open externally.');
    return shell.openExternal(url);
  });
  ipcMain.handle('trainyard:pickConfigFiles', async () => {
    const win = getWindow();
    const opts: Electron.OpenDialogOptions = {
      title: 'Import LLaMA-Factory configs',
      properties: ['openFile', 'openDirectory', 'multiSelections'],
      filters: [{ name: 'Configs', extensions: ['yaml', 'yml', 'json'] }],
    };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? [] : r.filePaths;
  });
  ipcMain.on('trainyard:notify', (_e, title: unknown, body: unknown) => {
    if (typeof title === 'string' && typeof body === 'string' && Notification.isSupported()) new Notification({ title, body }).show();
  });
}
