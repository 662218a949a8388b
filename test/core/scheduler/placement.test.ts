/** planPlacements as a pure function: table-driven cases for spreading, packing, backfill, the per-card cap, lanes, gang jobs, CPU-only and reasons. */
import { describe, expect, it } from 'vitest';
import { fill, msg, type Message } from '../../../src/shared/messages/message.js';
import { engineZh } from '../../../src/shared/messages/zhCatalogue.js';
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
const run = (id: string, uuids: string[], needGiB: number | null, usedGiB = 0, extra: Partial<PlanRunning> = {}): PlanRunning => ({
  id,
  gpuUuids: uuids,
  needMiB: needGiB === null ? null : needGiB * G,
  usedMiB: Object.fromEntries(uuids.map((u) => [u, usedGiB * G])),
  ...extra,
});
const MIN = 60;
/** A queued job with a known profile: compute share alone, minutes of training alone, start-up seconds. */
const job = (id: string, lane: LaneId, needGiB: number, util: number, minutes: number, extra: Partial<PlanItem> = {}) =>
  item(id, lane, needGiB, { util, workS: minutes * MIN, startupS: 60, ...extra });
/** A running job past its start-up that has `minutes` of solo training left. */
const busy = (id: string, uuid: string, needGiB: number, util: number, minutes: number) => run(id, [uuid], needGiB, needGiB, { util, workLeftS: minutes * MIN, startupLeftS: 0 });
const state = (p: Partial<PlanState>): PlanState => ({ gpus: [gpu(0, 80)], lanes: [], queued: [], running: [], marginMiB: 2 * G, ...p });

interface Case {
  name: string;
  state: PlanState;
  starts: Record<string, string[]>;
  waits?: Record<string, RegExp>;
  /** GPUs held for a waiting item (uuid → item id), when the case is about reservations. */
  reserved?: Record<string, string>;
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
    waits: { auto1: /held for an older item|no GPU has room|needs/ },
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
    state: state({ queued: [item('x', 'gpu:GONE', 5), item('y', 'gpu:U0', 5, { blocked: msg('scheduler.configErrors', { error: 'bad key' }) })] }),
    starts: {},
    waits: { x: /not present/, y: /config has errors/ },
  },
  // ── Placement by expected finish time (issue 15) ──
  {
    name: 'spread before pack: an idle card beats a busy one that still has room',
    state: state({ gpus: [gpu(0, 70), gpu(1, 80)], running: [busy('r', 'U0', 10, 0.3, 30)], queued: [job('a', 'auto', 5, 0.3, 20)] }),
    starts: { a: ['U1'] },
  },
  {
    name: 'spread before pack: a sweep of 4 on 4 idle cards takes one card each',
    state: state({ gpus: [gpu(0, 80), gpu(1, 80), gpu(2, 80), gpu(3, 80)], queued: ['a', 'b', 'c', 'd'].map((id) => job(id, 'auto', 20, 0.6, 30)) }),
    starts: { a: ['U0'], b: ['U1'], c: ['U2'], d: ['U3'] },
  },
  {
    name: 'explicit lanes are honoured while Auto spreads: a drop on GPU 0 packs there even with GPU 1 idle',
    state: state({ gpus: [gpu(0, 80), gpu(1, 80)], queued: [job('a', 'auto', 10, 0.5, 30), job('b', 'auto', 10, 0.5, 30), job('c', 'gpu:U0', 10, 0.5, 30)] }),
    starts: { a: ['U0'], b: ['U1'], c: ['U0'] },
  },
  {
    name: 'packs small jobs onto a card whose compute is not saturated',
    state: state({ gpus: [gpu(0, 141, 141)], queued: ['a', 'b', 'c', 'd'].map((id) => job(id, 'auto', 4, 0.2, 30)) }),
    starts: { a: ['U0'], b: ['U0'], c: ['U0'], d: ['U0'] },
  },
  {
    name: 'no packing onto a card whose compute is taken: it waits for the card where a run ends first',
    state: state({
      gpus: [gpu(0, 60), gpu(1, 40)],
      running: [busy('long', 'U0', 20, 0.95, 120), busy('short', 'U1', 20, 0.6, 5), busy('other', 'U1', 20, 0.6, 120)],
      queued: [job('a', 'auto', 20, 0.5, 60)],
    }),
    starts: {},
    waits: { a: /GPU 0's compute is taken \(its run uses about 95 % of it\).*; expected to start on GPU 1 in about 6 min/ },
    reserved: { U1: 'a' },
  },
  {
    name: 'a saturated card still takes a job whose model load overlaps the end of the run on it',
    state: state({ gpus: [gpu(0, 60)], running: [busy('r', 'U0', 20, 0.95, 2)], queued: [job('a', 'auto', 20, 0.95, 60, { startupS: 240 })] }),
    starts: { a: ['U0'] },
  },
  {
    name: 'per-card cap: at most maxRunsPerGpu runs share a card, even when memory and compute would allow more',
    state: state({ gpus: [gpu(0, 141, 141)], maxRunsPerGpu: 2, queued: ['a', 'b', 'c'].map((id) => job(id, 'gpu:U0', 2, 0.1, 10)) }),
    starts: { a: ['U0'], b: ['U0'] },
    waits: { c: /at most 2 runs/ },
  },
  {
    name: 'EASY backfill: younger jobs start in a hole that they leave before the waiting head needs it',
    state: state({
      gpus: [gpu(0, 18)],
      running: [busy('r', 'U0', 60, 0.5, 30)],
      queued: [job('head', 'auto', 60, 0.9, 60), job('short', 'auto', 5, 0.2, 10), job('long', 'auto', 5, 0.2, 90)],
    }),
    starts: { short: ['U0'] },
    waits: { head: /needs 60 GiB/, long: /held for an older item .*starts in about 30 min/ },
    reserved: { U0: 'head' },
  },
  {
    name: 'EASY backfill: a younger job may start on a card the head does not need',
    state: state({
      gpus: [gpu(0, 10), gpu(1, 10)],
      running: [busy('r0', 'U0', 68, 0.5, 30), busy('r1', 'U1', 68, 0.3, 120)],
      queued: [job('head', 'auto', 60, 0.9, 60), job('long', 'auto', 5, 0.2, 90)],
    }),
    starts: { long: ['U1'] },
    reserved: { U0: 'head' },
  },
  {
    name: 'a job of unknown length never backfills onto a reserved card',
    state: state({ gpus: [gpu(0, 10)], running: [busy('r', 'U0', 68, 0.5, 30)], queued: [job('head', 'auto', 60, 0.9, 60), item('unknown', 'auto', 5)] }),
    starts: {},
    waits: { unknown: /held for an older item/ },
  },
  {
    name: 'gang job: reserves the cards that free up together, not the roomiest ones',
    state: state({
      gpus: [gpu(0, 30), gpu(1, 10), gpu(2, 30), gpu(3, 10)],
      running: [busy('r0', 'U0', 48, 0.9, 60), busy('r1', 'U1', 68, 0.9, 10), busy('r2', 'U2', 48, 0.9, 50), busy('r3', 'U3', 68, 0.9, 12)],
      queued: [job('gang', 'auto', 60, 0.95, 120, { gpuCount: 2 })],
    }),
    starts: {},
    waits: { gang: /waits for 2 GPUs/ },
    reserved: { U1: 'gang', U3: 'gang' },
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
      if (c.reserved) expect(Object.fromEntries(plan.reserved.map((r) => [r.gpuUuid, r.itemId]))).toEqual(c.reserved);
      // Every waiting reason is worded from the catalogue (nothing verbatim), its English is the reason, and it reads in Chinese.
      for (const w of plan.waiting) {
        expect(codes(w.said)).not.toContain('verbatim');
        expect(w.said.text).toBe(w.reason);
        expect(zh(w.said)).not.toMatch(/[a-z]{4,}/);
      }
    });
  }

  it("a waiting item's reason reads in Chinese, the expected start included", () => {
    const c = cases.find((x) => x.name.startsWith('no packing onto a card whose compute is taken'))!;
    const w = planPlacements(c.state).waiting.find((x) => x.itemId === 'a')!;
    expect(zh(w.said)).toMatch(/^GPU 0 的算力已被占满（上面的运行占用约 95%）.*；预计约 6 分钟后在 GPU 1 上启动$/);
  });
});

const zh = (m: Message): string => fill(engineZh[m.code], m.params, zh);
/** Every code in a message and the messages inside it. */
const codes = (m: Message): string[] => [m.code, ...Object.values(m.params ?? {}).flatMap((v) => (typeof v === 'object' ? codes(v) : []))];
