/** The key guarantee: kill -9 the engine mid-run, start a new one on the same data dir — runs survive, logs are byte-exact, metrics have no duplicates or gaps. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pidAlive, readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { runProcesses, signalAll } from '../../../src/core/runs/procTree.js';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { commandFor, makeCtx, tempDataDir } from './helpers.js';

const dataDir = tempDataDir();
const copies = ['a', 'b', 'c'].map((n) => join(dataDir, `copy-${n}.txt`));
const specs = [
  { name: 'long-ok', yaml: `lines: 300\nevery: 3\nsleep_ms: 12\ncopy_file: ${copies[0]}\n`, gpus: [0] },
  { name: 'fails-3', yaml: `lines: 60\nevery: 4\nsleep_ms: 12\nexit_code: 3\ncopy_file: ${copies[1]}\n`, gpus: [1] },
  { name: 'longer-ok', yaml: `lines: 450\nevery: 5\nsleep_ms: 12\ncopy_file: ${copies[2]}\n`, gpus: [2, 3] },
];
const holders: number[] = [];
const trainers: number[] = [];

const waitFor = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

afterAll(() => {
  for (const pid of trainers) signalAll(runProcesses(pid), 'SIGKILL');
  signalAll(holders, 'SIGKILL');
});

describe('engine crash and adoption', () => {
  it('keeps three runs alive through kill -9 of the engine and adopts them exactly', async () => {
    const engine = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/core/runs/harness/engine.ts'), dataDir, JSON.stringify(specs)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ids = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      engine.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { ids: string[] }).ids);
      });
      engine.on('exit', (code) => reject(new Error(`engine exited early (${code})`)));
    });
    const runDirs = ids.map((id) => join(dataDir, 'runs', id));
    for (const d of runDirs) {
      const info = readHolderInfo(d)!;
      holders.push(info.holderPid);
      trainers.push(info.trainerPid);
    }
    // Mid-run: every run has written something, none has finished.
    await waitFor(() => runDirs.every((d) => existsSync(join(d, 'console.log')) && statSync(join(d, 'console.log')).size > 500), 10_000, 'output');
    expect(runDirs.some((d) => existsSync(join(d, 'exit.json')))).toBe(false);
    engine.kill('SIGKILL');
    await new Promise((r) => engine.once('exit', r));

    // The holders are separate processes: they outlive the engine. The failing run ends while no engine is up.
    expect(holders.every(pidAlive)).toBe(true);
    await waitFor(() => existsSync(join(runDirs[1]!, 'exit.json')), 10_000, 'run b to end while the engine is down');

    const ctx = makeCtx(dataDir);
    const runs = createRunsDomain(ctx, { commandFor, metricsPollMs: 50 });
    const sup = runs.supervisor;
    try {
      await runs.start?.();
      expect(sup.get(ids[1]!)!.status).toBe('failed');
      expect(sup.get(ids[1]!)!.exitCode).toBe(3);
      expect(sup.get(ids[2]!)!.status).toBe('running');

      // A terminal viewer on an adopted run: replay first, then live bytes.
      const events: { data: string; replay?: boolean }[] = [];
      const unsub = runs.subscriptions['terminal.data']({ id: ids[2]! }, (d) => events.push(d), { connectionId: 'c', subscriptionId: 1 });
      await waitFor(() => events.length >= 3, 10_000, 'live terminal data');
      expect(events[0]!.replay).toBe(true);
      expect(events[0]!.data).toContain('scripted trainer');
      expect(events[1]!.replay).toBeUndefined();
      unsub();

      const ended = await Promise.all(ids.map((id) => sup.waitForEnd(id, 30_000)));
      expect(ended.map((r) => r.status)).toEqual(['finished', 'failed', 'finished']);
      expect(ended.map((r) => r.exitCode)).toEqual([0, 3, 0]);
      expect(ended.map((r) => r.env.CUDA_VISIBLE_DEVICES)).toEqual(['0', '1', '2,3']);

      for (let i = 0; i < 3; i++) {
        const run = ended[i]!;
        // The pty turns \n into \r\n (ONLCR); the trainer itself writes only \n, so normalising is exact.
        const log = readFileSync(join(run.runDir, 'console.log'), 'utf8').replace(/\r\n/g, '\n');
        expect(log).toBe(readFileSync(copies[i]!, 'utf8'));
        const lines = readFileSync(join(run.outputDir, 'trainer_log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { current_steps: number; loss: number });
        const points = sup.metrics.points(run.id);
        expect(points.map((p) => p.step)).toEqual(lines.map((l) => l.current_steps));
        expect(points.map((p) => p.loss)).toEqual(lines.map((l) => l.loss));
        expect(new Set(points.map((p) => p.step)).size).toBe(points.length);
      }
      expect(ended[1]!.failure?.message.text).toContain('scripted failure 3');
      // Each holder exits on its own once its trainer has ended and the exit is recorded.
      await waitFor(() => holders.every((p) => !pidAlive(p)), 5_000, 'holders to exit');
    } finally {
      sup.shutdown();
      ctx.db.close();
    }
  }, 60_000);
});
