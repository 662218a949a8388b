/** The only file that touches ipcMain: hands each page a MessagePort carrying the contract, plus a few desktop functions. */
import type { BrowserWindow } from 'electron';
import { dialog, ipcMain, MessageChannelMain, Notification, shell, type MessagePortMain } from 'electron';
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import { methods, topics } from '../shared/contract/index.js';
import { serveRpc } from '../shared/rpc/server.js';
import type { Transport } from '../shared/rpc/transport.js';
import type { Core } from '../core/createCore.js';
import { messages } from './messages.js';
import { logger } from '../core/log/logger.js';

const log = logger('ipc');

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

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
};

/**
 * The page may only show what belongs to runs: the data folder (run logs) and every run's output folder. Folders
 * open in the file manager; a file is shown selected in its folder, never launched (a trainer writes those files,
 * and opening an executable or a .desktop file could run it).
 */
async function showInFileManager(core: Core, path: unknown): Promise<void> {
  if (typeof path !== 'string' || !isAbsolute(path)) throw new Error('Only absolute paths can be shown.');
  const target = real(resolve(path));
  if (!target) throw new Error(`${path} does not exist (any more).`);
  // This machine's runs only: a remote engine's run folders are paths on that box, and a box must not widen what the page may open here.
  const runs = (await core.handlers['runs.list']({ includeApi: true }, { connectionId: 'main' })).filter((r) => !r.box);
  const roots = [core.ctx.paths.dataDir, ...runs.flatMap((r) => [r.outputDir, r.runDir])]
    .filter((p): p is string => !!p)
    .map(real)
    .filter((p): p is string => p !== null);
  if (!roots.some((r) => target === r || target.startsWith(r + sep))) throw new Error(`${path} is not part of a Trainyard run.`);
  if (statSync(target).isDirectory()) {
    const failed = await shell.openPath(target);
    if (failed) throw new Error(failed);
  } else shell.showItemInFolder(target);
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
      onInternalError: (m, e) => log.error(`${m} failed`, e),
    });
    port1.on('close', stop);
    port1.start();
    event.sender.postMessage('trainyard:port', null, [port2]);
  });
  ipcMain.handle('trainyard:openPath', (_e, path: unknown) => showInFileManager(core, path));
  ipcMain.handle('trainyard:openExternal', (_e, url: unknown) => {
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error('Only http(s) links open externally.');
    return shell.openExternal(url);
  });
  ipcMain.handle('trainyard:pickConfigFiles', async () => {
    const win = getWindow();
    const m = messages(core.ctx.settings().language);
    const opts: Electron.OpenDialogOptions = {
      title: m.importTitle,
      properties: ['openFile', 'openDirectory', 'multiSelections'],
      filters: [{ name: m.configs, extensions: ['yaml', 'yml', 'json'] }],
    };
    const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    return r.canceled ? [] : r.filePaths;
  });
  ipcMain.on('trainyard:notify', (_e, title: unknown, body: unknown) => {
    if (typeof title === 'string' && typeof body === 'string' && Notification.isSupported()) new Notification({ title, body }).show();
  });
}
