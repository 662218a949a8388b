/** Reads the cluster through sinfo: the partitions this user may submit to, their nodes, GPUs (GRES) and states. */
import { SLURM_PARTITION_RE } from '../../shared/domain/lanes.js';
import type { SlurmCluster, SlurmNode, SlurmPartition } from '../../shared/types/slurm.js';
import { hasSlurm, slurm } from './slurmCli.js';

/** GPUs in a GRES string: `gpu:2`, `gpu:a100:4(S:0-1)`, `gpu:a100:2(IDX:0-1),shard:8` → the sum of the gpu entries. */
export function gpusInGres(gres: string | null | undefined): number {
  if (!gres || gres === '(null)' || gres === 'N/A') return 0;
  let n = 0;
  // Entries are comma-separated, but a socket or index list inside parentheses has commas too.
  for (const entry of gres.replace(/\([^)]*\)/g, '').split(',')) {
    const parts = entry.trim().split(':');
    if (parts[0] !== 'gpu') continue;
    const count = Number(parts.at(-1));
    n += Number.isFinite(count) && parts.length > 1 ? count : 1;
  }
  return n;
}

interface SinfoJsonNode {
  name?: string;
  state?: string;
  state_flags?: string[];
  reason?: string;
  gres?: string;
  gres_used?: string;
  cpus?: number;
  partitions?: string[];
}

/**
 * `sinfo -h -o %P|%a|%l` (partitions visible to this user: sinfo hides the ones whose AllowGroups exclude them; the
 * default one ends in `*`) and `sinfo --json` (every node with GRES, GRES in use, state and partitions).
 */
export function parseCluster(partitionsText: string, nodesJson: string): SlurmPartition[] {
  const nodes = (JSON.parse(nodesJson) as { nodes?: SinfoJsonNode[] }).nodes ?? [];
  const out: SlurmPartition[] = [];
  for (const line of partitionsText.split('\n')) {
    const [rawName, availability, timeLimit] = line.trim().split('|');
    if (!rawName) continue;
    const isDefault = rawName.endsWith('*');
    const name = isDefault ? rawName.slice(0, -1) : rawName;
    if (!SLURM_PARTITION_RE.test(name) || out.some((p) => p.name === name)) continue;
    const members: SlurmNode[] = nodes
      .filter((n) => n.name && (n.partitions ?? []).includes(name))
      .map((n) => ({
        name: n.name!,
        state: [n.state ?? 'unknown', ...(n.state_flags ?? [])].join('+').toLowerCase(),
        reason: n.reason ? n.reason : null,
        gpusTotal: gpusInGres(n.gres),
        gpusUsed: gpusInGres(n.gres_used),
        cpus: n.cpus ?? 0,
      }));
    out.push({ name, availability: availability ?? 'unknown', timeLimit: timeLimit || null, isDefault, nodes: members });
  }
  return out;
}

export async function readCluster(env: NodeJS.ProcessEnv): Promise<SlurmCluster> {
  const now = Date.now();
  if (!hasSlurm(env)) return { available: false, problem: 'sinfo/sbatch are not on PATH', partitions: [], updatedAt: now };
  try {
    const [parts, nodes] = await Promise.all([slurm('sinfo', ['-h', '-o', '%P|%a|%l'], env), slurm('sinfo', ['--json'], env)]);
    return { available: true, problem: null, partitions: parseCluster(parts, nodes), updatedAt: now };
  } catch (e) {
    return { available: false, problem: e instanceof Error ? e.message : String(e), partitions: [], updatedAt: now };
  }
}
