/** What Slurm and the run folder say about a job: squeue's state lines, scontrol's exit code, the exit file the job script writes. */
import { existsSync } from 'node:fs';
import type { SlurmJobState } from '../../shared/types/slurm.js';
import { readRegularFileSync } from '../util/boundedRead.js';
import { jobExitPath } from './jobScript.js';
import { slurm } from './slurmCli.js';

/** A job as one squeue line: `%i|%T|%r|%N` (these filters work in 22.05 text mode; its --json ignores --jobs). */
export interface QueueLine {
  state: SlurmJobState;
  reason: string | null;
  nodeList: string;
}

export function parseSqueue(text: string): Map<string, QueueLine> {
  const out = new Map<string, QueueLine>();
  for (const line of text.split('\n')) {
    const [id, state, reason, nodes] = line.trim().split('|');
    if (!id || !state) continue;
    out.set(id, { state, reason: reason && reason !== 'None' ? reason : null, nodeList: nodes && nodes !== '(null)' ? nodes : '' });
  }
  return out;
}

/** The exit status the job script wrote into the run folder, or null before it has (or when it is unreadable). */
export function readExitFile(runDir: string): { exitCode: number; endedAt: number | null } | null {
  const file = jobExitPath(runDir);
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readRegularFileSync(file, 4096).toString('utf8')) as { exitCode?: unknown; endedAt?: unknown };
    return typeof v.exitCode === 'number' ? { exitCode: v.exitCode, endedAt: typeof v.endedAt === 'number' ? v.endedAt : null } : null;
  } catch {
    return null;
  }
}

/** `ExitCode=3:0` of scontrol (exit status : signal). */
export async function exitCodeOf(jobId: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  try {
    const m = /\bExitCode=(\d+):(\d+)/.exec(await slurm('scontrol', ['show', 'job', '-o', jobId], env));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
