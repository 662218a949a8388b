/** The batch script of a Slurm run and sbatch's argv: Slurm picks the nodes and GPUs, the script launches the trainer under srun. */
import { join } from 'node:path';
import type { SlurmRequest } from '../../shared/types/slurm.js';

/** POSIX single quotes: the only quoting with no special characters inside (a ' is closed, escaped, reopened). */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface JobScriptInput {
  runId: string;
  name: string;
  partition: string;
  request: SlurmRequest;
  runDir: string;
  workDir: string;
  outputDir: string;
  /** The trainer's argv (program first), as a local run would get it. */
  argv: string[];
  masterPort: number;
  hasDeepspeed: boolean;
}

export const jobScriptPath = (runDir: string) => join(runDir, 'job.sh');
/** Written by the script itself when the trainer exits: the exit code, for clusters where the job record is gone. */
export const jobExitPath = (runDir: string) => join(runDir, 'slurm-exit.json');
export const consolePathOf = (runDir: string) => join(runDir, 'console.log');

/** sbatch's options: each value is one argv element (a Slurm token or a path), never read by a shell. */
export function sbatchOptions(i: JobScriptInput): string[] {
  const r = i.request;
  return [
    `--job-name=trainyard-${i.runId}`,
    `--partition=${i.partition}`,
    `--nodes=${r.nodes}`,
    '--ntasks-per-node=1',
    `--gres=gpu:${r.gpusPerNode}`,
    ...(r.timeLimit ? [`--time=${r.timeLimit}`] : []),
    ...(r.account ? [`--account=${r.account}`] : []),
    ...(r.qos ? [`--qos=${r.qos}`] : []),
    `--output=${consolePathOf(i.runDir)}`,
    // A requeued job (preemption, node failure) appends to the same console log instead of truncating it.
    '--open-mode=append',
    `--chdir=${i.workDir}`,
    '--requeue',
  ];
}

export function sbatchArgv(i: JobScriptInput): string[] {
  return ['--parsable', ...sbatchOptions(i), jobScriptPath(i.runDir)];
}

/**
 * The script: the same options as #SBATCH lines (so `sbatch job.sh` resubmits it by hand), Slurm's own variables for
 * LLaMA-Factory's torchrun launch (launcher.py:58-68 at ff6d4d1 reads NNODES, NODE_RANK, NPROC_PER_NODE, MASTER_ADDR,
 * MASTER_PORT, FORCE_TORCHRUN), one srun task per node so NODE_RANK is that node's SLURM_NODEID. CUDA_VISIBLE_DEVICES
 * is Slurm's (it binds the GRES it allocated); Trainyard never sets it here.
 */
export function jobScript(i: JobScriptInput): string {
  const r = i.request;
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const directives = sbatchOptions(i).map((o) => (/\s/.test(o) ? `# (given on sbatch's command line: ${oneLine(o)})` : `#SBATCH ${o}`));
  const env: [string, string][] = [
    ['MASTER_PORT', String(i.masterPort)],
    ['NPROC_PER_NODE', String(r.gpusPerNode)],
    ['PYTHONUNBUFFERED', '1'],
    // LLaMA-Factory's SIGABRT handler (save and stop) and running_log.txt, as for local runs.
    ['LLAMABOARD_ENABLED', '1'],
    ['LLAMABOARD_WORKDIR', i.outputDir],
    ['TRAINYARD_RUN_ID', i.runId],
  ];
  if (r.nodes > 1 || i.hasDeepspeed) env.push(['FORCE_TORCHRUN', '1']);
  return [
    '#!/bin/bash',
    `# Trainyard run ${i.runId} (${oneLine(i.name)}). Written by Trainyard; resubmit by hand with: sbatch ${oneLine(jobScriptPath(i.runDir))}`,
    ...directives,
    'set -u',
    '# The first node of the allocation is the rendezvous host; every node runs one launcher (srun below).',
    'MASTER_ADDR="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)"',
    'export MASTER_ADDR',
    'export NNODES="$SLURM_JOB_NUM_NODES"',
    ...env.map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    'echo "[trainyard] Slurm job $SLURM_JOB_ID on $SLURM_JOB_NODELIST (restart ${SLURM_RESTART_COUNT:-0}), GPUs ${CUDA_VISIBLE_DEVICES:-none}"',
    `srun --kill-on-bad-exit=1 --ntasks-per-node=1 bash -c 'export NODE_RANK="$SLURM_NODEID"; exec "$@"' trainer ${i.argv.map(shellQuote).join(' ')}`,
    'code=$?',
    `printf '{"exitCode":%d,"endedAt":%s}\\n' "$code" "$(date +%s%3N)" > ${shellQuote(jobExitPath(i.runDir))}`,
    'exit "$code"',
    '',
  ].join('\n');
}
