/** Memory a card has promised to live runs that have not allocated it yet: the one rule the scheduler and the board's memory bar share. */
import type { GpuProcess, GpuVendor } from '../types/gpu.js';
import type { Run } from '../types/run.js';
import type { QueueItem } from '../types/task.js';

/** What one live run asks of the cards it runs on. */
export interface MemoryClaim {
  id: string;
  gpuUuids: string[];
  /** Per-GPU figure it was placed with (null = unknown: it gets its GPUs to itself, so nothing is "promised"). */
  needMiB: number | null;
  /** What its processes hold on each GPU now (process attribution); missing = nothing yet. */
  usedMiB: Record<string, number>;
}

/**
 * The claims of live runs. A run the board started uses the figure it was placed with (a learned OOM floor included);
 * any other run (a chat server, an evaluation) its own estimate.
 */
export function memoryClaims(
  runs: readonly Pick<Run, 'id' | 'gpuUuids' | 'estimateMiB'>[],
  items: readonly Pick<QueueItem, 'runId' | 'needMiB'>[],
  processes: readonly Pick<GpuProcess, 'runId' | 'gpuUuid' | 'usedMemoryMiB'>[],
): MemoryClaim[] {
  const byRun = new Map(items.filter((i) => i.runId).map((i) => [i.runId!, i]));
  return runs.map((r) => {
    const used: Record<string, number> = {};
    for (const p of processes) if (p.runId === r.id && p.usedMemoryMiB != null) used[p.gpuUuid] = (used[p.gpuUuid] ?? 0) + p.usedMemoryMiB;
    return { id: r.id, gpuUuids: r.gpuUuids, needMiB: byRun.get(r.id)?.needMiB ?? r.estimateMiB, usedMiB: used };
  });
}

/** What this claim will still take on this card (it has not reached its figure yet); null when its size is unknown. */
export function pendingMiB(claim: Pick<MemoryClaim, 'needMiB' | 'usedMiB'>, uuid: string): number | null {
  if (claim.needMiB === null) return null;
  return Math.max(0, claim.needMiB - (claim.usedMiB[uuid] ?? 0));
}

/**
 * Memory promised on this card: the sum of what the claims on it still have to allocate. The CPU device promises
 * nothing: it runs one job at a time, which holds it alone.
 */
export function promisedMiB(card: { uuid: string; vendor: GpuVendor }, claims: readonly MemoryClaim[]): number {
  if (card.vendor === 'cpu') return 0;
  let total = 0;
  for (const c of claims) if (c.gpuUuids.includes(card.uuid)) total += pendingMiB(c, card.uuid) ?? 0;
  return total;
}
