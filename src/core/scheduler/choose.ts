/**
 * Where and when one queued item should start. Auto: of the cards that have room now, the one where it is expected to
 * end soonest counting the delay it causes the runs it joins (so an idle card beats a busy one), and a busy card only
 * when joining raises that card's throughput (its compute is not already taken once the job has loaded its model).
 * A head that cannot start holds the cards it is expected to start on first; younger items respect those holds (EASY
 * backfill: a held card takes a younger job only if it is expected to leave before the older one needs the card). An
 * explicit GPU lane skips the throughput test: it starts as soon as its cards have room.
 */
import { msg, type Message } from '../../shared/messages/message.js';
import type { LaneId } from '../../shared/types/task.js';
import { couldEverFit, roomFor } from './capacity.js';
import { roomAt, trial, type PlanCard, type Trial } from './cards.js';
import type { CardRun } from './forecast.js';
import { about, defaultStartupS, defaultUtil, inAbout, UNKNOWN_WORK_S } from './profile.js';
import { packingPays } from './sharing.js';

/** A queued item as the policy needs it (PlanItem in placement.ts). */
export interface Candidate {
  id: string;
  lane: LaneId;
  createdAt: number;
  gpuCount: number;
  gpuUuids: string[];
  needMiB: number | null;
  util?: number;
  workS?: number | null;
  startupS?: number;
}

export interface Reservation {
  owner: Candidate;
  /** 'lane': a single-GPU item's card, held against younger Auto items; 'multi': a gang's cards, held against everyone younger. */
  kind: 'lane' | 'multi';
  /** When the owner is expected to start there (seconds from now; 0 when it could start as soon as the card drains). */
  at: number;
  /** `at` rests on known lengths only (no run of unknown length on the cards it waits for). */
  known: boolean;
}

export interface ChooseContext {
  cards: Map<string, PlanCard>;
  marginMiB: number;
  cap: number;
  reservations: Map<string, Reservation>;
}

/** `reason` is the English of `said` (logs, the CLI); `said` is what the board words in the user's language. */
export type Choice = { start: string[] } | { reason: string; said: Message; target: string[] | null; at: number; known: boolean };

interface Option {
  uuid: string;
  ok: boolean;
  said: Message;
  held?: boolean;
  trial?: Trial;
  idle?: boolean;
  availMiB?: number;
}

export const laneGpu = (lane: LaneId): string | null => (lane.startsWith('gpu:') ? lane.slice(4) : null);

/** The item as a job on this card: its profile, or the conservative guesses in profile.ts. */
export function jobOn(item: Candidate, card: PlanCard): Omit<CardRun, 'startAt'> {
  return {
    util: item.util ?? defaultUtil(item.needMiB, card.room.gpu.totalMiB),
    startupLeftS: item.startupS ?? defaultStartupS(item.needMiB),
    workLeftS: item.workS ?? UNKNOWN_WORK_S,
  };
}

/** A younger item is held back by a reservation: 'multi' ones hold everyone, the others only the Auto lane. */
const holds = (r: Reservation, item: Candidate): boolean =>
  r.owner !== item && r.owner.createdAt <= item.createdAt && (r.kind === 'multi' || item.lane === 'auto');

/** A job that fills a gap before a held start must end in time even if it runs this much longer than expected. */
const BACKFILL_SAFETY = 1.5;

/** Tolerance for "does not delay the head": a backfill may cost the runs the head waits for a minute or 2 %. */
const slack = (at: number) => Math.max(60, 0.02 * at);

/** `head`: the item holds cards for later, so the moments after now are weighed too (others only start now or wait). */
export function choose(item: Candidate, ctx: ChooseContext, head: boolean): Choice {
  const { cards, marginMiB: margin, cap } = ctx;
  const need = item.needMiB;
  const home = laneGpu(item.lane);
  const fixed = [...new Set([...(home ? [home] : []), ...item.gpuUuids])];
  const count = Math.max(item.gpuCount, fixed.length, 1);
  const nowhere = (said: Message): Choice => ({ reason: said.text, said, target: null, at: 0, known: false });
  for (const u of fixed) if (!cards.has(u)) return nowhere(msg('scheduler.wait.notPresent', { uuid: u }));
  const never = fixed.find((u) => !couldEverFit(cards.get(u)!.room, need, margin));
  if (never) return nowhere(roomFor(cards.get(never)!.room, need, margin).said);
  const explicit = fixed.length >= count;
  const pool = explicit ? [] : [...cards.keys()].filter((u) => !fixed.includes(u) && couldEverFit(cards.get(u)!.room, need, margin));
  const missing = count - fixed.length;
  if (pool.length < missing) {
    const biggest = Math.max(0, ...[...cards.values()].map((c) => c.room.gpu.totalMiB ?? 0));
    return nowhere(
      need !== null && need + margin > biggest
        ? msg('scheduler.wait.tooBigAnywhere', { n: Math.round(need / 1024) })
        : msg('scheduler.wait.tooFewGpus', { count, have: cards.size }),
    );
  }

  /** Can the item start on this card at `t`? Memory and the cap, then (Auto) whether joining pays, then the reservations. */
  const evaluate = (u: string, t: number, chosen: boolean): Option => {
    const card = cards.get(u)!;
    const room = roomAt(card, t);
    const fit = roomFor(room, need, margin, cap);
    if (!fit.ok) return { uuid: u, ok: false, said: fit.said };
    const job = jobOn(item, card);
    // A card the user picked takes the job whenever it fits; a card Auto picks must gain throughput from it.
    if (!chosen && room.runs > 0) {
      const demand = demandAt(card, t + job.startupLeftS);
      if (!packingPays(demand, job.util)) {
        const n = room.runs;
        const pct = Math.round(Math.min(1, demand) * 100);
        const what = n === 1 ? msg('scheduler.wait.computeOne', { pct }) : msg('scheduler.wait.computeMany', { n, pct });
        return { uuid: u, ok: false, said: msg('scheduler.wait.computeTaken', { index: card.room.gpu.index, what }) };
      }
    }
    const tr = trial(card, job, t);
    const r = ctx.reservations.get(u);
    const held = r && holds(r, item) ? heldReason(r, card, item, tr, margin, cap) : null;
    if (held) return { uuid: u, ok: false, held: true, said: held };
    return { uuid: u, ok: true, said: fit.said, trial: tr, idle: room.runs === 0, availMiB: room.availMiB ?? Infinity };
  };

  // The moments worth trying: now, and (for a head, which holds cards for later) whenever a run on them is expected to end.
  const times = [0, ...new Set([...fixed, ...pool].flatMap((u) => cards.get(u)!.ends.filter((e) => e > 0 && Number.isFinite(e))))].sort((a, b) => a - b);
  const firstFit = new Map<string, number>();
  let best: { at: number; picks: Option[] } | null = null;
  let now: Option[] = [];
  for (const t of times.slice(0, head ? 48 : 1)) {
    const fe = fixed.map((u) => evaluate(u, t, true));
    const pe = pool.map((u) => evaluate(u, t, false));
    for (const o of [...fe, ...pe]) if (o.ok && !firstFit.has(o.uuid)) firstFit.set(o.uuid, t);
    if (t === 0) now = [...fe, ...pe];
    if (fe.some((o) => !o.ok)) continue;
    const ok = pe.filter((o) => o.ok).sort((a, b) => prefer(a, b, firstFit, cards));
    if (ok.length < missing) continue;
    best = { at: t, picks: [...fe, ...ok.slice(0, missing)] };
    break;
  }
  if (best && best.at === 0) return { start: best.picks.map((o) => o.uuid) };

  const target = best ? best.picks.map((o) => o.uuid) : [...fixed, ...pool.sort((a, b) => (cards.get(b)!.room.availMiB ?? 0) - (cards.get(a)!.room.availMiB ?? 0)).slice(0, missing)];
  const at = best ? best.at : 0;
  // A forecast that rests on a run of unknown length is a guess: act on it, but do not show it as an expected time.
  const known = !!best && target.every((u) => cards.get(u)!.jobs.every((j) => j.workLeftS !== null));
  const where = [...target].sort((a, b) => cards.get(a)!.room.gpu.index - cards.get(b)!.room.gpu.index).map((u) => `GPU ${cards.get(u)!.room.gpu.index}`).join(' + ');
  const failing = now.filter((o) => !o.ok);
  const first = failing.find((o) => o.held) ?? failing.find((o) => fixed.includes(o.uuid)) ?? failing.sort((a, b) => (cards.get(b.uuid)!.room.availMiB ?? 0) - (cards.get(a.uuid)!.room.availMiB ?? 0))[0];
  const why = first?.said ?? msg('scheduler.wait.noRoom');
  const base = count === 1 ? why : msg('scheduler.wait.gang', { count, why });
  const said = known ? msg('scheduler.wait.expected', { why: base, where, when: inAbout(at) }) : base;
  return { reason: said.text, said, target, at, known };
}

/** Compute the card's runs will ask for at `t` (those expected to have ended by then are gone), plus other programs'. */
function demandAt(card: PlanCard, t: number, ends: readonly number[] = card.ends): number {
  return card.jobs.reduce((d, j, i) => (ends[i]! > t ? d + j.util : d), card.otherUtil);
}

/**
 * Among cards that could take the job at the same moment: the one where it ends first, counting the delay it causes the
 * runs already there; then, for gang jobs, cards that
 * became free last (so cards that free up together go together and an early one stays open for others); then an idle
 * card over a busy one (spread before pack); then the tightest memory fit (big cards stay free for big jobs).
 */
function prefer(a: Option, b: Option, firstFit: Map<string, number>, cards: Map<string, PlanCard>): number {
  return (
    Math.round(a.trial!.end + a.trial!.delay) - Math.round(b.trial!.end + b.trial!.delay) ||
    (firstFit.get(b.uuid) ?? 0) - (firstFit.get(a.uuid) ?? 0) ||
    Number(b.idle) - Number(a.idle) ||
    a.availMiB! - b.availMiB! ||
    cards.get(a.uuid)!.room.gpu.index - cards.get(b.uuid)!.room.gpu.index
  );
}

/**
 * Why a reservation keeps this item off the card, or null when it does not delay the owner's start (EASY backfill):
 * either it leaves the owner room (memory, the cap) and compute beside it at that moment, or it is expected to end
 * before then without pushing back the runs the owner waits for. Only a start time that rests on known lengths has a
 * gap to fill.
 */
function heldReason(r: Reservation, card: PlanCard, item: Candidate, tr: Trial, margin: number, cap: number): Message | null {
  const until = r.known ? msg('scheduler.held.startsAt', { when: inAbout(r.at) }) : msg('scheduler.held.untilRoom');
  const held = msg(r.kind === 'multi' ? 'scheduler.held.multi' : 'scheduler.held.item', { index: card.room.gpu.index, until });
  if (!r.known) return msg('scheduler.held.noEnd', { held });
  // Joining slows the runs the owner waits for: it may cost them a minute or 2 %, not more.
  const at = r.at + slack(r.at);
  const room = roomAt(card, at, tr.ends);
  if (item.needMiB !== null && room.availMiB !== null) {
    const beside = { ...room, runs: room.runs + 1, availMiB: room.availMiB - item.needMiB };
    const demand = demandAt(card, r.at, tr.ends) + jobOn(item, card).util + jobOn(r.owner, card).util;
    if (roomFor(beside, r.owner.needMiB, margin, cap).ok && demand <= 1) return null;
  }
  if (item.workS == null) return msg('scheduler.held.unknownLength', { held });
  // Lengths from past runs err (by ±30 % and more): a job fills a gap only if it ends in time even when that much longer.
  const job = jobOn(item, card);
  const late = trial(card, { ...job, workLeftS: job.workLeftS * BACKFILL_SAFETY, startupLeftS: job.startupLeftS * BACKFILL_SAFETY }, tr.start);
  if (late.end > r.at) return msg('scheduler.held.tooLong', { held, length: about(tr.end) });
  if (!roomFor(room, r.owner.needMiB, margin, cap).ok) return msg('scheduler.held.wouldDelay', { held });
  return null;
}
