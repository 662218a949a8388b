/** e2e harness: starts the real `trainyard serve` as a child process and a headless Debian Chromium driven by playwright-core. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { wsTransport } from '../../src/server/wsTransport.js';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src/shared/auth.js';
import type { Methods, Topics } from '../../src/shared/contract/index.js';
import { createRpcClient, type RpcClient } from '../../src/shared/rpc/client.js';
import { repoRoot } from '../helpers/fixtures.js';

export const artifactsDir = join(repoRoot, 'test-results');

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Data dirs this test file started engines on: their runs are killed when the test process exits. */
const dataDirs = new Set<string>();

/**
 * Runs outlive the engine on purpose (their holders are detached), so a test that ends without stopping its runs
 * would leave trainers burning CPU for the next test files. Kill every holder and trainer group we started.
 */
export function killRunsIn(dataDir: string): void {
  const runs = join(dataDir, 'runs');
  if (!existsSync(runs)) return;
  for (const id of readdirSync(runs)) {
    const file = join(runs, id, 'holder.json');
    if (!existsSync(file)) continue;
    try {
      const h = JSON.parse(readFileSync(file, 'utf8')) as { holderPid?: number; trainerPid?: number };
      if (h.trainerPid) process.kill(-h.trainerPid, 'SIGKILL');
    } catch {
      // Already gone, or a half-written holder.json.
    }
    try {
      const h = JSON.parse(readFileSync(file, 'utf8')) as { holderPid?: number };
      if (h.holderPid) process.kill(h.holderPid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
process.once('exit', () => dataDirs.forEach(killRunsIn));

export async function startServe(opts: { dataDir?: string; env?: NodeJS.ProcessEnv; port?: number } = {}): Promise<ServeProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'trainyard-e2e-'));
  dataDirs.add(dataDir);
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'trainyard.js'), 'serve', '--port', String(opts.port ?? 0), '--data-dir', dataDir], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /Open: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}):\n${out}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    // The token rides in the fragment (#token=…), which the browser never sends to the server.
    token: new URLSearchParams(u.hash.slice(1)).get('token')!,
    port: Number(u.port),
    dataDir,
    child,
    output: () => out,
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

/** playwright's launch() already gives each browser a fresh temporary profile (the STACK.md --user-data-dir advice). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** A WebSocket client of the engine (same contract as the UI), to read what the UI does not show and to set up state. */
export function connectApi(s: ServeProcess): Promise<RpcClient<Methods, Topics>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + s.token], { headers: { Origin: s.origin } });
    ws.once('error', reject);
    ws.once('open', () => resolve(createRpcClient<Methods, Topics>(wsTransport(ws))));
  });
}

/**
 * Polls `probe` until it returns something truthy and resolves with that value; rejects with
 * "timed out waiting for <what>" once `timeoutMs` has passed. `intervalMs` is the pause between probes.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves with whether `p` settled within `ms`; a step that overran is named on stderr instead of hanging the hook. */
async function within(what: string, p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<false>((r) => (timer = setTimeout(() => r(false), ms))),
  ]);
  clearTimeout(timer);
  if (!settled) console.error(`e2e clean-up: ${what} did not finish within ${ms / 1000} s; going on`);
  return settled;
}

/**
 * The end of every e2e file: `first` (stop runs, chat servers…), then the API client, the browser (its contexts first:
 * Chromium's Browser.close() can wait forever on a download, playwright#22185) and the engines. Each step is bounded
 * so a clean-up that hangs on a slow machine reports which one it was and never fails a file whose tests passed; an
 * engine that ignores SIGTERM is killed, and said so.
 */
export async function tearDown(parts: {
  first?: () => Promise<unknown>;
  api?: { close(): void };
  browser?: Browser;
  serves?: (ServeProcess | undefined)[];
}): Promise<void> {
  if (parts.first) await within('stopping what the tests started', parts.first(), 30_000);
  parts.api?.close();
  if (parts.browser) {
    await within('closing the browser contexts', Promise.all(parts.browser.contexts().map((c) => c.close())), 20_000);
    await within('closing the browser', parts.browser.close(), 20_000);
  }
  await Promise.all(
    (parts.serves ?? []).map(async (s) => {
      if (s && !(await within(`serve on port ${s.port} exiting on SIGTERM`, s.stop(), 30_000))) await s.stop('SIGKILL');
    }),
  );
}
