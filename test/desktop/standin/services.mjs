/** Stand-in dialog, shell, Notification and session: each call is reported to the test and answered like Electron would. */
import { existsSync, statSync } from 'node:fs';
import { record } from './events.mjs';
import { strict } from './strict.mjs';

export const dialog = strict('dialog', {
  showErrorBox: (title, content) => record('dialog.showErrorBox', title, content),
  showMessageBox: (a, b) => {
    record('dialog.showMessageBox', b ?? a);
    return Promise.resolve({ response: 0, checkboxChecked: false });
  },
  showOpenDialog: (a, b) => {
    record('dialog.showOpenDialog', b ?? a);
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
});

export const shell = strict('shell', {
  openPath: (p) => {
    record('shell.openPath', p);
    return Promise.resolve(existsSync(p) && statSync(p).isDirectory() ? '' : `Failed to open path ${p}`);
  },
  showItemInFolder: (p) => record('shell.showItemInFolder', p),
  openExternal: (url) => {
    record('shell.openExternal', url);
    return Promise.resolve();
  },
});

class NotificationImpl {
  static isSupported() {
    return true;
  }
  constructor(opts) {
    this.opts = opts;
    return strict('Notification', this);
  }
  show() {
    record('Notification.show', this.opts);
  }
}
export const Notification = NotificationImpl;

const webRequest = strict('webRequest', { onHeadersReceived: () => record('session.onHeadersReceived') });
export const session = strict('session', {
  defaultSession: strict('defaultSession', {
    webRequest,
    setPermissionRequestHandler: () => record('session.setPermissionRequestHandler'),
  }),
});

