/** Supervisor defects found in review: a stop while 'starting', a full disk under the holder, attach racing a run's end, a holder that cannot spawn. */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../src/shared/types/run.js';
import { connectHolder, type ExitInfo, holderScriptPath, pidAlive, readExitInfo, readHolderInfo, socketPathFor, spawnHolder } from '../../../src/core/runs/holderProcess.js';
import { attach } from '../../../src/core/runs/liveRuns.js';
import { runProcesses, signalAll } from '../../../src/core/runs/procTree.js';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import type { SupervisorState } from '../../../src/core/runs/supervisorState.js';
import { commandFor, makeCtx, scriptedTrainer, spec, tempDataDir } from './helpers.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const dataDir = tempDataDir();
const ctx = makeCtx(dataDir);
const runs = createRunsDomain(ctx, { commandFor, metricsPollMs: 100, stopGraceMs: 1500, killAfterMs: 1000 });
const sup = runs.supervisor;
/** Every holder/trainer pid a test saw, killed at the end whatever happened. */
const pids = new Set<number>();
const remember = (runDir: string) => {
  const info = readHolderInfo(runDir);
  if (info) {
    pids.add(info.holderPid);
    pids.add(info.trainerPid);
    for (const p of runProcesses(info.trainerPid)) pids.add(p);
  }
};
const waitFor = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

afterAll(() => {
  for (const r of sup.list()) remember(r.runDir);
  signalAll([...pids].filter(pidAlive), 'SIGKILL');
  sup.shutdown();
  ctx.db.close();
});

describe('stop while starting', () => {
  it('delivers the stop once the holder is up instead of marking the run lost', async () => {
    let stopping: Promise<Run> | null = null;
    const off = sup.onChange((r) => {
      // The first broadcast of a launch: saved as 'starting' with the holder just spawned, before holder.json exists.
      if (r.name === 'stop-early' && r.status === 'starting' && !stopping) stopping = sup.stop(r.id);
    });
    const launched = await sup.launch(spec('stop-early', 'lines: 400\nsleep_ms: 20\n', dataDir));
    off();
    expect(stopping).not.toBeNull();
    const afterStop = await stopping!;
    // The holder had not written holder.json yet: the old code settled this as 'lost' right here.
    expect(afterStop.status).not.toBe('lost');
    remember(launched.runDir);
    const info = readHolderInfo(launched.runDir)!;
    expect(info).not.toBeNull();
    const ended = await sup.waitForEnd(launched.id, 20_000);
    expect(ended.status).toBe('stopped');
    expect(ended.pid).toBe(info.trainerPid);
    // Nothing of the run is left running: the trainer got the stop, the holder exited after recording it.
    await waitFor(() => !pidAlive(info.trainerPid) && !pidAlive(info.holderPid), 10_000, 'the trainer and holder to exit');
    expect(readExitInfo(launched.runDir)).not.toBeNull();
  }, 30_000);

  it('an engine that starts while a holder is still coming up keeps the run and attaches later', async () => {
    const run = await new Promise<Run>((resolve, reject) => {
      const off = sup.onChange((r) => {
        if (r.name === 'restart-early' && r.status === 'starting') {
          off();
          resolve(r);
        }
      });
      sup.launch(spec('restart-early', 'lines: 40\nsleep_ms: 10\n', dataDir)).catch(reject);
    });
    // A second engine on the same store, in the window before holder.json: adoption must not call the run lost.
    const other = createRunsDomain(ctx, { commandFor, metricsPollMs: 100 });
    try {
      const before = existsSync(join(run.runDir, 'holder.json'));
      await other.supervisor.start();
      if (!before) expect(other.supervisor.get(run.id)!.status).not.toBe('lost');
      const ended = await sup.waitForEnd(run.id, 20_000);
      remember(run.runDir);
      expect(ended.status).toBe('finished');
    } finally {
      other.supervisor.shutdown();
    }
  }, 30_000);
});

describe('holder on a full disk', () => {
  type Writer = { append(b: Buffer): Buffer | null; finish(): Buffer | null; readonly droppedBytes: number; readonly writtenBytes: number };
  const load = async () =>
    (await import(pathToFileURL(join(holderScriptPath(sourceTreeRuntime()), '..', 'logWriter.mjs')).href)) as {
      createLogWriter(fd: number, write: (fd: number, b: Buffer, off: number, len: number) => number): Writer;
    };

  it('counts dropped bytes, keeps going, and notes the loss in the file once space returns', async () => {
    const { createLogWriter } = await load();
    const file: Buffer[] = [];
    let full = false;
    let partialOnce = false;
    const write = (_fd: number, b: Buffer, off: number, len: number) => {
      if (full) {
        const e = new Error('ENOSPC: no space left on device') as NodeJS.ErrnoException;
        e.code = 'ENOSPC';
        throw e;
      }
      if (partialOnce) {
        // The disk fills in the middle of a chunk: 3 bytes land, then ENOSPC.
        partialOnce = false;
        full = true;
        file.push(Buffer.from(b.subarray(off, off + 3)));
        return 3;
      }
      file.push(Buffer.from(b.subarray(off, off + len)));
      return len;
    };
    const w = createLogWriter(7, write);
    expect(w.append(Buffer.from('one\n'))).toBeNull();
    partialOnce = true;
    expect(() => w.append(Buffer.from('two-two\n'))).not.toThrow();
    expect(w.append(Buffer.from('three\n'))).toBeNull();
    expect(w.droppedBytes).toBe(5 + 6);
    full = false;
    const notice = w.append(Buffer.from('four\n'));
    expect(notice?.toString()).toContain('11 bytes of output could not be written to console.log (ENOSPC)');
    const text = Buffer.concat(file).toString();
    expect(text.startsWith('one\ntwo')).toBe(true);
    expect(text.endsWith('four\n')).toBe(true);
    expect(text).toContain('[trainyard] 11 bytes');
    expect(w.finish()).toBeNull();
    expect(w.writtenBytes).toBe(Buffer.concat(file).length);
  });

  it('reports a loss that lasts to the end only in the count (finish retries the notice)', async () => {
    const { createLogWriter } = await load();
    const w = createLogWriter(7, () => {
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
    });
    expect(w.append(Buffer.from('abc'))).toBeNull();
    expect(w.finish()).toBeNull();
    expect(w.droppedBytes).toBe(3);
  });

  it.skipIf(process.platform !== 'linux' || !existsSync('/dev/full'))(
    'a holder whose console.log is full keeps the trainer running, forwards its output and records the loss',
    async () => {
      const runDir = join(dataDir, 'runs', 'full-disk');
      mkdirSync(runDir, { recursive: true });
      // Every write to /dev/full fails with ENOSPC: console.log on a disk that is full the whole run.
      symlinkSync('/dev/full', join(runDir, 'console.log'));
      const cfg = join(runDir, 'config.yaml');
      writeFileSync(cfg, 'lines: 60\nsleep_ms: 15\n');
      const socketPath = socketPathFor(runDir);
      const holderPid = spawnHolder(runDir, { argv: [process.execPath, scriptedTrainer, 'train', cfg], cwd: dataDir, socketPath, cols: 120, rows: 32 }, process.env);
      pids.add(holderPid);
      await waitFor(() => readHolderInfo(runDir) !== null || readExitInfo(runDir) !== null, 10_000, 'holder.json');
      remember(runDir);
      const got: Buffer[] = [];
      let exitFrame: ExitInfo | null = null;
      const conn = await connectHolder(socketPath, { onData: (_o, b) => got.push(b), onExit: (x) => (exitFrame = x), onClose: () => undefined });
      try {
        await waitFor(() => readExitInfo(runDir) !== null, 20_000, 'exit.json');
      } finally {
        conn.close();
      }
      const exit = readExitInfo(runDir)!;
      expect(exit.exitCode).toBe(0);
      expect(exit.droppedBytes ?? 0).toBeGreaterThan(0);
      expect(Buffer.concat(got).toString()).toContain('step 60/60');
      expect(exitFrame).not.toBeNull();
      await waitFor(() => !pidAlive(holderPid), 5_000, 'the holder to exit');
      expect(readFileSync(join(runDir, 'exit.json'), 'utf8')).toContain('droppedBytes');
    },
    30_000,
  );
});

describe('attach racing the end of a run', () => {
  it('starts no metrics follower on a run let go while its link was opening', async () => {
    const state = (sup as unknown as { state: SupervisorState }).state;
    const run = sup.list().find((r) => r.name === 'restart-early');
    expect(run).toBeTruthy();
    const stored = state.repo.get(run!.id)!;
    // A fake holder: answers the hello only after the test has let the run go.
    const sockPath = join(dataDir, 'fake.sock');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const server = net.createServer((c) => {
      void gate.then(() => {
        const body = Buffer.from(JSON.stringify({ offset: 0, holderPid: process.pid, trainerPid: 0 }));
        const head = Buffer.alloc(5);
        head.writeUInt8('H'.charCodeAt(0), 0);
        head.writeUInt32BE(body.length, 1);
        c.write(Buffer.concat([head, body]));
      });
    });
    await new Promise<void>((r) => server.listen(sockPath, r));
    try {
      const attaching = attach(state, stored, sockPath, 0, { exit: () => undefined, closed: () => undefined });
      const l = state.live.get(stored.id)!;
      expect(l).toBeTruthy();
      state.live.delete(stored.id); // what dropLive does when the run ends meanwhile
      release();
      await attaching;
      expect(l.follower).toBeNull();
      expect(state.live.has(stored.id)).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('a holder that cannot be spawned', () => {
  it('fails the launch with a clear reason instead of leaving it starting (and the spawn error crashes nothing)', async () => {
    // One env string over the kernel's 128 KiB per-string limit: exec fails with E2BIG, spawn reports an 'error'.
    const run = await sup.launch({ ...spec('no-holder', 'lines: 1\n', dataDir), extraEnv: { HUGE: 'x'.repeat(200_000) } });
    expect(run.status).toBe('failed');
    expect(run.failure?.message.text).toMatch(/could not start the run's holder process/);
    expect(sup.get(run.id)!.status).toBe('failed');
    // Give the child's 'error' event time to fire: without a listener it would be an uncaught exception.
    await new Promise((r) => setTimeout(r, 200));
  });
});
