/** Runs Slurm's client commands (sinfo, squeue, sbatch, scancel, scontrol) with argv only, a timeout and an output cap. */
import { runTool, type ToolResult } from '../gpu/runTool.js';
import { which } from '../util/which.js';

export type SlurmCommand = 'sinfo' | 'squeue' | 'sbatch' | 'scancel' | 'scontrol';

/** slurmctld answers in milliseconds when healthy; a busy controller can take seconds, a dead one never answers. */
const TIMEOUT_MS = 30_000;

export class SlurmCommandError extends Error {}

/** Runs one Slurm command; throws SlurmCommandError with Slurm's own words when it is missing or fails. */
export async function slurm(cmd: SlurmCommand, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const path = which(cmd, env);
  if (!path) throw new SlurmCommandError(`${cmd} is not on PATH.`);
  const r: ToolResult = await runTool(path, args, env, TIMEOUT_MS);
  if (r.spawnError) throw new SlurmCommandError(`${cmd} could not start: ${r.spawnError}`);
  if (r.timedOut) throw new SlurmCommandError(`${cmd} did not answer within ${TIMEOUT_MS / 1000} s (is slurmctld up?).`);
  if (r.code !== 0) {
    const why = r.stderr.trim().split('\n').at(-1) || `exit ${r.code ?? r.signal}`;
    throw new SlurmCommandError(`${cmd} ${args[0] ?? ''}: ${why}`.trim());
  }
  return r.stdout;
}

export const hasSlurm = (env: NodeJS.ProcessEnv): boolean => which('sinfo', env) !== null && which('sbatch', env) !== null;
