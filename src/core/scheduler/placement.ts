/**
 * Placement policy as one pure function: which queued items start now, and on which GPUs.
 * Rules (docs/SCHEDULING.md): lanes are FIFO (no overtaking inside a lane); a blocked or paused lane never stops another
 * lane; runs share a GPU while their estimates plus the margin fit its live free memory; the auto lane picks the
 * tightest card that fits (best fit, so big cards stay free for big jobs); a blocked multi-GPU head reserves its GPUs
 * so younger jobs stop landing there and it cannot starve; a blocked GPU-lane head reserves its card against the auto
 * lane (an explicit drop wins on its own card).
 */
import type { LaneId } from '../../shared/types/task.js';
import { couldEverFit, gpuRooms, roomFor, type GpuRoom, type PlanGpu, type PlanRunning } from './capacity.js';

export type { PlanGpu, PlanRunning } from './capacity.js';

export interface PlanItem {
  id: string;
  lane: LaneId;
  position: number;
  createdAt: number;
  gpuCount: number;
  /** Extra GPUs named at drop time (for the auto lane: the exact set). */
  gpuUuids: string[];
  /** Per-GPU memory it needs (null = unknown estimate). */
  needMiB: number | null;
  /** Set when the item cannot run at all (task has errors, was removed): it waits with this reason and blocks its lane. */
  blocked?: string;
}

export interface PlanState {
  gpus: PlanGpu[];
  lanes: { id: LaneId; paused: boolean }[];
  queued: PlanItem[];
  running: PlanRunning[];
  marginMiB: number;
}

export interface PlanDecision {
  itemId: string;
  gpuUuids: string[];
}

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

const laneGpu = (lane: LaneId): string | null => (lane.startsWith('gpu:') ? lane.slice(4) : null);

export function planPlacements(state: PlanState): Plan {
  const rooms = gpuRooms(state.gpus, state.running, state.marginMiB);
  const paused = new Set(state.lanes.filter((l) => l.paused).map((l) => l.id));
  const byLane = new Map<LaneId, PlanItem[]>();
  for (const it of [...state.queued].sort((a, b) => a.position - b.position || a.createdAt - b.createdAt)) {
    const list = byLane.get(it.lane) ?? [];
    list.push(it);
    byLane.set(it.lane, list);
  }
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
        reasons.set(item.id, item.blocked);
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
