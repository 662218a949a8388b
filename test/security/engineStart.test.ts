/** Issue 12 item 8: an engine that cannot write its database exits at once with a clear message; two engines started together never share a folder. */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/createCore.js';
import { acquireEngineLock } from '../../src/core/store/engineLock.js';
import { repoRoot } from '../helpers/fixtures.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'trainyard-start-'));
  dirs.push(d);
  return d;
};

const NOBODY = 65534;
const env = { ...process.env, TRAINYARD_NVIDIA_SMI: '/nonexistent', TRAINYARD_TOKEN: undefined };

interface Engine {
  out(): string;
  printedUrl(): boolean;
  exited: Promise<number | null>;
  kill(): void;
}

/** Starts `trainyard serve`; as another user when `asUid` is given (root can write any file). */
function startEngine(dataDir: string, asUid?: number): Engine {
  const cli = [join(repoRoot, 'bin', 'trainyard.js'), 'serve', '--port', '0', '--data-dir', dataDir];
  const [cmd, args] = asUid === undefined ? [process.execPath, cli] : ['setpriv', [`--reuid=${asUid}`, `--regid=${asUid}`, '--clear-groups', process.execPath, ...cli]];
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  void exited.then(() => clearTimeout(timer));
  return { out: () => out, printedUrl: () => /Open: http/.test(out), exited, kill: () => child.kill('SIGTERM') };
}

/** Waits until every engine has either printed its URL or exited, then stops the running ones. */
async function settle(engines: Engine[]): Promise<{ code: number | null; out: string; printedUrl: boolean }[]> {
  const codes = new Map<Engine, number | null>();
  engines.forEach((e) => void e.exited.then((c) => codes.set(e, c)));
  const deadline = Date.now() + 90_000;
  while (!engines.every((e) => e.printedUrl() || codes.has(e)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const printed = engines.map((e) => e.printedUrl());
  engines.forEach((e) => e.kill());
  return Promise.all(engines.map(async (e, i) => ({ code: await e.exited, out: e.out(), printedUrl: printed[i]! })));
}

describe('an engine whose database is read-only', () => {
  it('exits with code 1 and says so, leaving no engine.lock', { timeout: 120_000 }, async () => {
    const dataDir = tmp();
    await createCore({ runtime: sourceTreeRuntime(), dataDir, host: 'serve', env }).stop();
    const root = process.getuid?.() === 0;
    if (root) {
      // Root writes any file: run the engine as nobody, owning the folder but not the database.
      chownSync(dataDir, NOBODY, NOBODY);
      chmodSync(join(dataDir, 'trainyard.db'), 0o644);
    } else chmodSync(join(dataDir, 'trainyard.db'), 0o444);
    const r = (await settle([startEngine(dataDir, root ? NOBODY : undefined)]))[0]!;
    expect(r.printedUrl, r.out).toBe(false);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/read-only/);
    expect(r.out).toContain(join(dataDir, 'trainyard.db'));
    expect(r.out).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(existsSync(join(dataDir, 'engine.lock'))).toBe(false);
  });
});

describe('the engine lock', () => {
  it('is not taken over while another engine is still writing it', () => {
    const dir = tmp();
    const lock = join(dir, 'engine.lock');
    // What a racing engine sees between another one creating the file and writing its pid into it.
    writeFileSync(lock, '');
    expect(() => acquireEngineLock(lock, 'serve')).toThrow(/Another Trainyard engine|being started/);
  });

  it('lets exactly one of several engines started at the same instant run', { timeout: 300_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const dataDir = tmp();
      const results = await settle([startEngine(dataDir), startEngine(dataDir), startEngine(dataDir)]);
      const winners = results.filter((r) => r.printedUrl);
      expect(winners.length, results.map((r) => r.out).join('\n---\n')).toBe(1);
      for (const loser of results.filter((r) => !r.printedUrl)) {
        expect(loser.code).toBe(1);
        expect(loser.out).toMatch(/Another Trainyard engine/);
      }
    }
  });
});

describe('an engine asked to stop', () => {
  it('exits on SIGTERM while a client holds a half-sent request open', { timeout: 120_000 }, async () => {
    const dataDir = tmp();
    const engine = startEngine(dataDir);
    const deadline = Date.now() + 90_000;
    while (!engine.printedUrl() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const port = Number(/Open: http:\/\/[^:]+:(\d+)/.exec(engine.out())![1]);
    // A request whose headers never end: http.Server.close() alone waits for it until Node's 60 s headers timeout
    // (a download still streaming holds it the same way, for as long as it lasts).
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
    socket.on('error', () => undefined);
    const asked = Date.now();
    engine.kill();
    const code = await Promise.race([engine.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000))]);
    socket.destroy();
    expect(code, `${engine.out()}\n(${Date.now() - asked} ms after SIGTERM)`).toBe(0);
  });
});
