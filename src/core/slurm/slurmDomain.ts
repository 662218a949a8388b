/** Slurm domain: the cluster's partitions as board lanes (sinfo, refreshed), the contract's slurm.* methods, and its runs. */
import type { slurmMethods, slurmTopics } from '../../shared/contract/slurm.js';
import type { Run } from '../../shared/types/run.js';
import type { SlurmCluster, SlurmRequest } from '../../shared/types/slurm.js';
import type { QueueItem } from '../../shared/types/task.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { Supervisor } from '../runs/supervisor.js';
import type { LaunchSpec } from '../runs/supervisorApi.js';
import { readCluster } from './cluster.js';
import { SlurmRuns, type SlurmRunsOptions } from './slurmRuns.js';

export interface SlurmDomainOptions extends SlurmRunsOptions {
  /** How often sinfo is asked (default 10 s). */
  clusterPollMs?: number;
}

/** What the board and scheduler use: the partitions (cached) and submitting a queue item's run. */
export interface SlurmLanes {
  cluster(): SlurmCluster;
  submit(spec: LaunchSpec, partition: string, item: Pick<QueueItem, 'gpuCount' | 'slurm'>): Promise<Run>;
}

const off = (problem: string): SlurmCluster => ({ available: false, problem, partitions: [], updatedAt: Date.now() });

export function createSlurmDomain(
  ctx: CoreContext,
  deps: { runs: Supervisor },
  opts: SlurmDomainOptions = {},
): Domain<typeof slurmMethods, typeof slurmTopics> & { runs: SlurmRuns; lanes: SlurmLanes; refresh(): Promise<SlurmCluster> } {
  const runs = new SlurmRuns(ctx, deps.runs, opts);
  // Before the supervisor starts: its runs must never be taken for local runs whose holder is gone.
  deps.runs.useExternal(runs);
  let cluster: SlurmCluster = off('sinfo has not answered yet');
  let timer: NodeJS.Timeout | null = null;
  let offSettings: (() => void) | null = null;

  async function refresh(): Promise<SlurmCluster> {
    const next = ctx.settings().slurm.enabled ? await readCluster(ctx.env) : off('Slurm lanes are turned off in Settings');
    const changed = JSON.stringify({ ...next, updatedAt: 0 }) !== JSON.stringify({ ...cluster, updatedAt: 0 });
    cluster = next;
    if (changed) ctx.bus.emit('slurm.cluster', cluster);
    return cluster;
  }

  /** sbatch's request: the task's own values, else Settings → Slurm; the GPU count is the queue item's. */
  function requestFor(item: Pick<QueueItem, 'gpuCount' | 'slurm'>): SlurmRequest {
    const s = ctx.settings().slurm;
    const o = item.slurm ?? {};
    return { nodes: o.nodes ?? 1, gpusPerNode: item.gpuCount, timeLimit: o.timeLimit ?? s.timeLimit, account: o.account ?? s.account, qos: o.qos ?? s.qos };
  }

  return {
    runs,
    refresh,
    lanes: {
      cluster: () => cluster,
      submit: (spec, partition, item) => runs.submit(spec, partition, requestFor(item)),
    },
    handlers: {
      'slurm.cluster': () => refresh(),
      'slurm.jobScript': ({ runId }) => runs.scriptOf(runId),
    },
    subscriptions: {
      'slurm.cluster': (_p, send) => ctx.bus.on('slurm.cluster', send),
    },
    async start() {
      runs.start();
      // The lanes are there when the engine answers its first call, but a controller that does not answer holds up
      // the start by 5 s at most (the next refresh brings them).
      await Promise.race([refresh(), new Promise((r) => setTimeout(r, 5000).unref?.())]);
      timer = setInterval(() => void refresh(), opts.clusterPollMs ?? 10_000);
      timer.unref?.();
      // Turning Slurm lanes on or off in Settings shows at once, not at the next poll.
      offSettings = ctx.bus.on('settings.changed', () => void refresh());
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      offSettings?.();
      await runs.shutdown();
    },
  };
}
