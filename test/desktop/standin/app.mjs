/** Stand-in `app`: ready, paths and version from the launched app, the single-instance lock, quit and exit like Electron. */
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { flushed } from './bridge.mjs';
import { preventable, record } from './events.mjs';
import { standin } from './state.mjs';
import { strict } from './strict.mjs';
import { windows } from './windows.mjs';

class App extends EventEmitter {
  isPackaged = false;
  #ready = false;
  #lockServer = null;
  #notifying = Promise.resolve();
  #badge = 0;

  constructor() {
    super();
    setImmediate(() => {
      this.#ready = true;
      this.isPackaged = standin.appPath.endsWith('.asar');
      this.emit('ready', preventable());
    });
  }
  whenReady() {
    return this.#ready ? Promise.resolve() : new Promise((r) => this.once('ready', () => r()));
  }
  isReady() {
    return this.#ready;
  }
  getAppPath() {
    return standin.appPath;
  }
  getVersion() {
    return standin.pkg.version ?? '0.0.0';
  }
  getName() {
    return standin.pkg.productName ?? standin.pkg.name ?? 'Electron';
  }
  getPath(name) {
    if (name === 'userData') return standin.userData;
    if (name === 'temp') return process.env.TMPDIR ?? '/tmp';
    if (name === 'home') return process.env.HOME ?? '/';
    throw new Error(`The Electron stand-in has no app.getPath('${name}')`);
  }
  setBadgeCount(n) {
    this.#badge = n;
    record('app.setBadgeCount', n);
    return true;
  }
  getBadgeCount() {
    return this.#badge;
  }

  /**
   * Like Electron (a lock beside userData, a socket to the first instance): false in a second instance, which then
   * hands its argv to the first ('second-instance' there) before it quits.
   */
  requestSingleInstanceLock() {
    mkdirSync(standin.userData, { recursive: true });
    const lock = join(standin.userData, 'SingletonLock');
    const sock = join(standin.userData, 'SingletonSocket');
    for (let i = 0; i < 2; i++) {
      try {
        const fd = openSync(lock, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        rmSync(sock, { force: true });
        this.#lockServer = net.createServer((c) => {
          let text = '';
          c.on('data', (d) => (text += d));
          c.on('end', () => {
            const { argv, cwd } = JSON.parse(text);
            this.emit('second-instance', preventable(), argv, cwd, {});
          });
        });
        this.#lockServer.listen(sock);
        this.#lockServer.unref();
        process.once('exit', () => rmSync(lock, { force: true }));
        return true;
      } catch (e) {
        if (e.code !== 'EEXIST') throw e;
        const owner = Number(readFileSync(lock, 'utf8'));
        if (owner && owner !== process.pid && alive(owner)) {
          this.#notifying = new Promise((done) => {
            const c = net.connect(sock, () => c.end(JSON.stringify({ argv: process.argv, cwd: process.cwd() })));
            c.on('close', done);
            c.on('error', done);
          });
          return false;
        }
        rmSync(lock, { force: true });
      }
    }
    return false;
  }

  /** Electron: close every window (each may refuse), then 'will-quit' (may be prevented), then exit. */
  quit() {
    record('app.quit');
    void this.#notifying.then(() => {
      const before = preventable();
      this.emit('before-quit', before);
      if (before.defaultPrevented) return;
      for (const w of [...windows]) {
        w.close();
        if (!w.isDestroyed()) return;
      }
      const willQuit = preventable();
      this.emit('will-quit', willQuit);
      if (!willQuit.defaultPrevented) void this.exit(0);
    });
  }
  exit(code = 0) {
    record('app.exit', code);
    void flushed().then(() => process.exit(code));
  }
}
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};
export const appImpl = new App();
export const app = strict('app', appImpl);

