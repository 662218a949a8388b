/**
 * Baseline for the bench: Trainyard's placement before issue 15, kept verbatim (best fit by memory alone, strict FIFO
 * lanes, no per-card cap, no notion of compute), so every bench run compares the new policy with the old one.
 */
import type { LaneId } from '../../src/shared/types/task.js';
import { couldEverFit, gpuRooms, roomFor, type GpuRoom } from '../../src/core/scheduler/capacity.js';
import { laneGpu } from '../../src/core/scheduler/choose.js';
import { lanesOf, type PlanDecision, type PlanItem, type PlanState } from '../../src/core/scheduler/placement.js';

/** The old plan: the same shape, reservations without a start time. */
export interface Plan {
  start: PlanDecision[];
  /** Why each queued item that does not start now waits (heads get the specific reason). */
  waiting: { itemId: string; reason: string }[];
  reserved: { gpuUuid: string; itemId: string }[];
}

interface Reservation {
  owner: PlanItem;
  /** 'lane': blocks only auto-lane items; 'multi': blocks everyone younger. */
  kind: 'lane' | 'multi';
}

export function planBestFit(state: PlanState): Plan {
  const rooms = gpuRooms(state.gpus, state.running, state.marginMiB);
  const { paused, byLane } = lanesOf(state);
  const reservations = new Map<string, Reservation>();
  const start: PlanDecision[] = [];
  const reasons = new Map<string, string>();

  const usable = (item: PlanItem, uuid: string): boolean => {
    const r = reservations.get(uuid);
    if (!r || r.owner === item || r.owner.createdAt > item.createdAt) return true;
    return r.kind === 'lane' ? item.lane !== 'auto' : false;
  };

  /** Picks the GPUs for an item, or explains why not. `target` is the set it would wait for (for a reservation). */
  const place = (item: PlanItem): { gpus: string[] } | { reason: string; target: string[] | null } => {
    const need = item.needMiB;
    const home = laneGpu(item.lane);
    const fixed = [...new Set([...(home ? [home] : []), ...item.gpuUuids])];
    const count = Math.max(item.gpuCount, fixed.length, 1);
    for (const u of fixed) if (!rooms.has(u)) return { reason: `GPU ${u} is not present on this machine`, target: null };
    const fits = (u: string) => roomFor(rooms.get(u)!, need, state.marginMiB);
    const never = fixed.find((u) => !couldEverFit(rooms.get(u)!, need, state.marginMiB));
    if (never) return { reason: fits(never).reason, target: null };
    for (const u of fixed) {
      if (!usable(item, u)) return { reason: `GPU ${rooms.get(u)!.gpu.index} is held for an older multi-GPU job`, target: fixed };
      const f = fits(u);
      if (!f.ok) return { reason: f.reason, target: fixed };
    }
    if (fixed.length >= count) return { gpus: fixed };
    // Fill the rest: tightest fit first (packing), skipping GPUs held for others.
    const candidates = [...rooms.values()].filter((r) => !fixed.includes(r.gpu.uuid) && couldEverFit(r, need, state.marginMiB));
    const ready = candidates.filter((r) => usable(item, r.gpu.uuid) && fits(r.gpu.uuid).ok).sort(bestFit);
    const missing = count - fixed.length;
    if (ready.length >= missing) return { gpus: [...fixed, ...ready.slice(0, missing).map((r) => r.gpu.uuid)] };
    if (candidates.length < missing) {
      const biggest = Math.max(0, ...state.gpus.map((g) => g.totalMiB ?? 0));
      return { reason: need !== null && need + state.marginMiB > biggest ? `needs ${Math.round(need / 1024)} GiB per GPU, more than any card here` : `needs ${count} GPUs, this machine has ${state.gpus.length}`, target: null };
    }
    // Wait for the roomiest cards to drain.
    const target = [...fixed, ...candidates.sort((a, b) => (b.availMiB ?? 0) - (a.availMiB ?? 0)).slice(0, missing).map((r) => r.gpu.uuid)];
    const first = candidates.find((r) => !fits(r.gpu.uuid).ok);
    return { reason: count > 1 ? `waits for ${count} GPUs with room at once${first ? ` (${fits(first.gpu.uuid).reason})` : ''}` : first ? fits(first.gpu.uuid).reason : 'no GPU has room', target };
  };

  const commit = (item: PlanItem, gpus: string[]) => {
    for (const u of gpus) {
      const room = rooms.get(u)!;
      room.runs++;
      if (item.needMiB === null || room.gpu.vendor === 'cpu') room.exclusive = true;
      else if (room.availMiB !== null) room.availMiB -= item.needMiB;
    }
    start.push({ itemId: item.id, gpuUuids: gpus });
  };

  const cursor = new Map<LaneId, number>();
  let progressed = true;
  while (progressed) {
    progressed = false;
    const heads: PlanItem[] = [];
    for (const [lane, items] of byLane) {
      if (paused.has(lane)) continue;
      const i = cursor.get(lane) ?? 0;
      if (i < items.length && !reasons.has(items[i]!.id)) heads.push(items[i]!);
    }
    heads.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    for (const item of heads) {
      if (item.blocked) {
        reasons.set(item.id, item.blocked.text);
        continue;
      }
      const p = place(item);
      if ('gpus' in p) {
        commit(item, p.gpus);
        cursor.set(item.lane, (cursor.get(item.lane) ?? 0) + 1);
        progressed = true;
        continue;
      }
      reasons.set(item.id, p.reason);
      const multi = Math.max(item.gpuCount, item.gpuUuids.length + (laneGpu(item.lane) ? 1 : 0)) > 1;
      if (p.target && (multi || item.lane !== 'auto')) {
        for (const u of p.target) if (!reservations.has(u)) reservations.set(u, { owner: item, kind: multi ? 'multi' : 'lane' });
      }
    }
  }

  const waiting: Plan['waiting'] = [];
  for (const [lane, items] of byLane) {
    const i = cursor.get(lane) ?? 0;
    items.slice(i).forEach((it, k) => {
      const reason = paused.has(lane) ? 'lane is paused' : k === 0 ? (reasons.get(it.id) ?? 'waiting') : 'waits for the item ahead of it in this lane';
      waiting.push({ itemId: it.id, reason });
    });
  }
  return { start, waiting, reserved: [...reservations].map(([gpuUuid, r]) => ({ gpuUuid, itemId: r.owner.id })) };
}

/** Tightest fit first; unknown memory last; then by index for a stable order. */
function bestFit(a: GpuRoom, b: GpuRoom): number {
  const av = a.availMiB ?? Infinity;
  const bv = b.availMiB ?? Infinity;
  return av - bv || a.gpu.index - b.gpu.index;
}
