/** planPlacements as a pure function: table-driven cases for packing, lanes, multi-GPU reservations, CPU-only and reasons. */
import { describe, expect, it } from 'vitest';
import { planPlacements, type PlanItem, type PlanRunning, type PlanState } from '../../../src/core/scheduler/placement.js';
import type { LaneId } from '../../../src/shared/types/task.js';

const G = 1024;
const gpu = (i: number, freeGiB: number, totalGiB = 80) => ({ uuid: `U${i}`, index: i, vendor: 'nvidia' as const, totalMiB: totalGiB * G, freeMiB: freeGiB * G });
let t = 0;
const item = (id: string, lane: LaneId, needGiB: number | null, extra: Partial<PlanItem> = {}): PlanItem => ({
  id,
  lane,
  position: t,
  createdAt: ++t,
  gpuCount: 1,
  gpuUuids: [],
  needMiB: needGiB === null ? null : needGiB * G,
  ...extra,
});
const run = (id: string, uuids: string[], needGiB: number | null, usedGiB = 0): PlanRunning => ({
  id,
  gpuUuids: uuids,
  needMiB: needGiB === null ? null : needGiB * G,
  usedMiB: Object.fromEntries(uuids.map((u) => [u, usedGiB * G])),
});
const state = (p: Partial<PlanState>): PlanState => ({ gpus: [gpu(0, 80)], lanes: [], queued: [], running: [], marginMiB: 2 * G, ...p });

interface Case {
  name: string;
  state: PlanState;
  starts: Record<string, string[]>;
  waits?: Record<string, RegExp>;
}

const cases: Case[] = [
  {
    name: 'packs four small LoRA jobs onto one 80 GB card; the fifth waits',
    state: state({ queued: ['a', 'b', 'c', 'd', 'e'].map((id) => item(id, 'gpu:U0', 18)) }),
    starts: { a: ['U0'], b: ['U0'], c: ['U0'], d: ['U0'] },
    waits: { e: /needs 18 GiB, 6\.0 GiB left on GPU 0 after the 2\.0 GiB margin/ },
  },
  {
    name: 'memory used by other programs counts (live free memory)',
    state: state({ gpus: [gpu(0, 15)], queued: [item('a', 'gpu:U0', 18)] }),
    starts: {},
    waits: { a: /needs 18 GiB, 13 GiB left on GPU 0 .*\(65 GiB used by other programs\)/ },
  },
  {
    name: 'memory promised to a starting run that has not allocated yet is not free',
    state: state({ gpus: [gpu(0, 78)], running: [run('r1', ['U0'], 60, 2)], queued: [item('a', 'gpu:U0', 30)] }),
    starts: {},
    waits: { a: /58 GiB promised to starting runs/ },
  },
  {
    name: 'a run that already allocated its estimate promises nothing more',
    state: state({ gpus: [gpu(0, 18)], running: [run('r1', ['U0'], 60, 60)], queued: [item('a', 'gpu:U0', 14)] }),
    starts: { a: ['U0'] },
  },
  {
    name: 'no overtaking within a lane: a blocked head holds back a small job behind it',
    state: state({ queued: [item('big', 'gpu:U0', 100), item('small', 'gpu:U0', 5)] }),
    starts: {},
    waits: { big: /more than GPU 0's 80 GiB/, small: /ahead of it/ },
  },
  {
    name: 'a blocked head never stops another lane',
    state: state({ gpus: [gpu(0, 10), gpu(1, 80)], queued: [item('a', 'gpu:U0', 30), item('b', 'gpu:U1', 30)] }),
    starts: { b: ['U1'] },
  },
  {
    name: 'a paused lane waits; other lanes go on',
    state: state({ gpus: [gpu(0, 80), gpu(1, 80)], lanes: [{ id: 'gpu:U0', paused: true }], queued: [item('a', 'gpu:U0', 10), item('b', 'gpu:U1', 10)] }),
    starts: { b: ['U1'] },
    waits: { a: /paused/ },
  },
  {
    name: 'auto lane: best fit picks the tightest card that fits, keeping the big one free',
    state: state({ gpus: [gpu(0, 80), gpu(1, 30), gpu(2, 20)], queued: [item('a', 'auto', 25)] }),
    starts: { a: ['U1'] },
  },
  {
    name: 'auto lane fills cards in FIFO order and packs',
    state: state({ gpus: [gpu(0, 40), gpu(1, 40)], queued: [item('a', 'auto', 20), item('b', 'auto', 20), item('c', 'auto', 20), item('d', 'auto', 20)] }),
    starts: { a: ['U0'], b: ['U1'] },
    waits: { c: /no GPU has room|needs 20/ },
  },
  {
    name: 'multi-GPU item needs all its GPUs at once',
    state: state({ gpus: [gpu(0, 80), gpu(1, 10)], queued: [item('m', 'gpu:U0', 40, { gpuCount: 2, gpuUuids: ['U1'] })] }),
    starts: {},
    waits: { m: /GPU 1/ },
  },
  {
    name: 'a blocked multi-GPU head reserves its GPUs: younger jobs from other lanes do not start there',
    state: state({
      gpus: [gpu(0, 80), gpu(1, 40), gpu(2, 50)],
      queued: [item('m', 'auto', 60, { gpuCount: 2 }), item('s', 'gpu:U0', 10), item('t', 'gpu:U1', 10)],
    }),
    // m waits for U0 + U2 (the roomiest); s must not eat into U0, while t on an unreserved card goes ahead.
    starts: { t: ['U1'] },
    waits: { m: /waits for 2 GPUs with room at once/, s: /held for an older multi-GPU job/ },
  },
  {
    name: 'a multi-GPU item starts when two cards have room, and small jobs pack beside it',
    state: state({ gpus: [gpu(0, 80), gpu(1, 40), gpu(2, 80)], queued: [item('m', 'auto', 60, { gpuCount: 2 }), item('s', 'gpu:U0', 10)] }),
    starts: { m: ['U0', 'U2'], s: ['U0'] },
  },
  {
    name: 'reservation holds a card while it drains',
    state: state({
      gpus: [gpu(0, 30), gpu(1, 30)],
      running: [run('r0', ['U0'], 48, 48), run('r1', ['U1'], 48, 48)],
      queued: [item('m', 'auto', 40, { gpuCount: 2 }), item('s', 'gpu:U0', 10)],
    }),
    starts: {},
    waits: { m: /waits for 2 GPUs/, s: /held for an older multi-GPU job/ },
  },
  {
    name: 'a blocked GPU-lane head reserves its card against the auto lane only',
    state: state({ gpus: [gpu(0, 30)], queued: [item('big', 'gpu:U0', 40), item('auto1', 'auto', 10)] }),
    starts: {},
    waits: { auto1: /no GPU has room|needs/ },
  },
  {
    name: 'unknown estimate gets a card to itself, and nothing joins it',
    state: state({ gpus: [gpu(0, 80), gpu(1, 80)], running: [run('r', ['U1'], 5, 5)], queued: [item('u', 'auto', null), item('v', 'gpu:U0', 5)] }),
    starts: { u: ['U0'] },
    waits: { v: /unknown size/ },
  },
  {
    name: 'CPU-only machine: one job at a time on the device',
    state: state({ gpus: [{ uuid: 'CPU-0', index: 0, vendor: 'cpu', totalMiB: 16 * G, freeMiB: 12 * G }], queued: [item('a', 'auto', 1), item('b', 'auto', 1)] }),
    starts: { a: ['CPU-0'] },
    waits: { b: /one job at a time/ },
  },
  {
    name: 'a lane for a GPU that is gone, and an item blocked by its task, wait with a reason',
    state: state({ queued: [item('x', 'gpu:GONE', 5), item('y', 'gpu:U0', 5, { blocked: 'its config has errors' })] }),
    starts: {},
    waits: { x: /not present/, y: /config has errors/ },
  },
  {
    name: 'too big for any card: says so',
    state: state({ queued: [item('huge', 'auto', 1100)] }),
    starts: {},
    waits: { huge: /more than any card/ },
  },
];

describe('planPlacements', () => {
  for (const c of cases) {
    it(c.name, () => {
      const plan = planPlacements(c.state);
      expect(Object.fromEntries(plan.start.map((d) => [d.itemId, d.gpuUuids]))).toEqual(c.starts);
      for (const [id, re] of Object.entries(c.waits ?? {})) expect(plan.waiting.find((w) => w.itemId === id)?.reason).toMatch(re);
      // Every queued item is either started or has a reason.
      expect(plan.start.length + plan.waiting.length).toBe(c.state.queued.length);
    });
  }
});
