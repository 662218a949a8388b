/** `trainyard run <example> --lane slurm:debug --trainer demo --wait` on the one-node Slurm: exit 0, ps --json shows the metrics, the job script is kept. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import type { Run } from '../../src/shared/types/run.js';
import { repoRoot } from '../helpers/fixtures.js';
import { ENV_SLURM_SKIP } from './env.js';

const skip = process.env[ENV_SLURM_SKIP];
const example = join(repoRoot, 'resources', 'examples', 'support-lora.yaml');

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env: process.env });
  return { code, out, err };
}

describe.skipIf(!!skip)(skip ? `trainyard run on Slurm (skipped: ${skip})` : 'trainyard run on Slurm', () => {
  it('runs the demo example through sbatch and waits for it: exit 0, finished with metrics, job script in the run folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ty-slurm-cli-'));
    const r = await cli(['run', example, '--lane', 'slurm:debug', '--trainer', 'demo', '--wait', '--data-dir', dataDir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/support-lora\s+finished\s+loss/);
    const ps = await cli(['ps', '--json', '--data-dir', dataDir]);
    const [run] = JSON.parse(ps.out) as (Run & { metrics: { points: number; last: { step: number } | null } })[];
    expect(run!.status).toBe('finished');
    expect(run!.slurm).toMatchObject({ partition: 'debug', state: 'COMPLETED' });
    expect(run!.metrics.points).toBeGreaterThan(5);
    expect(run!.progress?.lastLoss).toEqual(expect.any(Number));
    expect(existsSync(join(run!.runDir, 'job.sh'))).toBe(true);
    expect(readFileSync(join(run!.runDir, 'job.sh'), 'utf8')).toContain('#SBATCH --partition=debug');
    const table = await cli(['ps', '--data-dir', dataDir]);
    expect(table.out).toMatch(new RegExp(`${run!.id}\\s+support-lora\\s+finished\\s+slurm:debug \\(job ${run!.slurm!.jobId}`));
  });
});
