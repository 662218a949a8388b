/** sbatch that cannot reach the controller: the task stays queued with the reason (tried again later), no run is made. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/createCore.js';
import { tempDataDir } from '../core/runs/helpers.js';
import { ENV_SLURM_SKIP } from './env.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

const skip = process.env[ENV_SLURM_SKIP];
const call = { connectionId: 'test' };
let core: Core | null = null;
afterAll(async () => {
  await core?.stop();
});

describe.skipIf(!!skip)(skip ? `Slurm controller unreachable (skipped: ${skip})` : 'Slurm controller unreachable', () => {
  it('keeps the item waiting with sbatch\'s reason instead of failing a run', async () => {
    // The real sinfo (the lane exists); an sbatch that answers as Slurm's does when slurmctld is down.
    const bin = mkdtempSync(join(tmpdir(), 'ty-fake-sbatch-'));
    writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\necho "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)" >&2\nexit 1\n');
    chmodSync(join(bin, 'sbatch'), 0o755);
    core = createCore({ runtime: sourceTreeRuntime(), dataDir: tempDataDir(), host: 'serve', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    await core.start();
    await core.handlers['settings.update']({ trainer: { kind: 'demo' } }, call);
    const [task] = await core.handlers['tasks.loadExamples']({}, call);
    const item = await core.handlers['board.enqueue']({ taskId: task!.id, lane: 'slurm:debug' }, call);
    const end = Date.now() + 30_000;
    let note: string | null = null;
    while (Date.now() < end) {
      const q = (await core.handlers['board.get']({}, call)).queue.find((x) => x.id === item.id);
      if (q?.note) {
        note = q.note;
        expect(q.state).toBe('queued');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(note).toMatch(/Slurm did not take the job: .*Unable to contact slurm controller/);
    expect(await core.handlers['runs.list']({}, call)).toEqual([]);
  });
});
