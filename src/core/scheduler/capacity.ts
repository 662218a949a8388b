/** How much memory each GPU can still give a new run: live free memory minus what started runs were promised but have not yet allocated. */
import type { GpuVendor } from '../../shared/types/gpu.js';

export interface PlanGpu {
  uuid: string;
  index: number;
  name?: string;
  vendor: GpuVendor;
  totalMiB: number | null;
  /** Live free memory from the snapshot: memory other programs use is already taken out. */
  freeMiB: number | null;
}

export interface PlanRunning {
  id: string;
  gpuUuids: string[];
  /** Per-GPU figure it was placed with (null = unknown: it gets its GPUs to itself). */
  needMiB: number | null;
  /** What its processes use on each GPU now (process attribution); missing = nothing yet. */
  usedMiB: Record<string, number>;
}

export interface GpuRoom {
  gpu: PlanGpu;
  /** Free memory after promises and the safety margin (may be negative); null when the card does not report memory. */
  availMiB: number | null;
  /** Memory promised to runs that started but have not allocated it yet. */
  promisedMiB: number;
  runs: number;
  /** What our own runs' processes hold on it now (so "used by other programs" leaves them out). */
  ownUsedMiB: number;
  /** A run of unknown size, or any run on a CPU device, holds the device alone. */
  exclusive: boolean;
}

export function gpuRooms(gpus: PlanGpu[], running: PlanRunning[], marginMiB: number): Map<string, GpuRoom> {
  const rooms = new Map<string, GpuRoom>();
  for (const g of gpus) rooms.set(g.uuid, { gpu: g, availMiB: g.freeMiB === null ? null : g.freeMiB - marginMiB, promisedMiB: 0, runs: 0, ownUsedMiB: 0, exclusive: false });
  for (const r of running) {
    for (const u of r.gpuUuids) {
      const room = rooms.get(u);
      if (!room) continue;
      room.runs++;
      room.ownUsedMiB += r.usedMiB[u] ?? 0;
      if (r.needMiB === null || room.gpu.vendor === 'cpu') room.exclusive = true;
      else {
        // A run that has not reached its estimate yet will still take the rest: it is promised, not free.
        const pending = Math.max(0, r.needMiB - (r.usedMiB[u] ?? 0));
        room.promisedMiB += pending;
        if (room.availMiB !== null) room.availMiB -= pending;
      }
    }
  }
  return rooms;
}

const gib = (mib: number) => `${(mib / 1024).toFixed(mib < 10 * 1024 ? 1 : 0)} GiB`;

/** Whether a run needing `need` MiB (null = unknown) can start on this GPU now, and a human reason when not. */
export function roomFor(room: GpuRoom, need: number | null, marginMiB: number): { ok: boolean; reason: string } {
  const g = room.gpu;
  const label = `GPU ${g.index}${g.name ? ` (${g.name})` : ''}`;
  if (g.vendor === 'cpu') {
    if (room.runs > 0) return { ok: false, reason: `${label} runs one job at a time and is busy` };
    if (need !== null && room.availMiB !== null && need > room.availMiB) return { ok: false, reason: `needs ${gib(need)}, ${gib(Math.max(0, room.availMiB))} of RAM free after the ${gib(marginMiB)} margin` };
    return { ok: true, reason: `${label} is free` };
  }
  if (room.exclusive) return { ok: false, reason: `${label} holds a run of unknown size, which gets the card to itself` };
  if (need === null) {
    if (room.runs > 0) return { ok: false, reason: `the estimate is unknown, so it waits for ${label} to have no runs` };
    return { ok: true, reason: `${label} has no runs (estimate unknown: it gets the card to itself)` };
  }
  if (g.totalMiB !== null && need + marginMiB > g.totalMiB) {
    return { ok: false, reason: `needs ${gib(need)} + ${gib(marginMiB)} margin, more than ${label}'s ${gib(g.totalMiB)}` };
  }
  if (room.availMiB === null) {
    return room.runs === 0 ? { ok: true, reason: `${label} does not report memory; it has no runs` } : { ok: false, reason: `${label} does not report memory and is busy` };
  }
  if (need <= room.availMiB) return { ok: true, reason: `needs ${gib(need)}, ${gib(room.availMiB)} left on ${label} after the ${gib(marginMiB)} margin` };
  // Memory in use that is not ours: the card's used memory minus what our runs already allocated.
  const inUse = g.totalMiB !== null && g.freeMiB !== null ? g.totalMiB - g.freeMiB - room.ownUsedMiB : 0;
  const why = [inUse >= 512 ? `${gib(inUse)} used by other programs` : '', room.promisedMiB > 0 ? `${gib(room.promisedMiB)} promised to starting runs` : '']
    .filter(Boolean)
    .join(', ');
  return { ok: false, reason: `needs ${gib(need)}, ${gib(Math.max(0, room.availMiB))} left on ${label} after the ${gib(marginMiB)} margin${why ? ` (${why})` : ''}` };
}

/** The device could hold it when nothing else runs (otherwise waiting is pointless). */
export function couldEverFit(room: GpuRoom, need: number | null, marginMiB: number): boolean {
  if (need === null || room.gpu.totalMiB === null) return true;
  return need + marginMiB <= room.gpu.totalMiB;
}
