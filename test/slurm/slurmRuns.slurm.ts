/** Slurm lanes end to end on the one-node test cluster: real sbatch/squeue/scancel, the bundled demo trainer, a real engine. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/createCore.js';
import type { Run } from '../../src/shared/types/run.js';
import type { Task } from '../../src/shared/types/task.js';
import { tempDataDir } from '../core/runs/helpers.js';
import { ENV_SLURM_SKIP } from './env.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

const skip = process.env[ENV_SLURM_SKIP];
const call = { connectionId: 'test' };
const dataDir = tempDataDir();
/** Demo steps slow enough to see a job pend behind another and to stop one mid-way. */
const env = { ...process.env, DEMO_TRAINER_STEP_DELAY_MS: '150', DEMO_TRAINER_THREADS: '1' };
const options = { slurm: { pollMs: 300, clusterPollMs: 1000, stopGraceMs: 20_000, metricsPollMs: 200 } };
let core: Core;
let examples: Task[];

const open = async () => {
  core = createCore({ runtime: sourceTreeRuntime(), dataDir, host: 'serve', env, ...options });
  await core.start();
};

async function until<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const run = (id: string) => core.handlers['runs.get']({ id }, call) as Promise<Run>;
const ended = (id: string, ms = 240_000) => until(`run ${id} to end`, async () => {
  const r = await run(id);
  return !['starting', 'running', 'stopping'].includes(r.status) && r;
}, ms);

/** Queues a small copy of the support example on the Slurm lane and returns its run once the scheduler submitted it. */
async function submit(name: string, steps: number, gpuCount: number): Promise<Run> {
  const support = examples.find((t) => /support/.test(t.name) && !/infer/.test(t.name))!;
  const task = await core.handlers['tasks.clone']({ id: support.id, name, set: { max_steps: steps, logging_steps: 2, save_steps: 1000 } }, call);
  await core.handlers['board.enqueue']({ taskId: task.id, lane: 'slurm:debug', gpuCount }, call);
  return until(`the run of ${name}`, async () => (await core.handlers['runs.list']({}, call)).find((r) => r.taskId === task.id));
}

describe.skipIf(!!skip)(skip ? `Slurm lanes (skipped: ${skip})` : 'Slurm lanes', () => {
  beforeAll(async () => {
    await open();
    await core.handlers['settings.update']({ trainer: { kind: 'demo' } }, call);
    examples = await core.handlers['tasks.loadExamples']({}, call);
  });
  afterAll(async () => {
    await core?.stop();
  });

  it('shows each partition as a lane with its node and GPUs', async () => {
    const cluster = await until('the cluster', async () => {
      const c = await core.handlers['slurm.cluster']({}, call);
      return c.available && c;
    });
    const debug = cluster.partitions.find((p) => p.name === 'debug')!;
    expect(debug.availability).toBe('up');
    expect(debug.nodes).toHaveLength(1);
    expect(debug.nodes[0]!.gpusTotal).toBe(2);
    expect(debug.nodes[0]!.state).toMatch(/^idle|mixed|allocated/);
    const board = await core.handlers['board.get']({}, call);
    expect(board.lanes.map((l) => l.id)).toContain('slurm:debug');
    await expect(async () => core.handlers['board.enqueue']({ taskId: examples[0]!.id, lane: 'slurm:nosuch' }, call)).rejects.toThrow(/not available/);
  });

  it('runs through sbatch: pends while the GPUs are taken, runs on the GPUs Slurm gives it, finishes with metrics', async () => {
    const big = await submit('slurm-big', 24, 2);
    const small = await submit('slurm-small', 6, 1);
    // The small job waits for a GPU the big one holds: PENDING with Slurm's reason, shown as starting.
    const pending = await until('the small job to pend', async () => {
      const [b, s] = [await run(big.id), await run(small.id)];
      // Slurm states its reason at its next scheduling pass (sched_interval=2 on the test cluster).
      return b.slurm?.state === 'RUNNING' && s.slurm?.state === 'PENDING' && !!s.slurm.reason && s;
    });
    expect(pending.status).toBe('starting');
    expect(pending.slurm?.reason).toMatch(/Resources|Priority/);
    expect((await run(big.id)).status).toBe('running');

    const b = await ended(big.id);
    expect(b.status).toBe('finished');
    expect(b.exitCode).toBe(0);
    expect(b.slurm?.state).toBe('COMPLETED');
    const points = await core.handlers['runs.metrics']({ id: big.id }, call);
    expect([...new Set(points.map((p) => p.step))]).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    // Every logged step has its loss (the trainer's closing summary point carries only the run's totals).
    expect(points.filter((p) => typeof p.loss === 'number').map((p) => p.step)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(b.progress?.step).toBe(24);
    // The job script is kept in the run folder: Slurm's variables, one srun launcher per node, no CUDA_VISIBLE_DEVICES of ours.
    const script = readFileSync(join(b.runDir, 'job.sh'), 'utf8');
    expect(script).toContain('#SBATCH --gres=gpu:2');
    expect(script).toContain('#SBATCH --partition=debug');
    expect(script).toContain('MASTER_ADDR="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)"');
    expect(script).toContain('NODE_RANK="$SLURM_NODEID"');
    expect(script).not.toMatch(/export CUDA_VISIBLE_DEVICES/);
    expect(b.env.CUDA_VISIBLE_DEVICES).toBeUndefined();
    expect((await core.handlers['slurm.jobScript']({ runId: big.id }, call)).text).toBe(script);
    // Slurm bound its two fake GPUs to the job.
    expect(readFileSync(join(b.runDir, 'console.log'), 'utf8')).toContain('GPUs 0,1');

    const s = await ended(small.id);
    expect(s.status).toBe('finished');
    expect(readFileSync(join(s.runDir, 'console.log'), 'utf8')).toMatch(/GPUs [01]\b/);
    expect((await core.handlers['runs.metrics']({ id: small.id }, call)).at(-1)?.step).toBe(6);
  });

  it('stops a running job with the graceful signal (it saves) and a pending one with scancel', async () => {
    const a = await submit('slurm-stop', 400, 2);
    const b = await submit('slurm-stop-pending', 400, 1);
    await until('the first job to log steps', async () => (await run(a.id)).progress?.step ?? 0 >= 2);
    expect((await run(b.id)).slurm?.state).toBe('PENDING');
    expect((await core.handlers['runs.stop']({ id: b.id }, call)).status).toBe('stopping');
    expect((await core.handlers['runs.stop']({ id: a.id }, call)).status).toBe('stopping');
    const sb = await ended(b.id);
    expect(sb.status).toBe('stopped');
    expect(sb.slurm?.state).toBe('CANCELLED');
    const sa = await ended(a.id);
    expect(sa.status).toBe('stopped');
    // SIGABRT reached the trainer through the job step: it saved and exited on its own, well inside the grace.
    expect(readFileSync(join(sa.runDir, 'console.log'), 'utf8')).toMatch(/Received SIGABRT/);
    expect(sa.slurm?.state).toBe('COMPLETED');
    expect(sa.progress!.step).toBeLessThan(400);
  });

  it('settles a job Slurm refuses as failed with sbatch\'s own words', async () => {
    // Three GPUs on a node that has two: sbatch refuses at submission.
    const r = await submit('slurm-too-big', 4, 3);
    const done = await ended(r.id, 60_000);
    expect(done.status).toBe('failed');
    expect(done.failure?.message.text).toMatch(/Slurm refused the job: sbatch.*(configuration is not available|Invalid generic resource)/i);
    expect(existsSync(join(done.runDir, 'job.sh'))).toBe(true);
  });

  it('survives an engine restart: the next engine adopts the job through squeue and follows it to the end', async () => {
    // Settings → Slurm give sbatch its account and time limit.
    await core.handlers['settings.update']({ slurm: { account: 'lab', timeLimit: '10:00' } }, call);
    const r = await submit('slurm-restart', 30, 1);
    expect(r.slurm?.request).toMatchObject({ account: 'lab', timeLimit: '10:00', nodes: 1, gpusPerNode: 1 });
    const script = readFileSync(join(r.runDir, 'job.sh'), 'utf8');
    expect(script).toContain('#SBATCH --account=lab');
    expect(script).toContain('#SBATCH --time=10:00');
    await until('the job to run', async () => (await run(r.id)).status === 'running');
    await core.stop();
    await open();
    const adopted = await run(r.id);
    expect(['running', 'finished']).toContain(adopted.status);
    expect(adopted.slurm?.jobId).toBe(r.slurm?.jobId);
    const done = await ended(r.id);
    expect(done.status).toBe('finished');
    expect((await core.handlers['runs.metrics']({ id: r.id }, call)).at(-1)?.step).toBe(30);
    expect(existsSync(join(done.runDir, 'slurm-exit.json'))).toBe(true);
  });
});
