/** How much memory each GPU can still give a new run: live free memory minus what started runs were promised but have not yet allocated. */
import { promisedMiB, type MemoryClaim } from '../../shared/domain/promisedMemory.js';
import { msg, type Message } from '../../shared/messages/message.js';
import type { GpuVendor } from '../../shared/types/gpu.js';

export interface PlanGpu {
  uuid: string;
  index: number;
  name?: string;
  vendor: GpuVendor;
  totalMiB: number | null;
  /** Live free memory from the snapshot: memory other programs use is already taken out. */
  freeMiB: number | null;
  /** Share of the card's compute that programs other than our runs use (0–1; from the card's utilisation). */
  otherUtil?: number;
}

/** A live run as the planner sees it: its memory claim (src/shared/domain/promisedMemory.ts) plus what it will still do. */
export interface PlanRunning extends MemoryClaim {
  /** Expected share of one card's compute (0–1); missing = guessed from the memory figure (profile.ts). */
  util?: number;
  /** Expected seconds of training left if it ran alone; null/missing = unknown. */
  workLeftS?: number | null;
  /** Expected seconds of model loading left (0 once it trains). */
  startupLeftS?: number;
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
  for (const g of gpus) {
    // A run that has not reached its figure yet will still take the rest: it is promised, not free (the shared rule).
    const promised = promisedMiB(g, running);
    rooms.set(g.uuid, { gpu: g, availMiB: g.freeMiB === null ? null : g.freeMiB - marginMiB - promised, promisedMiB: promised, runs: 0, ownUsedMiB: 0, exclusive: false });
  }
  for (const r of running) {
    for (const u of r.gpuUuids) {
      const room = rooms.get(u);
      if (!room) continue;
      room.runs++;
      room.ownUsedMiB += r.usedMiB[u] ?? 0;
      if (r.needMiB === null || room.gpu.vendor === 'cpu') room.exclusive = true;
    }
  }
  return rooms;
}

const gib = (mib: number) => `${(mib / 1024).toFixed(mib < 10 * 1024 ? 1 : 0)} GiB`;

/**
 * Whether a run needing `need` MiB (null = unknown) can start on this GPU now, and why (or why not): `said` in the
 * user's language on the board, `reason` its English text for the CLI and logs. `cap` is the most runs that may share
 * one card (Settings; a card holding that many takes no more, whatever its memory says).
 */
export function roomFor(room: GpuRoom, need: number | null, marginMiB: number, cap = Infinity): { ok: boolean; reason: string; said: Message } {
  const g = room.gpu;
  const label = g.name ? msg('scheduler.fit.gpuNamed', { index: g.index, name: g.name }) : msg('scheduler.fit.gpu', { index: g.index });
  const say = (ok: boolean, said: Message) => ({ ok, reason: said.text, said });
  const runsWord = (n: number) => msg(n === 1 ? 'scheduler.fit.run' : 'scheduler.fit.runs');
  const margin = gib(marginMiB);
  if (g.vendor !== 'cpu' && room.runs >= cap) {
    return say(false, msg('scheduler.fit.capReached', { label, runs: room.runs, runsWord: runsWord(room.runs), cap, capWord: runsWord(cap) }));
  }
  if (g.vendor === 'cpu') {
    if (room.runs > 0) return say(false, msg('scheduler.fit.cpuBusy', { label }));
    if (need !== null && room.availMiB !== null && need > room.availMiB) return say(false, msg('scheduler.fit.cpuNoRam', { need: gib(need), left: gib(Math.max(0, room.availMiB)), margin }));
    return say(true, msg('scheduler.fit.cpuFree', { label }));
  }
  if (room.exclusive) return say(false, msg('scheduler.fit.exclusive', { label }));
  if (need === null) return room.runs > 0 ? say(false, msg('scheduler.fit.unknownWaits', { label })) : say(true, msg('scheduler.fit.unknownFree', { label }));
  if (g.totalMiB !== null && need + marginMiB > g.totalMiB) {
    return say(false, msg('scheduler.fit.tooBig', { need: gib(need), margin, label, total: gib(g.totalMiB) }));
  }
  if (room.availMiB === null) return room.runs === 0 ? say(true, msg('scheduler.fit.noMemoryFree', { label })) : say(false, msg('scheduler.fit.noMemoryBusy', { label }));
  if (need <= room.availMiB) return say(true, msg('scheduler.fit.fits', { need: gib(need), left: gib(room.availMiB), label, margin }));
  // Memory in use that is not ours: the card's used memory minus what our runs already allocated.
  const inUse = g.totalMiB !== null && g.freeMiB !== null ? g.totalMiB - g.freeMiB - room.ownUsedMiB : 0;
  const parts = [
    ...(inUse >= 512 ? [msg('scheduler.fit.otherPrograms', { amount: gib(inUse) })] : []),
    ...(room.promisedMiB > 0 ? [msg('scheduler.fit.promised', { amount: gib(room.promisedMiB) })] : []),
  ];
  const short = { need: gib(need), left: gib(Math.max(0, room.availMiB)), label, margin };
  if (parts.length === 0) return say(false, msg('scheduler.fit.short', short));
  const why = parts.length === 2 ? msg('scheduler.fit.both', { a: parts[0]!, b: parts[1]! }) : parts[0]!;
  return say(false, msg('scheduler.fit.shortBecause', { ...short, why }));
}

/** The device could hold it when nothing else runs (otherwise waiting is pointless). */
export function couldEverFit(room: GpuRoom, need: number | null, marginMiB: number): boolean {
  if (need === null || room.gpu.totalMiB === null) return true;
  return need + marginMiB <= room.gpu.totalMiB;
}
