/**
 * Placement policy as one pure function: which queued items start now, and on which GPUs (docs/SCHEDULING.md).
 * Auto items go where they are expected to finish soonest (an idle card before a busy one; a busy card only while its
 * compute is not saturated, or when waiting would end later overall); the Auto lane backfills younger jobs past a
 * waiting head without delaying it (EASY: the head holds the cards it will use from the moment it is expected to start
 * there); a per-card cap; gang jobs on cards that free up together. GPU lanes are FIFO and start on their own card as
 * soon as it has room; a paused or blocked lane never stops another; memory fits with the safety margin.
 */
import { msg, type Message } from '../../shared/messages/message.js';
import type { LaneId } from '../../shared/types/task.js';
import { defaultSettings } from '../../shared/types/settings.js';
import { addJob, buildCards } from './cards.js';
import type { PlanGpu, PlanRunning } from './capacity.js';
import { choose, jobOn, type Candidate, type Reservation } from './choose.js';

export type { PlanGpu, PlanRunning } from './capacity.js';

export interface PlanItem extends Candidate {
  id: string;
  lane: LaneId;
  position: number;
  createdAt: number;
  gpuCount: number;
  /** Extra GPUs named at drop time (for the auto lane: the exact set). */
  gpuUuids: string[];
  /** Per-GPU memory it needs (null = unknown estimate). */
  needMiB: number | null;
  /** Set when the item cannot run at all (task has errors, was removed): it waits with this reason. */
  blocked?: Message;
  /** Expected share of one card's compute alone (0–1); missing = guessed from the memory figure. */
  util?: number;
  /** Expected seconds of training alone (after start-up); null/missing = unknown (it never fills a held gap). */
  workS?: number | null;
  /** Expected seconds from launch to the first step (model load). */
  startupS?: number;
}

export interface PlanState {
  gpus: PlanGpu[];
  lanes: { id: LaneId; paused: boolean }[];
  queued: PlanItem[];
  running: PlanRunning[];
  marginMiB: number;
  /** Most runs on one card at once (Settings); missing = the default. */
  maxRunsPerGpu?: number;
}

export interface PlanDecision {
  itemId: string;
  gpuUuids: string[];
}

export interface Plan {
  start: PlanDecision[];
  /** Why each queued item that does not start now waits. */
  /** `reason` in English (logs, CLI); `said` the same for the renderer to word. */
  waiting: { itemId: string; reason: string; said: Message }[];
  /** Cards held for a waiting item, and from when (seconds from now) it is expected to start there. */
  reserved: { gpuUuid: string; itemId: string; atS: number }[];
}

/** The paused lanes, and each lane's queued items in lane order. */
export function lanesOf(state: Pick<PlanState, 'lanes' | 'queued'>): { paused: Set<LaneId>; byLane: Map<LaneId, PlanItem[]> } {
  const paused = new Set(state.lanes.filter((l) => l.paused).map((l) => l.id));
  const byLane = new Map<LaneId, PlanItem[]>();
  for (const it of [...state.queued].sort((a, b) => a.position - b.position || a.createdAt - b.createdAt)) {
    const list = byLane.get(it.lane) ?? [];
    list.push(it);
    byLane.set(it.lane, list);
  }
  return { paused, byLane };
}

export function planPlacements(state: PlanState): Plan {
  const cards = buildCards(state.gpus, state.running, state.marginMiB);
  const ctx = { cards, marginMiB: state.marginMiB, cap: state.maxRunsPerGpu ?? defaultSettings.maxRunsPerGpu, reservations: new Map<string, Reservation>() };
  const { paused, byLane } = lanesOf(state);
  const start: PlanDecision[] = [];
  const started = new Set<string>();
  const reasons = new Map<string, Message>();

  const commit = (item: PlanItem, gpus: string[]) => {
    for (const u of gpus) {
      const card = cards.get(u)!;
      const j = jobOn(item, card);
      addJob(card, { ...j, workLeftS: item.workS ?? null, footprintMiB: item.needMiB ?? 0, exclusive: item.needMiB === null || card.room.gpu.vendor === 'cpu' }, item.needMiB);
    }
    started.add(item.id);
    start.push({ itemId: item.id, gpuUuids: gpus });
  };

  /** Starts the item or records why it waits; a head also holds the cards it is expected to start on. */
  const consider = (item: PlanItem, head: boolean): boolean => {
    if (item.blocked) {
      reasons.set(item.id, item.blocked);
      return false;
    }
    const c = choose(item, ctx, head);
    if ('start' in c) {
      commit(item, c.start);
      return true;
    }
    reasons.set(item.id, c.said);
    if (head && c.target) {
      const multi = Math.max(item.gpuCount, c.target.length) > 1;
      for (const u of c.target) if (!ctx.reservations.has(u)) ctx.reservations.set(u, { owner: item, kind: multi ? 'multi' : 'lane', at: c.at, known: c.known });
    }
    return false;
  };

  const open = (it: PlanItem) => !started.has(it.id) && !reasons.has(it.id);
  let progressed = true;
  while (progressed) {
    progressed = false;
    // Each lane's head, oldest first. In a GPU lane that is its first item not started; in the Auto lane the first one
    // that can run at all (an item whose task has errors needs no card and holds nobody back).
    const heads: PlanItem[] = [];
    for (const [lane, items] of byLane) {
      if (paused.has(lane)) continue;
      if (lane === 'auto') {
        for (const it of items.filter((i) => i.blocked && open(i))) reasons.set(it.id, it.blocked!);
        const h = items.find((i) => !started.has(i.id) && !i.blocked);
        if (h && open(h)) heads.push(h);
      } else {
        const h = items.find((i) => !started.has(i.id));
        if (h && open(h)) heads.push(h);
      }
    }
    heads.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    for (const item of heads) if (consider(item, true)) progressed = true;
    // Backfill: behind a waiting Auto head, younger Auto items start where they do not delay it.
    const auto = paused.has('auto') ? [] : (byLane.get('auto') ?? []);
    const autoHead = auto.find((i) => !started.has(i.id) && !i.blocked);
    if (autoHead && reasons.has(autoHead.id)) {
      for (const it of auto) if (it !== autoHead && open(it) && consider(it, false)) progressed = true;
    }
  }

  const waiting: Plan['waiting'] = [];
  for (const [lane, items] of byLane) {
    let behindHead = false;
    for (const it of items) {
      if (started.has(it.id)) continue;
      const said = paused.has(lane) ? msg('scheduler.lanePaused') : behindHead ? msg('scheduler.behindHead') : (reasons.get(it.id) ?? msg('scheduler.waiting'));
      waiting.push({ itemId: it.id, reason: said.text, said });
      // GPU lanes are FIFO: everything behind a waiting head waits for it.
      if (lane !== 'auto') behindHead = true;
    }
  }
  return { start, waiting, reserved: [...ctx.reservations].map(([gpuUuid, r]) => ({ gpuUuid, itemId: r.owner.id, atS: Math.round(r.at) })) };
}
