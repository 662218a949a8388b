/** Finds the run a CLI argument names: its id, else the one run with that name (the newest when several share it is refused). */
import type { ApiClient } from '../shared/contract/index.js';
import type { Run } from '../shared/types/run.js';
import { UsageError } from './args.js';

export async function findRun(api: ApiClient, ref: string): Promise<Run> {
  const runs = await api.call('runs.list', { includeApi: true });
  const byId = runs.find((r) => r.id === ref);
  if (byId) return byId;
  const named = runs.filter((r) => r.name === ref);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) throw new UsageError(`${named.length} runs are named "${ref}": give the run id (${named.map((r) => r.id).join(', ')}).`);
  throw new UsageError(`No run "${ref}" (see trainyard ps).`);
}

export const isActive = (r: Run) => ['starting', 'running', 'stopping'].includes(r.status);

/** Where a run runs, as the board names it: `slurm:<partition>` (job id), the GPU indices (`<box>/gpu:N` on a remote engine), or the CPU. */
export function placeOf(r: Run): string {
  if (r.slurm) return `slurm:${r.slurm.partition} (job ${r.slurm.jobId}${r.slurm.nodeList ? ` on ${r.slurm.nodeList}` : ''})`;
  const at = r.box ? `${r.box}/` : '';
  return r.gpuIndices.length ? r.gpuIndices.map((i) => `${at}gpu:${i}`).join(',') : `${at}cpu`;
}
