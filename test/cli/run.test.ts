/** `trainyard run/ps/stop/logs`: on a one-shot engine, and on a running `serve` engine through its control socket (real demo runs). */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { Run } from '../../src/shared/types/run.js';
import { repoRoot } from '../helpers/fixtures.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

const example = join(repoRoot, 'resources', 'examples', 'support-lora.yaml');

async function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let server: RunningServer | null = null;
afterAll(async () => {
  await server?.close();
});

describe('trainyard run / ps / stop / logs', () => {
  it('refuses bad usage with exit 2 and a reason', async () => {
    expect((await cli(['run'])).code).toBe(2);
    const both = await cli(['run', example, '--lane', 'auto', '--gpus', '0']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--lane or --gpus/);
    const lane = await cli(['run', example, '--lane', 'slurm:a b']);
    expect(lane.code).toBe(2);
    expect(lane.err).toMatch(/not a lane/);
    expect((await cli(['run', example, '--nodes', '2'])).err).toMatch(/for Slurm lanes/);
    for (const c of ['run', 'ps', 'stop', 'logs']) expect((await cli([c, '--help'])).out).toMatch(new RegExp(`Usage: trainyard ${c}`));
  });

  it('with no engine running, queues on a one-shot engine, waits, exits 0, and ps --json shows the finished run with its metrics', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ty-cli-'));
    const r = await cli(['run', example, '--trainer', 'demo', '--wait', '--json', '--data-dir', dataDir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [run] = JSON.parse(r.out) as Run[];
    expect(run!.status).toBe('finished');
    // The one-shot engine let go of the data folder: no socket, no lock left behind.
    expect(existsSync(join(dataDir, 'engine.sock'))).toBe(false);
    const ps = await cli(['ps', '--json', '--data-dir', dataDir]);
    expect(ps.code).toBe(0);
    const listed = (JSON.parse(ps.out) as (Run & { metrics: { points: number; last: { step: number; loss?: number } | null } })[]).find((x) => x.id === run!.id)!;
    expect(listed.status).toBe('finished');
    expect(listed.metrics.points).toBeGreaterThan(5);
    expect(listed.progress?.lastLoss).toEqual(expect.any(Number));
    const table = await cli(['ps', '--data-dir', dataDir]);
    expect(table.out).toMatch(new RegExp(`${run!.id}\\s+support-lora\\s+finished\\s+gpu:0\\s+38/38`));
  }, 180_000);

  it('talks to a running serve engine through its 0600 control socket: run --wait exits 130 when stopped, logs prints the console', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ty-cli-'));
    // Slow demo steps: the run is still going when it is stopped.
    server = await startServer({ runtime: sourceTreeRuntime(), port: 0, host: '127.0.0.1', dataDir, staticDir: join(repoRoot, 'out', 'renderer'), env: { ...process.env, DEMO_TRAINER_STEP_DELAY_MS: '200', DEMO_TRAINER_THREADS: '1' } });
    const sock = join(dataDir, 'engine.sock');
    expect(statSync(sock).isSocket()).toBe(true);
    expect(statSync(sock).mode & 0o777).toBe(0o600);
    const waiting = cli(['run', example, '--trainer', 'demo', '--wait', '--data-dir', dataDir]);
    // The run is the serve engine's own (no second engine could have taken the data folder's lock).
    const run = await until('the run on the serve engine', async () => {
      const r = (await server!.core.handlers['runs.list']({}, { connectionId: 't' })) as Run[];
      return r.find((x) => x.status === 'running' && (x.progress?.step ?? 0) >= 2);
    });
    const ps = await cli(['ps', '--data-dir', dataDir]);
    expect(ps.out).toMatch(new RegExp(`${run.id}\\s+support-lora\\s+running`));
    const logs = await cli(['logs', run.id, '--data-dir', dataDir]);
    expect(logs.code).toBe(0);
    expect(logs.out).toMatch(/loss/);
    const stop = await cli(['stop', run.id, '--data-dir', dataDir]);
    expect(stop.code).toBe(0);
    expect(stop.out).toMatch(/stopping|stopped/);
    const result = await waiting;
    expect(result.code).toBe(130);
    expect(result.out).toMatch(new RegExp(`${run.id}\\s+support-lora\\s+stopped`));
    // --follow ends with the run: the whole log, the trainer's save-and-stop included.
    const followed = await cli(['logs', 'support-lora', '--follow', '--data-dir', dataDir]);
    expect(followed.out).toMatch(/SIGABRT/);
  }, 180_000);
});
