/**
 * Slurm suite setup: starts the one-node Slurm (test/slurm/setup.sh: munged, slurmctld, slurmd, two fake GPUs) and hands
 * SLURM_CONF to the test files; where Slurm is not installed every test skips and its name says why. Stops the daemons
 * at the end, and kills whatever a test left behind (its jobs' trainers carry this run's tag).
 */
import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup as tagThisRun, teardown as killTagged } from '../e2e/globalSetup.js';
import { ENV_SLURM_SKIP } from './env.js';

const script = join(resolve(dirname(fileURLToPath(import.meta.url))), 'setup.sh');
let started = false;

export function setup(): void {
  tagThisRun();
  const r = spawnSync('bash', [script, 'start'], { encoding: 'utf8', timeout: 120_000 });
  const why = `${r.stderr ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? '';
  if (r.status === 3) {
    process.env[ENV_SLURM_SKIP] = `Slurm is not installed here (${why})`;
    return;
  }
  if (r.status !== 0) throw new Error(`test/slurm/setup.sh start failed (exit ${r.status ?? r.signal}): ${r.stderr}`);
  const conf = /SLURM_CONF=(\S+)/.exec(r.stdout)?.[1];
  if (!conf) throw new Error(`test/slurm/setup.sh printed no SLURM_CONF: ${r.stdout}`);
  process.env.SLURM_CONF = conf;
  started = true;
}

export function teardown(): void {
  if (started) {
    // Jobs a failed test left (this cluster is the suite's own): cancelled before the daemons go, so the next run starts on an idle node.
    spawnSync('scancel', ['--user', userInfo().username], { stdio: 'ignore' });
    spawnSync('bash', [script, 'stop'], { stdio: 'inherit', timeout: 60_000 });
  }
  killTagged();
}
