/** e2e harness: starts the real `trainyard serve` as a child process and a headless Debian Chromium driven by playwright-core. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
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

/** The engine's API as a test holds it. */
export type Api = RpcClient<Methods, Topics>;

/** What an engine is started with: the fake nvidia-smi and the demo trainer's pace. */
export interface EngineEnvOptions {
  /** Put test/fixtures/bin first on PATH so the engine sees the fake nvidia-smi (default); false: the machine's own PATH. */
  fakeSmi?: boolean;
  /** FAKE_GPUS for the fake nvidia-smi: "4", or "count:name:MiB" (its default is 4 × H100 80GB). */
  fakeGpus?: string;
  /** DEMO_TRAINER_STEP_DELAY_MS: the pause after each demo training step. */
  stepDelayMs?: number;
  /** More engine environment (the demo trainer's failure knobs, FAKE_NVIDIA_SMI_STATE…), laid over the options above. */
  env?: NodeJS.ProcessEnv;
}

/** The environment for startServe from those options (also for a test that restarts or adds an engine). */
export function engineEnv(opts: EngineEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  if (opts.fakeSmi ?? true) env.PATH = `${join(repoRoot, 'test', 'fixtures', 'bin')}:${process.env.PATH}`;
  if (opts.fakeGpus !== undefined) env.FAKE_GPUS = opts.fakeGpus;
  if (opts.stepDelayMs !== undefined) env.DEMO_TRAINER_STEP_DELAY_MS = String(opts.stepDelayMs);
  return { ...env, ...opts.env };
}

export interface OpenAppOptions extends EngineEnvOptions {
  dataDir?: string;
  /** The trainer chosen in the settings before anything else (default the bundled demo); null leaves the settings alone. */
  trainer?: 'demo' | null;
  /** Engine state to make through the API before the page loads, so that its first render already shows it. */
  setup?: (api: Api) => Promise<unknown>;
  /** The page's viewport; default 1440 × 900. */
  viewport?: { width: number; height: number };
  /** More options of the page's browser context (acceptDownloads, bypassCSP, permissions…). */
  context?: BrowserContextOptions;
  /** Open serve.url in the page (default); false leaves it blank, for a test that navigates there itself. */
  load?: boolean;
}

/**
 * The start of most e2e files: an engine, an API client on it, the trainer and `setup` state, a browser and one page on
 * the app. If a step fails, what was already started is torn down before the error is passed on, since the file's
 * afterAll never received it.
 */
export async function openApp(opts: OpenAppOptions = {}): Promise<{ serve: ServeProcess; api: Api; browser: Browser; page: Page }> {
  const serve = await startServe({ dataDir: opts.dataDir, env: engineEnv(opts) });
  let api: Api | undefined;
  let browser: Browser | undefined;
  try {
    api = await connectApi(serve);
    const trainer = opts.trainer === undefined ? 'demo' : opts.trainer;
    if (trainer) await api.call('settings.update', { trainer: { kind: trainer } });
    await opts.setup?.(api);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1440, height: 900 }, ...opts.context });
    if (opts.load ?? true) await page.goto(serve.url);
    return { serve, api, browser, page };
  } catch (e) {
    await tearDown({ api, browser, serves: [serve] });
    throw e;
  }
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
