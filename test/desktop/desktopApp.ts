/** Test side of the desktop stand-in: starts a built main process under Node, acts as its renderer over the MessagePort, and sees what it asked Electron to do. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Methods, Topics } from '../../src/shared/contract/index.js';
import { createRpcClient, type RpcClient } from '../../src/shared/rpc/client.js';
import type { Transport } from '../../src/shared/rpc/transport.js';
import { repoRoot } from '../helpers/fixtures.js';

const standin = join(repoRoot, 'test', 'desktop', 'standin');

/** One call main made on the stand-in Electron (`api` like 'app.setBadgeCount'), with its arguments as JSON. */
export interface Call {
  api: string;
  args: unknown[];
}

type Msg =
  | { t: 'call'; api: string; args: unknown[] }
  | { t: 'missing'; name: string; stack: string }
  | { t: 'error'; message: string }
  | { t: 'port'; port: number }
  | { t: 'msg'; port: number; data: unknown }
  | { t: 'portClosed'; port: number }
  | { t: 'invoked'; n: number; ok: boolean; value?: unknown; error?: string }
  | { t: 'navigated'; prevented: boolean; open: string };

export interface DesktopApp {
  child: ChildProcess;
  dataDir: string;
  calls: Call[];
  /** Stand-in APIs main used that the stand-in does not implement: must stay empty. */
  missing: string[];
  output(): string;
  waitForCall(api: string, pred?: (c: Call) => boolean, timeoutMs?: number): Promise<Call>;
  /** What a page does on load: asks main for its MessagePort, then speaks the contract over it. */
  connect(): Promise<RpcClient<Methods, Topics>>;
  /** ipcRenderer.invoke from the page (preload's openPath, pickConfigFiles…). */
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  /** What the user does to the window: close it, move/resize it, or try to navigate it. */
  window(action: 'close' | 'setBounds' | 'minimize' | 'navigate', arg?: object): void;
  next(t: 'navigated'): Promise<Msg>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface LaunchOptions {
  /** The program to run main with: Node, or a packaged app's own executable (a copy of Node in these tests). */
  exec?: string;
  /** The app: the repo (`electron .`) or a packaged resources/app.asar. */
  appPath?: string;
  dataDir?: string;
  userData?: string;
  env?: NodeJS.ProcessEnv;
}

/** Holders and trainers outlive main on purpose: tests kill them at the end with this. */
export function killRuns(dataDir: string): void {
  const runs = join(dataDir, 'runs');
  if (!existsSync(runs)) return;
  for (const id of readdirSync(runs)) {
    try {
      const h = JSON.parse(readFileSync(join(runs, id, 'holder.json'), 'utf8')) as { holderPid?: number; trainerPid?: number };
      for (const [pid, group] of [[h.trainerPid, true], [h.holderPid, false]] as const) {
        try {
          if (pid) process.kill(group ? -pid : pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    } catch {
      // No holder.json: nothing started there.
    }
  }
}

export function launchDesktop(opts: LaunchOptions = {}): DesktopApp {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ty-desk-'));
  const child = spawn(
    opts.exec ?? process.execPath,
    ['--import', join(standin, 'register.mjs'), join(standin, 'launch.mjs'), opts.appPath ?? repoRoot],
    {
      env: { ...process.env, TRAINYARD_DATA_DIR: dataDir, STANDIN_USER_DATA: opts.userData ?? join(dataDir, 'user-data'), ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const calls: Call[] = [];
  const missing: string[] = [];
  const listeners = new Set<(m: Msg) => void>();
  child.on('message', (m: Msg) => {
    if (m.t === 'call') calls.push({ api: m.api, args: m.args });
    if (m.t === 'missing') missing.push(m.name);
    if (m.t === 'error') out += `\n[stand-in] ${m.message}\n`;
    for (const l of [...listeners]) l(m);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));

  const next = <T extends Msg['t']>(t: T, pred: (m: Extract<Msg, { t: T }>) => boolean = () => true, timeoutMs = 60_000) =>
    new Promise<Extract<Msg, { t: T }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(l);
        reject(new Error(`timed out waiting for the stand-in's "${t}"; main said:\n${out.slice(-3000)}`));
      }, timeoutMs);
      const l = (m: Msg) => {
        if (m.t === t && pred(m as Extract<Msg, { t: T }>)) {
          clearTimeout(timer);
          listeners.delete(l);
          resolve(m as Extract<Msg, { t: T }>);
        }
      };
      listeners.add(l);
      void exited.then(() => {
        if (!listeners.has(l)) return;
        clearTimeout(timer);
        listeners.delete(l);
        reject(new Error(`main exited while waiting for "${t}"; it said:\n${out.slice(-3000)}`));
      });
    });

  let invokes = 0;
  const app: DesktopApp = {
    child,
    dataDir,
    calls,
    missing,
    output: () => out,
    async waitForCall(api, pred = () => true, timeoutMs = 60_000) {
      const seen = calls.find((c) => c.api === api && pred(c));
      if (seen) return seen;
      const m = await next('call', (c) => c.api === api && pred(c), timeoutMs);
      return { api: m.api, args: m.args };
    },
    async connect() {
      const port = next('port');
      child.send({ t: 'connect' });
      const id = (await port).port;
      const messages = new Set<(m: unknown) => void>();
      const closers = new Set<(r: string) => void>();
      const onMsg = (m: Msg) => {
        if (m.t === 'msg' && m.port === id) messages.forEach((l) => l(m.data));
        if (m.t === 'portClosed' && m.port === id) closers.forEach((l) => l('port closed'));
      };
      listeners.add(onMsg);
      void exited.then(() => closers.forEach((l) => l('main exited')));
      const transport: Transport = {
        post: (data) => void (!gone && child.connected && child.send({ t: 'post', port: id, data })),
        onMessage: (l) => (messages.add(l), () => void messages.delete(l)),
        onClose: (l) => (closers.add(l), () => void closers.delete(l)),
        close: () => {
          listeners.delete(onMsg);
          if (!gone && child.connected) child.send({ t: 'disconnect', port: id });
        },
      };
      return createRpcClient<Methods, Topics>(transport);
    },
    async invoke(channel, ...args) {
      const n = ++invokes;
      const reply = next('invoked', (m) => m.n === n);
      child.send({ t: 'invoke', n, channel, args });
      const r = await reply;
      if (!r.ok) throw new Error(r.error);
      return r.value;
    },
    window(action, arg) {
      child.send({ t: 'window', action, bounds: arg });
    },
    next: (t) => next(t),
    exited,
    async kill(signal = 'SIGTERM') {
      if (gone) return;
      child.kill(signal);
      await exited;
    },
  };
  return app;
}

/** The desktop tests run the built bundle: say how to make it instead of failing somewhere inside. */
export function assertDesktopBuilt(): void {
  if (!existsSync(join(repoRoot, 'out', 'main', 'index.js'))) throw new Error('Build the desktop app first: npm run build:electron');
}

/** Launches main and waits until its window has loaded the renderer (where a page would connect). */
export async function openDesktop(opts: LaunchOptions, started: DesktopApp[]): Promise<DesktopApp> {
  const app = launchDesktop(opts);
  started.push(app);
  await app.waitForCall('BrowserWindow.loadFile');
  return app;
}
