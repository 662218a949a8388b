/** Each GPU as the planner sees it while it plans: memory now, the runs on it with their profiles, and when each is expected to end. */
import { gpuRooms, type GpuRoom, type PlanGpu, type PlanRunning } from './capacity.js';
import { cardEnds, type CardRun } from './forecast.js';
import { defaultUtil, UNKNOWN_WORK_S } from './profile.js';

export interface CardJob {
  util: number;
  startupLeftS: number;
  /** Solo seconds of training left; null = unknown (forecast as UNKNOWN_WORK_S, never trusted to end before a reservation). */
  workLeftS: number | null;
  /** Memory that frees when it ends (what it holds plus what it was promised), MiB. */
  footprintMiB: number;
  /** Unknown size or a CPU device: holds the card alone. */
  exclusive: boolean;
}

export interface PlanCard {
  room: GpuRoom;
  jobs: CardJob[];
  /** Compute used by programs that are not ours (0–1). */
  otherUtil: number;
  /** Expected end of each job (seconds from now), kept current by `addJob`. */
  ends: number[];
}

export interface Trial {
  /** When the new job joins (seconds from now). */
  start: number;
  /** When the new job is expected to end. */
  end: number;
  /** Seconds it pushes back the ends of the jobs already on the card, summed. */
  delay: number;
  /** Ends of the jobs already on the card with the new one there. */
  ends: number[];
}

const asCardRuns = (jobs: readonly CardJob[]): CardRun[] =>
  jobs.map((j) => ({ util: j.util, startAt: 0, startupLeftS: j.startupLeftS, workLeftS: j.workLeftS ?? UNKNOWN_WORK_S }));

export function buildCards(gpus: PlanGpu[], running: PlanRunning[], marginMiB: number): Map<string, PlanCard> {
  const rooms = gpuRooms(gpus, running, marginMiB);
  const cards = new Map<string, PlanCard>();
  for (const [uuid, room] of rooms) cards.set(uuid, { room, jobs: [], otherUtil: Math.min(1, Math.max(0, room.gpu.otherUtil ?? 0)), ends: [] });
  for (const r of running) {
    for (const u of r.gpuUuids) {
      const card = cards.get(u);
      if (!card) continue;
      const used = r.usedMiB[u] ?? 0;
      card.jobs.push({
        util: r.util ?? defaultUtil(r.needMiB, card.room.gpu.totalMiB),
        startupLeftS: r.startupLeftS ?? 0,
        workLeftS: r.workLeftS ?? null,
        footprintMiB: Math.max(r.needMiB ?? 0, used),
        exclusive: r.needMiB === null || card.room.gpu.vendor === 'cpu',
      });
    }
  }
  for (const card of cards.values()) card.ends = cardEnds(asCardRuns(card.jobs), card.otherUtil);
  return cards;
}

/** The card's room at `t` seconds from now: jobs expected to have ended by then (per `ends`) gave their memory back. */
export function roomAt(card: PlanCard, t: number, ends: readonly number[] = card.ends): GpuRoom {
  if (t <= 0) return card.room;
  let freed = 0;
  let left = 0;
  let exclusive = false;
  card.jobs.forEach((j, i) => {
    if (ends[i]! <= t + 1e-6) freed += j.footprintMiB;
    else {
      left++;
      exclusive ||= j.exclusive;
    }
  });
  const gone = card.jobs.length - left;
  return { ...card.room, availMiB: card.room.availMiB === null ? null : card.room.availMiB + freed, runs: Math.max(0, card.room.runs - gone), exclusive };
}

/** Expected end of a new job joining the card at `startAt`, and what it costs the jobs already there. */
export function trial(card: PlanCard, job: Omit<CardRun, 'startAt'>, startAt: number): Trial {
  const ends = cardEnds([...asCardRuns(card.jobs), { ...job, startAt }], card.otherUtil);
  const end = ends.pop()!;
  let delay = 0;
  ends.forEach((e, i) => {
    if (Number.isFinite(e) && Number.isFinite(card.ends[i]!)) delay += e - card.ends[i]!;
  });
  return { start: startAt, end, delay, ends };
}

/** Puts a job that starts now on the card (memory, run count, forecast). */
export function addJob(card: PlanCard, job: CardJob, needMiB: number | null): void {
  card.room.runs++;
  if (job.exclusive) card.room.exclusive = true;
  else if (card.room.availMiB !== null && needMiB !== null) card.room.availMiB -= needMiB;
  card.jobs.push(job);
  card.ends = cardEnds(asCardRuns(card.jobs), card.otherUtil);
}
